"""Deploy the site as atomic releases: build, check, upload, switch, prune; roll back; list.

Usage (from the repository root; `make deploy|rollback|releases` wrap these)::

    .venv/bin/python tools/deploy.py deploy   [--target PATH] [--keep 5] [--dry-run]
                                              [--input content] [--settings publishconf.py]
                                              [--max-shrink 0.2] [--allow-shrink]
    .venv/bin/python tools/deploy.py rollback [--target PATH] [--release ID]
    .venv/bin/python tools/deploy.py releases [--target PATH]

The target folder (`--target`, default `$DEPLOY_TARGET`) is laid out as::

    .deploy-target             marker: this folder belongs to this tool
    .deploy.lock               exists while a deploy or rollback runs (pid, host, start time)
    releases/<id>/             one complete build; id = UTC YYYYMMDDTHHMMSSZ (-2, -3... if taken)
    releases/<id>.json         its manifest: id, created, commit, pages, files, bytes, sha256
    current -> releases/<id>   the live release: the web server's root is <target>/current
    previous -> releases/<id>  the release before it, for `rollback`

Links are relative, so the target folder can be moved. Where the rules come from (the
deploy-harness measurements, shared guide deploy-harness.md):

* A release is uploaded into a fresh `releases/.<id>.partial/`, renamed, and made live by one
  rename of a symlink (`ln -s releases/<id> current.tmp && mv -T current.tmp current`): no
  failed or torn requests under load, where `rm current; ln -s ...` failed half of them and
  plain `mv` (no `-T`) silently moves the link *into* the old release and exits 0.
* Upload is `rsync -rlpc --safe-links --link-dest=<target>/current/`: a fresh folder needs no
  `--delete` (which wipes a home folder when the remote path is empty); without `-t`, `-c`
  compares content, so unchanged files are hard links to the live release (Pelican rewrites
  every file, so mtimes always differ); `--safe-links` drops links that leave the tree.
* Pelican can drop an article and still exit 0, so the build is checked: `index.html` present,
  every expected article present, page count not far below the live release's.

Every operation on the target goes through a `Target` (`LocalTarget` here): POSIX `sh -c`
snippets via `run()` and rsync destinations via `rsync_dest()`, so an `SshTarget` only has to
run the same snippets through `ssh host sh -c` and prefix rsync paths with `host:`.

Exit status: 0 done, 1 refused or failed (message `deploy: error: <what>; <what to do>`),
2 usage error. Needs Python 3.11, the site's .venv (Pelican, PyYAML) and rsync.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))

import front_matter  # noqa: E402  (the site's content rules, shared with the build)

BUILD_ROOT = REPO / ".deploy-build"
MARKER = ".deploy-target"
LOCK = ".deploy.lock"
RELEASE_RE = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
PARTIAL_RE = re.compile(r"^\.(\d{8}T\d{6}Z(-\d+)?)\.(partial|json\.partial)$")
POST_FILE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}-(?P<slug>.+)\.md$")
UNCHANGED = "the live release is unchanged"
q = shlex.quote


class DeployError(Exception):
    """A refusal or failure: printed as `deploy: error: <message>`, exit status 1."""


class FrontMatterError(DeployError):
    """A post whose front matter breaks the site's rules (see plugins/front_matter.py)."""


class TargetCommandError(DeployError):
    """A shell snippet run on the target exited non-zero."""


# --- target ---------------------------------------------------------------------------


class LocalTarget:
    """A deploy target folder on this machine.

    `root` is the absolute target path. `run(script)` runs a POSIX `sh -c` script (optionally
    fed `stdin`) and returns its stdout, raising TargetCommandError on a non-zero exit.
    `rsync_dest(path)` is the rsync destination for `path` relative to root, and
    `rsync_options` the extra rsync options (an SshTarget would add `-e "ssh ..."`).
    """

    rsync_options: tuple[str, ...] = ()

    def __init__(self, root: str) -> None:
        self.root = root

    def run(self, script: str, stdin: str | None = None) -> str:
        proc = subprocess.run(
            ["sh", "-c", script], input=stdin, capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            detail = proc.stderr.strip() or f"exit status {proc.returncode}"
            raise TargetCommandError(f"command on {self.root} failed: {detail}")
        return proc.stdout

    def rsync_dest(self, path: str) -> str:
        return f"{self.root}/{path}"


@dataclass
class TargetState:
    """What `releases/` holds and where `current`/`previous` point (release ids or None)."""

    current: str | None = None
    previous: str | None = None
    current_is_dir: bool = False
    names: list[str] = field(default_factory=list)

    @property
    def releases(self) -> list[str]:
        """Release folders matching the id pattern, newest first."""
        return sorted((n for n in self.names if RELEASE_RE.match(n)), key=release_key, reverse=True)


def release_key(release_id: str) -> tuple[str, int]:
    """Sort key for release ids: by time, then by the -N suffix (none counts as 1)."""
    base, _, n = release_id.partition("-")
    return base, int(n or 1)


def check_target_path(raw: str | None) -> str:
    """Return the normalised absolute target path, or raise DeployError.

    Refuses an unset/empty path, a relative path, `/`, and home folders (`$HOME`, `/root`,
    `/home`, `/home/<name>`): rsync with an empty remote path targets the login's home.
    """
    if raw is None or not raw.strip():
        raise DeployError("no deploy target set; pass --target /absolute/path or set DEPLOY_TARGET")
    if not raw.startswith("/"):
        raise DeployError(f"deploy target {raw!r} is not an absolute path; pass an absolute path")
    path = "/" + os.path.normpath(raw).lstrip("/")
    refuse_special_folder(path)
    return path


def refuse_special_folder(path: str) -> None:
    """Raise DeployError if `path` is `/` or a home folder; the rule of check_target_path."""
    if path == "/":
        raise DeployError("deploy target is /; pass a folder of its own, such as /srv/site")
    homes = {"/root", "/home"}
    home = os.environ.get("HOME", "")
    if home.startswith("/"):
        homes.add("/" + os.path.normpath(home).lstrip("/"))
    if path in homes or re.fullmatch(r"/home/[^/]+", path):
        raise DeployError(
            f"deploy target {path} is a home folder; pass a folder of its own, such as "
            f"{path.rstrip('/')}/site"
        )


def inspect_target(target: LocalTarget) -> str:
    """Classify the target folder: absent, empty, ours (has the marker) or foreign.

    Raises DeployError if the parent folder is missing, the path is not a folder, or the
    path resolves (through symlinks) to `/` or a home folder.
    """
    root = q(target.root)
    out = target.run(
        f"""p={root}; parent=$(dirname -- "$p")
if [ ! -d "$parent" ]; then echo noparent
elif [ ! -e "$p" ] && [ ! -L "$p" ]; then echo absent; (cd -P -- "$parent" && pwd -P)
elif [ ! -d "$p" ]; then echo notdir
else
  if [ -f "$p/{MARKER}" ]; then echo ours
  elif [ -z "$(ls -A -- "$p")" ]; then echo empty
  else echo foreign; fi
  (cd -P -- "$p" && pwd -P)
fi"""
    ).splitlines()
    kind = out[0] if out else "unknown"
    if kind == "noparent":
        raise DeployError(
            f"the parent folder of deploy target {target.root} does not exist; "
            "create it, or check the path"
        )
    if kind == "notdir":
        raise DeployError(f"deploy target {target.root} is not a folder; pass a folder")
    if kind == "foreign":
        raise DeployError(
            f"deploy target {target.root} is not empty and has no {MARKER} marker, so it is "
            "not a deploy target; pass an empty or new folder (never write into a folder "
            "that is not ours)"
        )
    real = out[1] if len(out) > 1 else target.root
    if kind == "absent":
        real = real.rstrip("/") + "/" + target.root.rsplit("/", 1)[1]
    refuse_special_folder("/" + os.path.normpath(real).lstrip("/"))
    return kind


def set_up_target(target: LocalTarget, kind: str) -> None:
    """First-time setup of an absent or empty target: `releases/` and the marker file.

    On a target that is already ours (`kind` "ours") it only recreates a missing `releases/`.
    """
    root = q(target.root)
    target.run(
        f"""set -e; p={root}
mkdir -- "$p" 2>/dev/null || [ -d "$p" ]
mkdir -- "$p/releases" 2>/dev/null || [ -d "$p/releases" ]
[ -f "$p/{MARKER}" ] || echo 'deploy target of tools/deploy.py' > "$p/{MARKER}" """
    )
    if kind != "ours":
        print(f"deploy: set up new deploy target {target.root}")


def read_state(target: LocalTarget) -> TargetState:
    """Read `current`, `previous` and the names in `releases/` (an absent target is empty).

    Raises DeployError if `current` or `previous` is not a symlink to `releases/<id>`.
    """
    out = target.run(
        f"""cd -- {q(target.root)} 2>/dev/null || exit 0
for l in current previous; do
  if [ -L "$l" ]; then printf '%s=%s\\n' "$l" "$(readlink "$l")"
  elif [ -e "$l" ]; then printf '%s=?not-a-symlink\\n' "$l"; fi
done
[ -d current/ ] && echo current_is_dir=1
echo --
ls -A releases 2>/dev/null || true"""
    )
    head, _, names = out.partition("--\n")
    state = TargetState(names=names.splitlines())
    for line in head.splitlines():
        key, _, value = line.partition("=")
        if key == "current_is_dir":
            state.current_is_dir = True
            continue
        release = value.removeprefix("releases/")
        if not value.startswith("releases/") or not RELEASE_RE.match(release):
            raise DeployError(
                f"{target.root}/{key} is {value!r}, not a symlink to releases/<id>; repair it "
                f"by hand (ln -s releases/<id> {key}.tmp && mv -T {key}.tmp {key})"
            )
        setattr(state, key, release)
    return state


@contextmanager
def deploy_lock(target: LocalTarget, purpose: str) -> Iterator[None]:
    """Hold `<target>/.deploy.lock` for the duration; raise DeployError if it is taken.

    The lock file is created with the shell's noclobber (`set -C`, an O_CREAT|O_EXCL open)
    so it works through `run()` on a remote target too. It records pid, host and start time;
    a lock left by a killed process must be removed by hand (the message says so).
    """
    lock = f"{target.root}/{LOCK}"
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    token = f"{purpose} by pid {os.getpid()} on {socket.gethostname()} since {stamp}"
    out = target.run(
        f"""if ( set -C; printf '%s\\n' {q(token)} > {q(lock)} ) 2>/dev/null; then echo acquired
elif [ -e {q(lock)} ]; then echo held; cat -- {q(lock)} 2>/dev/null || true
else echo "cannot create {lock}" >&2; exit 1; fi"""
    )
    if not out.startswith("acquired"):
        holder = out.partition("\n")[2].strip() or "unknown holder"
        raise DeployError(
            f"another deploy is running (lock {lock}); it is held by: {holder}; wait for it "
            "to finish, or delete the lock file if that process is gone"
        )
    try:
        yield
    finally:
        target.run(f'[ "$(cat -- {q(lock)} 2>/dev/null)" != {q(token)} ] || rm -f -- {q(lock)}')


# --- build and checks -----------------------------------------------------------------


def expected_articles(content_dir: Path, now: datetime) -> dict[str, Path]:
    """Map each article page the build must contain to its source post.

    Inputs: the content folder (posts are `news/YYYY-MM-DD-slug.md`) and an aware `now`.
    Posts are read with the site's own front-matter rules (`plugins/front_matter.py`). A post
    is expected unless its status is `draft` or its date is after `now` (an embargo); its page
    is `news/{YYYY}/{MM}/{slug}/index.html`, the slug being the file name without the date
    (the site's FILENAME_METADATA and ARTICLE_SAVE_AS). Raises FrontMatterError naming the
    first file with an error.
    """
    settings = {"PATH": str(content_dir), "PAGE_PATHS": ["pages"], "TIMEZONE": "Europe/London"}
    expected = {}
    for path in sorted((content_dir / "news").rglob("*.md")):
        match = POST_FILE_RE.match(path.name)
        parsed = front_matter.parse_file(str(path), settings)
        if parsed.errors:
            raise FrontMatterError(front_matter.format_problem(parsed.errors[0]))
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
def built_site(input_dir: Path, settings: Path, build_id: str) -> Iterator[Path]:
    """Build the site into a fresh `<repo>/.deploy-build/<id>/`, yield it, then remove it.

    Runs `pelican <input> -s <settings> -o <dir> --fatal warnings` from the settings file's
    folder (so `publishconf.py` can import `pelicanconf`), its output streamed to the user.
    Raises DeployError when Pelican exits non-zero.
    """
    BUILD_ROOT.mkdir(exist_ok=True)
    out, n = BUILD_ROOT / build_id, 2
    while True:
        try:
            out.mkdir()
            break
        except FileExistsError:
            out, n = BUILD_ROOT / f"{build_id}-{n}", n + 1
    try:
        command = [
            *pelican_command(),
            str(input_dir),
            "-s",
            str(settings),
            "-o",
            str(out),
            "--fatal",
            "warnings",
            "--log-handler",
            "plain",
        ]
        print(f"deploy: building into {out}: {shlex.join(command)}", flush=True)
        if subprocess.run(command, cwd=settings.parent, check=False).returncode != 0:
            raise DeployError(f"build failed; {UNCHANGED}")
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
    """Refuse a build without a non-empty `index.html`, missing an expected article, or with
    more than `max_shrink` fewer `.html` pages than the live release (unless allow_shrink).

    Raises DeployError naming what is missing.
    """
    index = build_dir / "index.html"
    if not index.is_file() or index.stat().st_size == 0:
        raise DeployError(
            f"the build has no index.html or it is empty; check the theme's index template "
            f"and the Pelican output above; {UNCHANGED}"
        )
    missing = [
        f"{page} (from {source})"
        for page, source in expected.items()
        if not (build_dir / page).is_file()
    ]
    if missing:
        raise DeployError(
            f"the build lacks {len(missing)} expected article page(s): {', '.join(missing)}; "
            f"check their date, status and file name, and the Pelican output above; {UNCHANGED}"
        )
    pages = sum(1 for f in site_files(build_dir) if f.endswith(".html"))
    if live_pages and not allow_shrink and pages < live_pages * (1 - max_shrink):
        raise DeployError(
            f"the build has {pages} html pages, more than {max_shrink:.0%} below the "
            f"{live_pages} of the live release; check for lost content, or pass --allow-shrink "
            f"if the removal is intended; {UNCHANGED}"
        )


def make_manifest(build_dir: Path, release_id: str, commit: str) -> dict:
    """The release manifest: id, created (ISO UTC), commit, pages (html files), files, bytes,
    and sha256 over the sorted lines "<path> <sha256 of file>"."""
    lines, pages, size = [], 0, 0
    files = site_files(build_dir)
    for name in files:
        with open(build_dir / name, "rb") as handle:
            lines.append(f"{name} {hashlib.file_digest(handle, 'sha256').hexdigest()}\n")
        pages += name.endswith(".html")
        size += (build_dir / name).stat().st_size
    return {
        "id": release_id,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": commit,
        "pages": pages,
        "files": len(files),
        "bytes": size,
        "sha256": hashlib.sha256("".join(lines).encode()).hexdigest(),
    }


def git_commit(folder: Path) -> str:
    """`git rev-parse --short HEAD` in `folder`, or "unknown"."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return "unknown"
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else "unknown"


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


def live_manifest(target: LocalTarget, state: TargetState) -> dict | None:
    """The manifest of the release `current` points to, or None if absent or unreadable."""
    if not state.current:
        return None
    text = target.run(
        f"cat -- {q(f'{target.root}/releases/{state.current}.json')} 2>/dev/null || true"
    )
    try:
        manifest = json.loads(text)
    except ValueError:
        return None
    return manifest if isinstance(manifest, dict) else None


def remove_stale_partials(target: LocalTarget, state: TargetState) -> None:
    """Delete `releases/.<id>.partial` folders (and manifests) left by an interrupted deploy."""
    stale = [name for name in state.names if PARTIAL_RE.match(name)]
    if stale:
        target.run(f"cd -- {q(target.root + '/releases')} && rm -rf -- {shlex.join(stale)}")
        for name in stale:
            print(f"deploy: removed stale partial upload releases/{name}")


@dataclass
class RsyncResult:
    """What rsync did or would do: itemized changes (dry run), files and bytes copied."""

    items: list[str]
    files_total: int
    files_copied: int
    bytes_copied: int


def rsync_upload(
    target: LocalTarget, build_dir: Path, release_id: str, link_current: bool, dry_run: bool = False
) -> RsyncResult:
    """Copy the build into `releases/.<id>.partial/` with
    `rsync -rlpc --safe-links [--link-dest=<target>/current/]` (no -t, no --delete: see the
    module docstring). With dry_run, add `--dry-run --itemize-changes` and change nothing.
    Raises DeployError if rsync fails, after removing the partial upload.
    """
    command = ["rsync", "-rlpc", "--safe-links", "--stats", "--no-human-readable"]
    if dry_run:
        command += ["--dry-run", "--itemize-changes"]
    if link_current:
        command.append(f"--link-dest={target.root}/current/")
    command += [
        *target.rsync_options,
        f"{build_dir}/",
        target.rsync_dest(f"releases/.{release_id}.partial/"),
    ]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        if not dry_run:
            target.run(f"rm -rf -- {q(f'{target.root}/releases/.{release_id}.partial')}")
        raise DeployError(
            f"upload failed (rsync exit status {proc.returncode}: {proc.stderr.strip()}); "
            f"fix the cause and deploy again; {UNCHANGED}"
        )

    def stat(label: str) -> int:
        found = re.search(rf"^{label}: (\d+)", proc.stdout, re.MULTILINE)
        return int(found[1]) if found else 0

    items = [line for line in proc.stdout.splitlines() if re.match(r"^[<>ch.*][fdLDS][^ ]* ", line)]
    return RsyncResult(
        items,
        stat("Number of files"),
        stat("Number of regular files transferred"),
        stat("Total transferred file size"),
    )


def publish(target: LocalTarget, release_id: str, manifest: dict) -> None:
    """Write `releases/<id>.json`, rename `.<id>.partial` to `<id>`, point `previous` at the
    old current, then switch `current` with one rename (`mv -T`, see the module docstring).

    Raises DeployError saying whether `current` changed if any step fails.
    """
    rel = f"releases/{release_id}"
    script = f"""set -e; cd -- {q(target.root)}
test -s releases/.{release_id}.partial/index.html
cat > releases/.{release_id}.json.partial
mv -T releases/.{release_id}.json.partial {rel}.json
mv -T releases/.{release_id}.partial {rel}
if [ -L current ]; then
  rm -f previous.tmp; ln -s "$(readlink current)" previous.tmp; mv -T previous.tmp previous
fi
rm -f current.tmp; ln -s {rel} current.tmp; mv -T current.tmp current"""
    try:
        target.run(script, stdin=json.dumps(manifest, indent=2) + "\n")
    except TargetCommandError as error:
        now_live = read_state(target).current
        outcome = (
            f"current is {rel}, the new release"
            if now_live == release_id
            else f"{UNCHANGED} (current is {f'releases/{now_live}' if now_live else 'unset'})"
        )
        raise DeployError(
            f"switching to release {release_id} failed ({error}); {outcome}"
        ) from None


def prune(target: LocalTarget, keep: int) -> list[str]:
    """Delete all but the newest `keep` releases, never those `current` or `previous` point
    to; only names matching `^\\d{8}T\\d{6}Z(-\\d+)?$` (and their `.json`) are touched.
    Returns the deleted release ids."""
    state = read_state(target)
    ids = {
        name.removesuffix(".json")
        for name in state.names
        if RELEASE_RE.match(name.removesuffix(".json"))
    }
    kept = set(state.releases[:keep]) | {state.current, state.previous}
    doomed = sorted(ids - kept, key=release_key)
    if doomed:
        names = [n for rid in doomed for n in (rid, f"{rid}.json")]
        target.run(f"cd -- {q(target.root + '/releases')} && rm -rf -- {shlex.join(names)}")
    return doomed


# --- commands -------------------------------------------------------------------------


def cmd_deploy(args: argparse.Namespace) -> int:
    """Build, check, upload and switch one release (see the module docstring); 0 on success."""
    target = LocalTarget(check_target_path(args.target))
    kind = inspect_target(target)
    input_dir, settings = Path(args.input).resolve(), Path(args.settings).resolve()
    if not (input_dir / "news").is_dir():
        raise DeployError(f"{input_dir} has no news/ folder; pass the content folder as --input")
    if args.build_dir is None and not settings.is_file():
        raise DeployError(f"settings file {settings} does not exist; pass it as --settings")
    if not args.dry_run:
        set_up_target(target, kind)
    elif kind == "absent":
        print(f"deploy: dry run: {target.root} does not exist; a deploy would create it")

    with nullcontext() if args.dry_run else deploy_lock(target, "deploy"):
        state = read_state(target)
        if state.current and not state.current_is_dir:
            print(f"deploy: warning: current points to missing releases/{state.current}")
        if not args.dry_run:
            remove_stale_partials(target, state)
        live = live_manifest(target, state)
        now = datetime.now(UTC)
        build = (
            nullcontext(Path(args.build_dir).resolve())
            if args.build_dir
            else built_site(input_dir, settings, now.strftime("%Y%m%dT%H%M%SZ"))
        )
        with build as build_dir:
            try:
                expected = expected_articles(input_dir, now)
            except FrontMatterError as error:
                raise DeployError(f"{error}; {UNCHANGED}") from None
            live_pages = live.get("pages") if live else None
            check_build(
                build_dir,
                expected,
                live_pages if isinstance(live_pages, int) else None,
                args.max_shrink,
                args.allow_shrink,
            )
            release_id = new_release_id(state, datetime.now(UTC))
            manifest = make_manifest(build_dir, release_id, git_commit(settings.parent))
            result = rsync_upload(
                target, build_dir, release_id, state.current_is_dir, dry_run=args.dry_run
            )
            if args.dry_run:
                print(
                    f"deploy: dry run: release {release_id} would copy {result.files_copied} "
                    f"of {manifest['files']} files ({result.bytes_copied} bytes) to "
                    f"{target.root}/releases/{release_id}; the rest would be hard links to "
                    f"current; {len(result.items)} itemized changes:"
                )
                for line in result.items[:50]:
                    print(f"  {line}")
                if len(result.items) > 50:
                    print(f"  ... and {len(result.items) - 50} more")
                print(f"deploy: dry run: nothing in {target.root} was changed")
                return 0
            publish(target, release_id, manifest)
        try:
            for old in prune(target, args.keep):
                print(f"deploy: pruned release {old}")
        except DeployError as error:
            raise DeployError(
                f"release {release_id} is live, but pruning failed ({error}); "
                "remove old releases by hand"
            ) from None
    print(
        f"deploy: release {release_id} is live at {target.root}/current "
        f"({manifest['pages']} pages, {manifest['files']} files, "
        f"{result.bytes_copied} bytes copied)"
    )
    return 0


def existing_target(raw: str | None) -> LocalTarget:
    """A checked target path that is already set up (has the marker); else DeployError."""
    target = LocalTarget(check_target_path(raw))
    if inspect_target(target) != "ours":
        raise DeployError(f"{target.root} is not a deploy target (no {MARKER}); deploy first")
    return target


def cmd_rollback(args: argparse.Namespace) -> int:
    """Point `current` at `previous` (or at `--release ID`) and `previous` at the old current,
    each with one rename; 0 on success."""
    target = existing_target(args.target)
    with deploy_lock(target, "rollback"):
        state = read_state(target)
        if not state.current:
            raise DeployError(f"{target.root} has no current release; deploy first")
        wanted = args.release or state.previous
        if not wanted:
            raise DeployError(
                "there is no previous release; pass --release ID (list them with `releases`)"
            )
        if wanted not in state.releases:
            raise DeployError(
                f"release {wanted} does not exist in {target.root}/releases; "
                "list them with `releases`"
            )
        if wanted == state.current:
            print(f"deploy: release {wanted} is already current; nothing to do")
            return 0
        target.run(f"""set -e; cd -- {q(target.root)}
test -s releases/{wanted}/index.html
rm -f current.tmp previous.tmp
ln -s releases/{wanted} current.tmp; mv -T current.tmp current
ln -s releases/{state.current} previous.tmp; mv -T previous.tmp previous""")
    print(
        f"deploy: rolled back: release {wanted} is live at {target.root}/current "
        f"(previous is {state.current})"
    )
    return 0


def cmd_releases(args: argparse.Namespace) -> int:
    """Print one line per release, newest first: id, created, commit, pages, markers."""
    target = existing_target(args.target)
    state = read_state(target)
    out = target.run(f"""cd -- {q(target.root + "/releases")} || exit 1
for f in *.json; do [ -f "$f" ] || continue; printf '\\036%s\\n' "$f"; cat -- "$f"; done""")
    manifests = {}
    for chunk in out.split("\x1e")[1:]:
        name, _, text = chunk.partition("\n")
        with suppress(ValueError):
            manifests[name.removesuffix(".json")] = json.loads(text)
    if not state.releases:
        print(f"deploy: no releases in {target.root}")
    for release_id in state.releases:
        m = manifests.get(release_id, {})
        marks = [name for name in ("current", "previous") if getattr(state, name) == release_id]
        created, commit, pages = (str(m.get(key, "?")) for key in ("created", "commit", "pages"))
        print(
            f"{release_id}  {created:20}  {commit:9}  {pages:>5} pages  {' '.join(marks)}".rstrip()
        )
    return 0


def fraction(text: str) -> float:
    """argparse type for --max-shrink: a number from 0 to 1 (exclusive)."""
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a fraction from 0 to below 1")
    return value


def positive(text: str) -> int:
    """argparse type for --keep: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not at least 1")
    return value


def release_name(text: str) -> str:
    """argparse type for --release: a release id (YYYYMMDDTHHMMSSZ[-N])."""
    if not RELEASE_RE.match(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a release id (YYYYMMDDTHHMMSSZ[-N])")
    return text


def parser() -> argparse.ArgumentParser:
    """The command-line parser (argparse exits with status 2 on usage errors)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--target",
        default=os.environ.get("DEPLOY_TARGET"),
        help="absolute deploy target folder (default: $DEPLOY_TARGET)",
    )
    main = argparse.ArgumentParser(prog="deploy", description=__doc__.split("\n")[0])
    sub = main.add_subparsers(dest="command", required=True)
    deploy = sub.add_parser("deploy", parents=[common], help="build, check and go live")
    deploy.add_argument("--keep", type=positive, default=5, help="releases kept (default 5)")
    deploy.add_argument(
        "--dry-run", action="store_true", help="build, check and show the upload; change nothing"
    )
    deploy.add_argument("--input", default="content", help="content folder (default content)")
    deploy.add_argument(
        "--settings",
        default="publishconf.py",
        help="Pelican settings file (default publishconf.py)",
    )
    deploy.add_argument(
        "--max-shrink",
        type=fraction,
        default=0.2,
        help="refuse a build with this fraction fewer pages (default 0.2)",
    )
    deploy.add_argument(
        "--allow-shrink",
        action="store_true",
        help="deploy even if the build has far fewer pages than the live one",
    )
    deploy.add_argument("--build-dir", help=argparse.SUPPRESS)  # tests: deploy a prebuilt site
    rollback = sub.add_parser("rollback", parents=[common], help="go back to previous")
    rollback.add_argument("--release", type=release_name, help="release id to make current")
    sub.add_parser("releases", parents=[common], help="list releases")
    return main


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; return the exit status (0 ok, 1 refused/failed, 2 usage)."""
    args = parser().parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the cleanups (lock, build)
    command = {"deploy": cmd_deploy, "rollback": cmd_rollback, "releases": cmd_releases}
    try:
        return command[args.command](args)
    except DeployError as error:
        print(f"deploy: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
