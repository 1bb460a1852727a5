"""Deploy the site as atomic releases (build, check, upload, verify, switch, prune), roll
back, list releases, set up a target.

Usage (from the repository root; `make deploy|deploy-setup|rollback|releases` wrap these)::

    .venv/bin/python tools/deploy.py deploy   [--target T] [--keep 5] [--dry-run]
                                              [--input content] [--settings publishconf.py]
                                              [--max-shrink 0.2] [--allow-shrink]
    .venv/bin/python tools/deploy.py setup    [--target T]
    .venv/bin/python tools/deploy.py rollback [--target T] [--release ID]
    .venv/bin/python tools/deploy.py releases [--target T]

T (`--target`, default `$DEPLOY_TARGET`) is an absolute folder here or
`[user@]host:/absolute/folder` reached with ssh (`--ssh-port`/`$DEPLOY_SSH_PORT`;
`--ssh-config`/`$DEPLOY_SSH_CONFIG` is passed as `ssh -F`), whose server needs sh, GNU
coreutils, flock and rsync. A remote target is set up once with `setup`; an absent or empty
local one by its first deploy. Layout::

    .deploy-target             marker: this folder belongs to this tool
    .deploy.lock               flock(1)ed while a deploy or rollback runs; names the holder
    releases/<id>/             one complete build; id = UTC YYYYMMDDTHHMMSSZ (-2, -3... if taken)
    releases/<id>.json         manifest: id, created, commit, pages, files, bytes, sha256 (of
                               the build's `sha256sum` listing), assets (hashed file names)
    current -> releases/<id>   the live release: the web server's root is <target>/current
    previous -> releases/<id>  the release before it, for `rollback`

Where the rules come from (measurements in the shared guide deploy-harness.md; issue 5):

* Upload into a fresh `releases/.<id>.partial/` with `rsync -rlpc --safe-links
  --link-dest=<target>/current/`: no `--delete` is needed (with an empty remote path it wipes
  the login's home folder); without `-t`, `-c` compares content, so unchanged files become
  hard links (Pelican rewrites every file); `--safe-links` drops links leaving the tree.
* Check the upload on the server (file count, `sha256sum -c`), rename it, and switch with one
  rename of a symlink (`ln -s releases/<id> current.tmp && mv -T current.tmp current`): no
  failed request under load, where `rm current; ln -s` failed half of them and `mv` without
  `-T` moves the link into the old release and exits 0.
* Version skew: the live release's files named by content hash (HASHED_ASSET_RE, the pattern
  deploy/nginx.conf caches for a year) are hard-linked into the new release, and a rollback
  links the current release's into the one it restores, so an old page finds its stylesheet.
* Pelican can drop an article and exit 0: the content check runs first, then the build is
  checked (index, every expected article, page count not far below the live release's).
* The lock is `flock` held by a process fed by this one: however this process dies, the
  kernel releases it, and the next deploy deletes the partial upload.
* A build identical to the live release prints one line and makes no release, so scheduled
  deploys are quiet.

Every operation on the target is a POSIX `sh -c` script run by a `LocalTarget` or an
`SshTarget` (the same scripts over one multiplexed ssh connection).

Exit status: 0 done (or nothing to do), 1 refused or failed (`deploy: error: <what>; <what
to do>`), 2 usage error. Needs Python 3.11, the site's .venv (Pelican), rsync and ssh.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import (
    chdir,
    closing,
    contextmanager,
    nullcontext,
    redirect_stderr,
    redirect_stdout,
    suppress,
)
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The site's content rules (plugins/front_matter.py) and the check `make html` runs
# (tools/check_content.py) are imported where deploy needs them: they load Pelican, which
# rollback, releases and setup do not need.
sys.path[:0] = [str(REPO / "plugins"), str(REPO / "tools")]
BUILD_ROOT = REPO / ".deploy-build"
MARKER = ".deploy-target"
LOCK = ".deploy.lock"
RELEASE_RE = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
PARTIAL_RE = re.compile(r"^\.(\d{8}T\d{6}Z(-\d+)?)\.(partial|json\.partial)$")
POST_FILE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}-(?P<slug>.+)\.md$")
# A file whose name carries a content hash (theme/css/site.3f2a9c1b.css), and its .gz/.br.
HASHED_ASSET_RE = re.compile(r"\.[0-9a-f]{8,}\.(css|js|svg|png|jpg|webp|woff2)(\.gz|\.br)?$")
REMOTE_RE = re.compile(r"^(?P<host>[A-Za-z0-9_.@-]+):(?P<path>.*)$")
REMOTE_PATH_RE = re.compile(r"^[A-Za-z0-9_./-]+$")
LOCK_BUSY = 75  # flock -E: exit status when the lock is held by someone else
UNCHANGED = "the live release is unchanged"
q = shlex.quote


class DeployError(Exception):
    """A refusal or failure: printed as `deploy: error: <message>`, exit status 1."""


# --- targets --------------------------------------------------------------------------


class LocalTarget:
    """A deploy target folder on this machine; `root` is its absolute path.

    `run(script, stdin)` runs a POSIX `sh -c` script and returns its stdout (DeployError on
    a non-zero exit); `command(script)` is the argv that runs it; `rsync_dest(path)` is the
    rsync destination for `path` relative to root and `rsync_options()` the extra options.
    `close()` ends what an `SshTarget` keeps open (use `contextlib.closing`).
    """

    def __init__(self, root: str) -> None:
        self.root = root

    def __str__(self) -> str:
        return self.root

    def close(self) -> None:
        """Nothing to release for a local folder."""

    def command(self, script: str) -> list[str]:
        return ["sh", "-c", script]

    def rsync_options(self) -> list[str]:
        return []

    def rsync_dest(self, path: str) -> str:
        return f"{self.root}/{path}"

    def run(self, script: str, stdin: str | None = None) -> str:
        proc = subprocess.run(
            self.command(script), input=stdin, capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            raise DeployError(self.failure(proc.returncode, proc.stderr))
        return proc.stdout

    def failure(self, status: int, stderr: str) -> str:
        """The message for a script that exited with `status`."""
        return f"command on {self} failed: {stderr.strip() or f'exit status {status}'}"


class SshTarget(LocalTarget):
    """A deploy target folder `root` on `host` (`[user@]host`), reached with ssh.

    Every script and rsync run shares one connection (OpenSSH ControlMaster, socket in a
    private temporary folder); `close()` ends it, and if this process is killed it ends by
    itself 15 s after its last session (the lock's lasts the whole deploy). `port` and
    `config` (a file for `ssh -F`) are optional; BatchMode means a missing key fails at once
    instead of prompting.
    """

    def __init__(self, host: str, root: str, port: int | None, config: str | None) -> None:
        super().__init__(root)
        self.host = host
        self.control = tempfile.mkdtemp(prefix="deploy-ctl-")
        options = {"BatchMode": "yes", "ConnectTimeout": "20", "ControlMaster": "auto",
                   "ControlPath": f"{self.control}/ssh", "ControlPersist": "15"}
        self.ssh = ["ssh", *(["-F", config] if config else [])]
        self.ssh += ["-p", str(port)] if port else []
        self.ssh += [arg for key, value in options.items() for arg in ("-o", f"{key}={value}")]

    def __str__(self) -> str:
        return f"{self.host}:{self.root}"

    def close(self) -> None:
        subprocess.run([*self.ssh, "-O", "exit", self.host], capture_output=True, check=False)
        shutil.rmtree(self.control, ignore_errors=True)

    def command(self, script: str) -> list[str]:
        return [*self.ssh, self.host, f"sh -c {q(script)}"]

    def rsync_options(self) -> list[str]:
        return ["-e", shlex.join(self.ssh)]

    def rsync_dest(self, path: str) -> str:
        return f"{self.host}:{self.root}/{path}"

    def failure(self, status: int, stderr: str) -> str:
        if status == 255:  # ssh's own failure: no connection, or the key was refused
            return (
                f"cannot reach {self.host} with ssh ({stderr.strip()}); check DEPLOY_TARGET "
                f"and DEPLOY_SSH_PORT, and that `ssh {self.host}` logs in without a prompt"
            )
        return super().failure(status, stderr)


def open_target(raw: str | None, ssh_port: int | None = None, ssh_config: str | None = None):
    """A LocalTarget or SshTarget for `raw` ("/abs/path" or "[user@]host:/abs/path").

    Refuses (DeployError) an unset or empty target, a remote one without a folder (rsync
    would use the login's home folder), a relative path, `/` and home folders (checked again
    on the target by `probe`, through symlinks), and remote paths with characters other than
    letters, digits and `_./-`.
    """
    if raw is None or not raw.strip():
        raise DeployError(
            "no deploy target set; set DEPLOY_TARGET (in deploy.env or on the command line) "
            "to /absolute/path or user@host:/absolute/path"
        )
    remote = REMOTE_RE.match(raw) if not raw.startswith("/") else None
    path = remote["path"] if remote else raw
    if remote and not path:
        raise DeployError(
            f"deploy target {raw!r} names no folder (rsync would use the login's home folder); "
            f"give an absolute path, such as {raw}/srv/www/news"
        )
    if not path.startswith("/"):
        raise DeployError(f"deploy target {raw!r} is not an absolute path; pass an absolute path")
    path = "/" + os.path.normpath(path).lstrip("/")
    refuse_special_folder(path, os.environ.get("HOME", "") if not remote else "")
    if not remote:
        return LocalTarget(path)
    if not REMOTE_PATH_RE.match(path):
        raise DeployError(f"remote folder {path!r} may hold only letters, digits and _./-")
    return SshTarget(remote["host"], path, ssh_port, ssh_config)


def refuse_special_folder(path: str, home: str) -> None:
    """Raise DeployError if `path` is `/` or a home folder (`home`, `/root`, `/home`,
    `/home/<name>`): the guard of `open_target` and `probe`."""
    if path == "/":
        raise DeployError("deploy target is /; pass a folder of its own, such as /srv/www/news")
    homes = {"/root", "/home"}
    if home.startswith("/"):
        homes.add("/" + os.path.normpath(home).lstrip("/"))
    if path in homes or re.fullmatch(r"/home/[^/]+", path):
        raise DeployError(
            f"deploy target {path} is a home folder; pass a folder of its own, such as "
            f"{path.rstrip('/')}/site"
        )


@dataclass
class TargetState:
    """What `probe` found: `kind` (absent, empty, ours, foreign), the release ids `current`
    and `previous` point to, whether `current` resolves to a folder, the names in
    `releases/`, and the live release's manifest (`live`, or None)."""

    kind: str
    current: str | None = None
    previous: str | None = None
    current_is_dir: bool = False
    names: list[str] = field(default_factory=list)
    live: dict | None = None

    @property
    def releases(self) -> list[str]:
        """Release folders matching the id pattern, newest first."""
        return sorted((n for n in self.names if RELEASE_RE.match(n)), key=release_key, reverse=True)


def release_key(release_id: str) -> tuple[str, int]:
    """Sort key for release ids: by time, then by the -N suffix (none counts as 1)."""
    base, _, n = release_id.partition("-")
    return base, int(n or 1)


def probe(target: LocalTarget) -> TargetState:
    """Inspect the target in one round trip and return its TargetState.

    Raises DeployError if the parent folder is missing, the path is not a folder, it
    resolves (through symlinks) to `/` or a home folder of the target's login, it is a
    non-empty folder without the marker, or `current`/`previous` is not a symlink to
    `releases/<id>`.
    """
    out = target.run(
        f"""p={q(target.root)}; parent=$(dirname -- "$p")
printf 'home=%s\\n' "$HOME"
if [ ! -d "$parent" ]; then echo kind=noparent; exit 0; fi
if [ ! -e "$p" ] && [ ! -L "$p" ]; then
  printf 'real=%s/%s\\nkind=absent\\n' "$(cd -P -- "$parent" && pwd -P)" "${{p##*/}}"; exit 0
fi
if [ ! -d "$p" ]; then echo kind=notdir; exit 0; fi
printf 'real=%s\\n' "$(cd -P -- "$p" && pwd -P)"
if [ ! -f "$p/{MARKER}" ]; then
  if [ -z "$(ls -A -- "$p")" ]; then echo kind=empty; else echo kind=foreign; fi; exit 0
fi
echo kind=ours; cd -- "$p"
for l in current previous; do
  if [ -L $l ]; then printf '%s=%s\\n' $l "$(readlink $l)"; elif [ -e $l ]; then echo $l=?; fi
done
if [ -d current/ ]; then echo current_is_dir=1; fi
echo --releases--; ls -A releases 2>/dev/null || true
echo --manifest--; if [ -L current ]; then cat -- "$(readlink current).json" 2>/dev/null; fi
exit 0"""
    )
    head, _, rest = out.partition("--releases--\n")
    names, _, manifest = rest.partition("--manifest--\n")
    info = dict(line.partition("=")[::2] for line in head.splitlines())
    kind = info.get("kind", "unknown")
    if kind == "noparent":
        raise DeployError(
            f"the parent folder of deploy target {target} does not exist; create it, or "
            "check the path"
        )
    if kind == "notdir":
        raise DeployError(f"deploy target {target} is not a folder; pass a folder")
    refuse_special_folder("/" + os.path.normpath(info.get("real", target.root)).lstrip("/"),
                          info.get("home", ""))
    if kind == "foreign":
        raise DeployError(
            f"deploy target {target} is not empty and has no {MARKER} marker, so it is not "
            "a deploy target; pass an empty or new folder (never write into a folder that "
            "is not ours)"
        )
    state = TargetState(kind, names=names.splitlines())
    for key in ("current", "previous"):
        if key not in info:
            continue
        release = info[key].removeprefix("releases/")
        if not info[key].startswith("releases/") or not RELEASE_RE.match(release):
            raise DeployError(
                f"{target}/{key} is {info[key]!r}, not a symlink to releases/<id>; repair it "
                f"by hand (ln -s releases/<id> {key}.tmp && mv -T {key}.tmp {key})"
            )
        setattr(state, key, release)
    state.current_is_dir = "current_is_dir" in info
    with suppress(ValueError):
        live = json.loads(manifest)
        state.live = live if isinstance(live, dict) and state.current else None
    return state


def set_up(target: LocalTarget, state: TargetState) -> None:
    """Make an absent or empty target a deploy target: the folder, `releases/`, the marker.

    Harmless on a target that is already ours (recreates a missing `releases/`).
    """
    target.run(
        f"""set -e; p={q(target.root)}
mkdir -- "$p" 2>/dev/null || [ -d "$p" ]
mkdir -- "$p/releases" 2>/dev/null || [ -d "$p/releases" ]
[ -f "$p/{MARKER}" ] || echo 'deploy target of tools/deploy.py' > "$p/{MARKER}" """
    )
    if state.kind != "ours":
        print(f"deploy: set up new deploy target {target}")


def need_marker(target: LocalTarget, state: TargetState) -> None:
    """Raise DeployError unless the target has been set up (holds the marker)."""
    if state.kind != "ours":
        raise DeployError(
            f"{target} has no {MARKER} marker, so it is not set up for deploys; run "
            f"`make deploy-setup DEPLOY_TARGET={target}` once"
        )


@contextmanager
def deploy_lock(target: LocalTarget, purpose: str) -> Iterator[None]:
    """Hold `<target>/.deploy.lock` for the duration; raise DeployError if it is taken.

    `flock -n` on the target runs `cat`, fed by a pipe from this process: the lock lasts
    until the pipe closes, which the kernel does when this process ends in any way, so a
    killed deploy never leaves a stale lock. The holder writes "<purpose> by pid <n> on
    <host> since <UTC time>" into the file; a refused deploy shows it.
    """
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    token = f"{purpose} by pid {os.getpid()} on {socket.gethostname()} since {stamp}"
    hold = f'printf "%s\\n" "$1" > {LOCK}; echo acquired; exec cat >/dev/null'
    script = f"""cd -- {q(target.root)} || exit 1
flock -n -E {LOCK_BUSY} {LOCK} sh -c {q(hold)} sh {q(token)}
status=$?
if [ $status -eq {LOCK_BUSY} ]; then echo held; cat -- {LOCK}; exit 0; fi
exit $status"""
    proc = subprocess.Popen(target.command(script), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline().strip()
        if first != "acquired":
            proc.stdin.close()
            out, err = proc.stdout.read(), proc.stderr.read()  # after readline's buffer
            if first == "held":
                raise DeployError(f"another deploy is running (lock {target}/{LOCK}, held "
                                  f"by: {out.strip() or 'unknown'}); wait for it to finish")
            raise DeployError(f"cannot take the lock {target}/{LOCK}: "
                              f"{target.failure(proc.wait(), err)} (the target needs flock)")
        yield
    finally:
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()  # the target's `cat` ends, and flock lets go
        proc.wait(timeout=60)


# --- build and checks -----------------------------------------------------------------


def check_content(input_dir: Path, settings: Path) -> None:
    """Run the content check (`tools/check_content.py`, the one `make html` runs) on the
    content folder, in this process, from the settings file's folder; its report is shown
    only if it finds an error (then DeployError)."""
    import check_content as check_content_tool

    report = io.StringIO()
    try:
        with chdir(settings.parent), redirect_stdout(report), redirect_stderr(report):
            status = check_content_tool.main(["--settings", str(settings), str(input_dir)])
    except Exception as error:  # a settings file that cannot be read, or a bug in the check
        raise DeployError(f"the content check could not run ({error!r}); {UNCHANGED}") from None
    if status != 0:
        sys.stderr.write(report.getvalue())
        raise DeployError(f"the content check failed (its report is above); {UNCHANGED}")


def expected_articles(content_dir: Path, now: datetime) -> dict[str, Path]:
    """Map each article page the build must contain to its source post.

    Inputs: the content folder (posts are `news/YYYY-MM-DD-slug.md`) and an aware `now`.
    Posts are read with the site's own front-matter rules (`plugins/front_matter.py`). A post
    is expected unless its status is `draft` or its date is after `now` (an embargo); its page
    is `news/{YYYY}/{MM}/{slug}/index.html`, the slug being the file name without the date
    (the site's FILENAME_METADATA and ARTICLE_SAVE_AS). Raises DeployError naming the first
    file with an error.
    """
    import front_matter

    settings = {"PATH": str(content_dir), "PAGE_PATHS": ["pages"], "TIMEZONE": "Europe/London"}
    expected = {}
    for path in sorted((content_dir / "news").rglob("*.md")):
        match = POST_FILE_RE.match(path.name)
        parsed = front_matter.parse_file(str(path), settings)
        if parsed.errors:
            raise DeployError(f"{front_matter.format_problem(parsed.errors[0])}; {UNCHANGED}")
        date = parsed.metadata.get("date")
        if not match or parsed.metadata.get("status") == "draft" or date is None or date > now:
            continue
        expected[f"news/{date:%Y}/{date:%m}/{match['slug']}/index.html"] = path
    return expected


def pelican_command() -> list[str]:
    """The Pelican executable of this interpreter's environment."""
    script = Path(sys.executable).with_name("pelican")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pelican"]


@contextmanager
def built_site(input_dir: Path, settings: Path, build_root: Path,
               siteurl: str | None = None) -> Iterator[Path]:
    """Build the site into a fresh folder `<build_root>/<UTC time>[-N]/`, yield it, then
    remove it.

    Runs `pelican <input> -s <settings> -o <dir> --fatal warnings` from the settings file's
    folder (so `publishconf.py` can import `pelicanconf`), then the search index
    (`tools/search_index.py <dir>`); their output is shown only if one fails. Raises
    DeployError when either exits non-zero.
    """
    build_root.mkdir(exist_ok=True)
    base = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out, n = build_root / base, 2
    while True:
        try:
            out.mkdir()
            break
        except FileExistsError:
            out, n = build_root / f"{base}-{n}", n + 1
    try:
        command = [*pelican_command(), str(input_dir), "-s", str(settings), "-o", str(out),
                   "--fatal", "warnings", "--log-handler", "plain"]
        if siteurl:  # e.g. a local trial deploy served at http://127.0.0.1:8001
            command += ["-e", f"SITEURL={json.dumps(siteurl)}", f"FEED_DOMAIN={json.dumps(siteurl)}"]
        proc = subprocess.run(command, cwd=settings.parent, capture_output=True, text=True,
                              check=False)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout + proc.stderr)
            raise DeployError(f"the build ({shlex.join(command)}) failed (its output is "
                              f"above); {UNCHANGED}")
        index = [sys.executable, str(REPO / "tools/search_index.py"), str(out)]
        proc = subprocess.run(index, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout + proc.stderr)
            raise DeployError(f"the search index ({shlex.join(index)}) failed (its output is "
                              f"above); {UNCHANGED}")
        yield out
    finally:
        shutil.rmtree(out, ignore_errors=True)


def site_files(build_dir: Path) -> list[str]:
    """Relative paths of the regular files in a build, sorted (symlinks are not uploaded)."""
    return sorted(
        p.relative_to(build_dir).as_posix()
        for p in build_dir.rglob("*")
        if p.is_file() and not p.is_symlink()
    )


def check_build(
    build_dir: Path,
    expected: dict[str, Path],
    live_pages: int | None,
    max_shrink: float,
    allow_shrink: bool,
) -> None:
    """Refuse a build without a non-empty `index.html`, missing an expected article, with a
    file name `sha256sum` would escape (newline or backslash), or with more than
    `max_shrink` fewer `.html` pages than the live release (unless allow_shrink).

    Raises DeployError naming what is wrong.
    """
    index = build_dir / "index.html"
    if not index.is_file() or index.stat().st_size == 0:
        raise DeployError(
            f"the build has no index.html or it is empty; check the theme's index template "
            f"and the Pelican output; {UNCHANGED}"
        )
    missing = [
        f"{page} (from {source})"
        for page, source in expected.items()
        if not (build_dir / page).is_file()
    ]
    if missing:
        raise DeployError(
            f"the build lacks {len(missing)} expected article page(s): {', '.join(missing)}; "
            f"check their date, status and file name, and the Pelican output; {UNCHANGED}"
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


def make_manifest(build_dir: Path, release_id: str, commit: str, sums: str) -> dict:
    """The release manifest: id, created (ISO UTC), commit, pages (html files), files, bytes,
    sha256 (of `sums`, the build's `checksums`), site_sha256 (the same without the search
    index, see `site_sums`) and assets (files named by content hash)."""
    files = site_files(build_dir)
    return {
        "id": release_id,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": commit,
        "pages": sum(1 for f in files if f.endswith(".html")),
        "files": len(files),
        "bytes": sum((build_dir / f).stat().st_size for f in files),
        "sha256": hashlib.sha256(sums.encode()).hexdigest(),
        "site_sha256": hashlib.sha256(site_sums(sums).encode()).hexdigest(),
        "assets": [f for f in files if HASHED_ASSET_RE.search(f)],
    }


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


# --- upload, switch, prune ------------------------------------------------------------


def new_release_id(state: TargetState, now: datetime) -> str:
    """UTC `YYYYMMDDTHHMMSSZ`, with -2, -3... appended while a release, manifest or partial
    upload of that name exists."""
    taken = set()
    for name in state.names:
        partial = PARTIAL_RE.match(name)
        taken.add(partial[1] if partial else name.removesuffix(".json"))
    base = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    release_id, n = base, 2
    while release_id in taken:
        release_id, n = f"{base}-{n}", n + 1
    return release_id


def remove_stale_partials(target: LocalTarget, state: TargetState) -> None:
    """Delete `releases/.<id>.partial` folders (and manifests) left by an interrupted deploy."""
    stale = [name for name in state.names if PARTIAL_RE.match(name)]
    if stale:
        target.run(f"cd -- {q(target.root + '/releases')} && rm -rf -- {shlex.join(stale)}")
        for name in stale:
            print(f"deploy: removed stale partial upload releases/{name}")


@dataclass
class RsyncResult:
    """What rsync did or would do: itemized changes (dry run), files and file bytes copied,
    and bytes sent over the wire (file data plus rsync's protocol)."""

    items: list[str]
    files_copied: int
    bytes_copied: int
    bytes_sent: int


def rsync_upload(
    target: LocalTarget, build_dir: Path, release_id: str, link_current: bool, dry_run: bool
) -> RsyncResult:
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

    def stat(label: str) -> int:
        found = re.search(rf"^{label}: (\d+)", proc.stdout, re.MULTILINE)
        return int(found[1]) if found else 0

    items = [line for line in proc.stdout.splitlines() if re.match(r"^[<>ch.*][fdLDS]\S* ", line)]
    return RsyncResult(items, stat("Number of regular files transferred"),
                       stat("Total transferred file size"), stat("Total bytes sent"))


# carry FROM TO FILE...: hard-link each FILE of release folder FROM into TO where TO lacks it
CARRY = """carry() {
  from=$1 to=$2; shift 2
  for f do
    [ -e "$to/$f" ] || [ ! -f "$from/$f" ] ||
      { mkdir -p -- "$(dirname -- "$to/$f")" && ln -- "$from/$f" "$to/$f"; }
  done
}"""


def carry_assets(state: TargetState, into: str) -> str:
    """Shell lines linking the live release's hashed assets (its manifest's `assets`) into
    the folder `into` (relative to the target root); empty if there is no live release."""
    assets = [
        a for a in (state.live or {}).get("assets", [])
        if isinstance(a, str) and HASHED_ASSET_RE.search(a) and ".." not in a.split("/")
    ]
    if not state.current or not assets:
        return ""
    return f"{CARRY}\ncarry releases/{state.current} {q(into)} {shlex.join(assets)}"


def switch_script(release_id: str) -> str:
    """Shell lines (run in the target root) that point `previous` at what `current` points
    to, then `current` at releases/<id>, each with one rename."""
    return f"""if [ -L current ]; then
  rm -f previous.tmp; ln -s "$(readlink current)" previous.tmp; mv -T previous.tmp previous
fi
rm -f current.tmp; ln -s releases/{release_id} current.tmp; mv -T current.tmp current"""


def publish(
    target: LocalTarget, state: TargetState, release_id: str, manifest: dict, sums: str
) -> None:
    """On the target, in one script: check `releases/.<id>.partial` (file count, the sha256
    of the checksum list against the manifest's, `sha256sum -c` of every file), hard-link
    the live release's hashed assets into it, write `releases/<id>.json`, rename the upload
    to `releases/<id>`, then switch `previous` and `current` (`switch_script`).

    Raises DeployError saying whether `current` changed if any step fails.
    """
    part = f"releases/.{release_id}.partial"
    script = f"""set -e; cd -- {q(target.root)}
sums=$(cat)
[ "$(printf '%s\\n' "$sums" | sha256sum | cut -d' ' -f1)" = {manifest['sha256']} ] || {{
  echo "the checksum list was damaged on the way" >&2; exit 1; }}
n=$(find {part} -type f | wc -l)
[ "$n" -eq {manifest['files']} ] || {{
  echo "the upload has $n files where the build has {manifest['files']}" >&2; exit 1; }}
printf '%s\\n' "$sums" | (cd {part} && sha256sum --quiet --strict -c - >&2) || {{
  echo "uploaded files differ from the build" >&2; exit 1; }}
{carry_assets(state, part)}
cat > releases/.{release_id}.json.partial <<'END_OF_MANIFEST'
{json.dumps(manifest, indent=2)}
END_OF_MANIFEST
mv -T releases/.{release_id}.json.partial releases/{release_id}.json
mv -T {part} releases/{release_id}
{switch_script(release_id)}"""
    try:
        target.run(script, stdin=sums)
    except DeployError as error:
        now_live = probe(target).current
        outcome = (
            f"current is releases/{release_id}, the new release"
            if now_live == release_id
            else f"{UNCHANGED} (current is {f'releases/{now_live}' if now_live else 'unset'})"
        )
        raise DeployError(f"publishing release {release_id} failed ({error}); {outcome}") from None


def prune(target: LocalTarget, names: list[str], keep: int, current: str, previous: str | None):
    """Delete all but the newest `keep` releases among `names` (the listing of `releases/`),
    never `current` or `previous`; only names matching `^\\d{8}T\\d{6}Z(-\\d+)?$` (and their
    `.json`) are touched. Returns the deleted release ids."""
    ids = {n.removesuffix(".json") for n in names if RELEASE_RE.match(n.removesuffix(".json"))}
    newest = sorted(ids, key=release_key, reverse=True)[:keep]
    doomed = sorted(ids - set(newest) - {current, previous}, key=release_key)
    if doomed:
        names = [n for rid in doomed for n in (rid, f"{rid}.json")]
        target.run(f"cd -- {q(target.root + '/releases')} && rm -rf -- {shlex.join(names)}")
    return doomed


# --- commands -------------------------------------------------------------------------


def target_of(args: argparse.Namespace):
    """The target the command line names, as a context manager that closes it."""
    return closing(open_target(args.target, args.ssh_port, args.ssh_config))


def cmd_deploy(args: argparse.Namespace) -> int:
    """Build, check, upload, verify and switch one release (see the module docstring)."""
    input_dir, settings = Path(args.input).resolve(), Path(args.settings).resolve()
    if not (input_dir / "news").is_dir():
        raise DeployError(f"{input_dir} has no news/ folder; pass the content folder as --input")
    if not settings.is_file():
        raise DeployError(f"settings file {settings} does not exist; pass it as --settings")
    with target_of(args) as target:
        state = probe(target)
        if isinstance(target, SshTarget) or state.kind == "ours":
            need_marker(target, state)
        elif not args.dry_run:
            set_up(target, state)
        else:
            print(f"deploy: dry run: {target} is not set up; a deploy would set it up")
        with nullcontext() if args.dry_run else deploy_lock(target, "deploy"):
            return deploy_locked(target, args, input_dir, settings)


def deploy_locked(target: LocalTarget, args, input_dir: Path, settings: Path) -> int:
    """The part of `cmd_deploy` that runs while holding the lock (or on a dry run)."""
    state = probe(target)
    if state.current and not state.current_is_dir:
        print(f"deploy: warning: current points to missing releases/{state.current}")
    if not args.dry_run:
        remove_stale_partials(target, state)
    check_content(input_dir, settings)
    build = (
        nullcontext(Path(args.build_dir).resolve())
        if args.build_dir
        else built_site(input_dir, settings, Path(args.build_root), args.siteurl)
    )
    with build as build_dir:
        live = state.live or {}
        check_build(
            build_dir,
            expected_articles(input_dir, datetime.now(UTC)),
            live["pages"] if isinstance(live.get("pages"), int) else None,
            args.max_shrink,
            args.allow_shrink,
        )
        release_id = new_release_id(state, datetime.now(UTC))
        sums = checksums(build_dir)
        manifest = make_manifest(build_dir, release_id, git_commit(settings.parent), sums)
        if state.current_is_dir and live.get("site_sha256") == manifest["site_sha256"]:
            print(f"deploy: nothing changed; release {state.current} stays live")
            return 0
        result = rsync_upload(target, build_dir, release_id, state.current_is_dir, args.dry_run)
        files, copied = manifest["files"], result.files_copied
        if args.dry_run:
            print(f"deploy: dry run: release {release_id} would copy {copied} of {files} files "
                  f"({result.bytes_copied} bytes) to {target}/releases/{release_id}; the rest "
                  f"would be hard links to current; {len(result.items)} itemized changes:")
            for line in result.items[:50]:
                print(f"  {line}")
            if len(result.items) > 50:
                print(f"  ... and {len(result.items) - 50} more")
            print(f"deploy: dry run: nothing in {target} was changed")
            return 0
        publish(target, state, release_id, manifest, sums)
    linked = f"; {files - copied} unchanged, hard-linked" if state.current_is_dir else ""
    print(f"deploy: uploaded {copied} of {files} files ({result.bytes_copied} bytes of file "
          f"data, {result.bytes_sent} bytes sent){linked}")
    try:
        names = [*state.names, release_id, f"{release_id}.json"]
        for old in prune(target, names, args.keep, release_id, state.current):
            print(f"deploy: pruned release {old}")
    except DeployError as error:
        raise DeployError(f"release {release_id} is live, but pruning failed ({error}); "
                          "remove old releases by hand") from None
    print(f"deploy: release {release_id} is live at {target}/current "
          f"({manifest['pages']} pages, {files} files)")
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    """Make a new or empty folder a deploy target (`releases/`, the marker); 0 on success."""
    with target_of(args) as target:
        state = probe(target)
        set_up(target, state)
        if state.kind == "ours":
            print(f"deploy: {target} is already set up")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    """Point `current` at `previous` (or at `--release ID`) and `previous` at the old current,
    each with one rename, after linking the current release's hashed assets into the one
    made live; 0 on success."""
    with target_of(args) as target:
        need_marker(target, probe(target))
        with deploy_lock(target, "rollback"):
            state = probe(target)
            if not state.current:
                raise DeployError(f"{target} has no current release; deploy first")
            wanted = args.release or state.previous
            if not wanted:
                raise DeployError(
                    "there is no previous release to go back to (there has been one deploy); "
                    "choose one with make rollback RELEASE=<id> (list them: make releases)"
                )
            if wanted not in state.releases:
                raise DeployError(f"release {wanted} does not exist in {target}/releases; "
                                  "list them with make releases")
            if wanted == state.current:
                print(f"deploy: release {wanted} is already current; nothing to do")
                return 0
            target.run(f"""set -e; cd -- {q(target.root)}
test -s releases/{wanted}/index.html
{carry_assets(state, f"releases/{wanted}")}
{switch_script(wanted)}""")
    print(f"deploy: rolled back: release {wanted} is live at {target}/current "
          f"(previous is {state.current})")
    return 0


def cmd_releases(args: argparse.Namespace) -> int:
    """Print one line per release, newest first: id, created, commit, pages, markers."""
    with target_of(args) as target:
        state = probe(target)
        need_marker(target, state)
        out = target.run(f"""cd -- {q(target.root + "/releases")} || exit 1
for f in *.json; do [ -f "$f" ] || continue; printf '\\036%s\\n' "$f"; cat -- "$f"; done""")
    manifests = {}
    for chunk in out.split("\x1e")[1:]:
        name, _, text = chunk.partition("\n")
        with suppress(ValueError):
            manifests[name.removesuffix(".json")] = json.loads(text)
    if not state.releases:
        print(f"deploy: no releases in {target}")
    for release_id in state.releases:
        m = manifests.get(release_id, {})
        marks = [name for name in ("current", "previous") if getattr(state, name) == release_id]
        created, commit, pages = (str(m.get(key, "?")) for key in ("created", "commit", "pages"))
        line = f"{release_id}  {created:20}  {commit:9}  {pages:>5} pages  {' '.join(marks)}"
        print(line.rstrip())
    return 0


def bounded(kind, low: float, high: float | None, what: str):
    """An argparse type: `kind(text)` with low <= value (< high if given)."""

    def convert(text: str):
        value = kind(text)
        if value < low or (high is not None and value >= high):
            raise argparse.ArgumentTypeError(f"{text} is not {what}")
        return value

    return convert


def release_name(text: str) -> str:
    """argparse type for --release: a release id (YYYYMMDDTHHMMSSZ[-N])."""
    if not RELEASE_RE.match(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a release id (YYYYMMDDTHHMMSSZ[-N])")
    return text


def parser() -> argparse.ArgumentParser:
    """The command-line parser (argparse exits with status 2 on usage errors)."""
    env = os.environ.get
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--target", default=env("DEPLOY_TARGET"),
                        help="/abs/folder or [user@]host:/abs/folder (default: $DEPLOY_TARGET)")
    common.add_argument("--ssh-port", type=bounded(int, 1, 65536, "a port"),
                        default=env("DEPLOY_SSH_PORT") or None,
                        help="ssh port of a remote target (default: $DEPLOY_SSH_PORT or 22)")
    common.add_argument("--ssh-config", default=env("DEPLOY_SSH_CONFIG") or None,
                        help="ssh config file (ssh -F; default: $DEPLOY_SSH_CONFIG)")
    main = argparse.ArgumentParser(prog="deploy", description=__doc__.split("\n")[0])
    sub = main.add_subparsers(dest="command", required=True)
    deploy = sub.add_parser("deploy", parents=[common], help="build, check and go live")
    deploy.add_argument("--keep", type=bounded(int, 1, None, "at least 1"), default=5,
                        help="releases kept (default 5)")
    deploy.add_argument("--dry-run", action="store_true",
                        help="build, check and show the upload; change nothing")
    deploy.add_argument("--input", default="content", help="content folder (default content)")
    deploy.add_argument("--settings", default="publishconf.py",
                        help="Pelican settings file (default publishconf.py)")
    deploy.add_argument("--max-shrink", type=bounded(float, 0, 1, "a fraction from 0 to 1"),
                        default=0.2, help="refuse a build with this fraction fewer pages (0.2)")
    deploy.add_argument("--allow-shrink", action="store_true",
                        help="deploy even if the build has far fewer pages than the live one")
    deploy.add_argument("--build-dir", help=argparse.SUPPRESS)  # tests: deploy a prebuilt site
    deploy.add_argument("--build-root", default=str(BUILD_ROOT), help=argparse.SUPPRESS)
    deploy.add_argument("--siteurl", help="build with this SITEURL instead of the settings' "
                        "(for a trial deploy served locally)")
    sub.add_parser("setup", parents=[common], help="prepare a new or empty target folder")
    rollback = sub.add_parser("rollback", parents=[common], help="go back to previous")
    rollback.add_argument("--release", type=release_name, help="release id to make current")
    sub.add_parser("releases", parents=[common], help="list releases")
    return main


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; return the exit status (0 ok, 1 refused/failed, 2 usage)."""
    args = parser().parse_args(argv)
    for signum in (signal.SIGTERM, signal.SIGHUP):  # run the cleanups (lock, build, ssh)
        signal.signal(signum, lambda *_: sys.exit(1))
    commands = {"deploy": cmd_deploy, "setup": cmd_setup, "rollback": cmd_rollback,
                "releases": cmd_releases}
    try:
        return commands[args.command](args)
    except DeployError as error:
        print(f"deploy: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
