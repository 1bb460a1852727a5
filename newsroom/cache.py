"""The content cache: each content file's parse and HTML, kept between builds.

Where: `NEWS_CACHE_PATH` (pelicanconf.py: `.cache/newsroom`, relative to the working
folder as Pelican's `CACHE_PATH` is; git-ignored, `make clean` removes it; empty: no cache).
Used by `newsroom.source` (the parse, kind "parse") and `newsroom.render` (the HTML, kind
"html"); this module only stores and finds.

An entry's key (`ContentCache.key`) is the SHA-256 of the file's absolute path, the
content folder's (`PATH`) and the file's bytes, never its modification time: an edit
misses and its revert hits again, whatever the clock. Entries live in a folder per
*version*, the hash of
- the other settings that change how a file is read, as they take effect
  (`reading_settings`),
- the code: every `.py` file in newsroom/ and in the plugin folders (`PLUGIN_PATHS`), the
  versions of the packages that read (`PACKAGES`) and Python's (`code_version`).
So a settings change, a code change or an upgrade misses everything at once. Folders of
other versions are removed once `KEEP_VERSIONS` newer ones have been used.

An entry is a pickle behind the SHA-256 of its bytes. One that is missing, truncated,
corrupt, unreadable or of another shape is a miss (`load` returns None), written again;
never an error. Writes go to a temporary file renamed into place, so concurrent builds and
an interrupted one never leave half an entry; a folder that cannot be written means no
caching (logged at debug level), never a failed build. Whoever can write the cache can run
code in the build, as whoever can write newsroom/ can: it is the site's own working folder.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import pickle
import shutil
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

MAGIC = b"newsroom-cache-1\n"
# The settings newsroom.source (SETTINGS_READ) and newsroom.render (SETTINGS_READ) read;
# tests/unit/test_cache.py checks that this covers both.
SETTINGS = ("PATH", "ARTICLE_PATHS", "PAGE_PATHS", "FILENAME_METADATA", "TIMEZONE",
            "NEWS_CATEGORIES", "NEWS_SUMMARY_MAX_LENGTH", "TAG_REGEX_SUBSTITUTIONS",
            "AUTHOR_REGEX_SUBSTITUTIONS", "SLUG_REGEX_SUBSTITUTIONS", "IGNORE_FILES",
            "MARKDOWN", "FORMATTED_FIELDS", "NEWS_TYPOGRIFY", "TYPOGRIFY_IGNORE_TAGS",
            "TYPOGRIFY_OMIT_FILTERS", "TYPOGRIFY_DASHES")
# Distributions whose code reads a file (YAML, dates, images, Markdown, typography).
PACKAGES = ("pelican", "markdown", "pymdown-extensions", "typogrify", "smartypants", "nh3",
            "pyyaml", "python-dateutil", "pillow")
KEEP_VERSIONS = 4
META_EXTENSION = "markdown.extensions.meta"  # Pelican's reader adds it; the front matter is ours


def markdown_options(settings: dict) -> dict:
    """The `MARKDOWN` options as Pelican's `MarkdownReader.__init__` completes them (the keys
    of `extension_configs` appended to `extensions`, pelican/readers.py), without
    `markdown.extensions.meta`: the same before and after Pelican has changed the setting."""
    options = copy.deepcopy(settings.get("MARKDOWN") or {})
    extensions = list(options.get("extensions", []))
    extensions += [e for e in options.get("extension_configs", {}) if e not in extensions]
    options["extensions"] = [e for e in extensions if e != META_EXTENSION]
    return options


def reading_settings(settings: dict) -> dict:
    """The `SETTINGS` of `settings` as they take effect: `PATH` absolute, `MARKDOWN` as
    `markdown_options` gives it, missing ones as None."""
    values = {name: settings.get(name) for name in SETTINGS}
    values["PATH"] = os.path.abspath(values["PATH"] or ".")
    values["MARKDOWN"] = markdown_options(settings)
    return values


@functools.cache
def code_version(folders: tuple[str, ...]) -> str:
    """SHA-256 of Python's version, the `PACKAGES` versions and every `.py` file (name and
    bytes) under `folders`; computed once per process."""
    digest = hashlib.sha256(sys.version.encode())
    for name in PACKAGES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\n".encode())
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.py")):
            digest.update(f"{path.relative_to(folder)}\0".encode() + path.read_bytes())
    return digest.hexdigest()


@dataclasses.dataclass(frozen=True)
class ContentCache:
    """The entries of one version, in `folder`, for the content folder `root` (absolute);
    picklable, so pool workers get it."""

    folder: str
    root: str

    def key(self, path: str, data: bytes) -> str:
        """The key of the file at `path` whose bytes are `data`."""
        return hashlib.sha256(f"{os.path.abspath(path)}\0{self.root}\0".encode()
                              + data).hexdigest()

    def _file(self, key: str, kind: str) -> str:
        return os.path.join(self.folder, key[:2], f"{key}.{kind}")

    def has(self, key: str, kind: str) -> bool:
        """True if an entry (perhaps corrupt) of `kind` exists for `key`."""
        return os.path.isfile(self._file(key, kind))

    def load(self, key: str, kind: str):
        """The value stored for `key` and `kind`, or None (a miss: see the module docstring)."""
        try:
            with open(self._file(key, kind), "rb") as fh:
                blob = fh.read()
        except OSError:
            return None
        start = len(MAGIC) + 32
        if not blob.startswith(MAGIC) or hashlib.sha256(blob[start:]).digest() != blob[
                len(MAGIC):start]:
            return None
        try:
            return pickle.loads(blob[start:])
        except Exception:  # noqa: BLE001 - bytes intact but unreadable here: a miss
            return None

    def save(self, key: str, kind: str, value) -> None:
        """Store `value` for `key` and `kind` (atomically); a write error is only logged."""
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        target = self._file(key, kind)
        tmp = None
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            tmp = f"{target}.{os.getpid()}.tmp"  # one writer per process at a time
            with open(tmp, "wb") as fh:
                fh.write(MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, target)
        except OSError as exc:
            logger.debug("content cache: could not write %s: %s", target, exc)
            if tmp:
                Path(tmp).unlink(missing_ok=True)


def open_cache(settings: dict) -> ContentCache | None:
    """The cache for `settings` (their `NEWS_CACHE_PATH`, reading settings and code), or
    None when `NEWS_CACHE_PATH` is empty or its folder cannot be made. Called once per file
    read, so the work is done once per process for the same setting values."""
    root = settings.get("NEWS_CACHE_PATH")
    if not root:
        return None
    plugins = settings.get("PLUGIN_PATHS") or []
    key = repr((root, plugins, [settings.get(name) for name in SETTINGS]))
    if key not in _opened:
        folders = (str(Path(__file__).resolve().parent),
                   *sorted(str(Path(p).resolve()) for p in plugins))
        values = reading_settings(settings)
        content = values.pop("PATH")  # in each entry's key: tests' sites share the folder
        cached = _open(os.path.abspath(root), json.dumps(values, sort_keys=True,
                                                         default=_stable), folders)
        _opened[key] = cached and dataclasses.replace(cached, root=content)
    return _opened[key]


_opened: dict[str, ContentCache | None] = {}


def _stable(value) -> str:
    """A JSON stand-in for a setting value JSON cannot hold: a function or class by its
    qualified name (its repr has a memory address, new in every process), else its repr."""
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return repr(value)


@functools.cache
def _open(root: str, values: str, folders: tuple[str, ...]) -> ContentCache | None:
    """The version folder under `root` (made, marked used and older ones pruned, once per
    process), as a ContentCache."""
    version = hashlib.sha256(f"{code_version(folders)}\0{values}".encode()).hexdigest()[:32]
    folder = os.path.join(root, version)
    try:
        os.makedirs(folder, exist_ok=True)
        os.utime(folder)
        others = sorted((p for p in Path(root).iterdir() if p.is_dir() and p.name != version),
                        key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError as exc:
        logger.debug("content cache: %s cannot be used: %s", root, exc)
        return None
    for old in others[KEEP_VERSIONS - 1:]:
        shutil.rmtree(old, ignore_errors=True)
    return ContentCache(folder, "")
