"""The home page's lead story (issue 12): the newest `featured: true` post, else the newest
post, on page 1 only and not again in the grid under it; a `featured:` value other than
true or false stops the build with its file and line.

Builds: the tiny fixture site with three more posts, two pages of two stories each
(DEFAULT_PAGINATION=2), with and without a featured post; read with BeautifulSoup.
"""

import shutil

import pytest

from conftest import build, write_post
from helpers import TINY, soup

POSTS = {  # file: (date, featured)
    "2025-01-10-old-featured.md": ("2025-01-10", "true"),
    "2025-04-01-newest.md": ("2025-04-01", "false"),
    "2025-03-20-plain.md": ("2025-03-20", None),
}


def site(folder, featured=True):
    """The tiny site plus POSTS (their `featured:` lines left out unless `featured`), built
    with two stories a page; return the output folder."""
    content = folder / "content"
    shutil.copytree(TINY / "content", content)
    for name, (date, value) in POSTS.items():
        line = f"\nfeatured: {value}" if value and featured else ""
        write_post(content / "news", name, f'title: "{name[11:-3]}"\ndate: {date}{line}')
    done = build(folder / "output", content, extra=["-e", "DEFAULT_PAGINATION=2"])
    assert done.returncode == 0, done.log
    return done.output


def front(output, page="index.html"):
    """(the lead's headline link, [the grid's headline links]) of a home page file."""
    html = soup(output / page)
    lead = html.select_one("main .lead-story h2 a")
    grid = [a["href"] for a in html.select("main .article-list--grid .article-card h2 a")]
    return (lead["href"] if lead else None), grid


@pytest.fixture(scope="module")
def featured_site(tmp_path_factory):
    return site(tmp_path_factory.mktemp("featured"))


def test_the_newest_featured_post_leads_page_1_only(featured_site):
    lead, grid = front(featured_site)
    assert lead == "/news/2025/01/old-featured/"
    assert lead not in grid and grid == ["/news/2025/04/newest/", "/news/2025/03/plain/"]
    lead, grid = front(featured_site, "page/2/index.html")
    assert lead is None and len(grid) == 2
    assert soup(featured_site / "page/2/index.html").find("h1").get_text() == "Latest news"


def test_without_a_featured_post_the_newest_leads_once(tmp_path):
    output = site(tmp_path, featured=False)
    lead, grid = front(output)
    assert lead == "/news/2025/04/newest/" and lead not in grid
    assert grid == ["/news/2025/03/plain/"]  # the rest of page 1 (two stories a page)
    assert len(soup(output / "index.html").find_all("h1")) == 1


def test_a_featured_value_that_is_not_true_or_false_stops_the_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(TINY / "content", content)
    write_post(content / "news", "2025-04-02-pay.md",
               'title: "Pay"\ndate: 2025-04-02\nfeatured: yes')
    done = build(tmp_path / "output", content)
    assert done.returncode != 0 and "Traceback" not in done.log
    assert ("content/news/2025-04-02-pay.md:4: error: featured 'yes' is not allowed; write "
            "featured: true or featured: false") in done.log.replace(str(tmp_path) + "/", "")
