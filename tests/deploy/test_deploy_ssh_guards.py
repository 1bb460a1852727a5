"""Deploys over ssh, continued: the guards, dry runs and interruptions, tried on fresh
remote targets with fake or tiny builds (sshd on 127.0.0.1: ssh_server.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import closing
from pathlib import Path

import pytest
from deploy_helpers import REPO, TOOL, empty_site, fake_build, nginx, ok, run_tool, snapshot

from newsroom.deploy.switch import deploy_lock
from newsroom.deploy.targets import SshTarget

SITEURL = "https://news.northvale-polfed.example"
CHANGED_POST = "news/2025-07-29-pay-award.md"

from ssh_server import get, live, server  # noqa: F401 (server is a fixture)


# --- guards, dry run, interruptions on fresh targets ------------------------------------


@pytest.fixture
def remote(server, request):
    """A fresh, set-up remote target holding one release of fake build v1."""
    ssh, work = server
    folder = work / request.node.name
    content, settings = empty_site(folder / "site")
    root = folder / "srv"
    target = ssh.target(root)
    ok(run_tool("setup", "--target", target, env=ssh.env))
    common = ["--target", target, "--input", content, "--settings", settings]
    builds = {v: fake_build(folder / v, v, 20) for v in ("v1", "v2")}
    ok(run_tool("deploy", *common, "--build-dir", builds["v1"], env=ssh.env))
    return {"root": root, "target": target, "common": common, "env": ssh.env,
            "builds": builds, "folder": folder, "ssh": ssh}


@pytest.mark.parametrize("path, message", [
    ("", "names no folder (rsync would use the login's home folder)"),
    ("/", "deploy target is /"),
    ("srv/news", "is not an absolute path"),
    ("/root", "is a home folder"),
    ("/home/deploy", "is a home folder"),
    ("/srv/news site", "may hold only letters"),
])
def test_unsafe_remote_targets_are_refused(server, path, message):
    ssh, work = server
    content, settings = empty_site(work / "unsafe")
    for command in (["setup"], ["deploy", "--input", content, "--settings", settings]):
        result = run_tool(*command, "--target", f"root@127.0.0.1:{path}", env=ssh.env)
        assert result.returncode == 1 and message in result.stderr, result.stderr


def test_remote_target_without_marker_is_refused_until_setup(server):
    ssh, work = server
    content, settings = empty_site(work / "marker")
    fresh, foreign = work / "marker" / "fresh", work / "marker" / "foreign"
    fresh.mkdir()
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me\n")
    args = ["--input", content, "--settings", settings,
            "--build-dir", fake_build(work / "marker" / "b", "v1", 5)]
    result = run_tool("deploy", "--target", ssh.target(fresh), *args, env=ssh.env)
    assert result.returncode == 1
    assert "has no .deploy-target marker" in result.stderr and "make deploy-setup" in result.stderr
    assert list(fresh.iterdir()) == []  # nothing written, not even a lock
    result = run_tool("setup", "--target", ssh.target(foreign), env=ssh.env)
    assert result.returncode == 1 and "not empty and has no .deploy-target" in result.stderr
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    assert "set up new deploy target" in ok(run_tool("setup", "--target", ssh.target(fresh),
                                                     env=ssh.env)).stdout
    ok(run_tool("deploy", "--target", ssh.target(fresh), *args, env=ssh.env))
    assert (fresh / "current" / "index.html").is_file()


def test_wrong_ssh_port_is_reported(remote):
    result = run_tool("releases", "--target", remote["target"],
                      env={**remote["env"], "DEPLOY_SSH_PORT": "1"})
    assert result.returncode == 1 and "cannot reach root@127.0.0.1 with ssh" in result.stderr


def test_bad_builds_are_refused_and_change_nothing(remote):
    root, env, folder = remote["root"], remote["env"], remote["folder"]
    before = snapshot(root)
    empty = folder / "empty-build"
    empty.mkdir()
    result = run_tool("deploy", *remote["common"], "--build-dir", empty, env=env)
    assert result.returncode == 1 and "the build has no index.html" in result.stderr
    # a broken article: the build's content check names the file and line
    content = folder / "broken" / "content"
    (content / "news").mkdir(parents=True)
    (content / "news" / "2025-04-02-pay.md").write_text(
        "---\ntitle: Pay\ndate: 02/04/2025\n---\n\nText.\n")
    broken = ["--input", content, "--settings", folder / "site" / "settings.py"]
    result = run_tool("deploy", "--target", remote["target"], *broken,
                      "--build-root", folder / "broken" / "builds", env=env)
    assert result.returncode == 1
    assert re.search(r"2025-04-02-pay\.md:3: error: .*'02/04/2025'", result.stderr)
    assert result.stderr.strip().endswith("the live release is unchanged")
    # a failed build: a template error
    site = folder / "failing"
    (site / "content" / "news").mkdir(parents=True)
    (site / "overrides").mkdir()
    (site / "overrides" / "index.html").write_text("{{ no_such_thing.attribute.deeper }}\n")
    (site / "settings.py").write_text(
        'SITENAME = "F"\nSITEURL = "https://f.example"\nPATH = "content"\n'
        'TIMEZONE = "Europe/London"\nTHEME = "simple"\n'
        f'THEME_TEMPLATES_OVERRIDES = ["{site}/overrides"]\nPLUGINS = []\n')
    result = run_tool("deploy", "--target", remote["target"], "--input", site / "content",
                      "--settings", site / "settings.py", "--build-root", site / "builds",
                      env=env)
    assert result.returncode == 1 and "no_such_thing" in result.stderr
    assert result.stderr.strip().endswith("the live release is unchanged")
    assert list((site / "builds").iterdir()) == []
    assert snapshot(root) == before


def test_concurrent_deploy_is_refused(remote):
    root, env = remote["root"], remote["env"]
    holder = SshTarget("root@127.0.0.1", str(root), remote["ssh"].port,
                       str(remote["ssh"].ssh_config))
    with closing(holder), deploy_lock(holder, "deploy"):
        before = snapshot(root)
        for args in (["deploy", *remote["common"], "--build-dir", remote["builds"]["v2"]],
                     ["rollback", "--target", remote["target"]]):
            result = run_tool(*args, env=env)
            assert result.returncode == 1
            assert f"another deploy is running (lock {remote['target']}/.deploy.lock" in \
                result.stderr
            assert f"held by: deploy by pid {os.getpid()}" in result.stderr
        assert snapshot(root) == before
    ok(run_tool("deploy", *remote["common"], "--build-dir", remote["builds"]["v2"], env=env))


def test_dry_run_shows_the_upload_and_changes_nothing(remote):
    root = remote["root"]
    before = snapshot(root)
    result = ok(run_tool("deploy", *remote["common"], "--build-dir", remote["builds"]["v2"],
                         "--dry-run", env=remote["env"]))
    assert "would copy 23 of 23 files" in result.stdout
    assert re.search(r"^  <f\S* theme/css/site\.[0-9a-f]{10}\.css$", result.stdout, re.M)
    assert snapshot(root) == before


def test_interrupted_upload_leaves_the_live_site_and_is_cleaned_up(remote):
    """A deploy killed (SIGKILL, with its rsync and ssh) half-way through the upload."""
    root, env, folder = remote["root"], remote["env"], remote["folder"]
    slow = folder / "slow-bin"
    slow.mkdir()
    (slow / "rsync").write_text('#!/bin/sh\nexec /usr/bin/rsync --bwlimit=200 "$@"\n')
    (slow / "rsync").chmod(0o755)
    big = fake_build(folder / "big", "v3", 20)
    for n in range(10):  # 1 MB of incompressible data: 5 s at 200 KB/s
        (big / f"data-{n}.bin").write_bytes(hashlib.sha512(bytes([n])).digest() * 1600)
    first = live(root)
    tmp = Path(tempfile.mkdtemp(prefix="dk-"))  # where the deploy keeps its ssh socket
    deploying = subprocess.Popen(
        [*TOOL, "deploy", *map(str, remote["common"]), "--build-dir", str(big)], cwd=REPO,
        env={**os.environ, **env, "PATH": f"{slow}:{os.environ['PATH']}", "TMPDIR": str(tmp)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        partial = []
        while time.monotonic() < deadline and not any(p.is_file() for p in partial):
            partial = list((root / "releases").glob(".*.partial/**/*"))
            time.sleep(0.05)
        assert partial, "the upload never started"
        os.killpg(deploying.pid, signal.SIGKILL)  # the deploy's own process group
    finally:
        deploying.wait(timeout=10)
        deploying.stdout.close()
        deploying.stderr.close()
        for socket_path in tmp.glob("deploy-ctl-*/ssh"):  # the orphaned ssh master: stop it
            subprocess.run(["ssh", "-O", "exit", "-o", f"ControlPath={socket_path}", "x"],
                           capture_output=True, check=False)
        shutil.rmtree(tmp)
    assert live(root) == first
    leftovers = [p.name for p in (root / "releases").iterdir() if p.name.endswith(".partial")]
    assert len(leftovers) == 1
    with nginx(root, folder / "nginx") as port:
        status, _, body = get(port, "/a/1/")
        assert status == 200 and b"VERSION=v1" in body
    # the lock died with the deploy; the next deploy removes the partial upload
    result = ok(run_tool("deploy", *remote["common"], "--build-dir", remote["builds"]["v2"],
                         env=env))
    assert f"removed stale partial upload releases/{leftovers[0]}" in result.stdout
    assert not [p for p in (root / "releases").iterdir() if p.name.endswith(".partial")]
    assert (root / "current" / "a" / "1" / "index.html").read_text().endswith(
        "<!-- VERSION=v2 --></body></html>\n")
