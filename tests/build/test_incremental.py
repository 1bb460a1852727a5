"""The content cache, the reading and writing processes and the pages kept from the last
build never change what is published.

Real builds of a copy of the sample site with publishconf.py and the search index
(conftest.build: the whole pipeline in a fresh process at TEST_NOW), each with its own
content cache (`NEWS_CACHE_PATH`):

- cold (empty cache, one reading and one writing process), warm (same cache), cold with
  two of each (the thumbnails made in the reading pool), without any
  cache and with Pelican's own typogrify instead of ours, and after an edit and its revert:
  the output trees are identical file for file;
- an edit of a post's body, title, tags, category, date or related list, of a title a
  related list shows, of a hero image's file, of a page, a template, a reading setting or
  data/site.yml, built warm into the folder of the last build (whose unchanged article
  pages it keeps, newsroom/pagememo.py), gives exactly the tree a build without a cache
  gives (so every page that shows it changed: home, lists, neighbours, related boxes,
  feeds, sitemap, search), and the edit shows on the pages named; reverted and built
  there again, the tree is the cold build's. A body edit keeps every other article page
  as the very file of the last build, and every search bundle but its page's.

The only files allowed to differ between two builds of the same input are Pagefind's
filter and metadata files and the entry file naming them (`UNSTABLE`): Pagefind writes
them in a different order, hence under different hashes, on every run, with or without
the cache (two builds of the same commit differ there too).
"""

import json
import os
import re
import shutil

from PIL import Image

import pytest

from conftest import CONTENT, ROOT, build
from helpers import tree_hash

UNSTABLE = re.compile(r"pagefind/(shard-\d+/)?(filter/en_[0-9a-f]+\.pf_filter"
                      r"|pagefind\.en_[0-9a-f]+\.pf_meta|pagefind-entry\.json)(\.gz)?$")
POST = "news/2025-07-29-pay-award.md"
POST_PAGE = "news/2025/07/pay-award/index.html"


def site_copy(dest):
    """A copy of the sample site's inputs in `dest`: content/, theme/ and site.yml."""
    shutil.copytree(CONTENT, dest / "content")
    shutil.copytree(ROOT / "theme", dest / "theme")
    shutil.copy(ROOT / "data/site.yml", dest / "site.yml")
    return dest


def build_site(site, name, cache="cache", **settings):
    """Build the copy `site` into `site/name` with its theme and site.yml, the content
    cache `site/cache` ("" for none) and `settings` (as -e values); return the tree
    (`tree_hash`)."""
    values = {"THEME": f'"{site / "theme"}"', "NEWS_SITE_DATA": f'"{site / "site.yml"}"',
              "NEWS_CACHE_PATH": f'"{site / cache}"' if cache else '""', **settings}
    built = build(site / name, content=site / "content", conf="publishconf.py", index=True,
                  extra=["-e", *(f"{k}={v}" for k, v in values.items())])
    assert built.returncode == 0, built.log
    return tree_hash(site / name)


def same(a, b):
    """Assert the trees `a` and `b` are identical but for `UNSTABLE` files, whose number
    must match."""
    def stable(tree):
        return {p: h for p, h in tree.items() if not UNSTABLE.search(p)}
    assert stable(a) == stable(b), {p for p in stable(a).keys() | stable(b).keys()
                                    if a.get(p) != b.get(p)}
    assert len(a) == len(b)


def changed(a, b):
    """The paths whose bytes differ between trees `a` and `b` (`UNSTABLE` left out)."""
    return {p for p in a.keys() | b.keys() if a.get(p) != b.get(p) and not UNSTABLE.search(p)}


@pytest.fixture(scope="module")
def warmed(tmp_path_factory):
    """A site copy with a warm cache, its cold build's tree, and a build of it in `live`,
    the folder every edit is then built into."""
    site = site_copy(tmp_path_factory.mktemp("incremental"))
    cold = build_site(site, "cold", NEWS_READ_WORKERS="1", NEWS_WRITE_WORKERS="1")
    same(cold, build_site(site, "live"))
    return site, cold


def test_cold_warm_parallel_and_uncached_builds_are_identical(warmed, tmp_path):
    site, cold = warmed
    same(cold, build_site(site, "warm", NEWS_READ_WORKERS="1", NEWS_WRITE_WORKERS="1"))
    same(cold, build_site(site, "parallel", cache="cache-2", NEWS_READ_WORKERS="2",
                          NEWS_WRITE_WORKERS="2"))
    same(cold, build_site(site, "pelican", cache="", TYPOGRIFY="true", NEWS_TYPOGRIFY="false"))


def test_an_edit_and_its_revert(warmed):
    site, cold = warmed
    post = site / "content" / POST
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("The government has announced", "Ministers announced"),
                    encoding="utf-8")
    try:
        edited = build_site(site, "edited")
    finally:
        post.write_text(text, encoding="utf-8")
    assert POST_PAGE in changed(cold, edited)
    same(cold, build_site(site, "reverted"))


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def move_post(site):
    """The post a day later: its file renamed to the new date (same month: same address),
    the links to it from other posts renamed with it."""
    old = site / "content" / POST
    new = old.with_name("2025-07-30-pay-award.md")
    new.write_text(old.read_text(encoding="utf-8").replace("date: 2025-07-29 09:30",
                                                           "date: 2025-07-30 09:30"),
                   encoding="utf-8")
    old.unlink()
    for post in (site / "content").rglob("*.md"):
        text = post.read_text(encoding="utf-8")
        if old.name in text:
            post.write_text(text.replace(old.name, new.name), encoding="utf-8")


def new_hero(site):
    """The hero image's file replaced by another picture of another size."""
    Image.new("RGB", (1000, 750), (200, 40, 40)).save(site / "content" / HERO, quality=80)


TITLE = "Pay award falls short of what officers need, says chair"
HERO = "images/body-worn-video.jpg"
HERO_PAGE = "news/2025/09/hmicfrs-body-worn-video/index.html"
BRAVERY = "news/2025-02-18-bravery-award-nomination.md"
# Each edit: what it changes in the site copy, extra settings, pages that must show it.
EDITS = {
    "body": (lambda s: replace_in(s / "content" / POST, "The government has announced",
                                  "Ministers announced"), {}, [POST_PAGE]),
    "date": (move_post, {}, [POST_PAGE, "index.html", "feeds/all.atom.xml"]),
    "hero": (new_hero, {}, [HERO_PAGE, "index.html"]),
    "related_title": (lambda s: (replace_in(s / "content" / POST, "status: published",
                                            "related: [bravery-award-nomination]\n"
                                            "status: published"),
                                 replace_in(s / "content" / BRAVERY, 'title: "',
                                            'title: "Renamed: ')), {}, [POST_PAGE]),
    "title": (lambda s: replace_in(s / "content" / POST, TITLE, "Pay award is too low, chair"
                                   " says"), {},
              ["index.html", POST_PAGE, "news/category/pay/index.html", "news/tag/prb/index.html",
               "news/archives/index.html", "feeds/all.atom.xml", "feeds/all.rss.xml",
               "news/2025/06/welfare-support/index.html"]),
    "tags": (lambda s: replace_in(s / "content" / POST, "tags: [pay, PRB, PFEW]",
                                  "tags: [pay, PRB, PFEW, morale]"), {},
             [POST_PAGE, "news/tag/morale/index.html", "feeds/all.atom.xml"]),
    "category": (lambda s: replace_in(s / "content" / POST, "category: Pay", "category: News"),
                 {}, [POST_PAGE, "news/category/pay/index.html",
                      "news/category/news/index.html", "feeds/category/pay.atom.xml"]),
    "related": (lambda s: replace_in(s / "content" / POST, "status: published",
                                     "related: [bravery-award-nomination]\nstatus: published"),
                {}, [POST_PAGE]),
    "page": (lambda s: replace_in(s / "content/pages/about.md", "title: ", "title: New "), {},
             ["about/index.html"]),
    "template": (lambda s: replace_in(s / "theme/templates/base.html", "<body", "<body data-x"),
                 {}, ["index.html", POST_PAGE, "about/index.html", "404.html"]),
    "setting": (lambda s: None, {"TYPOGRIFY_DASHES": '"default"'},
                ["news/2025/07/pay-award/index.html"]),
    "site_data": (lambda s: replace_in(s / "site.yml", "01632 960 123", "01632 960 456"), {},
                  ["index.html", POST_PAGE, "about/index.html"]),
    "correction": (lambda s: replace_in(s / "content" / POST, "correction: \"An earlier",
                                        "correction: \"A first"), {},
                   [POST_PAGE, "feeds/all.atom.xml", "feeds/category/pay.atom.xml"]),
    "follow": (lambda s: replace_in(s / "site.yml", "quick_links:",
                                    'follow:\n  newsletter: "https://lists.example.org/nv"\n'
                                    "quick_links:"), {},
               ["index.html", POST_PAGE, "about/index.html"]),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_a_warm_build_after_an_edit_is_the_uncached_build(name, warmed):
    """The edit, built with the warm cache, gives the tree of a build without a cache, and
    changes the pages that show what was edited. The edit is made in the site copy (cache
    keys hold the file's path) and undone afterwards."""
    site, cold = warmed
    edit, settings, pages = EDITS[name]
    saved = inputs(site)
    try:
        edit(site)
        warm = build_site(site, "live", **settings)
        same(warm, build_site(site, f"uncached-{name}", cache="", **settings))
    finally:
        restore(site, saved)
    assert set(pages) <= changed(cold, warm), set(pages) - changed(cold, warm)
    same(cold, build_site(site, "live"))


def inputs(site):
    """The bytes of every input file an edit may change."""
    return {p: p.read_bytes() for p in [site / "site.yml", *(site / "content").rglob("*.md"),
                                        *(site / "content").rglob("*.jpg"),
                                        *(site / "theme").rglob("*.html")]}


def restore(site, saved):
    """Put the inputs back as `saved`, removing the posts an edit added."""
    for path in (site / "content").rglob("*.md"):
        if path not in saved:
            path.unlink()
    for path, data in saved.items():
        path.write_bytes(data)


def test_a_body_edit_keeps_every_other_article_page_as_the_last_build_s_file(warmed):
    site, cold = warmed
    live = site / "live"
    other = live / "news/2025/06/welfare-support/index.html"
    kept, rebuilt = os.stat(other).st_ino, os.stat(live / POST_PAGE).st_ino
    saved = inputs(site)
    try:
        replace_in(site / "content" / POST, "The government has announced",
                   "Ministers announced")
        build_site(site, "live")
    finally:
        restore(site, saved)
    assert os.stat(other).st_ino == kept  # linked from the last build
    assert os.stat(live / POST_PAGE).st_ino != rebuilt
    assert "Ministers announced" in (live / POST_PAGE).read_text(encoding="utf-8")
    same(cold, build_site(site, "live"))


def test_a_typography_setting_it_cannot_use_is_one_line(tmp_path):
    built = build(tmp_path / "out", extra=["-e", 'TYPOGRIFY_OMIT_FILTERS=["widows"]',
                                           f'NEWS_CACHE_PATH="{tmp_path / "cache"}"'])
    assert built.returncode == 1 and "Traceback" not in built.log
    assert "build: error: TYPOGRIFY_OMIT_FILTERS: unknown filter(s) ['widows']" in built.log


def test_an_edit_re_indexes_only_the_search_bundle_of_its_page(warmed):
    """With bundles of 3 articles the sample site's published ones make at least 3, the
    first holding the post edited (pages are sorted by path: newsroom/search.py); the edit
    gives new files there and keeps the other bundles' files, and the tree is an uncached
    build's (Pagefind's `UNSTABLE` files aside)."""
    site, _cold = warmed
    shards = {"NEWS_SEARCH_SHARD_SIZE": "3"}
    out = site / "sharded"
    build_site(site, "sharded", **shards)
    assert len(json.loads((out / "pagefind/shards.json").read_text())) >= 2
    others = {p: p.stat().st_ino for p in (out / "pagefind").rglob("*")
              if p.is_file() and p.parts[-2:][0].startswith("shard-") and p.suffix != ".gz"}
    first = {p: p.stat().st_ino for p in (out / "pagefind/fragment").iterdir()}
    assert others and first
    saved = inputs(site)
    try:
        replace_in(site / "content" / POST, "The government has announced",
                   "Ministers announced")
        tree = build_site(site, "sharded", **shards)
        same(tree, build_site(site, "sharded-uncached", cache="", **shards))
    finally:
        restore(site, saved)
    assert {p: p.stat().st_ino for p in others} == others
    assert not set(first) <= set((out / "pagefind/fragment").iterdir())  # re-indexed
