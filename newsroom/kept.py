"""Files a build keeps from the last build into the same output folder: the record each
build writes of what it wrote, and the hard links that keep an untouched file.

A record is a JSON file in the content cache's version folder (`record_file`: one per
kind and output folder), so a new code, settings or package version starts without one.
A file is kept only if it still has the identity the record noted (`identity`: inode,
size in bytes, modification time in ns): a file someone changed since is written again.
Used by newsroom/pagememo.py (article pages) and newsroom/search.py (search bundles).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def record_file(store, kind: str, output: str) -> str:
    """The record of `kind` ("pages", "index") for builds into the folder `output`, in the
    version folder of `store` (a `newsroom.cache.ContentCache`)."""
    name = hashlib.sha256(os.path.abspath(output).encode()).hexdigest()[:16]
    return os.path.join(store.folder, f"{kind}-{name}.json")


def read_record(path: str) -> dict:
    """The record at `path`, or {} if there is none or it cannot be read."""
    try:
        with open(path, encoding="utf-8") as fh:
            found = json.load(fh)
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def write_record(path: str, value: dict) -> None:
    """Write the record `value` to `path` atomically; a write error leaves no record."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(value, fh)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def identity(path) -> list[int] | None:
    """[inode, size in bytes, modification time in ns] of the file at `path`, or None."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_ino, info.st_size, info.st_mtime_ns]


def link_unchanged(previous, output, files: dict) -> bool:
    """Hard-link `files` ({path relative to the output folder: its recorded identity})
    from the folder `previous` into `output` (folders made) if every one still has its
    identity; False, having linked nothing, if one has changed or is gone; False too if
    the file system refuses a link (the caller then writes the files)."""
    if any(identity(os.path.join(previous, rel)) != list(ident)
           for rel, ident in files.items()):
        return False
    try:
        for rel in files:
            target = os.path.join(output, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.link(os.path.join(previous, rel), target)
    except OSError:
        return False
    return True
