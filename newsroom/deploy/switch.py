"""What makes a release live: the deploy lock, the server-side check and publish of an
upload, the carry-over of hashed assets, the switch of `current`, and rollback.

Every switch is one rename of a symlink (`ln -s releases/<id> current.tmp && mv -T
current.tmp current`), `previous` first; `mv` without `-T` would move the link into the
old release and exit 0 (see the package docstring). Both run under `deploy_lock`.
"""

from __future__ import annotations

import json
import os
import shlex
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from shlex import quote as q

from newsroom.deploy import UNCHANGED, DeployError
from newsroom.deploy.releases import TargetState, probe
from newsroom.deploy.ship import HASHED_ASSET_RE
from newsroom.deploy.targets import Target

LOCK = ".deploy.lock"
LOCK_BUSY = 75  # flock -E: exit status when the lock is held by someone else

# carry FROM TO FILE...: hard-link each FILE of release folder FROM into TO where TO lacks it
CARRY = """carry() {
  from=$1 to=$2; shift 2
  for f do
    [ -e "$to/$f" ] || [ ! -f "$from/$f" ] ||
      { mkdir -p -- "$(dirname -- "$to/$f")" && ln -- "$from/$f" "$to/$f"; }
  done
}"""


@contextmanager
def deploy_lock(target: Target, purpose: str) -> Iterator[None]:
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


def publish(target: Target, state: TargetState, release_id: str, manifest: dict,
            sums: str) -> None:
    """On the target, in one script: check `releases/.<id>.partial` (file count, the sha256
    of the checksum list against the manifest's, `sha256sum -c` of every file), hard-link
    the live release's hashed assets into it, write `releases/<id>.json`, rename the upload
    to `releases/<id>`, then switch `previous` and `current` (`switch_script`). The
    manifest (one JSON line) and the checksum list go on the script's standard input, not
    in it: with thousands of articles the manifest is over the 128 KiB a single argument
    may have (Linux MAX_ARG_STRLEN; `sh -c` and ssh's remote command are one argument).

    Raises DeployError saying whether `current` changed if any step fails.
    """
    part = f"releases/.{release_id}.partial"
    script = f"""set -e; cd -- {q(target.root)}
IFS= read -r manifest
sums=$(cat)
[ "$(printf '%s\\n' "$sums" | sha256sum | cut -d' ' -f1)" = {manifest['sha256']} ] || {{
  echo "the checksum list was damaged on the way" >&2; exit 1; }}
n=$(find {part} -type f | wc -l)
[ "$n" -eq {manifest['files']} ] || {{
  echo "the upload has $n files where the build has {manifest['files']}" >&2; exit 1; }}
printf '%s\\n' "$sums" | (cd {part} && sha256sum --quiet --strict -c - >&2) || {{
  echo "uploaded files differ from the build" >&2; exit 1; }}
{carry_assets(state, part)}
printf '%s\n' "$manifest" > releases/.{release_id}.json.partial
mv -T releases/.{release_id}.json.partial releases/{release_id}.json
mv -T {part} releases/{release_id}
{switch_script(release_id)}"""
    try:
        target.run(script, stdin=json.dumps(manifest) + "\n" + sums)
    except DeployError as error:
        now_live = probe(target).current
        outcome = (
            f"current is releases/{release_id}, the new release"
            if now_live == release_id
            else f"{UNCHANGED} (current is {f'releases/{now_live}' if now_live else 'unset'})"
        )
        raise DeployError(f"publishing release {release_id} failed ({error}); {outcome}") from None


def note_inputs(target: Target, release_id: str, manifest: dict, inputs: str) -> None:
    """Write `inputs` (`newsroom.deploy.inputs.fingerprint`) into the manifest of the live
    release `release_id`, whose bytes a build from these inputs has just made again, so the
    next deploy from them builds nothing. The manifest is replaced with one rename; it goes
    on standard input, as in `publish`."""
    script = f"""set -e; cd -- {q(target.root)}
cat > releases/.{release_id}.json.partial
mv -T releases/.{release_id}.json.partial releases/{release_id}.json"""
    target.run(script, stdin=json.dumps({**manifest, "inputs_sha256": inputs}) + "\n")


def roll_back(target: Target, state: TargetState, wanted: str) -> None:
    """Make release `wanted` current (it must hold a non-empty index.html), after linking
    the current release's hashed assets into it; `previous` becomes the old current."""
    target.run(f"""set -e; cd -- {q(target.root)}
test -s releases/{wanted}/index.html
{carry_assets(state, f"releases/{wanted}")}
{switch_script(wanted)}""")
