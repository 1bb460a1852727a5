"""Standfirst without repetition: no text appears twice on an article page, and a post
without `summary:` has its whole first paragraph as its standfirst, never cut with "…".

Builds: the real site (`dev_site`) and the tiny fixture site with every `summary:` removed
plus a post as `make new` leaves it once the story is written (no summary, a first
paragraph longer than Pelican's 50-word automatic summary). Read with BeautifulSoup.
"""

import collections
import re
import shutil

import pytest

from conftest import build, write_post
from helpers import TINY, html_files, soup

# Blocks of text readers see as paragraphs: a repeat of one of these is a repeat for them.
BLOCKS = ["p", "li", "blockquote", "div", "h1", "h2", "h3", "dd", "figcaption"]
LEAD = ("The branch has agreed a new overtime rota with the force after six months of talks, "
        "and every officer on a response team will see the change from the first of May: "
        "rest days cancelled at less than fifteen days' notice will be paid at double time, "
        "and a cancelled rest day can be taken back within four weeks, as members asked.")


def article_pages(output):
    return [p for p in html_files(output) if re.search(r"/news/\d{4}/\d{2}/[^/]+/index\.html$",
                                                          str(p))]


def repeated_paragraphs(path) -> list[str]:
    """The texts (of at least five words) in <main>, outside navigation, that another block
    there repeats, whole or in part (a standfirst cut with "…" is the start of the first
    paragraph). A block counts only by its own text, not by a wrapper's that contains it."""
    main = soup(path).find("main")
    texts = []
    for block in main.find_all(BLOCKS):
        if block.find(BLOCKS) or block.find_parent("nav"):   # a wrapper, or navigation
            continue
        text = " ".join(block.get_text(" ").split()).rstrip("…. ")
        if len(text.split()) >= 5:
            texts.append(text)
    return [a for i, a in enumerate(texts)
            if any(a in b for j, b in enumerate(texts) if j != i)]


@pytest.fixture(scope="module")
def no_summary_site(tmp_path_factory):
    content = tmp_path_factory.mktemp("no-summary") / "content"
    shutil.copytree(TINY / "content", content)
    for post in (content / "news").glob("*.md"):
        text = post.read_text(encoding="utf-8")
        post.write_text(re.sub(r"(?m)^summary:.*\n", "", text), encoding="utf-8")
    write_post(content / "news", "2025-04-02-overtime-rota.md",
               'title: "New overtime rota agreed"\ndate: 2025-04-02 09:30\ncategory: Pay\n'
               "tags: [pay]", f"{LEAD}\n\nThe rota is on the intranet.\n")
    done = build(content.parent / "output", content)
    assert done.returncode == 0, done.log
    return done.output


def test_no_paragraph_appears_twice_on_an_article_page_of_the_real_site(dev_site):
    pages = article_pages(dev_site.output)
    assert len(pages) >= 10
    repeats = {str(p): repeated_paragraphs(p) for p in pages}
    assert not any(repeats.values()), repeats


def test_no_paragraph_appears_twice_without_summary(no_summary_site):
    pages = article_pages(no_summary_site)
    assert len(pages) == 3
    repeats = {str(p): repeated_paragraphs(p) for p in pages}
    assert not any(repeats.values()), repeats
    page = soup(no_summary_site / "news/2025/04/overtime-rota/index.html")
    assert not page.find(class_="standfirst")
    first = page.select_one(".prose--lead > p:first-child")
    assert " ".join(first.get_text().split()) == " ".join(LEAD.replace("'", "\u2019").split())


def test_cards_and_meta_show_the_whole_first_paragraph_without_summary(no_summary_site):
    home = soup(no_summary_site / "index.html")
    cards = {" ".join(c.select_one(".article-card__headline, .lead-story__headline")
                      .get_text().split()):
             " ".join(c.select_one(".article-card__standfirst, .lead-story__standfirst")
                      .get_text().split())
             for c in home.select(".article-card, .lead-story")}
    assert len(cards) == 3 and all(cards.values()), cards
    assert cards["New overtime rota agreed"] == " ".join(LEAD.replace("'", "\u2019").split())
    for path in [*article_pages(no_summary_site), no_summary_site / "index.html"]:
        page = soup(path)
        described = [m["content"] for m in page.find_all("meta", attrs={"name": "description"})]
        texts = [*described, *(c.get_text() for c in page.select(
            ".standfirst, .article-card__standfirst, .lead-story__standfirst"))]
        assert not [t for t in texts if "\u2026" in t or "..." in t], (str(path), texts)
