"""Helpers for the editors'-workflow tests: run `make` targets, copy the repository, hash a
folder, read every byte of a build (compressed files decompressed), and find a free port."""

import gzip
import hashlib
import os
import pathlib
import shutil
import subprocess

from conftest import ROOT

VENV = ROOT / ".venv"


def make(*args, cwd=ROOT, timeout=300, env=None):
    """Run `make --no-print-directory ARGS` in `cwd`; return the CompletedProcess (text).

    The venv's install marker is marked as up to date (`-o`), so a test never runs pip.
    """
    cmd = ["make", "--no-print-directory", "-o", f"{pathlib.Path(cwd) / '.venv'}/.site-installed",
           *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def copy_repo(dest):
    """Copy the working tree (tracked and untracked files, not ignored ones) to `dest`, with
    `.venv` a link to this repository's venv; return `dest`.

    pyproject.toml gets an old modification time so the copy's Makefile never reinstalls
    the shared venv. The real content/ is never touched by tests that work in the copy.
    """
    dest = pathlib.Path(dest)
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    (dest / ".venv").symlink_to(VENV)
    os.utime(dest / "pyproject.toml", (0, 0))
    return dest


def tree_hash(folder) -> dict:
    """Map every file under `folder` (relative path) to the SHA-256 of its bytes."""
    folder = pathlib.Path(folder)
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def output_bytes(folder):
    """Yield (path, bytes) for every file under `folder`; gzip (.gz, Pagefind's files) and
    Brotli (.br) files are decompressed so a phrase inside them can be found."""
    for path in sorted(pathlib.Path(folder).rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        elif path.suffix == ".br":
            import brotli

            data = brotli.decompress(data)
        yield path, data
