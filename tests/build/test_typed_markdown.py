"""Markdown as editors type it renders as they mean it: one post per habit in
tests/fixtures/typed/, built once with publishconf.py (which also writes the feeds).

The habits (newsroom.markdown_habits and markdown_inline, pymdownx.magiclink,
pymdownx.saneheaders, markdown.extensions.sane_lists, plugins/feed_fragments.py): a list
straight after a sentence (Python-Markdown#1544), lists nested with two spaces
(Python-Markdown#1125), continuation paragraphs indented two spaces (Python-Markdown#850),
`1)` numbered lists, a numbered list after a bulleted one and one starting at 2, bare web
and email addresses (Python-Markdown#678), leading apostrophes (smartypants#22),
zero-width spaces pasted from web pages, soft hyphens pasted from Word, no-break spaces
where Markdown wants spaces, bold with a space inside its markers (gd2md-html#95), link
addresses typed in quotes, hashtags at the start of a line (Python-Markdown#513), lists
indented with tabs, line breaks typed as a backslash or two spaces at the end of a line, and
footnote links in feed entries (Pelican #3286). The typed/ posts are built with the search
index, as `make html` does.
"""

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import PUBLISH_SITEURL, build
from helpers import TYPED, soup, tree_hash
from test_search_index import fragments


@pytest.fixture(scope="module")
def typed_site(tmp_path_factory):
    before = tree_hash(TYPED)
    result = build(tmp_path_factory.mktemp("typed") / "output", content=TYPED,
                   conf="publishconf.py", index=True)
    assert result.returncode == 0, result.log
    assert tree_hash(TYPED) == before  # repaired in memory only
    return result.output


def prose(output, slug):
    return soup(output / f"news/2025/05/{slug}/index.html").find(class_="prose")


def text(element):
    return element.get_text(" ", strip=True).replace("\xa0", " ")


def test_a_list_straight_after_a_sentence_is_a_list(typed_site):
    body = prose(typed_site, "list-after-sentence")
    assert text(body.find("p")) == "Members should note:"
    assert [text(li) for li in body.find("ul").find_all("li")] == [
        "the ballot opens Monday", "it closes on Friday at noon"]
    assert "-" not in text(body.find("p"))


def test_two_space_nesting_nests_and_bracket_numbers_make_a_numbered_list(typed_site):
    body = prose(typed_site, "two-space-nesting")
    outer = body.find("ul")
    items = outer.find_all("li", recursive=False)
    assert [li.contents[0].strip() for li in items] == ["basic pay", "allowances"]
    assert [text(li) for li in items[0].find("ul").find_all("li")] == ["constables", "sergeants"]
    assert [text(li) for li in items[1].find("ul").find_all("li")] == ["London weighting"]
    numbered = body.find("ol")
    assert [text(li) for li in numbered.find_all("li")] == ["first, the ballot",
                                                            "then, the result"]
    assert "1)" not in body.get_text()


def test_bare_web_and_email_addresses_are_links(typed_site):
    links = {a.get_text(): a["href"] for a in prose(typed_site, "bare-addresses").find_all("a")}
    assert links == {"https://www.polfed.org/pay-award": "https://www.polfed.org/pay-award",
                     "reps@northvale-polfed.example": "mailto:reps@northvale-polfed.example"}


def test_leading_apostrophes_are_apostrophes_in_body_and_title(typed_site):
    page = soup(typed_site / "news/2025/05/leading-apostrophes/index.html")
    body = text(page.find(class_="prose").find("p"))
    for word in ("\u201990s", "\u2019Tis", "\u2019til", "rock \u2019n\u2019 roll"):
        assert word in body
    assert "\u2018we will act\u2019" in body          # a real quotation keeps its opening mark
    assert "\u2018" not in body.replace("\u2018we", "")
    assert text(page.h1) == "Back to the \u201990s"
    assert page.find(class_="prose").find("code").get_text() == "'90s"  # code as typed
    assert "\u201990s" in page.title.get_text()


def test_footnote_links_in_feeds_lead_to_the_article(typed_site):
    url = f"{PUBLISH_SITEURL}/news/2025/05/footnote/"
    # Atom carries the whole body; RSS's description is the standfirst (the first paragraph,
    # SUMMARY_MAX_PARAGRAPHS), which holds the reference but not the footnote itself
    for name, key, expected in (("all.atom.xml", "content", [f"{url}#fn:1", f"{url}#fnref:1"]),
                                ("all.rss.xml", "summary", [f"{url}#fn:1"])):
        feed = feedparser.parse((typed_site / "feeds" / name).read_bytes())
        entry = next(e for e in feed.entries if e.link == url)
        html = entry[key][0]["value"] if key == "content" else entry[key]
        hrefs = [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")]
        assert hrefs == expected, name
    page = prose(typed_site, "footnote")           # the page itself keeps in-page links
    assert [a["href"] for a in page.find_all("a")] == ["#fn:1", "#fnref:1"]


def test_zero_width_spaces_are_dropped_and_a_line_of_stars_is_a_rule(typed_site):
    body = prose(typed_site, "zero-width-spaces")
    assert "\u200b" not in body.get_text()
    assert "Monday" in body.get_text()
    assert body.find("a")["href"] == "mailto:reps@northvale-polfed.example"
    assert body.find("hr") and "***" not in body.get_text()


def test_a_continuation_paragraph_indented_two_spaces_stays_in_its_item(typed_site):
    body = prose(typed_site, "list-continuation")
    bullets = body.find("ul").find_all("li", recursive=False)
    assert [[text(p) for p in li.find_all("p")] for li in bullets] == [
        ["Rest days are fixed four weeks ahead.",
         "A rest day cancelled after that is paid at double time."],
        ["Overtime is offered by length of service."]]
    steps = body.find("ol").find_all("li", recursive=False)
    assert [[text(p) for p in li.find_all("p")] for li in steps] == [
        ["Ask your sergeant.", "Keep a note of the date you asked."], ["Tell the branch."]]
    # nothing escaped the lists: the only paragraphs outside them are the two lead-ins
    assert [text(p) for p in body.find_all("p", recursive=False)] == [
        "The new rota changes two things:", "To claim:"]


def test_soft_hyphens_are_dropped_from_words_addresses_title_tags_feeds_and_search(typed_site):
    url = "/news/2025/05/soft-hyphens/"
    html = (typed_site / url.strip("/") / "index.html").read_text(encoding="utf-8")
    assert not any(shy in html for shy in ("\u00ad", "&shy;", "&#173;", "&#xad;"))
    page = soup(typed_site / url.strip("/") / "index.html")
    assert text(page.h1) == "Restructuring of the Federation"
    body = page.find(class_="prose")
    assert "the restructuring of the Federation\u2019s district offices" in " ".join(
        text(body).split())
    assert {a.get_text(): a["href"] for a in body.find_all("a")} == {
        "reps@northvale-polfed.example": "mailto:reps@northvale-polfed.example",
        "https://www.polfed.org/restructuring": "https://www.polfed.org/restructuring"}
    assert [a.get_text() for a in page.select(".tag-list a")] == ["restructuring"]
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert description.replace("\xa0", " ") == "What the restructuring means for members."
    feed = (typed_site / "feeds/all.atom.xml").read_text(encoding="utf-8")
    assert "restructuring" in feed and "\u00ad" not in feed
    content = next(f["content"] for f in fragments(typed_site / "pagefind") if f["url"] == url)
    assert "restructuring of the" in content and "\u00ad" not in content


def test_no_break_spaces_in_markup_are_spaces_and_between_words_are_kept(typed_site):
    body = prose(typed_site, "no-break-spaces")
    assert text(body.find("h2")) == "What members asked for"
    items = body.find("ul").find_all("li", recursive=False)
    assert [li.contents[0].strip().replace("\xa0", " ") for li in items] == [
        "overtime paid within a month", "rest days that stay put"]
    assert [text(li) for li in items[1].find("ul").find_all("li")] == ["bank holidays included"]
    assert [text(li) for li in body.find("ol").find_all("li")] == ["Ask your rep.",
                                                                  "Fill in the form."]
    paragraphs = [p.get_text() for p in body.find_all("p", recursive=False)]
    # a line of only a no-break space parts two paragraphs; 20 mph stays together
    assert len(paragraphs) == 3 and "20\u00a0mph" in paragraphs[1]
    assert paragraphs[2].startswith("The limit is enforced")
    assert not any(p.lstrip().startswith(("-", "#", "1.")) for p in paragraphs)


def test_bold_and_italic_with_a_space_inside_their_markers_are_bold_and_italic(typed_site):
    body = prose(typed_site, "emphasis-spaces")
    assert [text(b) for b in body.find_all("strong")] == ["Date:", "Venue:", "not enough"]
    assert [text(i) for i in body.find_all("em")] == ["Updated"]
    paragraphs = [" ".join(p.get_text().replace("\xa0", " ").split())
                  for p in body.find_all("p")]
    assert paragraphs[:4] == ["Date: Thursday 12 June", "Venue: the branch office",
                              "The chair said the offer was not enough, and members agreed.",
                              "Updated at noon with the venue."]
    assert "2 ** 10" in paragraphs[4]                      # spaces both sides: as typed
    assert body.find("code").get_text() == "**code **"     # code as typed


def test_link_addresses_typed_in_quotes_lead_where_the_editor_meant(typed_site):
    body = prose(typed_site, "quoted-links")
    links = {a.get_text(): (a["href"], a.get("title")) for a in body.find_all("a")}
    assert links == {
        "the award in full": ("https://www.polfed.org/pay-award", None),
        "the terms": ("https://www.polfed.org/terms", None),
        "the summary": ("https://www.polfed.org/summary", "The short version"),
        "what the rota means": (f"{PUBLISH_SITEURL}/news/2025/05/list-continuation/", None)}
    assert body.find("code").get_text() == "[x](\u201chttps://example.org/\u201d)"


def test_a_hashtag_at_the_start_of_a_line_is_text_not_a_heading(typed_site):
    page = soup(typed_site / "news/2025/05/hashtags/index.html")
    assert [text(h) for h in page.find_all("h1")] == ["Protect the Protectors"]
    body = page.find(class_="prose")
    assert [text(h) for h in body.find_all(["h1", "h2", "h3"])] == [
        "What the branch is asking for"]
    paragraphs = [text(p) for p in body.find_all("p")]
    assert paragraphs[0].startswith("#ProtectTheProtectors is trending")
    assert paragraphs[1].startswith("#1 priority")


def test_a_numbered_list_after_a_bulleted_one_is_numbered_from_its_first_number(typed_site):
    body = prose(typed_site, "list-after-list")
    assert [(lst.name, lst.get("start"), [text(li) for li in lst.find_all("li")])
            for lst in body.find_all(["ul", "ol"])] == [
        ("ul", None, ["your warrant card", "a pen"]),
        ("ol", None, ["Sign in at the front desk.", "Take a seat in the hall."]),
        ("ol", "2", ["the pay motion", "the rota motion"]),
        ("ul", None, ["Papers are at the door."])]


def test_tab_indented_lists_nest_and_a_backslash_or_two_spaces_end_a_line(typed_site):
    body = prose(typed_site, "tabs-and-line-breaks")
    days = body.find("ul").find_all("li", recursive=False)
    assert [li.contents[0].strip() for li in days] == ["Monday to Thursday", "Friday"]
    assert [text(li.find("ul")) for li in days] == ["09:00 to 17:00", "09:00 to 13:00"]
    address, desk = body.find_all("p")[1:]
    assert len(address.find_all("br")) == 2 and "\\" not in address.get_text()
    assert [line.strip().replace("\xa0", " ") for line in address.get_text().split("\n")] == [
        "Write to the branch at:", "Northvale Police Federation", "1 Station Road, Northvale"]
    assert len(desk.find_all("br")) == 1
