"""Tests for the deploy (`python -m newsroom.deploy`) on local targets: real filesystem, real
rsync, real Pelican builds.

A tiny fixture site (its own settings file, Pelican's `simple` theme, four posts: two
published, one draft, one embargoed, plus a page) is built once per module; most tests deploy
that prebuilt folder (or a copy with one file changed, `variant`) through the tool's internal
`--build-dir` option, and the ones about the build itself run Pelican through the tool, with
`--build-root` in tmp_path. Every deploy target is under `tmp_path`; /work/main/content is
never touched. Deploys over ssh and under load: test_deploy_ssh.py, test_deploy_load.py.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
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
    fake_build,
    ok,
    published_pages,
    run_tool,
    snapshot,
    tool_env,
)

from newsroom.build import build_site
from newsroom.deploy import DeployError
from newsroom.deploy.releases import probe
from newsroom.deploy.ship import checksums, make_manifest
from newsroom.deploy.switch import deploy_lock, publish
from newsroom.deploy.targets import LocalTarget

SETTINGS = """\
SITENAME = "Fixture News"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/London"
ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages"]
FILENAME_METADATA = r"\\d{4}-\\d{2}-\\d{2}-(?P<slug>.+)"
ARTICLE_URL = "news/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "news/{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
WITH_FUTURE_DATES = False
DRAFT_SAVE_AS = ""
THEME = "simple"
PLUGINS = ["pelican.plugins.yaml_metadata"]
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
CACHE_CONTENT = False
"""
POSTS = {
    "news/2024-03-01-first-post.md": "title: First post\ndate: 2024-03-01\nstatus: published\n",
    "news/2024-12-31-late-night.md": "title: Late night\ndate: 2024-12-31 23:30\n",
    "news/2024-05-01-a-draft.md": "title: A draft\ndate: 2024-05-01\nstatus: draft\n",
    "news/2099-01-01-embargoed.md": "title: Embargoed\ndate: 2099-01-01 09:00\n",
    "pages/about.md": "title: About\n",
}
EXPECTED = {"news/2024/03/first-post/index.html", "news/2024/12/late-night/index.html"}
FAKE_OLD, FAKE_OLDER, FAKE_FUTURE = "20010101T000000Z", "20000101T000000Z", "29990101T000000Z"


def write_posts(content: Path, posts: dict[str, str]) -> None:
    for name, front_matter in posts.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(f"---\n{front_matter}---\nBody of {name}.\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The fixture site folder: settings.py and content/."""
    folder = tmp_path_factory.mktemp("site")
    (folder / "settings.py").write_text(SETTINGS)
    write_posts(folder / "content", POSTS)
    return folder


@pytest.fixture(scope="module")
def prebuilt(site, tmp_path_factory) -> Path:
    """The fixture site built once by the call a deploy builds with (checked, built with
    Pelican, indexed for search), for tests that exercise upload and switch."""
    out = tmp_path_factory.mktemp("prebuilt")
    build_site(site / "settings.py", out, content=site / "content")
    return out


def differing(old: Path, new: Path) -> list[str]:
    """Files of the tree `new` that `old` lacks or holds with other bytes. Beyond real
    changes these include search-index chunks: Pagefind does not write them byte for byte
    the same twice."""
    return sorted(p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file()
                  and not ((old / p.relative_to(new)).is_file()
                           and (old / p.relative_to(new)).read_bytes() == p.read_bytes()))


def variant(prebuilt: Path, folder: Path, n: int) -> Path:
    """A copy of the prebuilt site whose index.html differs (so it is a new release)."""
    shutil.copytree(prebuilt, folder)
    with open(folder / "index.html", "a") as index:
        index.write(f"<!-- variant {n} -->\n")
    return folder


def deploy(site: Path, target, *extra, build_dir: Path | None = None,
           content: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    args = ["deploy", "--input", content or site / "content", "--settings", site / "settings.py"]
    if target is not None:
        args += ["--target", target]
    if build_dir is not None:
        args += ["--build-dir", build_dir]
    return run_tool(*args, *extra, env=env)


def live(target: Path) -> str:
    """The release id `current` points to (asserting the link is relative)."""
    link = os.readlink(target / "current")
    assert link.startswith("releases/")
    return link.removeprefix("releases/")


def lock_is_free(target: Path) -> bool:
    try:
        with deploy_lock(LocalTarget(str(target)), "test"):
            return True
    except DeployError:
        return False


def fake_release(target: Path, release_id: str) -> None:
    (target / "releases" / release_id).mkdir()
    (target / "releases" / release_id / "index.html").write_text(f"<p>{release_id}</p>\n")
    (target / "releases" / f"{release_id}.json").write_text(
        f'{{"id": "{release_id}", "created": "?", "commit": "fake", "pages": 1}}\n'
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
    expected = make_manifest(release, manifest["id"], manifest["commit"], sums)
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
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    before = snapshot(target)
    result = ok(deploy(site, target, "--build-root", tmp_path / "builds"))  # real rebuild
    assert result.stdout == f"deploy: nothing changed; release {live(target)} stays live\n"
    assert result.stderr == ""
    assert snapshot(target) == before


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


def test_real_site_deploys(tmp_path):
    """The real content, built with publishconf.py: the live release holds exactly the
    article pages of the posts published at the moment of the deploy."""
    target = tmp_path / "deployed"
    before = published_pages(REPO / "content", datetime.now(UTC))
    ok(run_tool("deploy", "--target", target, "--input", REPO / "content",
                "--settings", REPO / "publishconf.py", "--build-root", tmp_path / "builds"))
    after = published_pages(REPO / "content", datetime.now(UTC))  # an embargo may lift
    assert len(before) >= 10
    assert before <= article_pages(target / "current") <= after
    index = target / "current" / "index.html"
    assert gzip.decompress(Path(f"{index}.gz").read_bytes()) == index.read_bytes()


def test_make_targets_pass_the_deploy_settings():
    """`make deploy|deploy-setup|rollback|releases` hand DEPLOY_* and RELEASE to the tool."""
    settings = ["DEPLOY_TARGET=news:/srv/www/news", "DEPLOY_SSH_PORT=2222", "DEPLOY_KEEP=3",
                "DRY_RUN=1", "RELEASE=20250101T000000Z"]
    target = '--target "news:/srv/www/news" --ssh-port 2222'
    for name, expected in [("deploy", f"deploy {target} --keep 3 --dry-run --input "),
                           ("deploy-setup", f"setup {target}"),
                           ("rollback", f"rollback {target} --release 20250101T000000Z"),
                           ("releases", f"releases {target}")]:
        out = subprocess.run(["make", "-n", name, *settings], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout
        lines = [line for line in out.splitlines() if "-m newsroom.deploy " in line]
        assert len(lines) == 1 and f"-m newsroom.deploy {expected}" in lines[0], out
