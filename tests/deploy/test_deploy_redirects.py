"""Addresses that keep working, through real deploys over ssh served by nginx (issue 10):
changing a live post's date moves its address; the deploy refuses to drop the old one until
data/redirects.yml says where it went, then nginx answers it with a 301; a post removed on
purpose is refused too until it is listed as gone, then answered with 410.

The real site (a copy of content/) is built by the tool with publishconf.py and a settings
file naming this test's redirects file; nginx serves deploy/nginx.conf over the target and
is reloaded by the deploy (`--reload`) when the redirect maps change.
"""

from __future__ import annotations

import json
import shutil
import time

from deploy_helpers import REPO, nginx, ok, run_tool
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
        (news / "2025-08-05-pay-award.md").write_text(post.replace("date: 2025-07-29",
                                                                   "date: 2025-08-05"))
        (news / "2025-07-29-pay-award.md").unlink()
        survey = news / "2026-08-04-members-survey-results.md"
        survey.write_text(survey.read_text().replace("2025-07-29-pay-award",
                                                     "2025-08-05-pay-award"))
        refused = run_tool(*args, env=ssh.env)
        assert refused.returncode == 1 and live(root) == first
        assert "drops 1 address(es) of the live site with no redirect" in refused.stderr
        assert f"add under moved:   {OLD}: {NEW}" in refused.stderr

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
        assert f"under gone:   - {REMOVED}" in refused.stderr
        redirects.write_text(f"moved:\n  {OLD}: {NEW}\ngone:\n  - {REMOVED}\n")
        ok(run_tool(*args, env=ssh.env))
        status, _, body = answer(port, f"/{REMOVED}", 410)
        assert status == 410 and b"This story has been removed" in body
        assert answer(port, f"/{OLD}", 301)[0] == 301
        assert get(port, "/_nginx/moved.map")[0] == 404
