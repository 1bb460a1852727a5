"""Tests for tools/deploy.py: real filesystem, real rsync, real Pelican builds.

A tiny fixture site (its own settings file, Pelican's `simple` theme, four posts: two
published, one draft, one embargoed, plus a page) is built once per module; most tests deploy
that prebuilt folder through the tool's internal `--build-dir` option, and the ones about the
build itself (first deploy, failing build, dry run, hard links across rebuilds) run Pelican
through the tool. Every deploy target is under `tmp_path`; /work/main/content is never touched.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TOOL = REPO / "tools" / "deploy.py"
SPEC = importlib.util.spec_from_file_location("deploy_tool", TOOL)
deploy_tool = importlib.util.module_from_spec(SPEC)
sys.modules[SPEC.name] = deploy_tool  # dataclasses look their module up there
SPEC.loader.exec_module(deploy_tool)

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
    """The fixture site built once with Pelican, for tests that exercise upload and switch."""
    out = tmp_path_factory.mktemp("prebuilt")
    subprocess.run(
        [
            *deploy_tool.pelican_command(),
            str(site / "content"),
            "-s",
            str(site / "settings.py"),
            "-o",
            str(out),
            "--fatal",
            "warnings",
        ],
        cwd=site,
        check=True,
        capture_output=True,
    )
    return out


def run_tool(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "DEPLOY_TARGET"}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, str(TOOL), *map(str, args)],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def deploy(
    site: Path,
    target,
    *extra,
    build_dir: Path | None = None,
    content: Path | None = None,
    env: dict | None = None,
) -> subprocess.CompletedProcess:
    args = ["deploy", "--input", content or site / "content", "--settings", site / "settings.py"]
    if target is not None:
        args += ["--target", target]
    if build_dir is not None:
        args += ["--build-dir", build_dir]
    return run_tool(*args, *extra, env=env)


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def live(target: Path) -> str:
    """The release id `current` points to (asserting the link is relative)."""
    link = os.readlink(target / "current")
    assert link.startswith("releases/")
    return link.removeprefix("releases/")


def snapshot(folder: Path) -> dict:
    """Everything about a folder a deploy could change: names, kinds, inodes, bytes, links."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            info = path.lstat()
            if path.is_symlink():
                state[str(path)] = ("link", os.readlink(path))
            elif path.is_dir():
                state[str(path)] = ("dir", info.st_ino)
            else:
                state[str(path)] = ("file", info.st_ino, info.st_mtime_ns, path.read_bytes())
    return state


def html_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.html") if p.is_file()]


def build_dir_of(result: subprocess.CompletedProcess) -> Path:
    found = re.search(r"^deploy: building into (\S+):", result.stdout, re.MULTILINE)
    assert found, result.stdout
    return Path(found[1])


def fake_release(target: Path, release_id: str) -> None:
    (target / "releases" / release_id).mkdir()
    (target / "releases" / release_id / "index.html").write_text(f"<p>{release_id}</p>\n")
    (target / "releases" / f"{release_id}.json").write_text(
        f'{{"id": "{release_id}", "created": "?", "commit": "fake", "pages": 1}}\n'
    )


# --- deploy ---------------------------------------------------------------------------


def test_expected_articles_of_fixture(site):
    expected = deploy_tool.expected_articles(site / "content", datetime.now(UTC))
    assert set(expected) == EXPECTED


def test_expected_articles_uses_europe_london_and_skips_drafts(tmp_path):
    write_posts(
        tmp_path,
        {
            "news/2025-06-01-due.md": "title: Due\ndate: 2025-06-01 10:30\n",  # 09:30 UTC
            "news/2025-06-01-embargoed.md": "title: E\ndate: 2025-06-01 11:30\n",  # 10:30 UTC
            "news/2025-05-01-draft.md": "title: D\ndate: 2025-05-01\nstatus: draft\n",
            "news/2025-01-31-quoted.md": "title: Q\ndate: '2025-01-31'\nstatus: published\n",
        },
    )
    now = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
    assert set(deploy_tool.expected_articles(tmp_path, now)) == {
        "news/2025/06/due/index.html",
        "news/2025/01/quoted/index.html",
    }


def test_first_deploy_makes_complete_release(site, tmp_path):
    target = tmp_path / "deployed"
    result = ok(deploy(site, target))
    release = target / "releases" / live(target)
    assert (target / ".deploy-target").is_file()
    assert (target / "current" / "index.html").stat().st_size > 0
    for page in EXPECTED:
        assert (target / "current" / page).is_file(), page
    assert not (target / "current" / "news" / "2099").exists()
    manifest = deploy_tool.json.loads((target / "releases" / f"{live(target)}.json").read_text())
    assert manifest["pages"] == len(html_files(release))
    assert manifest["files"] == len([p for p in release.rglob("*") if p.is_file()])
    assert manifest["id"] == live(target) and re.fullmatch(r"[\dT]{15}Z", manifest["id"])
    assert manifest == {
        **manifest,
        **{
            k: v
            for k, v in deploy_tool.make_manifest(
                release, manifest["id"], manifest["commit"]
            ).items()
            if k != "created"
        },
    }
    assert re.search(
        rf"deploy: release {live(target)} is live at {target}/current "
        rf"\({manifest['pages']} pages, {manifest['files']} files, \d+ bytes copied\)",
        result.stdout,
    )
    assert not build_dir_of(result).exists()
    assert not (target / ".deploy.lock").exists()
    assert not (target / "previous").exists()


def test_second_deploy_keeps_first_and_hard_links_unchanged_files(site, prebuilt, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    first = live(target)
    result = ok(deploy(site, target))  # a real rebuild: every file rewritten, new mtimes
    second = live(target)
    assert second != first and os.readlink(target / "previous") == f"releases/{first}"
    old, new = target / "releases" / first, target / "releases" / second
    assert (old / "index.html").is_file()
    shared = 0
    for path in new.rglob("*"):
        if path.is_file() and (old / path.relative_to(new)).read_bytes() == path.read_bytes():
            assert path.stat().st_ino == (old / path.relative_to(new)).stat().st_ino, path
            assert path.stat().st_nlink > 1
            shared += 1
    assert shared == len(list(prebuilt.rglob("*.html"))) and shared > 0
    assert "0 bytes copied" in result.stdout


def test_failing_build_leaves_current_untouched(site, prebuilt, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    before = snapshot(target)
    content = tmp_path / "content"
    shutil.copytree(site / "content", content)
    write_posts(content, {"news/2024-06-01-broken.md": "title: [unclosed\ndate: 2024-06-01\n"})
    result = deploy(site, target, content=content)
    assert result.returncode == 1
    assert "deploy: error: build failed; the live release is unchanged" in result.stderr
    assert snapshot(target) == before
    assert not build_dir_of(result).exists()


@pytest.mark.parametrize(
    "damage, message",
    [
        (
            "news/2024/12/late-night/index.html",
            "lacks 1 expected article page(s): news/2024/12/late-night/index.html",
        ),
        ("index.html", "no index.html"),
    ],
)
def test_incomplete_build_is_refused(site, prebuilt, tmp_path, damage, message):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    before = snapshot(target)
    broken = tmp_path / "build"
    shutil.copytree(prebuilt, broken)
    (broken / damage).unlink()
    result = deploy(site, target, build_dir=broken)
    assert result.returncode == 1
    assert message in result.stderr
    assert result.stderr.strip().endswith("the live release is unchanged")
    assert snapshot(target) == before


def test_shrunken_build_needs_allow_shrink(site, prebuilt, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    small = tmp_path / "build"
    shutil.copytree(prebuilt, small)
    for name in ("archives.html", "authors.html", "tags.html", "categories.html"):
        (small / name).unlink()  # 9 pages -> 5: 44% fewer
    before = snapshot(target)
    result = deploy(site, target, build_dir=small)
    assert result.returncode == 1 and "--allow-shrink" in result.stderr
    assert "the build has 5 html pages" in result.stderr
    assert snapshot(target) == before
    ok(deploy(site, target, "--max-shrink", "0.5", build_dir=small))
    ok(deploy(site, target, "--allow-shrink", build_dir=small))


# --- guards ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, message",
    [
        ("", "no deploy target set"),
        ("/", "deploy target is /"),
        ("//", "deploy target is /"),
        ("/root", "is a home folder"),
        ("/home/someone", "is a home folder"),
        ("deployed", "is not an absolute path"),
        ("/no-such-parent-folder/deployed", "parent folder"),
    ],
)
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
    result = deploy(site, folder, build_dir=prebuilt)
    assert result.returncode == 1 and "no .deploy-target marker" in result.stderr
    assert snapshot(folder) == before


def test_env_target_and_empty_folder_setup(site, prebuilt, tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    ok(deploy(site, None, build_dir=prebuilt, env={"DEPLOY_TARGET": str(target)}))
    assert (target / ".deploy-target").is_file() and (target / "current/index.html").is_file()


# --- lock, dry run, partials ----------------------------------------------------------


def test_deploy_is_refused_while_the_lock_is_held(site, prebuilt, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    lock = target / ".deploy.lock"
    lock.write_text("deploy by pid 1 on elsewhere\n")
    before = snapshot(target)
    for result in (
        deploy(site, target, build_dir=prebuilt),
        run_tool("rollback", "--target", target),
    ):
        assert result.returncode == 1
        assert f"deploy: error: another deploy is running (lock {lock})" in result.stderr
        assert "pid 1 on elsewhere" in result.stderr
    assert snapshot(target) == before
    lock.unlink()
    ok(deploy(site, target, build_dir=prebuilt))
    assert not lock.exists()


def test_second_deploy_is_refused_while_the_first_builds(site, prebuilt, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    slow = site / "slow_settings.py"  # a settings file is Python: this build takes 2 s
    slow.write_text("import time\ntime.sleep(2)\n" + SETTINGS)
    environ = {k: v for k, v in os.environ.items() if k != "DEPLOY_TARGET"}
    first = subprocess.Popen(
        [
            sys.executable,
            str(TOOL),
            "deploy",
            "--target",
            str(target),
            "--input",
            str(site / "content"),
            "--settings",
            str(slow),
        ],
        cwd=REPO,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lock = target / ".deploy.lock"
        for _ in range(200):
            if lock.exists() or first.poll() is not None:
                break
            time.sleep(0.02)
        assert lock.exists(), "the first deploy never took the lock"
        second = deploy(site, target, build_dir=prebuilt)
        assert second.returncode == 1
        assert f"deploy: error: another deploy is running (lock {lock})" in second.stderr
    finally:
        out, err = first.communicate(timeout=60)
    assert first.returncode == 0, out + err
    assert not lock.exists()
    assert len([p for p in (target / "releases").iterdir() if p.is_dir()]) == 2


def test_lock_excludes_a_second_holder(tmp_path):
    target = deploy_tool.LocalTarget(str(tmp_path))
    with deploy_tool.deploy_lock(target, "first"):
        with (
            pytest.raises(deploy_tool.DeployError, match="another deploy is running"),
            deploy_tool.deploy_lock(target, "second"),
        ):
            pass
        assert (tmp_path / ".deploy.lock").exists()
    assert not (tmp_path / ".deploy.lock").exists()


def test_dry_run_changes_nothing(site, prebuilt, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy(site, target, build_dir=prebuilt))
    (target / "releases" / f".{FAKE_OLD}.partial").mkdir()  # even stale partials stay
    before = snapshot(target)
    result = ok(deploy(site, target, "--dry-run"))
    assert "deploy: dry run:" in result.stdout and "would copy 0 of" in result.stdout
    assert snapshot(target) == before
    assert not build_dir_of(result).exists()
    absent = tmp_path / "absent"
    result = ok(deploy(site, absent, "--dry-run", build_dir=prebuilt))
    assert "would copy 9 of 9 files" in result.stdout
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
    ok(deploy(site, target, build_dir=prebuilt))
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
    assert sorted(p.name for p in releases.iterdir()) == sorted(
        [
            FAKE_OLDER,
            f"{FAKE_OLDER}.json",
            new,
            f"{new}.json",
            FAKE_FUTURE,
            f"{FAKE_FUTURE}.json",
            "keepme",
            "keepme.json",
            f"{FAKE_OLDER}-old",
        ]
    )
    assert f"pruned release {first}" in result.stdout
    assert (releases / "keepme" / "file.txt").read_text() == "not ours\n"


# --- the real site, once it builds ------------------------------------------------------


def test_real_site_deploys(tmp_path):
    target = tmp_path / "deployed"
    result = run_tool(
        "deploy",
        "--target",
        target,
        "--input",
        REPO / "content",
        "--settings",
        REPO / "publishconf.py",
    )
    ok(result)
    expected = deploy_tool.expected_articles(REPO / "content", datetime.now(UTC))
    for page in expected:
        assert (target / "current" / page).is_file(), page
