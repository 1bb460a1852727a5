"""Pages for machines, from the production build (`publish_site`): Open Graph, JSON-LD,
feeds, the sitemap and robots.txt, favicons, home-screen icons and the manifest; and what
readers see of corrections and of the feeds ("Follow us").
"""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import LONDON, PUBLISH_SITEURL, ROOT, build, write_post
from helpers import (HIDDEN, PUBLISHED, SITE_DATA_EXAMPLE, article_path, local_file, plain,
                     soup)

CORRECTED = [p for p in PUBLISHED if "correction" in p]


def moment(text):
    """A front-matter date (`YYYY-MM-DD` or `YYYY-MM-DD HH:MM`) in Europe/London."""
    fmt = "%Y-%m-%d %H:%M" if " " in text else "%Y-%m-%d"
    return datetime.datetime.strptime(text, fmt).replace(tzinfo=LONDON)


def last_change(post):
    """A sample post's last change: its date, or its correction's if later."""
    corrected = [moment(post["correction_date"])] if "correction_date" in post else []
    return max([post["when"], *corrected])


def json_ld(page):
    """The parsed JSON-LD blocks of a parsed page, by @type."""
    blocks = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    return {block["@type"]: block for block in blocks}


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
    # the post's share image (cover-cropped from its picture) or the branded card: 1200 x 630
    assert meta["og:image:width"] == ["1200"] and meta["og:image:height"] == ["630"]
    assert ("-share.jpg" in image) == bool(post.get("image"))
    assert meta["twitter:card"] == ["summary_large_image"] and meta["twitter:image"] == [image]

    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 2
    blocks = json_ld(page)
    assert sorted(blocks) == ["BreadcrumbList", "NewsArticle"]
    ld = blocks["NewsArticle"]
    assert ld["@context"] == "https://schema.org"
    assert plain(ld["headline"]) == plain(post["title"])
    for key in ("datePublished", "dateModified"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", ld[key]), ld[key]
    assert ld["datePublished"] == post["when"].isoformat()
    assert ld["dateModified"] == last_change(post).isoformat()
    assert "\u00a0" not in scripts[0].string and "&nbsp;" not in scripts[0].string
    assert ld["author"]["name"] == post.get("author", "Northvale Police Federation")
    assert ld["author"]["@type"] == ("Person" if "author" in post else "Organization")
    assert ld["mainEntityOfPage"] == url and ld["image"] == [image]
    logo = ld["publisher"]["logo"]
    with Image.open(local_file(out, logo["url"])) as im:
        assert (logo["width"], logo["height"]) == im.size


def test_json_ld_and_head_survive_a_hostile_title(tmp_path):
    # tags in a title are refused by the check (test_hostile: and cleaned without it)
    title = 'Chair says "no" </script & pay < 3%, > 2% </title'
    write_post(tmp_path / "content/news", "2025-03-01-hostile.md",
               f"title: '{title}'\ndate: 2025-03-01\nsummary: 'It''s \"quoted\" & more'")
    result = build(tmp_path / "out", content=tmp_path / "content", conf="publishconf.py")
    assert result.returncode == 0, result.log
    text = (result.output / "news/2025/03/hostile/index.html").read_text(encoding="utf-8")
    assert text.count("</script>") == 2, "only the JSON-LD blocks may close a script"
    page = BeautifulSoup(text, "html5lib")
    scripts = page.find_all("script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"] * 2
    ld = json_ld(page)["NewsArticle"]
    assert plain(json_ld(page)["BreadcrumbList"]["itemListElement"][-1]["name"]) == title
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
        last_change(p).isoformat() for p in PUBLISHED}
    newest = max(last_change(p) for p in PUBLISHED).isoformat()
    assert entries[PUBLISH_SITEURL + "/"] == newest
    assert HIDDEN
    for post in HIDDEN:
        assert not any(post["slug"] in loc for loc in entries), post["slug"]
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {PUBLISH_SITEURL}/sitemap.xml" in robots.splitlines()
    assert robots.startswith("User-agent: *")


def test_feed_pictures_have_absolute_addresses_that_exist(publish_site):
    # a picture in a body reaches the feed with src (Pelican) and every srcset candidate
    # (newsroom.feeds.absolute_srcsets) absolute, and each names a file the build wrote
    # (read with ElementTree: feedparser's sanitiser drops <picture>, <source> and srcset)
    out = publish_site.output
    atom = "{http://www.w3.org/2005/Atom}"
    contents = ET.parse(out / "feeds/all.atom.xml").getroot().iter(f"{atom}content")
    candidates = []
    for content in contents:
        for element in BeautifulSoup(content.text, "html.parser").select(
                "img[srcset], source[srcset]"):
            candidates += [c.split()[0] for c in element["srcset"].split(", ")]
            if element.name == "img":
                candidates.append(element["src"])
    assert len(candidates) >= 10  # the sample's captioned conference picture, in 3 formats
    for address in candidates:
        assert address.startswith(PUBLISH_SITEURL + "/"), address
        assert (out / address[len(PUBLISH_SITEURL) + 1:]).is_file(), address


def test_only_the_production_build_has_feeds_sitemap_and_robots(dev_site, publish_site):
    # they need the absolute SITEURL of publishconf.py
    for name in ("sitemap.xml", "robots.txt", "feeds/all.atom.xml"):
        assert (publish_site.output / name).is_file(), name
        assert not (dev_site.output / name).exists(), name
    assert not (dev_site.output / "feeds").exists()


def test_favicons_are_linked_and_served(dev_site):
    head = soup(dev_site.output / "index.html").head
    icons = [link["href"] for link in head.find_all("link", rel="icon")]
    assert icons == ["/favicon.ico", "/favicon.svg"]
    with Image.open(dev_site.output / "favicon.ico") as im:
        assert im.format == "ICO"
    ET.parse(dev_site.output / "favicon.svg")


# --- home-screen icons, manifest, theme-color ------------------------------------------------

def css_token(css, name, dark=False):
    """The value of the custom property `name` in site.css's tokens (dark: its dark one)."""
    if dark:
        css = css[css.index("@media (prefers-color-scheme: dark)"):]
    return re.search(rf"{name}:\s*([^;]+);", css)[1].strip()


def test_icons_manifest_and_theme_colour(dev_site):
    out = dev_site.output
    head = soup(out / "index.html").head
    touch = head.find("link", rel="apple-touch-icon")["href"]
    with Image.open(local_file(out, touch)) as im:
        assert im.format == "PNG" and im.size == (180, 180) and im.mode == "RGB"
    manifest_url = head.find("link", rel="manifest")["href"]
    assert manifest_url == "/site.webmanifest"
    manifest = json.loads(local_file(out, manifest_url).read_text(encoding="utf-8"))
    assert manifest["name"] == "Northvale Police Federation"
    assert 0 < len(manifest["short_name"]) <= 12
    assert manifest["start_url"] == "./" and manifest["display"] in ("browser", "minimal-ui")
    sizes = set()
    for icon in manifest["icons"]:
        with Image.open(out / icon["src"]) as im:  # relative to the manifest, at the root
            assert icon["sizes"] == f"{im.width}x{im.height}" and im.format == "PNG"
            assert icon["type"] == "image/png"
            sizes.add(im.size)
    assert sizes == {(192, 192), (512, 512)}
    css = (ROOT / "theme/static/css/site.css").read_text(encoding="utf-8")
    colours = {m["media"]: m["content"]
               for m in head.find_all("meta", attrs={"name": "theme-color"})}
    assert colours == {"(prefers-color-scheme: light)": css_token(css, "--color-brand"),
                       "(prefers-color-scheme: dark)": css_token(css, "--color-bg", dark=True)}
    assert manifest["theme_color"] == css_token(css, "--color-brand")
    assert manifest["background_color"].lower() in ("#ffffff", css_token(css, "--color-bg"))
    assert len(soup(out / "news/archives/index.html").head.find_all(
        "meta", attrs={"name": "theme-color"})) == 2


# --- corrections ------------------------------------------------------------------------

@pytest.mark.parametrize("post", CORRECTED, ids=lambda p: p["slug"])
def test_correction_on_the_article_in_json_ld_and_in_the_feeds(publish_site, post):
    out = publish_site.output
    corrected = moment(post["correction_date"])
    page = soup(article_path(out, post))
    notice = page.find("aside", class_="correction")
    heading = page.find(id=notice["aria-labelledby"])
    assert heading in notice.find_all(True) and heading.get_text(strip=True) == "Correction"
    assert notice.find("time")["datetime"] == corrected.isoformat()
    assert notice.find("time").get_text() == f"{corrected.day} {corrected:%B %Y}"
    assert post["correction"] in notice.get_text()
    # before the story's text, inside the article (and its search record)
    assert notice.find_parent("article") and notice.find_next("div", class_="prose")
    ld = json_ld(page)["NewsArticle"]
    assert ld["correction"] == {"@type": "CorrectionComment", "text": post["correction"],
                                "datePublished": corrected.isoformat()}
    assert datetime.datetime.fromisoformat(ld["dateModified"]) >= corrected
    url = f"{PUBLISH_SITEURL}/news/{post['when']:%Y}/{post['when']:%m}/{post['slug']}/"
    for path in ("feeds/all.atom.xml", "feeds/all.rss.xml",
                 f"feeds/category/{post.get('category', 'News').lower()}.atom.xml"):
        feed = feedparser.parse((out / path).read_bytes())
        [entry] = [e for e in feed.entries if e.link == url]
        body = (entry.get("content") or [{"value": entry.summary}])[0]["value"]
        first = BeautifulSoup(body, "html5lib").body.find(True)
        assert plain(first.get_text()) == plain(
            f"Correction, {corrected.day} {corrected:%B %Y}: {post['correction']}"), path
        if path.endswith(".atom.xml"):
            assert datetime.datetime.fromisoformat(entry.updated) == corrected
    uncorrected = next(p for p in PUBLISHED if "correction" not in p)
    page = soup(article_path(out, uncorrected))
    assert not page.find(class_="correction") and "correction" not in json_ld(page)["NewsArticle"]


def test_correction_mistakes_stop_the_build_with_their_line(tmp_path):
    news = tmp_path / "content/news"
    write_post(news, "2025-03-01-no-date.md", 'title: "A"\ndate: 2025-03-01\ncorrection: "x"')
    write_post(news, "2025-03-02-early.md", 'title: "B"\ndate: 2025-03-02 12:00\n'
               'correction: "x"\ncorrection_date: 2025-03-02 11:00')
    write_post(news, "2025-03-03-future.md", 'title: "C"\ndate: 2025-03-03\n'
               'correction: "x"\ncorrection_date: 2030-01-01')
    before = {p: p.read_bytes() for p in news.iterdir()}
    result = build(tmp_path / "out", content=tmp_path / "content", conf="publishconf.py")
    assert result.returncode != 0 and "Traceback" not in result.log
    lines = [line for line in result.log.splitlines() if ": error: " in line]
    assert any(line.endswith("2025-03-01-no-date.md:4: error: the correction has no date; add "
                             "a line like: correction_date: 2025-04-03 14:00 (when the story "
                             "was corrected)") for line in lines), result.log
    assert any(line.endswith("2025-03-02-early.md:5: error: correction_date: is before date:; "
                             "a story is corrected after it is published, so write when the "
                             "correction was made") for line in lines), result.log
    assert any("2025-03-03-future.md:5: error: correction_date: is in the future" in line
               for line in lines), result.log
    assert {p: p.read_bytes() for p in news.iterdir()} == before


# --- bylines, plain text, breadcrumbs, category pages ------------------------------------------

def test_organisation_bylines_plain_titles_and_follow_links(tmp_path):
    news = tmp_path / "content/news"
    bylines = {"national": ("Police Federation of England and Wales", "Organization"),
               "met": ("Metropolitan Police Federation", "Organization"),
               "branch": ("Northvale Police Federation", "Organization"),
               "person": ("Taylor Branch", "Person")}
    for day, (slug, (author, _type)) in enumerate(bylines.items(), start=1):
        write_post(news, f"2025-03-0{day}-{slug}.md",
                   f'title: "Pay talks & the PRB resume on Monday"\ndate: 2025-03-0{day}\n'
                   f'author: "{author}"\ntags: [pay talks]')
    data = tmp_path / "site.yml"
    data.write_text(SITE_DATA_EXAMPLE + 'follow:\n  newsletter: "https://lists.example.org/nv"\n'
                    '  social:\n    - label: "Mastodon"\n      url: "https://social.example/@nv"\n',
                    encoding="utf-8")
    result = build(tmp_path / "out", content=tmp_path / "content", conf="publishconf.py",
                   extra=["-e", f'NEWS_SITE_DATA="{data}"'])
    assert result.returncode == 0, result.log
    out = result.output
    for day, (slug, (author, kind)) in enumerate(bylines.items(), start=1):
        path = out / f"news/2025/03/{slug}/index.html"
        text = path.read_text(encoding="utf-8")
        page = soup(path)
        ld = json_ld(page)
        assert ld["NewsArticle"]["author"] == {"@type": kind, "name": author}, slug
        # typogrify's widont no-break space and caps span stay in the visible headline only
        assert "\u00a0" in page.find("h1").get_text() and "caps" in str(page.find("h1"))
        head = text[:text.index("</head>")]
        assert "\u00a0" not in head and "&nbsp;" not in head and "&#160;" not in head
        title = "Pay talks & the PRB resume on Monday"
        assert page.title.get_text() == f"{title} – Northvale Police Federation"
        assert head_meta(page)["og:title"] == [title]
        assert ld["NewsArticle"]["headline"] == title
        crumbs = ld["BreadcrumbList"]["itemListElement"]
        assert [(c["position"], c["name"]) for c in crumbs] == [
            (1, "Home"), (2, "News"), (3, title)]
        assert [c["item"] for c in crumbs] == [
            f"{PUBLISH_SITEURL}/", f"{PUBLISH_SITEURL}/news/category/news/",
            f"{PUBLISH_SITEURL}/news/2025/03/{slug}/"]
        visible = [a.get_text() for a in page.select(".breadcrumbs a")]
        assert visible == ["Home", "News"]
    for kind in ("atom", "rss"):
        feed = feedparser.parse((out / f"feeds/all.{kind}.xml").read_bytes())
        assert {e.title for e in feed.entries} == {"Pay talks & the PRB resume on Monday"}
    # the footer's Follow us: feeds, newsletter and social profile, plain links only
    footer = soup(out / "index.html").find("footer", class_="site-footer")
    follow = footer.find(id="footer-follow-heading").find_parent("nav")
    links = {a.get_text(): a["href"] for a in follow.find_all("a")}
    assert links == {"All news: Atom feed": f"{PUBLISH_SITEURL}/feeds/all.atom.xml",
                     "All news: RSS feed": f"{PUBLISH_SITEURL}/feeds/all.rss.xml",
                     "Sign up for the newsletter": "https://lists.example.org/nv",
                     "Mastodon": "https://social.example/@nv"}
    assert not footer.find_all(["script", "iframe", "img", "object", "embed"])
    # the tag page links its own feeds, which exist and hold the tag's stories
    tag = soup(out / "news/tag/pay-talks/index.html")
    hrefs = [a["href"] for a in tag.select(".feed-links a")]
    assert hrefs == [f"{PUBLISH_SITEURL}/feeds/tag/pay-talks.atom.xml",
                     f"{PUBLISH_SITEURL}/feeds/tag/pay-talks.rss.xml"]
    assert {link["href"] for link in tag.head.find_all("link", rel="alternate")} >= set(hrefs)
    for href in hrefs:
        feed = feedparser.parse(local_file(out, href).read_bytes())
        assert not feed.bozo and len(feed.entries) == len(bylines), href


def test_category_pages_are_named_by_their_category_and_link_their_feeds(publish_site, dev_site):
    out = publish_site.output
    for name in sorted({p.get("category", "News") for p in PUBLISHED}):
        page = soup(out / f"news/category/{name.lower()}/index.html")
        assert page.find("h1").get_text() == name
        assert page.title.get_text() == f"{name} – Northvale Police Federation"
        titles = [link["title"] for link in page.head.find_all("link", rel="alternate")]
        assert f"Northvale Police Federation: {name}" in titles
        assert not any(f"{name} news" in t for t in titles), titles
        hrefs = [a["href"] for a in page.select(".feed-links a")]
        assert hrefs == [f"{PUBLISH_SITEURL}/feeds/category/{name.lower()}.{kind}.xml"
                         for kind in ("atom", "rss")]
        assert all(local_file(out, href).is_file() for href in hrefs)
    # without feeds (development builds) there is nothing to follow: no links, no section
    page = soup(dev_site.output / "news/category/pay/index.html")
    assert not page.select(".feed-links") and not page.find(id="footer-follow-heading")
    assert not page.head.find_all("link", rel="alternate")
    footer = soup(out / "index.html").find(id="footer-follow-heading").find_parent("nav")
    assert [a.get_text() for a in footer.find_all("a")] == [
        "All news: Atom feed", "All news: RSS feed"]
