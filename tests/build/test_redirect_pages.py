"""A moved post's old address keeps working (plugins/redirects.py, data/redirects.yml).

The tiny fixture site is built with publishconf.py and a redirects file naming one of its
posts as moved from an old address and one address as gone; the build must write a redirect
page there that leads to the post's address (canonical, refresh and plain link), the
removed-story page, and the nginx maps; a redirect to an address the site lacks fails it.
"""

import shutil

import pytest
from conftest import ROOT, build
from helpers import soup

SITEURL = "https://news.northvale-polfed.example"
TINY = ROOT / "tests" / "fixtures" / "tiny" / "content"


def site_with_redirects(tmp_path, text):
    """Build the tiny site with a redirects file holding `text`; return the Build."""
    redirects = tmp_path / "redirects.yml"
    redirects.write_text(text, encoding="utf-8")
    return build(tmp_path / "output", content=TINY, conf="publishconf.py",
                 extra=["-e", f'NEWS_REDIRECTS="{redirects}"'])


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("redirects")
    first = build(tmp / "plain", content=TINY, conf="publishconf.py")
    assert first.returncode == 0, first.log
    article = sorted((first.output / "news").glob("[0-9]*/[0-9]*/*/index.html"))[0]
    new = article.parent.relative_to(first.output).as_posix() + "/"
    shutil.rmtree(first.output)
    result = site_with_redirects(tmp, f"moved:\n  news/2019/01/old-name/: {new}\n"
                                      "gone:\n  - news/2019/02/withdrawn/\n")
    assert result.returncode == 0, result.log
    return result, new


def test_the_old_address_has_a_page_leading_to_the_new_one(moved):
    result, new = moved
    page = soup(result.output / "news/2019/01/old-name/index.html")
    target = f"{SITEURL}/{new}"
    assert page.find("link", rel="canonical")["href"] == target
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={target}"
    [link] = page.main.find_all("a")
    assert link["href"] == target and link.get_text(strip=True)
    headline = soup(result.output / new / "index.html").h1.get_text(strip=True)
    assert link.get_text(strip=True) == headline
    assert (result.output / new / "index.html").is_file()


def test_a_gone_address_says_the_story_was_removed(moved):
    result, _ = moved
    for name in ("news/2019/02/withdrawn/index.html", "410.html"):
        page = soup(result.output / name)
        assert page.h1.get_text(strip=True) == "This story has been removed"
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_the_nginx_maps_are_in_the_build(moved):
    result, new = moved
    maps = result.output / "_nginx"
    assert f"/news/2019/01/old-name/ /{new};" in (maps / "moved.map").read_text().splitlines()
    assert "/news/2019/02/withdrawn/ 1;" in (maps / "gone.map").read_text().splitlines()


def test_a_redirect_to_an_address_the_site_lacks_fails_the_build(tmp_path):
    result = site_with_redirects(tmp_path, "moved:\n  news/2019/01/a/: news/2019/01/none/\n")
    assert result.returncode == 1
    assert (f"{tmp_path}/redirects.yml:2: error: news/2019/01/a/ redirects to "
            "news/2019/01/none/, which no published post or page has") in result.log
    assert not (tmp_path / "output" / "news/2019/01/a/index.html").exists()
