"""The readers' site as built: article parts, metadata for machines, feeds, sitemap, budgets.

Most tests read the real builds of content/ (`dev_site`, `publish_site`); a few build a
small fixture site to reach a case the sample content does not have (a hostile title, an
editor's `related:` list, a changed data file).
"""

import gzip
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image

from conftest import CONTENT, PUBLISH_SITEURL, ROOT, TEST_NOW, build, write_post
from test_site import POSTS, PUBLISHED, article_path, plain, soup

BUDGET_BYTES = 14 * 1024  # article HTML + CSS, gzipped together
SITE_DATA = yaml.safe_load((ROOT / "data/site.yml").read_text(encoding="utf-8"))


def local_file(output, url):
    """Return the output file an absolute site URL (or root-relative path) points to."""
    path = urlsplit(url).path
    target = output / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


def stylesheet(output, page):
    link = page.find("link", rel="stylesheet")
    return local_file(output, link["href"])


# --- Article page --------------------------------------------------------------------------

@pytest.mark.parametrize("post", PUBLISHED, ids=lambda p: p["slug"])
def test_article_page_parts(dev_site, post):
    page = soup(article_path(dev_site.output, post))
    main = page.find("main")
    crumbs = main.find("nav", attrs={"aria-label": "Breadcrumb"})
    assert [li.get_text(strip=True) for li in crumbs.find_all("li")][:2] == [
        "Home", post.get("category", "News")]
    assert main.find(class_="article__category").get_text(strip=True) == post.get(
        "category", "News")
    assert main.find(class_="standfirst").get_text(strip=True)
    byline = main.find(class_="byline")
    assert (byline.get_text(strip=True) if byline else None) == (
        f"By {post['author']}" if "author" in post else None)
    tags = [a.get_text() for a in main.select(".tag-list a")]
    assert tags == post.get("tags", [])
    shares = main.select(".share-links a")
    assert [a.get_text() for a in shares] == ["Email", "WhatsApp", "Facebook", "X", "LinkedIn"]
    nav = main.find("nav", class_="article-nav")
    assert nav.find("a", rel="prev") or nav.find("a", rel="next")


def test_hero_image_has_alt_and_its_real_size(dev_site):
    posts = [p for p in PUBLISHED if p.get("image")]
    assert posts
    for post in posts:
        img = soup(article_path(dev_site.output, post)).select_one("figure.hero img")
        assert img["alt"] == post["image_alt"]
        with Image.open(CONTENT / post["image"]) as im:
            assert (int(img["width"]), int(img["height"])) == im.size


def test_cards_show_thumbnails_no_wider_than_the_setting(dev_site):
    index = soup(dev_site.output / "index.html")
    thumbs = index.select(".article-card img")
    assert thumbs, "a sample post has an image, so a card on the first page should too"
    for img in thumbs:
        path = local_file(dev_site.output, img["src"])
        with Image.open(path) as im:
            assert im.size == (int(img["width"]), int(img["height"]))
            assert im.width <= 400
        assert img["alt"] and img["loading"] == "lazy"
        assert path.stat().st_size < 30_000


def test_prev_and_next_follow_publication_order(dev_site):
    ordered = sorted(PUBLISHED, key=lambda p: p["when"])
    for older, post, newer in zip([None] + ordered, ordered, ordered[1:] + [None]):
        nav = soup(article_path(dev_site.output, post)).find("nav", class_="article-nav")
        for rel, other in (("prev", older), ("next", newer)):
            link = nav.find("a", rel=rel)
            assert (link is None) == (other is None)
            if other:
                assert link["href"].rstrip("/").endswith(other["slug"])
                assert plain(other["title"]) in plain(link.get_text())


def test_related_posts_from_shared_tags_link_headlines(dev_site):
    seen = 0
    for post in PUBLISHED:
        page = soup(article_path(dev_site.output, post))
        links = page.select(".related-posts a")
        assert len(links) <= 3
        for a in links:
            target = local_file(dev_site.output, a["href"])
            assert a.get_text(strip=True) == soup(target).find("h1").get_text(strip=True)
            seen += 1
    assert seen


def test_navigation_marks_the_current_section(dev_site):
    out = dev_site.output

    def current(path):
        nav = soup(out / path).find("nav", attrs={"aria-label": "Main"})
        return [(a.get_text(), a["aria-current"]) for a in nav.find_all("a", attrs={
            "aria-current": True})]

    assert current("index.html") == [("News", "page")]
    assert current("about/index.html") == [("About", "page")]
    assert current(article_path(out, PUBLISHED[0]).relative_to(out)) == [("News", "true")]


def test_footer_same_on_every_page_with_data_file_contents(dev_site):
    # WCAG 2.2 3.2.6 Consistent Help: the contact link is in the same place on every page.
    first_links = set()
    for path in dev_site.output.rglob("*.html"):
        footer = soup(path).find("footer", class_="site-footer")
        links = [(a.get_text(), a["href"]) for a in footer.find_all("a")]
        first_links.add(links[0])
        for link in SITE_DATA["quick_links"]:
            assert (link["label"], link["url"]) in links, path
        assert ("Accessibility statement", "/accessibility/") in links
        assert SITE_DATA["contact"]["phone"] in footer.get_text()
        assert f"mailto:{SITE_DATA['contact']['email']}" in {href for _, href in links}
        assert f"\u00a9 {TEST_NOW.year}" in footer.get_text()
    assert first_links == {("Contact us", "/contact/")}


def test_pages_render_with_breadcrumb_and_one_heading(dev_site):
    for name in ("about", "contact", "accessibility", "privacy"):
        page = soup(dev_site.output / name / "index.html")
        assert len(page.find_all("h1")) == 1
        assert page.find("nav", attrs={"aria-label": "Breadcrumb"})
    privacy = soup(dev_site.output / "privacy/index.html").get_text()
    assert "does not set any cookies" in privacy


def test_draft_banner_when_a_draft_is_rendered(tmp_path):
    # Drafts are never written by pelicanconf.py; a preview build that writes them (the
    # editors' devserver) shows the banner. Here DRAFT_SAVE_AS is set on the command line.
    write_post(tmp_path / "content/news", "2025-03-01-draft.md",
               'title: "Not yet"\ndate: 2025-03-01\nstatus: draft')
    write_post(tmp_path / "content/news", "2025-03-02-live.md", 'title: "Live"\ndate: 2025-03-02')
    result = build(tmp_path / "out", content=tmp_path / "content",
                   extra=["-e", 'DRAFT_SAVE_AS="drafts/{slug}/index.html"',
                          'DRAFT_URL="drafts/{slug}/"'])
    assert result.returncode == 0, result.log
    draft = soup(result.output / "drafts/draft/index.html")
    banner = draft.find(class_="draft-banner")
    assert banner["role"] == "note" and banner.get_text() == "Draft: not published"
    assert not soup(result.output / "news/2025/03/live/index.html").find(class_="draft-banner")


def test_only_the_search_page_runs_javascript(dev_site):
    for path in dev_site.output.rglob("*.html"):
        scripts = soup(path).find_all("script")
        if path == dev_site.output / "search/index.html":
            srcs = [s["src"] for s in scripts]
            assert srcs[0] == "/pagefind/pagefind-ui.js"
            assert re.fullmatch(r"/theme/js/search\.[0-9a-f]{8}\.js", srcs[1])
            assert all(s.has_attr("defer") for s in scripts) and len(scripts) == 2
            continue
        for script in scripts:
            assert script.get("type") == "application/ld+json", path


# --- Machine-readable metadata (production build) ------------------------------------------

def head_meta(page):
    metas = {}
    for meta in page.head.find_all("meta"):
        key = meta.get("property") or meta.get("name")
        if key:
            metas.setdefault(key, []).append(meta.get("content"))
    return metas


@pytest.mark.parametrize("post", PUBLISHED, ids=lambda p: p["slug"])
def test_open_graph_twitter_and_json_ld(publish_site, post):
    out = publish_site.output
    page = soup(article_path(out, post))
    url = f"{PUBLISH_SITEURL}/news/{post['when']:%Y}/{post['when']:%m}/{post['slug']}/"
    assert page.head.find("link", rel="canonical")["href"] == url
    meta = head_meta(page)
    assert meta["og:url"] == [url] and meta["og:type"] == ["article"]
    assert meta["og:locale"] == ["en_GB"]
    assert plain(meta["og:title"][0]) == plain(post["title"])
    assert meta["description"] == meta["og:description"] and meta["og:description"][0]
    assert meta["article:published_time"] == [post["when"].isoformat()]
    assert meta["article:modified_time"][0].startswith(str(post["when"].year))
    assert meta["article:section"] == [post.get("category", "News")]
    assert len(meta["article:tag"]) == len(page.select(".tag-list a"))
    image = meta["og:image"][0]
    assert image.startswith(PUBLISH_SITEURL + "/") and local_file(out, image).is_file()
    with Image.open(local_file(out, image)) as im:
        assert [str(im.width)] == meta["og:image:width"]
        assert [str(im.height)] == meta["og:image:height"]
    assert meta["twitter:card"] == [
        "summary_large_image" if post.get("image") else "summary"]

    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    ld = json.loads(scripts[0].string)
    assert ld["@type"] == "NewsArticle" and ld["@context"] == "https://schema.org"
    assert plain(ld["headline"]) == plain(post["title"])
    for key in ("datePublished", "dateModified"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", ld[key]), ld[key]
    assert ld["datePublished"] == post["when"].isoformat()
    assert ld["author"]["name"] == post.get("author", "Northvale Police Federation")
    assert ld["author"]["@type"] == ("Person" if "author" in post else "Organization")
    assert ld["mainEntityOfPage"] == url and ld["image"] == [image]
    logo = ld["publisher"]["logo"]
    with Image.open(local_file(out, logo["url"])) as im:
        assert (logo["width"], logo["height"]) == im.size


def test_json_ld_and_head_survive_a_hostile_title(tmp_path):
    title = 'Chair says "no" </script><script>alert(1)</script> & <b>cuts</b>'
    write_post(tmp_path / "content/news", "2025-03-01-hostile.md",
               f"title: '{title}'\ndate: 2025-03-01\nsummary: 'It''s \"quoted\" & more'")
    result = build(tmp_path / "out", content=tmp_path / "content", conf="publishconf.py")
    assert result.returncode == 0, result.log
    text = (result.output / "news/2025/03/hostile/index.html").read_text(encoding="utf-8")
    assert text.count("</script>") == 1, "only the JSON-LD block may close a script"
    page = BeautifulSoup(text, "html5lib")
    scripts = page.find_all("script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    ld = json.loads(scripts[0].string)
    assert plain(ld["headline"]) == title
    assert plain(ld["description"]) == 'It\'s "quoted" & more'
    assert plain(page.title.get_text()).startswith(title)
    assert plain(head_meta(page)["og:title"][0]) == title
    assert plain(page.find("h1").get_text()) == title


def test_feeds_atom_and_rss_all_and_per_category(publish_site):
    out = publish_site.output
    expected_all = {plain(p["title"]) for p in PUBLISHED}
    categories = {p.get("category", "News") for p in PUBLISHED}
    paths = ["feeds/all.atom.xml", "feeds/all.rss.xml"]
    for kind in ("atom", "rss"):
        feed = feedparser.parse((out / f"feeds/all.{kind}.xml").read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert {plain(e.title) for e in feed.entries} == expected_all
        for name in categories:
            slug = name.lower()
            path = f"feeds/category/{slug}.{kind}.xml"
            paths.append(path)
            feed = feedparser.parse((out / path).read_bytes())
            assert not feed.bozo, (path, feed.bozo_exception)
            assert {plain(e.title) for e in feed.entries} == {
                plain(p["title"]) for p in PUBLISHED if p.get("category", "News") == name}
            for entry in feed.entries:
                assert entry.link.startswith(PUBLISH_SITEURL + "/news/"), entry.link
    assert len(set(paths)) == len(paths)
    head = soup(out / "news/category/pay/index.html").head
    hrefs = {link["href"] for link in head.find_all("link", rel="alternate")}
    assert hrefs == {f"{PUBLISH_SITEURL}/{p}" for p in (
        "feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/category/pay.atom.xml",
        "feeds/category/pay.rss.xml")}


def test_sitemap_lists_published_content_with_honest_lastmod(publish_site):
    out = publish_site.output
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.parse(out / "sitemap.xml").getroot()
    entries = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
               for u in root.findall("s:url", ns)}
    for loc in entries:
        assert loc.startswith(PUBLISH_SITEURL + "/"), loc
        assert local_file(out, loc).is_file(), loc
    articles = {loc: mod for loc, mod in entries.items() if re.search(r"/news/\d{4}/\d\d/", loc)}
    assert articles == {
        f"{PUBLISH_SITEURL}/news/{p['when']:%Y}/{p['when']:%m}/{p['slug']}/":
        p["when"].isoformat() for p in PUBLISHED}
    newest = max(p["when"] for p in PUBLISHED).isoformat()
    assert entries[PUBLISH_SITEURL + "/"] == newest
    for post in POSTS:
        if post not in PUBLISHED:
            assert not any(post["slug"] in loc for loc in entries), post["slug"]
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {PUBLISH_SITEURL}/sitemap.xml" in robots.splitlines()
    assert robots.startswith("User-agent: *")


def test_favicons_are_linked_and_served(dev_site):
    head = soup(dev_site.output / "index.html").head
    icons = [link["href"] for link in head.find_all("link", rel="icon")]
    assert icons == ["/favicon.ico", "/favicon.svg"]
    with Image.open(dev_site.output / "favicon.ico") as im:
        assert im.format == "ICO"
    ET.parse(dev_site.output / "favicon.svg")


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
    script = ROOT / "theme/static/js/search.js"
    script_digest = hashlib.sha256(script.read_bytes()).hexdigest()[:8]
    published = {p.relative_to(out).as_posix() for p in (out / "theme").rglob("*")
                 if p.is_file()}
    assert published == {f"theme/css/site.{digest}.css", f"theme/images/logo.{logo_digest}.png",
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


def css_block(css, opening):
    """Return the text between `opening` (ending in "{") and its matching "}"."""
    start = css.index(opening) + len(opening)
    depth = 1
    for i in range(start, len(css)):
        depth += {"{": 1, "}": -1}.get(css[i], 0)
        if depth == 0:
            return css[start:i]
    raise ValueError(f"unbalanced braces after {opening!r}")


def test_dark_mode_and_print_redefine_colour_tokens_only():
    css = re.sub(r"/\*.*?\*/", "", (ROOT / "theme/static/css/site.css").read_text("utf-8"),
                 flags=re.S)
    tokens = css_block(css, "@layer tokens {")
    for media in ("@media (prefers-color-scheme: dark) {", "@media print {"):
        inner = css_block(tokens, media)
        assert re.fullmatch(r"\s*:root\s*\{[^{}]*\}\s*", inner), inner
        declarations = re.findall(r"([\w-]+)\s*:(?!root)", css_block(inner, ":root {"))
        assert declarations and all(d.startswith("--color-") for d in declarations), declarations
    colours = re.findall(r"#[0-9a-fA-F]{3,6}\b", css.split("@layer base {", 1)[1])
    assert not colours, f"components use tokens, never raw colours: {colours}"
