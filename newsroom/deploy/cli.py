"""The deploy commands and their options: `cmd_deploy`, `cmd_setup`, `cmd_rollback`,
`cmd_releases`, the argparse `parser` and `main` (usage and exit status: `__main__`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path

from newsroom.deploy import UNCHANGED, DeployError, addresses, inputs, releases, ship, switch
from newsroom.deploy.targets import SshTarget, Target, open_target

REPO = Path(__file__).resolve().parents[2]
BUILD_ROOT = REPO / ".deploy-build"
DESCRIPTION = ("Deploy the site as atomic releases (build, check, upload, verify, switch, "
               "prune), roll back, list releases, set up a target.")


def target_of(args: argparse.Namespace):
    """The target the command line names, as a context manager that closes it."""
    return closing(open_target(args.target, args.ssh_port, args.ssh_config))


@contextmanager
def built_site(content: Path, settings: Path, build_root: Path,
               siteurl: str | None = None) -> Iterator[tuple[Path, list[str]]]:
    """Build the site (`newsroom.build.build_site`) into a fresh folder `<build_root>/<UTC
    time>[-N]/`, yield it with the build's article pages, then remove it. A failed build is
    a DeployError (its report is already on stderr).

    `newsroom.build` (Pelican) is imported here, where it is needed: setup, rollback and
    releases never build."""
    from newsroom.build import BuildFailed, build_site

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
        try:
            built = build_site(settings, out, content=content, siteurl=siteurl, quiet=True)
        except BuildFailed as error:
            raise DeployError(f"{error}; {UNCHANGED}") from None
        yield out, built.articles
    finally:
        shutil.rmtree(out, ignore_errors=True)


def cmd_deploy(args: argparse.Namespace) -> int:
    """Build, check, upload, verify and switch one release (see the package docstring)."""
    input_dir, settings = Path(args.input).resolve(), Path(args.settings).resolve()
    if not (input_dir / "news").is_dir():
        raise DeployError(f"{input_dir} has no news/ folder; pass the content folder as --input")
    if not settings.is_file():
        raise DeployError(f"settings file {settings} does not exist; pass it as --settings")
    with target_of(args) as target:
        state = releases.probe(target)
        if isinstance(target, SshTarget) or state.kind == "ours":
            releases.need_marker(target, state)
        elif not args.dry_run:
            releases.set_up(target, state)
        else:
            print(f"deploy: dry run: {target} is not set up; a deploy would set it up")
        with nullcontext() if args.dry_run else switch.deploy_lock(target, "deploy"):
            return deploy_locked(target, args, input_dir, settings)


def inputs_of(args, input_dir: Path, settings: Path) -> str | None:
    """The fingerprint of what the deploy would build from (`newsroom.deploy.inputs`), as
    of now; None for a prebuilt `--build-dir`, which no input describes."""
    if args.build_dir:
        return None
    return inputs.fingerprint(input_dir, settings, args.siteurl, datetime.now(UTC))


def deploy_locked(target: Target, args, input_dir: Path, settings: Path) -> int:
    """The part of `cmd_deploy` that runs while holding the lock (or on a dry run): first,
    unless `--rebuild`, compare the inputs with the live release's and stop, building
    nothing and changing nothing on the target, when they are the same."""
    state = releases.probe(target)
    if state.current and not state.current_is_dir:
        print(f"deploy: warning: current points to missing releases/{state.current}")
    fingerprint = inputs_of(args, input_dir, settings)
    if (fingerprint and not args.rebuild and state.current_is_dir
            and (state.live or {}).get("inputs_sha256") == fingerprint):
        print(f"deploy: nothing changed since release {state.current} (live); no build")
        return 0
    if not args.dry_run:
        releases.remove_stale_partials(target, state)
    build = (
        nullcontext((Path(args.build_dir).resolve(), None))
        if args.build_dir
        else built_site(input_dir, settings, Path(args.build_root), args.siteurl)
    )
    with build as (build_dir, articles):
        live = state.live or {}
        live_pages = live["pages"] if isinstance(live.get("pages"), int) else None
        ship.check_build(build_dir, live_pages, args.max_shrink, args.allow_shrink)
        release_id = releases.new_release_id(state, datetime.now(UTC))
        sums = ship.checksums(build_dir)
        commit = ship.git_commit(settings.parent)
        manifest = ship.make_manifest(build_dir, release_id, commit, sums, articles,
                                      fingerprint)
        if state.current_is_dir and live.get("site_sha256") == manifest["site_sha256"]:
            if fingerprint and not args.dry_run and live.get("inputs_sha256") != fingerprint:
                switch.note_inputs(target, state.current, live, fingerprint)
            print(f"deploy: nothing changed; release {state.current} stays live")
            return 0
        addresses.refuse_dropped(build_dir, state.live if state.current_is_dir else None,
                                 articles)
        result = ship.rsync_upload(target, build_dir, release_id, state.current_is_dir,
                                   args.dry_run)
        if args.dry_run:
            print_dry_run(target, release_id, manifest["files"], result)
            return 0
        switch.publish(target, state, release_id, manifest, sums)
    addresses.reload_if_redirects_changed(target, live, manifest, args.reload)
    files, copied = manifest["files"], result.files_copied
    linked = f"; {files - copied} unchanged, hard-linked" if state.current_is_dir else ""
    print(f"deploy: uploaded {copied} of {files} files ({result.bytes_copied} bytes of file "
          f"data, {result.bytes_sent} bytes sent){linked}")
    try:
        names = [*state.names, release_id, f"{release_id}.json"]
        releases.prune(target, names, args.keep, release_id, state.current)
    except DeployError as error:
        raise DeployError(f"release {release_id} is live, but pruning failed ({error}); "
                          "remove old releases by hand") from None
    print(f"deploy: release {release_id} is live at {target}/current "
          f"({manifest['pages']} pages, {files} files)")
    return 0


def print_dry_run(target: Target, release_id: str, files: int,
                  result: ship.RsyncResult) -> None:
    """Say what a deploy would upload: counts, then up to 50 of rsync's itemized changes."""
    print(f"deploy: dry run: release {release_id} would copy {result.files_copied} of {files} "
          f"files ({result.bytes_copied} bytes) to {target}/releases/{release_id}; the rest "
          f"would be hard links to current; {len(result.items)} itemized changes:")
    for line in result.items[:50]:
        print(f"  {line}")
    if len(result.items) > 50:
        print(f"  ... and {len(result.items) - 50} more")
    print(f"deploy: dry run: nothing in {target} was changed")


def cmd_setup(args: argparse.Namespace) -> int:
    """Make a new or empty folder a deploy target (`releases/`, the marker); 0 on success."""
    with target_of(args) as target:
        state = releases.probe(target)
        releases.set_up(target, state)
        if state.kind == "ours":
            print(f"deploy: {target} is already set up")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    """Point `current` at `previous` (or at `--release ID`) and `previous` at the old current,
    each with one rename, after linking the current release's hashed assets into the one
    made live; then, as a deploy does, run `--reload` when the two releases' redirect maps
    differ (`addresses.reload_if_redirects_changed`: nginx would go on answering the old
    release's 301s and 410s). 0 on success."""
    with target_of(args) as target:
        releases.need_marker(target, releases.probe(target))
        with switch.deploy_lock(target, "rollback"):
            state = releases.probe(target)
            wanted = releases.rollback_release(target, state, args.release)
            if wanted == state.current:
                print(f"deploy: release {wanted} is already current; nothing to do")
                return 0
            switch.roll_back(target, state, wanted)
            made_live = releases.probe(target).live or {}
            addresses.reload_if_redirects_changed(target, state.live, made_live, args.reload)
    print(f"deploy: rolled back: release {wanted} is live at {target}/current "
          f"(previous is {state.current})")
    return 0


def cmd_releases(args: argparse.Namespace) -> int:
    """Print one line per release, newest first: id, created, commit, pages, markers."""
    with target_of(args) as target:
        state = releases.probe(target)
        releases.need_marker(target, state)
        lines = releases.release_lines(target, state)
    if not lines:
        print(f"deploy: no releases in {target}")
    for line in lines:
        print(line)
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
    if not releases.RELEASE_RE.match(text):
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
    # deploy and rollback both switch `current`, and so both may need the web server reloaded
    switching = argparse.ArgumentParser(add_help=False, parents=[common])
    switching.add_argument("--reload", default=env("DEPLOY_RELOAD") or None,
                           help="command run on the target when the redirects of the live "
                           "release change, e.g. 'sudo systemctl reload nginx' "
                           "(default: $DEPLOY_RELOAD)")
    main = argparse.ArgumentParser(prog="deploy", description=DESCRIPTION)
    sub = main.add_subparsers(dest="command", required=True)
    deploy = sub.add_parser("deploy", parents=[switching], help="build, check and go live")
    deploy.add_argument("--keep", type=bounded(int, 1, None, "at least 1"), default=5,
                        help="releases kept (default 5)")
    deploy.add_argument("--dry-run", action="store_true",
                        help="build, check and show the upload; change nothing")
    deploy.add_argument("--rebuild", action="store_true",
                        help="build even when nothing changed since the live release")
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
    rollback = sub.add_parser("rollback", parents=[switching], help="go back to previous")
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
