"""Hostile posts (tests/fixtures/hostile/): what an editor writes is exactly what readers get.

The posts carry the payloads of issue 10 and more (meta refresh, base href, script, svg
onload, onerror, style, form, javascript: and data: links, entity- and tab-disguised
javascript:, iframe/object/embed/video/link, attr_list `{: onclick }`, mutation-XSS
through noscript and math, tracking pixels, srcset, target, an HTML comment) in bodies,
summaries, titles, tags, bylines and alt texts; site.yml carries them in every field of
data/site.yml. `make check` reports each with its line (expected.txt); a build that
skips the check and our reader (`helpers.forced_build`: plain `python -m pelican`,
Pelican's own Markdown reader) still leaves no payload in any output file, because the
safe_html plugin sanitises where Pelican keeps the content and the site data reader keeps
only plain text. A control build without those plugins shows the payloads do reach the
output otherwise, so the scans can fail.
"""

import json
import re
import types
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings

from conftest import ROOT, build, write_post
from helpers import (HOSTILE, expected_lines, forced_build, hostile_site, output_bytes,
                     run_module, soup)
from test_search_index import fragments

# One text in every payload (and nowhere else in the fixture).
MARKERS = [b"evil.example", b"stolen(", b"data:image/svg", b"data:text", b"http-equiv",
           b"unconfirmed-rumour", b"onerror", b"onmouseover", b"style=\"position"]
# Pagefind's own UI files (CSS icons as data: URLs) are not content.
NOT_CONTENT = ("pagefind/pagefind-",)
SITEURL = read_settings(str(ROOT / "publishconf.py"))["SITEURL"]
OWN_HOST = urlsplit(SITEURL).netloc
# Elements no output page may hold, whoever wrote them.
FORBIDDEN = {"iframe", "object", "embed", "frame", "frameset", "base", "form", "input",
             "button", "textarea", "select", "svg", "math", "style", "video", "audio",
             "applet", "portal"}
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "background",
                  "data", "xlink:href", "cite")
ACTIVE_SCHEME_RE = re.compile(r"^\s*(javascript|vbscript|data):", re.I)
POSTS = sorted((HOSTILE / "news").glob("*.md"))


def leaks(output):
    """(file, marker) for each marker found in a content file of `output` (gzip decoded)."""
    return [(str(path.relative_to(output)), marker.decode())
            for path, data in output_bytes(output)
            if not str(path.relative_to(output)).startswith(NOT_CONTENT)
            for marker in MARKERS if marker in data]


def active_markup(page, own=SITEURL):
    """What in the parsed HTML `page` could run code, leave the page or load from another
    host: event handlers, `style=`, forbidden elements, scripts not of the site itself,
    meta refresh, javascript:/data: addresses, images from another host. The theme's own
    search form, logo, search icon and the search page's sort control (`<form>`, `<svg>`,
    `<select>`) are the site's, not content."""
    found = []
    chrome = {id(e) for mine in page.select(f'form.site-search[action^="{own}/"], '
                                            "svg.site-header__mark, svg.site-nav__icon, "
                                            "select#search-sort")
              for e in [mine, *mine.find_all(True)]}  # the theme's search form and logo
    for element in page.find_all(True):
        name = element.name
        if id(element) in chrome:
            continue
        found += [f"<{name} {a}=>" for a in element.attrs if a.lower().startswith("on")
                  or a.lower() == "style"]
        if name in FORBIDDEN or (name == "meta" and element.get("http-equiv")):
            found.append(f"<{name}>")
        if name == "script" and element.get("type") != "application/ld+json" and not (
                element.get("src", "").startswith(own + "/") and not element.string):
            found.append(f"<script {element.attrs}>")
        for attribute in URL_ATTRIBUTES:
            value = element.get(attribute)
            if value and ACTIVE_SCHEME_RE.match(value.replace("\t", "").replace("\n", "")):
                found.append(f"<{name} {attribute}={value!r}>")
        if name == "img" and urlsplit(element.get("src", "")).netloc not in ("", OWN_HOST):
            found.append(f"<img src={element.get('src')!r}>")
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    site = hostile_site(tmp_path_factory.mktemp("hostile") / "site")
    return types.SimpleNamespace(
        check=run_module("newsroom.check", "--settings", ROOT / "pelicanconf.py", "content",
                         cwd=site),
        forced=forced_build(site / "forced", content="content", cwd=site),
        forced_output=site / "forced",
        control=forced_build(site / "control", content="content", cwd=site,
                             leave_out=("news_reader", "safe_html")),
        control_output=site / "control")


def test_check_reports_each_payload_with_its_line(hostile):
    assert hostile.check.returncode == 1
    assert hostile.check.stdout.splitlines() == expected_lines(HOSTILE)
    reported = {line.split(":")[0] for line in expected_lines(HOSTILE)}
    # every file but the editor's note (comments are dropped silently) and the allowed HTML
    assert reported == {f"content/news/{p.name}" for p in POSTS} - {
        "content/news/2025-03-08-editor-note.md", "content/news/2025-03-09-allowed-html.md"
    } | {"data/site.yml"}
    for element in ("meta", "base", "script", "svg", "form", "input", "iframe", "object",
                    "embed", "link", "noscript", "math", "video"):
        assert f"raw `<{element}>` is not allowed" in hostile.check.stdout, element
    for what in ("`onerror=`", "`style=`", "`javascript:`", "`data:`", "`onclick=` in the "
                 "attribute list", "`target=`", "`srcset=`", "an image from another site"):
        assert what in hostile.check.stdout, what
    for field in ("the title", "a tag", "the byline (author)", "the summary",
                  "the image's alt text", "'name' in contact", "'label' in quick link 1"):
        assert f"{field} contains HTML" in hostile.check.stdout, field


def test_forced_build_leaves_no_payload_in_any_file(hostile):
    assert hostile.forced.returncode == 0, hostile.forced.stderr
    output = hostile.forced_output
    assert len(list(output.glob("news/2025/03/*/index.html"))) == len(POSTS)
    assert leaks(output) == []


def test_forced_build_pages_hold_no_active_markup(hostile):
    pages = sorted(hostile.forced_output.rglob("*.html"))
    assert len(pages) > len(POSTS)  # articles, the front page, tag, category and 404 pages
    found = {str(p.relative_to(hostile.forced_output)): active_markup(soup(p)) for p in pages}
    assert {path: what for path, what in found.items() if what} == {}


def test_without_the_sanitiser_the_payloads_reach_the_output(hostile):
    assert hostile.control.returncode == 0, hostile.control.stderr
    found = {marker for _path, marker in leaks(hostile.control_output)}
    assert found >= {"evil.example", "stolen(", "data:image/svg", "http-equiv", "onerror",
                     "unconfirmed-rumour"}
    page = soup(hostile.control_output / "news/2025/03/more-tricks/index.html")
    assert len(active_markup(page)) >= 5  # so the scan above can fail


def test_feeds_hold_only_sanitised_html(hostile):
    feed = feedparser.parse((hostile.forced_output / "feeds/all.atom.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == len(POSTS)
    for entry in feed.entries:
        for html in (entry.content[0].value, entry.summary, entry.title):
            assert active_markup(BeautifulSoup(html, "html5lib")) == [], entry.link
            assert not any(m.decode() in html for m in MARKERS), entry.link
    bodies = " ".join(e.content[0].value for e in feed.entries)
    assert "<abbr title=" in bodies and "<details>" in bodies  # what is allowed stays
    assert {t.term for e in feed.entries for t in e.get("tags", [])} >= {"News"}


def test_json_ld_sitemap_and_search_index_hold_only_text(hostile):
    output = hostile.forced_output
    for page in output.glob("news/2025/03/*/index.html"):
        for script in soup(page).select('script[type="application/ld+json"]'):
            data = json.loads(script.string)
            names = ([data["headline"], data["author"]["name"]] if data["@type"] == "NewsArticle"
                     else [item["name"] for item in data["itemListElement"]])
            assert names and not any("<" in name for name in names), names
    headline = soup(output / "news/2025/03/front-matter/index.html").select_one("h1")
    assert headline.get_text(" ", strip=True).replace("\xa0", " ") == "Pay award"
    locations = re.findall(r"<loc>([^<]*)</loc>", (output / "sitemap.xml").read_text())
    assert locations and all(url.startswith(SITEURL + "/") for url in locations)
    texts = " ".join(f["content"] + json.dumps(f.get("meta", {}))
                     for f in fragments(output / "pagefind"))
    assert "Claim your rebate" in texts and "stolen" not in texts and "unconfirmed" not in texts


def test_site_data_payloads_leave_plain_text_in_the_footer(hostile):
    footer = soup(hostile.forced_output / "index.html").select_one("footer")
    text = footer.get_text(" ", strip=True)
    assert "Branch office" in text and "Always open" in text and "National site" in text
    assert [a["href"] for a in footer.select("a") if "polfed.org" in a["href"]] == [
        "https://www.polfed.org/"]
    assert "Claim your rebate" not in text and "Data" not in text.split()
    # follow: only the https profile is linked, by its label's text; no newsletter, no http
    follow = footer.find(id="footer-follow-heading").find_parent("nav")
    assert {a.get_text(): a["href"] for a in follow.select("a")
            if "feed" not in a.get_text()} == {"Profile": "https://social.example/@nv"}
    assert not footer.select("img, script, svg") and "stolen" not in str(footer)


def test_allowed_html_survives_and_code_stays_code(hostile):
    page = soup(hostile.forced_output / "news/2025/03/allowed-html/index.html")
    prose = page.select_one(".prose")
    assert prose.select("abbr[title]") and prose.select("details > summary")
    assert prose.select("figure > figcaption") and prose.select("table th")
    assert prose.select_one("sup#fnref\\:1 a.footnote-ref")["href"] == "#fn:1"
    assert prose.select_one("div.footnote li#fn\\:1")
    assert prose.select_one("pre code.language-html").get_text().startswith("<script>")
    assert prose.select_one('img[alt="Pay chart"]')["src"].startswith(SITEURL + "/images/")
    assert not page.select(".prose script, .prose iframe")


def test_links_keep_only_allowed_schemes(hostile):
    page = soup(hostile.forced_output / "news/2025/03/javascript-links/index.html")
    links = page.select(".prose a")
    assert [a.get_text().replace("\xa0", " ") for a in links] == [
        "Claim your rebate", "Your payslip", "Your pension", "the notice"]
    assert all(a.get("href") is None for a in links)


def test_images_from_other_hosts_and_markup_in_alt_text_are_removed(hostile):
    prose = soup(hostile.forced_output / "news/2025/03/front-matter/index.html").select_one(
        ".prose")
    images = prose.select("img")
    assert [img.get("src", "").rsplit("/", 1)[-1] for img in images] == [
        "hostile-hero.png", "hostile-hero.png", "", ""]
    assert images[0]["alt"] == ""  # it was markup, nothing else
    assert images[1]["alt"] == "Winners\" onfocus=\"breakout('alt-quote')"  # inert text
    assert "onfocus" not in images[1].attrs


def test_an_editors_comment_passes_the_check_and_reaches_no_output(tmp_path):
    content = tmp_path / "content"
    body = (HOSTILE / "news/2025-03-08-editor-note.md").read_text().split("---\n", 2)[2]
    write_post(content / "news", "2025-03-08-editor-note.md",
               "title: Editor note\ndate: 2025-03-08\ncategory: News", body)
    built = build(tmp_path / "output", content=content, conf="publishconf.py", index=True)
    assert built.returncode == 0, built.log
    assert "unconfirmed-rumour" not in built.log
    assert leaks(built.output) == []
    assert "The chair will speak" in (built.output / "feeds/all.atom.xml").read_text()
