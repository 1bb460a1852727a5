"""The real site, built from content/ at TEST_NOW, read back with an HTML parser and feedparser.

Expectations come from the content files themselves, read here independently of the
site's plugins (PyYAML + strptime), so a plugin bug cannot hide in its own oracle.
"""

import datetime
import gzip
import pathlib
import re
import subprocess
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import CONTENT, LONDON, PUBLISH_SITEURL, ROOT, TEST_NOW

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DRAFT_PHRASE = "Marmalade Protocol"
EMBARGO_PHRASE = "Quillfeather Agreement"


def unzipped(data):
    """`data`, decompressed if it is gzip (precompressed pages, search-index chunks)."""
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def read_post(path):
    """Return the front matter of `path` as a dict of text, plus `when` (aware datetime)."""
    text = path.read_text(encoding="utf-8")
    fm = yaml.load(text.split("---\n")[1], Loader=yaml.BaseLoader)
    fmt = "%Y-%m-%d %H:%M" if " " in fm["date"] else "%Y-%m-%d"
    fm["when"] = datetime.datetime.strptime(fm["date"], fmt).replace(tzinfo=LONDON)
    fm["slug"] = path.stem[11:]
    fm["text"] = text
    return fm


POSTS = [read_post(p) for p in sorted((CONTENT / "news").glob("*.md"))]
PUBLISHED = [p for p in POSTS if p.get("status", "published") == "published"
             and p["when"] <= TEST_NOW]


def plain(text):
    """Undo typography so a headline can be compared with the title an editor wrote."""
    for fancy, simple in {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'",
                          "\u00a0": " ", "\u2014": "---", "\u2013": "--"}.items():
        text = text.replace(fancy, simple)
    return " ".join(text.split())


def soup(path):
    return BeautifulSoup(pathlib.Path(path).read_bytes(), "html5lib")


def html_files(output):
    return sorted(output.rglob("*.html"))


def article_path(output, post):
    return output / f"news/{post['when']:%Y}/{post['when']:%m}/{post['slug']}/index.html"


def test_build_succeeds_with_no_warnings(dev_site, publish_site):
    # --fatal warnings: any warning or error would have made the exit status non-zero.
    assert dev_site.returncode == 0, dev_site.log
    assert publish_site.returncode == 0, publish_site.log
    assert (dev_site.output / "index.html").stat().st_size > 0


def test_sample_content_covers_the_cases():
    assert len(PUBLISHED) >= 8
    assert any(p.get("status") == "draft" for p in POSTS)
    assert any(p["when"] > TEST_NOW for p in POSTS)
    assert len(list((CONTENT / "pages").glob("*.md"))) >= 3


@pytest.mark.parametrize("post", PUBLISHED, ids=lambda p: p["slug"])
def test_post_page_has_headline_date_and_time(dev_site, post):
    page = soup(article_path(dev_site.output, post))
    h1s = page.find_all("h1")
    assert len(h1s) == 1
    assert plain(h1s[0].get_text()) == plain(post["title"])
    when = post["when"]
    assert f"{when.day} {MONTHS[when.month - 1]} {when.year}" in page.get_text()
    datetimes = [t["datetime"] for t in page.find_all("time", datetime=True)]
    assert when.isoformat() in datetimes
    assert re.search(r"[+-]\d\d:\d\d$", when.isoformat())
    assert plain(page.title.get_text()).startswith(plain(post["title"]))


def test_typography_in_bodies_plain_in_titles(dev_site):
    amp_post = next(p for p in PUBLISHED if "&" in p["title"])
    page_bytes = article_path(dev_site.output, amp_post).read_text(encoding="utf-8")
    page = BeautifulSoup(page_bytes, "html5lib")
    # <title>: no markup, no double escaping, the ampersand once as a character
    title_html = re.search(r"<title>(.*?)</title>", page_bytes, re.S).group(1)
    assert "<span" not in title_html and "&lt;" not in title_html
    assert "&amp;amp;" not in title_html and "&amp;" in title_html
    assert "&" in page.title.get_text()
    for meta in page.find_all("meta", content=True):
        assert "<span" not in meta["content"]
    # body: typogrify's ampersand span, curly quotes and dashes somewhere in the posts
    bodies = "".join(article_path(dev_site.output, p).read_text(encoding="utf-8")
                     for p in PUBLISHED)
    assert '<span class="amp">&amp;</span>' in bodies
    assert '<span class="caps">' in bodies
    body_text = BeautifulSoup(bodies, "html5lib").get_text()
    for char in ("\u201c", "\u201d", "\u2019", "\u2013", "\u2014"):
        assert char in body_text, f"no {char!r} in any body"


def test_list_and_blockquote_render(dev_site):
    found = {"ul": 0, "ol": 0, "blockquote": 0}
    for post in PUBLISHED:
        article = soup(article_path(dev_site.output, post)).find("article")
        for tag in found:
            found[tag] += len(article.find_all(tag))
    assert all(found.values()), found


def resolve(output, page_path, href):
    """Return the output file an internal `href` on `page_path` points to, or None if external."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:", "#")):
        return None
    path = unquote(parts.path)
    target = (output / path.lstrip("/")) if path.startswith("/") else (page_path.parent / path)
    return target / "index.html" if (path.endswith("/") or target.is_dir()) else target


def test_read_more_links_resolve(dev_site):
    links = []
    for post in PUBLISHED:
        path = article_path(dev_site.output, post)
        for a in soup(path).find("article").find_all("a"):
            if a.get_text().startswith("Read more"):
                links.append((path, a["href"]))
    assert len(links) >= 1
    for path, href in links:
        target = resolve(dev_site.output, path, href)
        assert target is not None and target.is_file(), f"{href} on {path}"
        assert soup(target).find("h1")


def test_every_internal_link_and_image_resolves(dev_site):
    broken = []
    for path in html_files(dev_site.output):
        page = soup(path)
        for tag, attr in (("a", "href"), ("link", "href"), ("img", "src")):
            for el in page.find_all(tag, **{attr: True}):
                target = resolve(dev_site.output, path, el[attr])
                if target is not None and not target.is_file():
                    broken.append(f"{path.relative_to(dev_site.output)}: {el[attr]}")
    assert not broken, broken


def test_site_wide_page_invariants(dev_site):
    for path in html_files(dev_site.output):
        page = soup(path)
        name = path.relative_to(dev_site.output)
        assert page.html["lang"] == "en-GB", name
        assert len(page.find_all("h1")) == 1, name
        skip = page.body.find("a")
        assert skip["href"] == "#main" and page.find(id="main").name == "main", name
        for landmark in ("header", "nav", "main", "footer"):
            assert page.find(landmark), f"{name} has no <{landmark}>"
        for img in page.find_all("img"):
            assert img.get("alt"), f"{name}: image without alt"
        # no request to another origin: only plain links may leave the site
        for el in page.find_all(["img", "script", "link", "iframe", "source"]):
            url = el.get("src") or el.get("href") or ""
            if el.name == "link" and el.get("rel") in (["canonical"], ["alternate"]):
                continue
            assert not urlsplit(url).netloc, f"{name}: {el.name} loads {url}"


def test_footer_copyright_year_is_the_build_year(dev_site, tmp_path):
    from conftest import build

    assert f"\u00a9 {TEST_NOW.year}" in soup(dev_site.output / "index.html").footer.get_text()
    later = build(tmp_path / "out", now=datetime.datetime(2031, 1, 2, 9, 0, tzinfo=LONDON))
    assert later.returncode == 0, later.log
    assert "\u00a9 2031" in soup(later.output / "index.html").footer.get_text()


@pytest.mark.parametrize("phrase", [DRAFT_PHRASE, EMBARGO_PHRASE])
def test_draft_and_embargoed_posts_are_in_no_output_file(dev_site, publish_site, phrase):
    sources = [p for p in (CONTENT / "news").glob("*.md") if phrase in p.read_text("utf-8")]
    assert len(sources) == 1, "the phrase must be unique to one post"
    for site in (dev_site, publish_site):
        files = [f for f in site.output.rglob("*") if f.is_file()]
        assert len(files) > 20
        leaks = [f for f in files if phrase.encode() in unzipped(f.read_bytes())]
        assert not leaks, leaks


def test_embargo_lifts_at_its_time(tmp_path):
    from conftest import build

    # the sample embargoed post, found by its phrase: an editor's newer post must not be
    # mistaken for it
    post = next(p for p in POSTS if EMBARGO_PHRASE in p["text"])
    before = build(tmp_path / "before", now=post["when"] - datetime.timedelta(minutes=1))
    after = build(tmp_path / "after", now=post["when"] + datetime.timedelta(minutes=1))
    assert before.returncode == 0 and after.returncode == 0, before.log + after.log
    assert not article_path(before.output, post).exists()
    assert article_path(after.output, post).is_file()
    assert EMBARGO_PHRASE.encode() in article_path(after.output, post).read_bytes()


def test_feed_parses_with_absolute_links(publish_site):
    feed = feedparser.parse((publish_site.output / "feeds/all.atom.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == len(PUBLISHED)
    assert feed.feed.link.startswith(PUBLISH_SITEURL)
    for entry in feed.entries:
        assert entry.link.startswith(PUBLISH_SITEURL + "/news/"), entry.link
        assert "<" not in entry.title and "&amp;" not in entry.title
        bodies = [entry.summary] + [c.value for c in entry.get("content", [])]
        for link in BeautifulSoup("".join(bodies), "html5lib").find_all(["a", "img"]):
            url = link.get("href") or link.get("src")
            assert urlsplit(url).scheme in ("https", "mailto", "tel"), url
    titles = {plain(e.title) for e in feed.entries}
    assert titles == {plain(p["title"]) for p in PUBLISHED}


def test_feed_is_linked_from_pages(publish_site):
    head = soup(publish_site.output / "index.html").head
    link = head.find("link", rel="alternate", type="application/atom+xml")
    assert link["href"] == f"{PUBLISH_SITEURL}/feeds/all.atom.xml"


@pytest.mark.parametrize("site", ["dev_site", "publish_site"])
def test_html_is_valid_per_nu_checker(request, site):
    # one vnu call per build: the JVM starts once (toolchain.md, section 2)
    output = request.getfixturevalue(site).output
    vnu = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
    assert vnu.is_file(), "run `make test` (npm ci installs the Nu HTML Checker)"
    proc = subprocess.run(["java", "-jar", str(vnu), "--errors-only", "--skip-non-html",
                           "--format", "gnu", "--stdout", str(output)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


def test_pagination_of_home_category_and_tag(tmp_path):
    from conftest import build, write_post

    for day in range(1, 19):
        write_post(tmp_path / "content/news", f"2025-03-{day:02d}-post-{day}.md",
                   f'title: "Post {day}"\ndate: 2025-03-{day:02d}\ncategory: Pay\ntags: [pay]')
    result = build(tmp_path / "output", content=tmp_path / "content")
    assert result.returncode == 0, result.log
    for base in ("", "news/category/pay/", "news/tag/pay/"):
        pages = [result.output / base / "index.html", result.output / base / "page/2/index.html",
                 result.output / base / "page/3/index.html"]
        assert all(p.is_file() for p in pages), base
        nav = soup(pages[1]).find("nav", attrs={"aria-label": "Pagination"})
        assert nav.find(attrs={"aria-current": "page"}).get_text(strip=True).endswith("2")
        hrefs = {a["href"] for a in nav.find_all("a", href=True)}
        assert f"/{base}" in hrefs and f"/{base}page/3/" in hrefs, hrefs
