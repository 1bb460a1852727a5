"""A deploy with nothing changed builds nothing (issue 11): it compares the fingerprint of
its inputs (`newsroom.deploy.inputs`) with the live release's manifest, and each kind of
input, changed, does bring a build: a content file, a data file, the theme, a setting,
`--siteurl`, the newsroom code, an embargo time crossed, a new year (the footer's).

Every deploy runs the tool in a process of its own with the clock set (time_machine), on a
copy of the fixture site, to a local folder target under tmp_path.
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pelican
import pytest
from deploy_helpers import REPO, article_pages, ok, snapshot, tool_env
from helpers import SITE_DATA_EXAMPLE, copy_repo

from fixture_site import EXPECTED, live, site  # noqa: F401 (site is a fixture)

# The deploy tool with the clock set to argv[1] (ISO), as tests/build_at.py does for builds.
DEPLOY_AT = """import datetime, sys
import time_machine
from newsroom.deploy.cli import main
with time_machine.travel(datetime.datetime.fromisoformat(sys.argv[1]), tick=True):
    sys.exit(main(sys.argv[2:]))
"""
T0 = datetime.datetime.fromisoformat("2030-06-01T12:00:00+01:00")  # a summer morning
LATER = T0 + datetime.timedelta(minutes=10)
SOON = "news/2030-06-01-soon.md"   # embargoed until 13:00 that day, London time
SOON_PAGE = "news/2030/06/soon/index.html"


def deploy_at(folder: Path, target: Path, moment: datetime.datetime, *extra,
              cwd: Path = REPO) -> subprocess.CompletedProcess:
    """Deploy `folder`/content with `folder`/settings.py to `target` at `moment`."""
    return subprocess.run(
        [sys.executable, "-c", DEPLOY_AT, moment.isoformat(), "deploy", "--target",
         str(target), "--input", str(folder / "content"), "--settings",
         str(folder / "settings.py"), "--build-root", str(folder / "builds"), *map(str, extra)],
        cwd=cwd, env=tool_env(), capture_output=True, text=True, timeout=300)


def no_build(folder: Path, target: Path, moment: datetime.datetime, *extra,
             cwd: Path = REPO) -> None:
    """Deploy and assert it printed its one line and built and changed nothing."""
    shutil.rmtree(folder / "builds", ignore_errors=True)
    before = snapshot(target)
    result = ok(deploy_at(folder, target, moment, *extra, cwd=cwd))
    assert result.stdout == (f"deploy: nothing changed since release {live(target)} (live); "
                             "no build\n"), result.stdout
    assert result.stderr == ""
    assert snapshot(target) == before
    assert not (folder / "builds").exists()  # the build folder is made only to build


@pytest.fixture
def copy(site, tmp_path) -> Path:  # noqa: F811
    """A copy of the fixture site with a post embargoed until 13:00 on T0's day."""
    folder = shutil.copytree(site, tmp_path / "site")
    (folder / "content" / SOON).write_text("---\ntitle: Soon\ndate: 2030-06-01 13:00\n---\n"
                                           "Body of the post embargoed until 13:00.\n")
    return folder


def test_no_change_deploy_builds_nothing_and_stores_its_inputs(copy, tmp_path):
    target = tmp_path / "deployed"
    first = ok(deploy_at(copy, target, T0))
    assert "is live at" in first.stdout and article_pages(target / "current") == EXPECTED
    manifest = json.loads((target / "releases" / f"{live(target)}.json").read_text())
    assert len(manifest["inputs_sha256"]) == 64
    no_build(copy, target, LATER)
    no_build(copy, target, LATER, "--dry-run")
    rebuilt = ok(deploy_at(copy, target, LATER, "--rebuild"))  # builds; the same site
    assert rebuilt.stdout == f"deploy: nothing changed; release {live(target)} stays live\n"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_changed_post_setting_or_siteurl_brings_a_build(copy, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy_at(copy, target, T0))
    edit(copy / "content/news/2024-03-01-first-post.md", "First post", "First post, edited")
    ok(deploy_at(copy, target, LATER))
    assert "First post, edited" in (target / "current/news/2024/03/first-post/index.html"
                                    ).read_text()
    edit(copy / "settings.py", 'SITENAME = "Fixture News"', 'SITENAME = "Renamed News"')
    ok(deploy_at(copy, target, LATER + datetime.timedelta(seconds=2)))
    assert "Renamed News" in (target / "current/index.html").read_text()
    siteurl = "http://127.0.0.1:8123"
    ok(deploy_at(copy, target, LATER + datetime.timedelta(seconds=4), "--siteurl", siteurl))
    assert siteurl in (target / "current/index.html").read_text()
    no_build(copy, target, LATER + datetime.timedelta(seconds=6), "--siteurl", siteurl)


def test_a_changed_theme_or_data_file_brings_a_build(copy, tmp_path):
    theme = shutil.copytree(Path(pelican.__file__).parent / "themes/simple", copy / "theme")
    data = copy / "data/site.yml"
    data.parent.mkdir()
    data.write_text(SITE_DATA_EXAMPLE)
    with open(copy / "settings.py", "a") as settings:
        settings.write(f'THEME = "{theme}"\nNEWS_SITE_DATA = "{data}"\n')
    target = tmp_path / "deployed"
    ok(deploy_at(copy, target, T0))
    no_build(copy, target, LATER)
    edit(theme / "templates/base.html", "</body>", "<!-- theme edited --></body>")
    ok(deploy_at(copy, target, LATER))
    assert "<!-- theme edited -->" in (target / "current/index.html").read_text()
    edit(data, "01632 960 999", "01632 960 998")  # the fixture's theme does not show it
    result = ok(deploy_at(copy, target, LATER + datetime.timedelta(seconds=2)))
    assert result.stdout == f"deploy: nothing changed; release {live(target)} stays live\n"
    no_build(copy, target, LATER + datetime.timedelta(seconds=4))  # its inputs were noted


def test_an_embargo_crossed_or_a_new_year_brings_a_build(copy, tmp_path):
    target = tmp_path / "deployed"
    ok(deploy_at(copy, target, T0))
    assert SOON_PAGE not in article_pages(target / "current")
    no_build(copy, target, T0.replace(hour=12, minute=59))
    ok(deploy_at(copy, target, T0.replace(hour=13, minute=1)))
    assert SOON_PAGE in article_pages(target / "current")  # it went live at 13:00
    no_build(copy, target, T0.replace(hour=13, minute=30))
    new_year = datetime.datetime.fromisoformat("2031-01-01T00:01:00+00:00")
    result = ok(deploy_at(copy, target, new_year))  # the footer's year would change
    assert result.stdout == f"deploy: nothing changed; release {live(target)} stays live\n"


def test_changed_code_brings_a_build(copy, tmp_path):
    repo = copy_repo(tmp_path / "repo")
    target = tmp_path / "deployed"
    ok(deploy_at(copy, target, T0, cwd=repo))
    no_build(copy, target, LATER, cwd=repo)
    with open(repo / "newsroom/layout.py", "a") as code:
        code.write("# a change to the code\n")
    result = ok(deploy_at(copy, target, LATER, cwd=repo))
    assert result.stdout == f"deploy: nothing changed; release {live(target)} stays live\n"
    no_build(copy, target, LATER + datetime.timedelta(seconds=2), cwd=repo)
