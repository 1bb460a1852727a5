"""Readers under load while releases switch: the deploy is atomic, the control is not.

A real sshd and nginx (deploy/nginx.conf) on 127.0.0.1; `python -m newsroom.deploy` deploys
fake builds of 100 pages whose stylesheet names carry content hashes
(tests/deploy/deploy_helpers.py) over ssh. A second process (tests/deploy/deploy_load.py, 8
keep-alive connections) fetches random pages and the stylesheet each links while a deploy,
then a rollback, runs; each phase sends at least 12,000 requests. Then the same load runs
while `current` is switched 200 times the non-atomic way (`rm current; ln -s ...`): that
control must show failed requests, which proves the load generator sees the failures the
atomic switch avoids (deploy-harness.md measured about half the requests failing that way).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from deploy_helpers import empty_site, fake_build, nginx, ok, run_tool, scratch, sshd

PAGES = 100
PHASE_REQUESTS = 12_000  # each of deploy and rollback; at least 20,000 together
MAX_SECONDS = 30


@pytest.fixture(scope="module")
def stage():
    """sshd, a set-up remote target holding release v1, nginx serving it; v2 built."""
    with scratch("deploy-load-") as work, sshd(work / "ssh") as server:
        content, settings = empty_site(work / "site")
        root = work / "srv"
        target = server.target(root)
        common = ["--target", target, "--input", content, "--settings", settings]
        ok(run_tool("setup", "--target", target, env=server.env))
        builds = {v: fake_build(work / v, v, PAGES) for v in ("v1", "v2")}
        ok(run_tool("deploy", *common, "--build-dir", builds["v1"], env=server.env))
        with nginx(root, work / "nginx") as port:
            yield {"root": root, "port": port, "env": server.env, "common": common,
                   "builds": builds, "target": target}


def under_load(port: int, new: str, action) -> dict:
    """Start the load generator, run `action()` once it is ready, stop it, return its stats."""
    load = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("deploy_load.py")), str(port), str(PAGES),
         new, str(PHASE_REQUESTS), str(MAX_SECONDS)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert load.stdout.readline().strip() == "ready"
        action()
        out, _ = load.communicate("stop\n", timeout=MAX_SECONDS + 10)
    finally:
        if load.poll() is None:
            load.kill()
            load.wait()
    stats = json.loads(out)
    print(f"load ({new}): {stats}")
    return stats


def assert_clean(stats: dict, old: str, new: str) -> None:
    assert stats["requests"] >= PHASE_REQUESTS
    assert stats["versions"].get(old, 0) > 0 and stats["versions"].get(new, 0) > 0, stats
    assert stats["page_errors"] == 0, stats
    assert stats["asset_errors"] == 0 and stats["asset_404"] == 0, stats
    assert stats["torn"] == 0, stats
    assert stats["old_after_new"] == 0, stats


def test_deploy_and_rollback_under_load_lose_no_request(stage):
    def deploy():
        ok(run_tool("deploy", *stage["common"], "--build-dir", stage["builds"]["v2"],
                    env=stage["env"]))

    def rollback():
        ok(run_tool("rollback", "--target", stage["target"], env=stage["env"]))

    deployed = under_load(stage["port"], "v2", deploy)
    assert_clean(deployed, "v1", "v2")
    rolled_back = under_load(stage["port"], "v1", rollback)
    assert_clean(rolled_back, "v2", "v1")
    assert deployed["requests"] + rolled_back["requests"] >= 20_000


def test_control_non_atomic_switch_fails_requests(stage):
    root = stage["root"]
    releases = sorted(p.name for p in (root / "releases").iterdir() if p.is_dir())
    assert len(releases) == 2
    flip = " ".join(f"releases/{r}" for r in releases * 100)
    script = f'cd "{root}" && for r in {flip}; do rm current; ln -s "$r" current; done'

    def switch_200_times():
        subprocess.run(["sh", "-c", script], check=True)

    stats = under_load(stage["port"], "-", switch_200_times)
    assert stats["page_errors"] + stats["asset_errors"] > 0, stats
