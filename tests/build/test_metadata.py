"""Pages for machines, from the production build (`publish_site`): Open Graph, JSON-LD,
feeds, the sitemap and robots.txt, favicons.
"""

import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import PUBLISH_SITEURL, build, write_post
from helpers import HIDDEN, PUBLISHED, article_path, local_file, plain, soup


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
    # tags in a title are refused by the check (test_hostile: and cleaned without it)
    title = 'Chair says "no" </script & pay < 3%, > 2% </title'
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
    assert HIDDEN
    for post in HIDDEN:
        assert not any(post["slug"] in loc for loc in entries), post["slug"]
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {PUBLISH_SITEURL}/sitemap.xml" in robots.splitlines()
    assert robots.startswith("User-agent: *")


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
