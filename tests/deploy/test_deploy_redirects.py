"""Addresses that keep working, through real deploys over ssh served by nginx (issue 10):
changing a live post's date moves its address; the deploy refuses to drop the old one until
data/redirects.yml says where it went, then nginx answers it with a 301; a post removed on
purpose is refused too until it is listed as gone, then answered with 410.

The reload step's outcomes on rollback (run, failed, not configured, not needed) are checked
first on a local target with fake builds. The real site (a copy of content/) is built by
the tool with publishconf.py and a settings file naming this test's redirects file; nginx
serves deploy/nginx.conf over the target and is reloaded by the deploy (`--reload`) when
the redirect maps change, and by a rollback too: rolled back to the first release, the old
address is the post again; rolled forward, the 301 and the 410 are back.
"""

from __future__ import annotations

import json
import shutil
import time

from deploy_helpers import REPO, empty_site, fake_build, nginx, ok, run_tool
from ssh_server import get, live, server  # noqa: F401 (server is a fixture)

OLD, NEW = "news/2025/07/pay-award/", "news/2025/08/pay-award/"
REMOVED = "news/2025/09/hmicfrs-body-worn-video/"


def answer(port: int, path: str, status: int, timeout: float = 10) -> tuple[int, dict, bytes]:
    """GET `path` until nginx answers `status` (a reload replaces its workers in the
    background) or `timeout` seconds pass; return the last answer."""
    deadline = time.monotonic() + timeout
    while True:
        got = get(port, path)
        if got[0] == status or time.monotonic() > deadline:
            return got
        time.sleep(0.05)


def test_a_rollback_reloads_the_server_as_a_deploy_does(tmp_path):
    """Between releases whose redirect maps differ, a rollback runs --reload as a deploy
    does; a failing command is a warning (the rolled-back release stays live); without one
    it says to reload by hand; between releases with the same maps it runs nothing."""
    content, settings = empty_site(tmp_path)
    target, log = tmp_path / "deployed", tmp_path / "reloads.log"
    builds = [fake_build(tmp_path / f"v{n}", f"v{n}") for n in (1, 2, 3)]
    for build in builds[1:]:  # v2 and v3 have the same map; v1 has none
        (build / "_nginx").mkdir()
        (build / "_nginx" / "moved.map").write_text('"/a/0/" "/a/1/";\n')
    reload = ["--reload", f"echo reloaded >> {log}"]
    releases = []
    for build in builds[:2]:
        ok(run_tool("deploy", "--target", target, "--input", content, "--settings", settings,
                    "--build-dir", build, *reload))
        releases.append(live(target))
    assert log.read_text().splitlines() == ["reloaded"]  # the deploy of v2's map
    back = ok(run_tool("rollback", "--target", target, *reload))
    assert live(target) == releases[0] and log.read_text().splitlines() == ["reloaded"] * 2
    assert f"deploy: redirects changed: ran 'echo reloaded >> {log}'" in back.stdout
    failed = ok(run_tool("rollback", "--target", target, "--reload", "echo busy >&2; exit 3"))
    assert live(target) == releases[1]
    assert ("deploy: warning: the release is live, but reloading the web server failed "
            f"(command on {target} failed: busy); run 'echo busy >&2; exit 3' on the server"
            ) in failed.stdout
    unset = ok(run_tool("rollback", "--target", target, "--release", releases[0]))
    assert live(target) == releases[0] and "reload nginx on the server" in unset.stdout
    ok(run_tool("deploy", "--target", target, "--input", content, "--settings", settings,
                "--build-dir", builds[2], *reload))  # v1 -> v3: maps differ, third reload
    same = ok(run_tool("rollback", "--target", target, "--release", releases[1], *reload))
    assert live(target) == releases[1] and "redirects changed" not in same.stdout
    assert log.read_text().splitlines() == ["reloaded"] * 3


def test_a_moved_or_removed_post_keeps_an_answer(server):
    ssh, work = server
    base = work / "redirects"
    content, redirects = base / "content", base / "redirects.yml"
    shutil.copytree(REPO / "content", content)
    redirects.write_text("moved:\ngone:\n")
    settings = base / "settings.py"
    settings.write_text(f"from publishconf import *  # noqa: F403\nTHEME = '{REPO}/theme'\n"
                        f"PLUGIN_PATHS = ['{REPO}/plugins']\nNEWS_REDIRECTS = '{redirects}'\n")
    root, ngx = base / "srv", base / "nginx"
    target = ssh.target(root)
    ok(run_tool("setup", "--target", target, env=ssh.env))
    reload = f"nginx -p {ngx} -c {ngx}/nginx.conf -s reload"
    args = ["deploy", "--target", target, "--input", content, "--settings", settings,
            "--build-root", base / "builds", "--reload", reload]
    ok(run_tool(*args, env=ssh.env))
    first = live(root)
    manifest = json.loads((root / "releases" / f"{first}.json").read_text())
    assert f"{OLD}index.html" in manifest["articles"] and len(manifest["articles"]) >= 10
    with nginx(root, ngx) as port:
        assert get(port, f"/{OLD}")[0] == 200

        # the date moves to August: the file is renamed with it, and the link to it updated
        news = content / "news"
        post = (news / "2025-07-29-pay-award.md").read_text()
        moved = post.replace("date: 2025-07-29", "date: 2025-08-05")
        (news / "2025-08-05-pay-award.md").write_text(  # its correction came after, too
            moved.replace("correction_date: 2025-07-30", "correction_date: 2025-08-06"))
        (news / "2025-07-29-pay-award.md").unlink()
        survey = news / "2026-08-04-members-survey-results.md"
        survey.write_text(survey.read_text().replace("2025-07-29-pay-award",
                                                     "2025-08-05-pay-award"))
        refused = run_tool(*args, env=ssh.env)
        assert refused.returncode == 1 and live(root) == first
        assert "drops 1 address(es) of the live site with no redirect" in refused.stderr
        assert f"\n      moved:\n        {OLD}: {NEW}\n" in refused.stderr

        redirects.write_text(f"moved:\n  {OLD}: {NEW}\ngone:\n")  # the line the deploy gave
        done = ok(run_tool(*args, env=ssh.env))
        assert f"deploy: redirects changed: ran {reload!r}" in done.stdout
        status, headers, _ = answer(port, f"/{OLD}", 301)
        assert status == 301 and headers["location"] == f"/{NEW}"
        assert get(port, f"/{OLD.rstrip('/')}")[1]["location"] == f"/{NEW}"
        assert get(port, f"/{NEW}")[0] == 200

        # a post removed on purpose: refused until listed as gone, then 410
        (news / "2025-09-16-hmicfrs-body-worn-video.md").unlink()
        moved = live(root)
        refused = run_tool(*args, env=ssh.env)
        assert refused.returncode == 1 and live(root) == moved
        assert f"\n      gone:\n        - {REMOVED}\n" in refused.stderr
        redirects.write_text(f"moved:\n  {OLD}: {NEW}\ngone:\n  - {REMOVED}\n")
        ok(run_tool(*args, env=ssh.env))
        status, _, body = answer(port, f"/{REMOVED}", 410)
        assert status == 410 and b"This story has been removed" in body
        assert answer(port, f"/{OLD}", 301)[0] == 301
        assert get(port, "/_nginx/moved.map")[0] == 404
        rollback_and_forward(port, ["--target", target, "--reload", reload], first, ssh.env)


def rollback_and_forward(port: int, tool: list, first: str, env: dict) -> None:
    """`rollback --release <first>` brings back the release without redirects: nginx must
    answer from its maps (reloaded by the rollback), so the old address is the post again
    (200, not a 301) and the removed post is back (200, not a 410); then `rollback` (to
    previous, the release it replaced) restores the 301 and the 410."""
    back = ok(run_tool("rollback", *tool, "--release", first, env=env))
    assert "deploy: redirects changed: ran" in back.stdout
    status, _, body = answer(port, f"/{OLD}", 200)
    assert status == 200 and b"data-pagefind-body" in body  # the article, not a redirect
    status, _, body = answer(port, f"/{REMOVED}", 200)
    assert status == 200 and b"data-pagefind-body" in body
    forward = ok(run_tool("rollback", *tool, env=env))
    assert "deploy: redirects changed: ran" in forward.stdout
    status, headers, _ = answer(port, f"/{OLD}", 301)
    assert status == 301 and headers["location"] == f"/{NEW}"
    assert answer(port, f"/{REMOVED}", 410)[0] == 410
