"""What ships a built folder: the checks on it, its checksums and manifest, and the rsync
upload into `releases/.<id>.partial/` on a target.

The build itself (content check, Pelican, search index, article verification) is
`newsroom.build`; this module only looks at the folder it wrote. `check_build` refuses a
folder without `index.html`, with a file name `sha256sum` would escape, or far smaller
than the live release. The upload is `rsync -rlpc --safe-links [--link-dest=current/]`:
a fresh folder needs no `--delete`, and without `-t` unchanged files become hard links
(see the package docstring).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from shlex import quote as q

from newsroom.deploy import UNCHANGED, DeployError
from newsroom.deploy.targets import Target

# A file whose name carries a content hash (theme/css/site.3f2a9c1b.css), and its .gz/.br.
HASHED_ASSET_RE = re.compile(r"\.[0-9a-f]{8,}\.(css|js|svg|png|jpg|webp|woff2)(\.gz|\.br)?$")
NO_REDIRECTS = hashlib.sha256(b"").hexdigest()  # redirects_sha256 of a build without any
ITEM_RE = re.compile(r"^[<>ch.*][fdLDS]\S* ")  # a line of rsync --itemize-changes


def site_files(build_dir: Path) -> list[str]:
    """Relative paths of the regular files in a build, sorted (symlinks are not uploaded)."""
    return sorted(
        p.relative_to(build_dir).as_posix()
        for p in build_dir.rglob("*")
        if p.is_file() and not p.is_symlink()
    )


def check_build(build_dir: Path, live_pages: int | None, max_shrink: float,
                allow_shrink: bool) -> None:
    """Refuse a build without a non-empty `index.html`, with a file name `sha256sum` would
    escape (newline or backslash), or with more than `max_shrink` fewer `.html` pages than
    the live release's `live_pages` (unless allow_shrink).

    Raises DeployError naming what is wrong.
    """
    index = build_dir / "index.html"
    if not index.is_file() or index.stat().st_size == 0:
        raise DeployError(
            f"the build has no index.html or it is empty; check the theme's index template "
            f"and the Pelican output; {UNCHANGED}"
        )
    files = site_files(build_dir)
    odd = [f for f in files if "\n" in f or "\\" in f]
    if odd:
        raise DeployError(f"the build has a file name with a newline or backslash: {odd[0]!r}; "
                          f"rename its source; {UNCHANGED}")
    pages = sum(1 for f in files if f.endswith(".html"))
    if live_pages and not allow_shrink and pages < live_pages * (1 - max_shrink):
        raise DeployError(
            f"the build has {pages} html pages, more than {max_shrink:.0%} below the "
            f"{live_pages} of the live release; check for lost content, or pass --allow-shrink "
            f"if the removal is intended; {UNCHANGED}"
        )


def checksums(build_dir: Path) -> str:
    """The `sha256sum` listing of a build: one "<sha256>  <path>\\n" line per file, sorted
    by path (byte order, as `LC_ALL=C sort`). `sha256sum -c` on the target checks it."""
    lines = []
    for name in site_files(build_dir):
        with open(build_dir / name, "rb") as handle:
            lines.append(f"{hashlib.file_digest(handle, 'sha256').hexdigest()}  {name}\n")
    return "".join(lines)


def site_sums(sums: str) -> str:
    """`sums` without the search index's lines (`pagefind/`): the index is derived from the
    pages, but Pagefind does not write it byte for byte the same twice (its filter and meta
    chunk names change), so it must not make an unchanged site look changed."""
    return "".join(line for line in sums.splitlines(keepends=True)
                   if not line.split("  ", 1)[1].startswith("pagefind/"))


def make_manifest(build_dir: Path, release_id: str, commit: str, sums: str,
                  articles: list[str] | None = None, inputs: str | None = None) -> dict:
    """The release manifest: id, created (ISO UTC), commit, pages (html files), files, bytes,
    sha256 (of `sums`, the build's `checksums`), site_sha256 (the same without the search
    index, see `site_sums`), assets (files named by content hash), redirects_sha256 (of the
    nginx redirect maps' contents, `_nginx/`; no maps hash as empty ones) and, when known,
    articles (the build's article pages, sorted: `newsroom.deploy.addresses`) and
    inputs_sha256 (the fingerprint of what it was built from, `newsroom.deploy.inputs`)."""
    files = site_files(build_dir)
    maps = b"".join((build_dir / f).read_bytes() for f in files if f.startswith("_nginx/"))
    manifest = {
        "id": release_id,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": commit,
        "pages": sum(1 for f in files if f.endswith(".html")),
        "files": len(files),
        "bytes": sum((build_dir / f).stat().st_size for f in files),
        "sha256": hashlib.sha256(sums.encode()).hexdigest(),
        "site_sha256": hashlib.sha256(site_sums(sums).encode()).hexdigest(),
        "assets": [f for f in files if HASHED_ASSET_RE.search(f)],
        "redirects_sha256": hashlib.sha256(maps).hexdigest(),
    }
    if articles is not None:
        manifest["articles"] = sorted(articles)
    if inputs is not None:
        manifest["inputs_sha256"] = inputs
    return manifest


def git_commit(folder: Path) -> str:
    """The short commit of `folder` ("747681f"), with "-dirty" when the working tree has
    changes or untracked files (a new post not yet committed), or "unknown"."""
    try:
        head = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short=7", "HEAD"],
                              capture_output=True, text=True, check=False)
        changes = subprocess.run(["git", "-C", str(folder), "status", "--porcelain"],
                                 capture_output=True, text=True, check=False)
    except OSError:
        return "unknown"
    if head.returncode != 0 or not head.stdout.strip():
        return "unknown"
    return head.stdout.strip() + ("-dirty" if changes.stdout.strip() else "")


@dataclass
class RsyncResult:
    """What rsync did or would do: itemized changes (dry run), files and file bytes copied,
    and bytes sent over the wire (file data plus rsync's protocol)."""

    items: list[str]
    files_copied: int
    bytes_copied: int
    bytes_sent: int

    @classmethod
    def parse(cls, stdout: str) -> RsyncResult:
        """Read the result from rsync's `--stats --itemize-changes` output."""

        def stat(label: str) -> int:
            found = re.search(rf"^{label}: (\d+)", stdout, re.MULTILINE)
            return int(found[1]) if found else 0

        return cls([line for line in stdout.splitlines() if ITEM_RE.match(line)],
                   stat("Number of regular files transferred"),
                   stat("Total transferred file size"), stat("Total bytes sent"))


def rsync_upload(target: Target, build_dir: Path, release_id: str, link_current: bool,
                 dry_run: bool) -> RsyncResult:
    """Copy the build into `releases/.<id>.partial/` with `rsync -rlpc --safe-links
    [--link-dest=<target>/current/]` (no -t, no --delete: see the module docstring), modes
    set to 755/644 so the web server can read them whatever the local umask. With dry_run,
    add `--dry-run --itemize-changes` and change nothing. Raises DeployError if rsync fails,
    after removing the partial upload.
    """
    command = ["rsync", "-rlpc", "--chmod=D755,F644", "--safe-links", "--stats",
               "--no-human-readable", *target.rsync_options()]
    if dry_run:
        command += ["--dry-run", "--itemize-changes"]
    if link_current:
        command.append(f"--link-dest={target.root}/current/")
    command += [f"{build_dir}/", target.rsync_dest(f"releases/.{release_id}.partial/")]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        if not dry_run:
            with suppress(DeployError):
                target.run(f"rm -rf -- {q(f'{target.root}/releases/.{release_id}.partial')}")
        raise DeployError(
            f"upload failed (rsync exit status {proc.returncode}: {proc.stderr.strip()}); "
            f"fix the cause and deploy again; {UNCHANGED}"
        )
    return RsyncResult.parse(proc.stdout)
