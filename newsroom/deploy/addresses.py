"""Addresses that keep working, at deploy time: no live article's address is dropped.

The release manifest lists its build's article pages (`articles`, from the build itself,
`newsroom.build.Build.articles`). Before a new release goes live, `dropped_pages` lists the
live release's article pages that the new build has no file for; a moved post's old address
keeps a file (the redirect page) and so does a removed one (the removed-story page) once
data/redirects.yml names them (`newsroom.redirects`, plugins/redirects.py), so what is left
was dropped silently. `refuse_dropped` raises DeployError naming each, with the line to add.
A live manifest without `articles` (made before this check) is skipped with a note.

nginx reads the redirect maps of `current` only when it starts or reloads, so after every
switch of `current` (deploy and rollback alike) `reload_if_redirects_changed` runs the
`--reload` command (DEPLOY_RELOAD) when the maps of the release made live differ.
"""

from __future__ import annotations

from pathlib import Path

from newsroom.deploy import UNCHANGED, DeployError
from newsroom.deploy.ship import NO_REDIRECTS
from newsroom.redirects import address_of

REDIRECTS_FILE = "data/redirects.yml"


def dropped_pages(build_dir: Path, live: dict) -> list[str] | None:
    """The live manifest's article pages with no file in `build_dir`, sorted; None if the
    manifest has no `articles` list."""
    pages = live.get("articles")
    if not isinstance(pages, list):
        return None
    return sorted(p for p in pages if isinstance(p, str) and ".." not in p.split("/")
                  and not (build_dir / p).is_file())


def advice(dropped: list[str], new_articles: list[str]) -> list[str]:
    """Lines for each dropped page: its address, then the exact line for data/redirects.yml
    on a line of its own (under `moved:` when a new article has the same slug, else the
    `moved:` and the `gone:` forms), indented as in that file."""
    by_slug = {address_of(p).rstrip("/").rsplit("/", 1)[-1]: address_of(p) for p in new_articles}
    lines = []
    for page in dropped:
        old = address_of(page)
        new = by_slug.get(old.rstrip("/").rsplit("/", 1)[-1])
        if new:
            lines += [f"{old} seems to have moved to {new}; add to data/redirects.yml:",
                      "    moved:", f"      {old}: {new}"]
        else:
            lines += [f"{old} is no longer built; if it moved, add to data/redirects.yml:",
                      "    moved:", f"      {old}: <its new address>",
                      "  or, if it was removed on purpose:", "    gone:", f"      - {old}"]
    return lines


def refuse_dropped(build_dir: Path, live: dict | None, new_articles: list[str] | None) -> None:
    """Raise DeployError if the new build drops a live article's address (module docstring);
    print a note when the live manifest cannot tell."""
    if not live:
        return
    dropped = dropped_pages(build_dir, live)
    if dropped is None:
        print("deploy: note: the live release's manifest has no list of articles (it is older "
              "than this check), so addresses are not compared this time")
        return
    if dropped:
        lines = "\n  ".join(advice(dropped, new_articles or []))
        raise DeployError(
            f"the build drops {len(dropped)} address(es) of the live site with no redirect; "
            f"readers and search engines would get 404s. Add to {REDIRECTS_FILE} (each address "
            f"two spaces in from moved: or gone:), then deploy again:\n  {lines}\n{UNCHANGED}")


def reload_if_redirects_changed(target, before: dict | None, after: dict,
                                command: str | None) -> None:
    """After a switch of `current` (a deploy or a rollback) from the release whose manifest
    is `before` (None: no live release) to the one whose manifest is `after`: when their
    `redirects_sha256` differ, `reload_server`. A manifest without it (made before the maps
    existed) counts as having none (`ship.NO_REDIRECTS`), as its release has no maps."""
    was = (before or {}).get("redirects_sha256", NO_REDIRECTS)
    if was != after.get("redirects_sha256", NO_REDIRECTS):
        reload_server(target, command)


def reload_server(target, command: str | None) -> None:
    """After a switch that changed the redirect maps: run `command` (e.g. `sudo systemctl
    reload nginx`) on the target, since nginx reads the maps only when it starts or reloads
    (deploy/nginx.conf includes them from `current/_nginx/`); without one, say so. A failing
    command is reported, the release stays live."""
    if not command:
        print("deploy: note: the redirects changed; reload nginx on the server (e.g. sudo "
              "systemctl reload nginx, or set DEPLOY_RELOAD) so it answers them")
        return
    try:
        target.run(command)
    except DeployError as error:
        print(f"deploy: warning: the release is live, but reloading the web server failed "
              f"({error}); run {command!r} on the server")
        return
    print(f"deploy: redirects changed: ran {command!r}")
