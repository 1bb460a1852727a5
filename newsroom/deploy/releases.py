"""What is on a deploy target: its state (`probe`), set-up and marker, release ids, partial
uploads left by an interrupted deploy, pruning, and the release listing.

The layout (`.deploy-target`, `releases/<id>/`, `releases/<id>.json`, `current`,
`previous`) is described in the package docstring; release ids are UTC
`YYYYMMDDTHHMMSSZ`, with `-2`, `-3`... when taken. Only names matching RELEASE_RE (and
their `.json`) or PARTIAL_RE are ever deleted.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from shlex import quote as q

from newsroom.deploy import DeployError
from newsroom.deploy.targets import Target, refuse_special_folder

MARKER = ".deploy-target"
RELEASE_RE = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
PARTIAL_RE = re.compile(r"^\.(\d{8}T\d{6}Z(-\d+)?)\.(partial|json\.partial)$")


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


def probe_script(root: str) -> str:
    """The script `probe` runs: `key=value` lines, then the listing of `releases/` and the
    live release's manifest, each after a `--releases--` / `--manifest--` line."""
    return f"""p={q(root)}; parent=$(dirname -- "$p")
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


def probe(target: Target) -> TargetState:
    """Inspect the target in one round trip and return its TargetState.

    Raises DeployError if the parent folder is missing, the path is not a folder, it
    resolves (through symlinks) to `/` or a home folder of the target's login, it is a
    non-empty folder without the marker, or `current`/`previous` is not a symlink to
    `releases/<id>`.
    """
    out = target.run(probe_script(target.root))
    head, _, rest = out.partition("--releases--\n")
    names, _, manifest = rest.partition("--manifest--\n")
    info = dict(line.partition("=")[::2] for line in head.splitlines())
    refuse_unusable(target, info)
    state = TargetState(info.get("kind", "unknown"), names=names.splitlines())
    for key in ("current", "previous"):
        if key in info:
            setattr(state, key, linked_release(target, key, info[key]))
    state.current_is_dir = "current_is_dir" in info
    with suppress(ValueError):
        live = json.loads(manifest)
        state.live = live if isinstance(live, dict) and state.current else None
    return state


def refuse_unusable(target: Target, info: dict[str, str]) -> None:
    """Raise DeployError for what `probe` found unusable (see `probe`)."""
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


def linked_release(target: Target, key: str, link: str) -> str:
    """The release id the symlink `key` (current, previous) names by `link`; DeployError
    unless it is `releases/<id>`."""
    release = link.removeprefix("releases/")
    if not link.startswith("releases/") or not RELEASE_RE.match(release):
        raise DeployError(
            f"{target}/{key} is {link!r}, not a symlink to releases/<id>; repair it "
            f"by hand (ln -s releases/<id> {key}.tmp && mv -T {key}.tmp {key})"
        )
    return release


def set_up(target: Target, state: TargetState) -> None:
    """Make an absent or empty target a deploy target: the folder, `releases/`, the marker.

    Harmless on a target that is already ours (recreates a missing `releases/`).
    """
    target.run(
        f"""set -e; p={q(target.root)}
mkdir -- "$p" 2>/dev/null || [ -d "$p" ]
mkdir -- "$p/releases" 2>/dev/null || [ -d "$p/releases" ]
[ -f "$p/{MARKER}" ] || echo 'deploy target of python -m newsroom.deploy' > "$p/{MARKER}" """
    )
    if state.kind != "ours":
        print(f"deploy: set up new deploy target {target}")


def need_marker(target: Target, state: TargetState) -> None:
    """Raise DeployError unless the target has been set up (holds the marker)."""
    if state.kind != "ours":
        raise DeployError(
            f"{target} has no {MARKER} marker, so it is not set up for deploys; run "
            f"`make deploy-setup DEPLOY_TARGET={target}` once"
        )


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


def remove_from_releases(target: Target, names: list[str]) -> None:
    """Delete the entries `names` of the target's `releases/` folder."""
    target.run(f"cd -- {q(target.root + '/releases')} && rm -rf -- {shlex.join(names)}")


def remove_stale_partials(target: Target, state: TargetState) -> None:
    """Delete `releases/.<id>.partial` folders (and manifests) left by an interrupted deploy."""
    stale = [name for name in state.names if PARTIAL_RE.match(name)]
    if stale:
        remove_from_releases(target, stale)
        for name in stale:
            print(f"deploy: removed stale partial upload releases/{name}")


def prune(target: Target, names: list[str], keep: int, current: str,
          previous: str | None) -> list[str]:
    """Delete all but the newest `keep` releases among `names` (the listing of `releases/`),
    never `current` or `previous`; only names matching `^\\d{8}T\\d{6}Z(-\\d+)?$` (and their
    `.json`) are touched. Says which it deleted, and returns their ids."""
    ids = {n.removesuffix(".json") for n in names if RELEASE_RE.match(n.removesuffix(".json"))}
    newest = sorted(ids, key=release_key, reverse=True)[:keep]
    doomed = sorted(ids - set(newest) - {current, previous}, key=release_key)
    if doomed:
        remove_from_releases(target, [n for rid in doomed for n in (rid, f"{rid}.json")])
    for release_id in doomed:
        print(f"deploy: pruned release {release_id}")
    return doomed


def rollback_release(target: Target, state: TargetState, release: str | None) -> str:
    """The release a rollback makes current: `release` if given, else `previous`. Raises
    DeployError if there is no current release, no previous one, or `release` is not in
    `releases/`."""
    if not state.current:
        raise DeployError(f"{target} has no current release; deploy first")
    wanted = release or state.previous
    if not wanted:
        raise DeployError(
            "there is no previous release to go back to (there has been one deploy); "
            "choose one with make rollback RELEASE=<id> (list them: make releases)"
        )
    if wanted not in state.releases:
        raise DeployError(f"release {wanted} does not exist in {target}/releases; "
                          "list them with make releases")
    return wanted


def release_lines(target: Target, state: TargetState) -> list[str]:
    """One line per release, newest first: id, created, commit, pages, and `current` /
    `previous` where they point (from each release's manifest; `?` where it lacks one)."""
    out = target.run(f"""cd -- {q(target.root + "/releases")} || exit 1
for f in *.json; do [ -f "$f" ] || continue; printf '\\036%s\\n' "$f"; cat -- "$f"; done""")
    manifests = {}
    for chunk in out.split("\x1e")[1:]:
        name, _, text = chunk.partition("\n")
        with suppress(ValueError):
            manifests[name.removesuffix(".json")] = json.loads(text)
    lines = []
    for release_id in state.releases:
        m = manifests.get(release_id, {})
        marks = [name for name in ("current", "previous") if getattr(state, name) == release_id]
        created, commit, pages = (str(m.get(key, "?")) for key in ("created", "commit", "pages"))
        line = f"{release_id}  {created:20}  {commit:9}  {pages:>5} pages  {' '.join(marks)}"
        lines.append(line.rstrip())
    return lines
