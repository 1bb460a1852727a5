"""The deploy tests' fixture site and helpers: a tiny site (its own settings file, Pelican's
`simple` theme, four posts: two published, one draft, one embargoed, plus a page), and
functions to deploy it, read the live release and fake releases. Its fixtures `site` (the
folder, written once per module) and `prebuilt` (its build, made once per module by the call
a deploy builds with, in a process of its own) are imported by the test modules.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deploy_helpers import REPO, run_tool

from newsroom.deploy import DeployError
from newsroom.deploy.switch import deploy_lock
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
    # in a process of its own, as make deploy builds: Pelican's logging is process-wide
    subprocess.run([sys.executable, "-c", "import sys; from newsroom.build import build_site;"
                    " build_site(*map(__import__('pathlib').Path, sys.argv[1:3]),"
                    " content=__import__('pathlib').Path(sys.argv[3]))",
                    site / "settings.py", out, site / "content"], cwd=REPO, check=True)
    return out
