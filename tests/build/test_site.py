"""The real site, built from content/ at TEST_NOW (with a moved and a removed post,
conftest.site_redirects): site-wide invariants over every page.

Read back with an HTML parser, feedparser and the Nu HTML Checker. Expectations come from
the content files themselves, read independently of the site's code (helpers.POSTS:
PyYAML + strptime), so a bug in newsroom/ cannot hide in its own oracle.
"""

import gzip
import hashlib
import re
import shutil
import subprocess
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import (CONTENT, PUBLISH_SITEURL, REDIRECT_PAGES, ROOT, TEST_NOW, build,
                      write_post)
from helpers import (DRAFT_PHRASE, EMBARGO_PHRASE, HIDDEN, MONTHS, POSTS, PUBLISHED,
                     article_path, html_files, output_bytes, plain, resolve, soup,
                     stylesheet)

LIVERELOAD = (b"livereload", b"LiveReload")   # make devserver's script, never in a build
BUDGET_BYTES = 14 * 1024  # article HTML + CSS, gzipped together


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


@pytest.mark.parametrize("site", ["dev_site", "publish_site"])
def test_drafts_and_embargoed_posts_are_in_no_output_file(request, site):
    # make html and make publish write neither the sample draft nor the post embargoed at
    # TEST_NOW, in any file (gzip twins and search index included), nor a draft banner,
    # drafts/, live-reload code, or a tag page only a hidden post would have
    output = request.getfixturevalue(site).output
    for phrase in (DRAFT_PHRASE, EMBARGO_PHRASE):
        sources = [p for p in POSTS if phrase in p["text"]]
        assert len(sources) == 1 and sources[0] in HIDDEN, "one hidden post has the phrase"
    files = list(output_bytes(output))
    assert len(files) > 20
    leaks = [(str(path), word) for path, data in files
             for word in (DRAFT_PHRASE.encode(), EMBARGO_PHRASE.encode(),
                          b'class="draft-banner"', *LIVERELOAD) if word in data]
    assert not leaks, leaks
    assert not (output / "drafts").exists()
    def slug(tag):
        return tag.lower().replace(" ", "-")

    shown = {slug(t) for p in PUBLISHED for t in p.get("tags", [])}
    assert {slug(t) for p in HIDDEN for t in p.get("tags", [])} - shown, "a hidden-only tag"
    assert {d.name for d in (output / "news/tag").iterdir()} == shown


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


def test_html_is_valid_per_nu_checker(dev_site, publish_site):
    # one vnu call for both builds: the JVM starts once (toolchain.md, section 2); every
    # page, the redirect and removed-story pages of conftest.site_redirects included
    for site in (dev_site, publish_site):
        assert all((site.output / page).is_file() for page in REDIRECT_PAGES), site.output
    vnu = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
    assert vnu.is_file(), "run `make test` (npm ci installs the Nu HTML Checker)"
    assert shutil.which("java"), "run `make test` (it installs Java)"
    proc = subprocess.run(["java", "-jar", str(vnu), "--errors-only", "--skip-non-html",
                           "--format", "gnu", "--stdout", str(dev_site.output),
                           str(publish_site.output)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


def test_pagination_of_home_category_and_tag(tmp_path):
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


# --- Assets and budgets ----------------------------------------------------------------------

def test_stylesheet_is_served_only_under_its_content_hash(dev_site):
    out = dev_site.output
    source = ROOT / "theme/static/css/site.css"
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:8]
    for path in out.rglob("*.html"):
        href = soup(path).find("link", rel="stylesheet")["href"]
        assert href == f"/theme/css/site.{digest}.css", (path, href)
    assert (out / f"theme/css/site.{digest}.css").read_bytes() == source.read_bytes()
    logo = ROOT / "theme/static/images/logo.png"
    logo_digest = hashlib.sha256(logo.read_bytes()).hexdigest()[:8]
    card = ROOT / "theme/static/images/share-card.png"
    card_digest = hashlib.sha256(card.read_bytes()).hexdigest()[:8]
    script = ROOT / "theme/static/js/search.js"
    script_digest = hashlib.sha256(script.read_bytes()).hexdigest()[:8]
    published = {p.relative_to(out).as_posix() for p in (out / "theme").rglob("*")
                 if p.is_file()}
    assert published == {f"theme/css/site.{digest}.css", f"theme/images/logo.{logo_digest}.png",
                         f"theme/images/share-card.{card_digest}.png",
                         f"theme/js/search.{script_digest}.js"}


def article_budget(output):
    """Return [(article file, html gz bytes, css gz bytes)] for every article page."""
    sizes = []
    for post in PUBLISHED:
        path = article_path(output, post)
        css = stylesheet(output, soup(path))
        sizes.append((path, len(gzip.compress(path.read_bytes(), 6)),
                      len(gzip.compress(css.read_bytes(), 6))))
    return sizes


def test_article_pages_fit_14_kb_gzipped_with_their_css(publish_site):
    sizes = article_budget(publish_site.output)
    worst = max(sizes, key=lambda s: s[1] + s[2])
    assert worst[1] + worst[2] <= BUDGET_BYTES, worst
