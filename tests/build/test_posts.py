"""Good posts render right: one small site of awkward but valid posts, built once.

Dates in summer and winter, a slug that differs from the headline, a title YAML would read
as a boolean, typography next to code, attributes and URLs, and a draft that must not be
written anywhere.
"""

import re

import pytest
from bs4 import BeautifulSoup

from conftest import build, write_post
from helpers import soup

TYPO_BODY = (
    'Officers said "it\'s fair" -- mostly. PFEW & HMICFRS agreed.\n\n'
    'Type <kbd>#FFF</kbd> for white.\n\n'  # <style> is refused in a body (newsroom.safehtml)
    '    a "quoted" -- code block\n\n'
    "Inline `\"code\" -- here` and [a link](https://example.org/a--b?name=o'neil "
    "\"a 'title' -- here\").\n\n"
    '<abbr title="Police Federation of England and Wales -- PFEW">PFEW</abbr>\n'
)


@pytest.fixture(scope="module")
def posts_site(tmp_path_factory):
    news = tmp_path_factory.mktemp("posts") / "content/news"
    write_post(news, "2025-07-01-summer.md", 'title: "Summer"\ndate: 2025-07-01 09:30')
    write_post(news, "2025-01-10-winter.md", 'title: "Winter"\ndate: 2025-01-10')
    write_post(news, "2025-04-02-pay-award.md",
               'title: "A completely different headline"\ndate: 2025-04-02')
    write_post(news, "2025-04-03-no.md", "title: No\ndate: 2025-04-03")
    write_post(news, "2025-04-04-typo.md",
               'title: "Fire & Rescue \\"pay\\" talks -- HMICFRS </title"\ndate: 2025-04-04',
               TYPO_BODY)
    write_post(news, "2025-04-05-draft.md", 'title: "Secret"\ndate: 2025-04-05\nstatus: draft',
               "Zanzibar phrase.\n")
    result = build(news.parent.parent / "output", content=news.parent)
    assert result.returncode == 0, result.log
    return result.output


def test_dates_carry_the_offset_of_their_season(posts_site):
    summer = soup(posts_site / "news/2025/07/summer/index.html")
    winter = soup(posts_site / "news/2025/01/winter/index.html")
    assert summer.find("time", datetime="2025-07-01T09:30:00+01:00")
    assert "1 July 2025" in summer.get_text()
    assert winter.find("time", datetime="2025-01-10T00:00:00+00:00")
    assert "10 January 2025" in winter.get_text()


def test_slug_comes_from_the_file_name(posts_site):
    page = soup(posts_site / "news/2025/04/pay-award/index.html")
    assert page.h1.get_text(strip=True).replace("\xa0", " ") == "A completely different headline"


def test_yaml_keeps_words_as_text(posts_site):
    assert soup(posts_site / "news/2025/04/no/index.html").h1.get_text().strip() == "No"


def test_typogrify_leaves_code_attributes_and_urls_alone(posts_site):
    html = (posts_site / "news/2025/04/typo/index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html5lib")
    article = page.find("article")
    text = article.get_text()
    assert "\u201cit\u2019s fair\u201d \u2013 mostly" in text
    assert '<span class="amp">&amp;</span>' in str(article)
    assert article.find("pre").get_text() == 'a "quoted" -- code block\n'
    assert article.find("code", string=re.compile("here")).get_text() == '"code" -- here'
    link = article.find("a", href=re.compile("example.org"))
    assert link["href"] == "https://example.org/a--b?name=o'neil"
    assert "#FFF" in html and 'class="caps">FFF' not in html
    assert article.find("abbr")["title"] == "Police Federation of England and Wales -- PFEW"
    # the title is plain text in <title> and meta tags, and cannot break out of them
    assert page.title.get_text().replace("\xa0", " ").startswith(
        'Fire & Rescue \u201cpay\u201d talks \u2013 HMICFRS </title \u2013 ')
    assert page.h1.get_text().strip().replace("\xa0", " ").endswith("HMICFRS </title")
    assert "<span" not in re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert html.count("</script>") == html.count("<script")


def test_draft_is_not_written(posts_site):
    files = [f for f in posts_site.rglob("*") if f.is_file()]
    assert len(files) > 10
    for f in files:
        assert b"Zanzibar" not in f.read_bytes() and b"Secret" not in f.read_bytes(), f
    assert not (posts_site / "news/2025/04/draft").exists()
