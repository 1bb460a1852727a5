"""Deploys to local targets, continued: the lock, dry runs, stale partial uploads, rollback,
pruning, and a deploy of the real site that parses each content file once.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from deploy_helpers import (
    REPO,
    TOOL,
    article_pages,
    ok,
    published_pages,
    run_tool,
    snapshot,
    tool_env,
)

from newsroom.deploy import DeployError
from newsroom.deploy import switch
from newsroom.deploy import releases
from newsroom.deploy.releases import probe
from newsroom.deploy.switch import deploy_lock
from newsroom.deploy.targets import LocalTarget
from newsroom.deploy.targets import LocalTarget

from fixture_site import (  # noqa: F401, F811 (site and prebuilt are fixtures)
    FAKE_FUTURE,
    FAKE_OLD,
    FAKE_OLDER,
    SETTINGS,
    deploy,
    fake_release,
    live,
    lock_is_free,
    prebuilt,
    site,
    variant,
)


# --- lock, dry run, partials ----------------------------------------------------------


def test_deploy_is_refused_while_the_lock_is_held(site, prebuilt, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    lock = target / ".deploy.lock"
    with deploy_lock(LocalTarget(str(target)), "deploy"):
        before = snapshot(target)
        for result in (deploy(site, target, build_dir=variant(prebuilt, tmp_path / "v", 1)),
                       run_tool("rollback", "--target", target)):
            assert result.returncode == 1
            assert f"deploy: error: another deploy is running (lock {lock}" in result.stderr
            assert f"held by: deploy by pid {os.getpid()} on " in result.stderr
        assert snapshot(target) == before
    ok(deploy(site, target, build_dir=tmp_path / "v"))
    assert lock_is_free(target)


def test_second_deploy_is_refused_while_the_first_builds(site, prebuilt, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=variant(prebuilt, tmp_path / "v", 1)))
    slow = site / "slow_settings.py"  # a settings file is Python: reading it takes 0.5 s
    slow.write_text("import time\ntime.sleep(0.5)\n" + SETTINGS)
    first = subprocess.Popen(
        [*TOOL, "deploy", "--target", str(target), "--input", str(site / "content"),
         "--settings", str(slow), "--build-root", str(tmp_path / "b")],
        cwd=REPO, env=tool_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lock = target / ".deploy.lock"
        holder = f"deploy by pid {first.pid} on "
        for _ in range(300):
            if holder in lock.read_text() or first.poll() is not None:
                break
            time.sleep(0.02)
        assert holder in lock.read_text(), "the first deploy never took the lock"
        second = deploy(site, target, build_dir=prebuilt)
        assert second.returncode == 1
        assert f"deploy: error: another deploy is running (lock {lock}" in second.stderr
    finally:
        out, err = first.communicate(timeout=60)
    assert first.returncode == 0, out + err
    assert len([p for p in (target / "releases").iterdir() if p.is_dir()]) == 2


def test_lock_excludes_a_second_holder(tmp_path):
    target = LocalTarget(str(tmp_path))
    with deploy_lock(target, "first"):
        with (
            pytest.raises(DeployError, match="another deploy is running"),
            deploy_lock(target, "second"),
        ):
            pass
    assert lock_is_free(tmp_path)


def test_lock_dies_with_its_holder(tmp_path):
    """flock is released by the kernel when the holder is killed: no stale lock."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import time; from newsroom.deploy.switch import deploy_lock;"
         "from newsroom.deploy.targets import LocalTarget;"
         f"lock = deploy_lock(LocalTarget({str(tmp_path)!r}), 'deploy'); lock.__enter__();"
         "print('held', flush=True); time.sleep(60)"],
        cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert not lock_is_free(tmp_path)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    for _ in range(100):  # the `cat` on the target notices its closed input at once
        if lock_is_free(tmp_path):
            break
        time.sleep(0.02)
    assert lock_is_free(tmp_path)


def test_dry_run_changes_nothing(site, prebuilt, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=variant(prebuilt, tmp_path / "v", 1)))
    (target / "releases" / f".{FAKE_OLD}.partial").mkdir()  # even stale partials stay
    before = snapshot(target)
    result = ok(deploy(site, target, "--dry-run", "--build-root", tmp_path / "builds"))
    files = len([p for p in prebuilt.rglob("*") if p.is_file()])
    copies = int(re.search(rf"would copy (\d+) of {files} files", result.stdout)[1])
    # index.html differs from the live variant; search-index chunks may too (see differing)
    assert 1 <= copies <= 1 + len(list((prebuilt / "pagefind").rglob("*.pf_*")))
    assert re.search(r"^  >f\S* index\.html$", result.stdout, re.M)
    assert snapshot(target) == before
    assert list((tmp_path / "builds").iterdir()) == []
    absent = tmp_path / "absent"
    result = ok(deploy(site, absent, "--dry-run", build_dir=prebuilt))
    assert f"would copy {files} of {files} files" in result.stdout
    assert not absent.exists()


def test_stale_partial_uploads_are_removed(site, prebuilt, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    releases = target / "releases"
    (releases / f".{FAKE_OLD}.partial").mkdir()
    (releases / f".{FAKE_OLD}.json.partial").write_text("{")
    (releases / ".keepme.partial").mkdir()
    ok(deploy(site, target, build_dir=prebuilt))
    assert not (releases / f".{FAKE_OLD}.partial").exists()
    assert not (releases / f".{FAKE_OLD}.json.partial").exists()
    assert (releases / ".keepme.partial").is_dir()


# --- rollback, releases, prune --------------------------------------------------------


def test_rollback_swaps_current_and_previous(site, prebuilt, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    first = live(target)
    ok(deploy(site, target, build_dir=variant(prebuilt, tmp_path / "v", 1)))
    second = live(target)
    ok(run_tool("rollback", "--target", target))
    assert live(target) == first and os.readlink(target / "previous") == f"releases/{second}"
    assert (target / "current" / "index.html").is_file()
    listing = ok(run_tool("releases", "--target", target)).stdout.splitlines()
    assert listing[0].startswith(second) and listing[0].endswith("previous")
    assert listing[1].startswith(first) and listing[1].endswith("current")
    assert "9 pages" in listing[0]
    ok(run_tool("rollback", "--target", target))
    assert live(target) == second and os.readlink(target / "previous") == f"releases/{first}"
    ok(run_tool("rollback", "--target", target, "--release", first))
    assert live(target) == first
    missing = run_tool("rollback", "--target", target, "--release", FAKE_OLD)
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    assert run_tool("rollback", "--target", target, "--release", "../etc").returncode == 2
    assert live(target) == first


def test_prune_keeps_current_previous_and_foreign_names(site, prebuilt, tmp_path):
    target = tmp_path / "deployed"
    releases = target / "releases"
    ok(deploy(site, target, build_dir=prebuilt))
    first = live(target)
    for release_id in (FAKE_OLDER, FAKE_OLD, FAKE_FUTURE):
        fake_release(target, release_id)
    (releases / "keepme").mkdir()
    (releases / "keepme" / "file.txt").write_text("not ours\n")
    (releases / "keepme.json").write_text("{}\n")
    (releases / f"{FAKE_OLDER}-old").mkdir()  # near-miss of the pattern
    ok(run_tool("rollback", "--target", target, "--release", FAKE_OLDER))  # oldest is live
    result = ok(deploy(site, target, "--keep", "1", build_dir=prebuilt))
    new = live(target)
    # newest by name is FAKE_FUTURE (kept by --keep 1); new is current, FAKE_OLDER previous
    assert os.readlink(target / "previous") == f"releases/{FAKE_OLDER}"
    assert sorted(p.name for p in releases.iterdir()) == sorted([
        FAKE_OLDER, f"{FAKE_OLDER}.json", new, f"{new}.json", FAKE_FUTURE, f"{FAKE_FUTURE}.json",
        "keepme", "keepme.json", f"{FAKE_OLDER}-old",
    ])
    assert f"pruned release {first}" in result.stdout
    assert f"pruned release {FAKE_OLD}" in result.stdout
    assert (releases / "keepme" / "file.txt").read_text() == "not ours\n"


# --- the real site --------------------------------------------------------------------


# The deploy's command line with every read of a content file counted (newsroom.source's
# one function below its per-process cache: the parse, from the content cache or made),
# printed as JSON on the last line of stdout.
COUNTING_DEPLOY = """import collections, json, sys
import newsroom.source as source
from newsroom.deploy.cli import main
reads, parses = collections.Counter(), collections.Counter()
load, parse = source._load, source._parse
def counted_load(path, settings):
    reads[path] += 1
    return load(path, settings)
def counted_parse(path, settings, data):
    parses[path] += 1
    return parse(path, settings, data)
source._load, source._parse = counted_load, counted_parse
status = main(sys.argv[1:])
print(json.dumps([reads, parses]))
sys.exit(status)
"""


def test_real_site_deploys_and_parses_each_file_once(tmp_path):
    """The real content, built with publishconf.py: the live release holds exactly the
    article pages of the posts published at the moment of the deploy, and the deploy
    process parsed every content file at most once (its parse is in the content cache) and
    read it three times: for the check (with its link checks), for Pelican's reader and for
    plugins/unpublished_files.py (newsroom.source.read_for_pelican, from the cache, so
    that the site's parses are not all held while Pelican builds)."""
    target = tmp_path / "deployed"
    before = published_pages(REPO / "content", datetime.now(UTC))
    result = ok(subprocess.run(
        [sys.executable, "-c", COUNTING_DEPLOY, "deploy", "--target", target, "--input",
         REPO / "content", "--settings", REPO / "publishconf.py", "--build-root",
         tmp_path / "builds"], cwd=REPO, env=tool_env(), capture_output=True, text=True))
    after = published_pages(REPO / "content", datetime.now(UTC))  # an embargo may lift
    assert len(before) >= 10
    assert before <= article_pages(target / "current") <= after
    index = target / "current" / "index.html"
    assert gzip.decompress(Path(f"{index}.gz").read_bytes()) == index.read_bytes()
    reads, parses = json.loads(result.stdout.splitlines()[-1])
    files = {str(p) for p in (REPO / "content").rglob("*.md")}
    assert set(reads) == files and len(files) >= 16
    assert set(reads.values()) == {3}, reads
    assert set(parses) <= files and set(parses.values()) <= {1}, parses


def test_make_targets_pass_the_deploy_settings():
    """`make deploy|deploy-setup|rollback|releases` hand DEPLOY_* and RELEASE to the tool;
    DEPLOY_RELOAD goes to both commands that switch `current`, deploy and rollback."""
    settings = ["DEPLOY_TARGET=news:/srv/www/news", "DEPLOY_SSH_PORT=2222", "DEPLOY_KEEP=3",
                "DRY_RUN=1", "RELEASE=20250101T000000Z", "DEPLOY_RELOAD=sudo nginx -s reload"]
    target = '--target "news:/srv/www/news" --ssh-port 2222'
    reload = "--reload 'sudo nginx -s reload'"
    for name, expected in [("deploy", f"deploy {target} --keep 3 {reload} --dry-run --input "),
                           ("deploy-setup", f"setup {target}"),
                           ("rollback", f"rollback {target} {reload} --release 20250101T000000Z"),
                           ("releases", f"releases {target}")]:
        out = subprocess.run(["make", "-n", name, *settings], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout
        lines = [line for line in out.splitlines() if "-m newsroom.deploy " in line]
        assert len(lines) == 1 and f"-m newsroom.deploy {expected}" in lines[0], out


def test_a_manifest_over_the_argument_limit_is_published(tmp_path):
    """The manifest lists every article page: at a few thousand articles it is over the
    128 KiB one argument may have, so it goes to the target on standard input (a deploy of
    5,000 posts failed with OSError E2BIG, found by make bench)."""
    root = tmp_path / "target"
    target = LocalTarget(str(root))
    releases.set_up(target, probe(target))
    part = root / "releases" / ".20250101T000000Z.partial"
    part.mkdir(parents=True)
    (part / "index.html").write_text("<!doctype html><title>x</title>\n")
    sums = subprocess.run(["sha256sum", "index.html"], cwd=part, capture_output=True,
                          text=True, check=True).stdout.rstrip("\n")
    articles = [f"news/2025/01/story-number-{k:05d}/index.html" for k in range(6000)]
    manifest = {"sha256": hashlib.sha256((sums + "\n").encode()).hexdigest(), "files": 1,
                "articles": articles}
    assert len(json.dumps(manifest)) > 131072
    switch.publish(target, probe(target), "20250101T000000Z", manifest, sums)
    assert json.loads((root / "releases/20250101T000000Z.json").read_text()) == manifest
    assert os.readlink(root / "current") == "releases/20250101T000000Z"
    switch.note_inputs(target, "20250101T000000Z", manifest, "f" * 64)
    assert json.loads((root / "releases/20250101T000000Z.json").read_text()) == {
        **manifest, "inputs_sha256": "f" * 64}
