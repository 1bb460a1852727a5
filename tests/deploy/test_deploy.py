"""Deploys to local targets: real filesystem, real rsync, real Pelican builds: the release
a deploy makes, refused builds, and the guards on targets.

Most tests deploy the prebuilt fixture site (conftest.py; or a copy with one file changed,
`variant`) through the tool's internal `--build-dir` option; the ones about the build itself
run it through the tool, with `--build-root` in tmp_path. Every deploy target is under
`tmp_path`; the repository's content is never touched. Lock, dry run, rollback, prune and
the real site: test_deploy_control.py; over ssh and under load: test_deploy_ssh.py,
test_deploy_load.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from deploy_helpers import article_pages, fake_build, ok, run_tool, snapshot

from newsroom.deploy import DeployError
from newsroom.deploy.releases import probe
from newsroom.deploy.ship import checksums, make_manifest
from newsroom.deploy.switch import publish
from newsroom.deploy.targets import LocalTarget

from fixture_site import (  # noqa: F401, F811 (site and prebuilt are fixtures)
    EXPECTED,
    FAKE_FUTURE,
    deploy,
    differing,
    live,
    lock_is_free,
    prebuilt,
    site,
    variant,
    write_posts,
)


# --- deploy ---------------------------------------------------------------------------


def test_first_deploy_makes_complete_release(site, tmp_path):
    target = tmp_path / "deployed"
    builds = tmp_path / "builds"
    result = ok(deploy(site, target, "--build-root", builds))
    release = target / "releases" / live(target)
    assert (target / ".deploy-target").is_file()
    assert (target / "current" / "index.html").stat().st_size > 0
    assert article_pages(target / "current") == EXPECTED  # no draft, no embargoed post
    manifest = json.loads((target / "releases" / f"{live(target)}.json").read_text())
    files = [p for p in release.rglob("*") if p.is_file()]
    assert manifest["pages"] == len([p for p in files if p.suffix == ".html"])
    assert manifest["files"] == len(files)
    assert manifest["id"] == live(target) and re.fullmatch(r"[\dT]{15}Z", manifest["id"])
    sums = checksums(release)
    expected = make_manifest(release, manifest["id"], manifest["commit"], sums,
                             articles=sorted(EXPECTED),  # the build's article pages
                             inputs=manifest["inputs_sha256"])
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["inputs_sha256"])
    assert {k: v for k, v in manifest.items() if k != "created"} == {
        k: v for k, v in expected.items() if k != "created"}
    # the manifest's sha256 is that of GNU sha256sum's listing of the release
    listing = subprocess.run("find . -type f | sed 's|^\\./||' | LC_ALL=C sort | "
                             "xargs -d '\\n' sha256sum | sha256sum", shell=True, cwd=release,
                             capture_output=True, text=True, check=True).stdout.split()[0]
    assert manifest["sha256"] == listing
    assert re.search(rf"^deploy: release {live(target)} is live at {target}/current "
                     rf"\({manifest['pages']} pages, {manifest['files']} files\)$",
                     result.stdout, re.M)
    assert list(builds.iterdir()) == []
    assert lock_is_free(target)
    assert not (target / "previous").exists()


def test_second_deploy_keeps_first_and_hard_links_unchanged_files(site, prebuilt, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=variant(prebuilt, tmp_path / "v", 1)))
    first = live(target)
    result = ok(deploy(site, target))  # a real rebuild: every file rewritten, new mtimes
    second = live(target)
    assert second != first and os.readlink(target / "previous") == f"releases/{first}"
    old, new = target / "releases" / first, target / "releases" / second
    changed = differing(old, new)
    assert [c for c in changed if not c.startswith("pagefind/")] == ["index.html"]
    shared = 0
    for path in new.rglob("*"):
        if path.is_file() and path.relative_to(new).as_posix() not in changed:
            assert path.stat().st_ino == (old / path.relative_to(new)).stat().st_ino, path
            shared += 1
    files = len([p for p in new.rglob("*") if p.is_file()])
    assert shared == files - len(changed) and shared > 0
    size = sum((new / c).stat().st_size for c in changed)
    assert (f"deploy: uploaded {len(changed)} of {files} files ({size} bytes of file data"
            in result.stdout)


def test_unchanged_build_makes_no_release(site, prebuilt, tmp_path):
    """A build the same as the live release (prebuilt, so its manifest names no inputs)
    makes no release; its manifest gains the inputs (`inputs_sha256`), nothing else
    changes, and the next deploy builds nothing (tests/deploy/test_deploy_inputs.py)."""
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    manifest = target / "releases" / f"{live(target)}.json"
    before, old = snapshot(target), json.loads(manifest.read_text())
    result = ok(deploy(site, target, "--build-root", tmp_path / "builds"))  # real rebuild
    assert result.stdout == f"deploy: nothing changed; release {live(target)} stays live\n"
    assert result.stderr == ""
    new = json.loads(manifest.read_text())
    assert new == {**old, "inputs_sha256": new["inputs_sha256"]} and "inputs_sha256" not in old
    after = snapshot(target)
    assert {k: v for k, v in after.items() if k != str(manifest)} == {
        k: v for k, v in before.items() if k != str(manifest)}
    result = ok(deploy(site, target, "--build-root", tmp_path / "builds"))
    assert result.stdout == (f"deploy: nothing changed since release {live(target)} (live); "
                             "no build\n")
    assert snapshot(target) == after


@pytest.mark.parametrize("toggled, message", [
    ("index.html", "the build has no index.html"),
    ("odd\\name.html", "the build has a file name with a newline or backslash"),
])
def test_build_without_index_or_with_odd_names_is_refused(site, prebuilt, tmp_path, toggled,
                                                          message):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    before = snapshot(target)
    broken = variant(prebuilt, tmp_path / "build", 1)
    if (broken / toggled).exists():
        (broken / toggled).unlink()  # the index goes
    else:
        (broken / toggled).write_text("<p>odd</p>\n")  # a file name sha256sum would escape
    result = deploy(site, target, build_dir=broken)
    assert result.returncode == 1
    assert message in result.stderr
    assert result.stderr.strip().endswith("the live release is unchanged")
    assert snapshot(target) == before


@pytest.mark.parametrize("post, front_matter, error", [
    ("news/2025-04-02-pay.md", "title: Pay\ndate: 02/04/2025\n",
     r"2025-04-02-pay\.md:3: error: .*'02/04/2025'"),
    ("news/2024-06-01-broken.md", "title: [unclosed\ndate: 2024-06-01\n",
     r"2024-06-01-broken\.md:\d+: error: "),
])
def test_build_that_fails_is_refused(site, prebuilt, tmp_path, post, front_matter, error):
    """A post the content check rejects fails the build: the deploy shows the check's
    `path:line: error:` line, refuses, and leaves the target and the build root as they
    were."""
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    before = snapshot(target)
    content = tmp_path / "content"
    shutil.copytree(site / "content", content)
    write_posts(content, {post: front_matter})
    result = deploy(site, target, "--build-root", tmp_path / "builds", content=content)
    assert result.returncode == 1
    assert re.search(error, result.stderr), result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("deploy: error: ") and last.endswith("; the live release is unchanged")
    assert snapshot(target) == before
    assert list((tmp_path / "builds").iterdir()) == []  # the build folder is removed


def test_shrunken_build_needs_allow_shrink(site, prebuilt, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    small = variant(prebuilt, tmp_path / "build", 1)
    for name in ("archives.html", "authors.html", "tags.html", "categories.html"):
        (small / name).unlink()  # 9 pages -> 5: 44% fewer
    before = snapshot(target)
    result = deploy(site, target, build_dir=small)
    assert result.returncode == 1 and "--allow-shrink" in result.stderr
    assert "the build has 5 html pages" in result.stderr
    assert snapshot(target) == before
    ok(deploy(site, target, "--max-shrink", "0.5", build_dir=small))
    ok(deploy(site, target, "--allow-shrink", build_dir=variant(small, tmp_path / "b2", 2)))


def test_hashed_assets_of_the_live_release_stay_reachable(site, tmp_path):
    """Version skew: after the switch, a page of the old release still finds its
    stylesheet in the new one (hard-linked); after a rollback, the other way round."""
    target = tmp_path / "deployed"
    v1, v2 = fake_build(tmp_path / "v1", "v1", 3), fake_build(tmp_path / "v2", "v2", 3)
    empty = tmp_path / "empty"
    (empty / "news").mkdir(parents=True)
    args = ["--input", empty, "--settings", site / "settings.py"]
    css1, css2 = (next(b.glob("theme/css/site.*.css")).name for b in (v1, v2))
    (v1 / "theme/css" / f"{css1}.gz").write_bytes(b"gz")  # precompressed copies travel too
    ok(run_tool("deploy", "--target", target, *args, "--build-dir", v1))
    first = live(target)
    ok(run_tool("deploy", "--target", target, *args, "--build-dir", v2))
    second = live(target)
    css = target / "releases" / second / "theme/css"
    assert sorted(p.name for p in css.iterdir()) == sorted([css1, f"{css1}.gz", css2])
    old = target / "releases" / first / "theme/css" / css1
    assert (css / css1).stat().st_ino == old.stat().st_ino
    manifest = json.loads((target / "releases" / f"{second}.json").read_text())
    assert manifest["assets"] == [f"theme/css/{css2}"] and manifest["files"] == 6
    ok(run_tool("rollback", "--target", target))
    assert sorted(p.name for p in (target / "current/theme/css").iterdir()) == sorted(
        [css1, f"{css1}.gz", css2])


def test_upload_that_differs_from_the_build_is_not_published(site, prebuilt, tmp_path):
    """The server-side check: a damaged upload is never renamed or switched to."""
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    first = live(target)
    local = LocalTarget(str(target))
    state = probe(local)
    build = variant(prebuilt, tmp_path / "build", 1)
    sums = checksums(build)
    manifest = make_manifest(build, FAKE_FUTURE, "x", sums)
    files = len([p for p in build.rglob("*") if p.is_file()])
    for damage, message in [("index.html", "uploaded files differ from the build"),
                            ("extra.html", f"the upload has {files + 1} files where the build "
                                           f"has {files}")]:
        partial = target / "releases" / f".{FAKE_FUTURE}.partial"
        shutil.copytree(build, partial)
        (partial / damage).write_text("damaged\n")
        with pytest.raises(DeployError, match=message) as error:
            publish(local, state, FAKE_FUTURE, manifest, sums)
        assert "the live release is unchanged" in str(error.value)
        assert live(target) == first and not (target / "releases" / FAKE_FUTURE).exists()
        shutil.rmtree(partial)


# --- guards ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw, message", [
    ("", "no deploy target set"),
    ("/", "deploy target is /"),
    ("//", "deploy target is /"),
    ("/root", "is a home folder"),
    ("/home/someone", "is a home folder"),
    ("deployed", "is not an absolute path"),
    ("/no-such-parent-folder/deployed", "parent folder"),
])
def test_unsafe_target_is_refused(site, prebuilt, raw, message):
    result = deploy(site, raw, build_dir=prebuilt)
    assert result.returncode == 1
    assert result.stderr.startswith("deploy: error: ") and message in result.stderr


def test_unset_target_is_refused(site, prebuilt):
    result = deploy(site, None, build_dir=prebuilt, env={"DEPLOY_TARGET": ""})
    assert result.returncode == 1 and "no deploy target set" in result.stderr


def test_home_folder_target_is_refused(site, prebuilt, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    for raw in (home, f"{home}/"):
        result = deploy(site, raw, build_dir=prebuilt, env={"HOME": str(home)})
        assert result.returncode == 1 and "is a home folder" in result.stderr
    link = tmp_path / "link-to-home"
    link.symlink_to(home)
    result = deploy(site, link, build_dir=prebuilt, env={"HOME": str(home)})
    assert result.returncode == 1 and "is a home folder" in result.stderr
    assert list(home.iterdir()) == []


def test_folder_without_marker_is_refused(site, prebuilt, tmp_path):
    folder = tmp_path / "somebodys-files"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me\n")
    before = snapshot(folder)
    for result in (deploy(site, folder, build_dir=prebuilt),
                   run_tool("setup", "--target", folder)):
        assert result.returncode == 1 and "no .deploy-target marker" in result.stderr
    assert snapshot(folder) == before


def test_env_target_and_empty_folder_setup(site, prebuilt, tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    ok(deploy(site, None, build_dir=prebuilt, env={"DEPLOY_TARGET": str(target)}))
    assert (target / ".deploy-target").is_file() and (target / "current/index.html").is_file()


def test_setup_prepares_a_new_folder_once(tmp_path):
    target = tmp_path / "new"
    assert "set up new deploy target" in ok(run_tool("setup", "--target", target)).stdout
    assert (target / ".deploy-target").is_file() and (target / "releases").is_dir()
    assert "already set up" in ok(run_tool("setup", "--target", target)).stdout
