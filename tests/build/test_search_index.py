"""The search index as built: the search_index plugin indexes every published article and
nothing else, in every build; production builds add gzip twins, as for every text file.

Searching it in a browser is tests/browser/test_search.py.
"""

import gzip
import json
import re

from conftest import REDIRECT_PAGES
from helpers import HIDDEN, PUBLISHED, article_path, output_bytes


def fragments(bundle):
    """Decode every Pagefind fragment (gzip, then a `pagefind_dcd` marker, then JSON)."""
    found = []
    for path in sorted(bundle.glob("fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        found.append(json.loads(data[len(b"pagefind_dcd"):]))
    return found


def test_index_holds_every_article_and_nothing_else(dev_site):
    # nothing else: not the redirect and removed-story pages at article-like addresses either
    output = dev_site.output
    articles = [article_path(output, post) for post in PUBLISHED]
    assert all(a.is_file() for a in articles)
    assert all((output / page).is_file() for page in REDIRECT_PAGES)
    frags = fragments(output / "pagefind")
    assert len(frags) == len(articles)
    urls = {f["url"] for f in frags}
    assert urls == {"/" + a.parent.relative_to(output).as_posix() + "/" for a in articles}
    for frag in frags:
        # only the article: no navigation, footer, share links or related posts
        for boilerplate in ("Skip to main content", "Quick links", "Share this", "Tags",
                            "Draft: not published", "\u00a9"):
            assert boilerplate not in frag["content"], (frag["url"], boilerplate)
        assert frag["meta"]["title"] and frag["meta"]["category"]
        # the header's category, headline and date line are meta, filters and sort only:
        # the indexed text (and so every excerpt) starts in the story
        headline = frag["meta"]["title"].replace("\u00a0", " ")
        assert headline not in frag["content"].replace("\u00a0", " "), frag["url"]
        assert not frag["content"].startswith(frag["meta"]["category"] + "."), frag["url"]
        assert "Published " + frag["meta"]["date"] not in frag["content"], frag["url"]
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", frag["meta"]["date"])
        assert set(frag["filters"]) == {"category", "year"}
        assert frag["filters"]["year"] == [frag["meta"]["date"][-4:]]
    assert json.loads((output / "pagefind/shards.json").read_text()) == []


def test_the_index_sorts_by_date(dev_site):
    # data-pagefind-sort="date:..." on the article's <time>, inside the ignored date line,
    # still gives a "date" sort (the search page's ?sort=date)
    # pf_meta is CBOR: its sorts are [name, [page numbers]] pairs, here ["date", [every
    # article]] (a 2-array, the text "date", an array of as many items as articles)
    articles = len(fragments(dev_site.output / "pagefind"))
    assert articles < 24                      # one-byte CBOR array heads below
    meta = next((dev_site.output / "pagefind").glob("pagefind.*.pf_meta"))
    data = gzip.decompress(meta.read_bytes())
    assert b"\x82ddate" + bytes([0x80 + articles]) in data


def test_no_draft_or_embargoed_text_in_the_index(dev_site, publish_site):
    assert len(HIDDEN) == 2
    for site in (dev_site, publish_site):
        index = list(output_bytes(site.output / "pagefind"))
        assert len(index) > 10
        for post in HIDDEN:
            words = (post["title"].encode(), post["slug"].encode())
            leaks = [str(path) for path, data in index if any(w in data for w in words)]
            assert not leaks, (post["slug"], leaks)


def test_only_production_builds_have_gzip_twins_of_the_index(dev_site, publish_site):
    assert not list(dev_site.output.rglob("*.gz"))      # precompress: publishconf.py only
    bundle = publish_site.output / "pagefind"
    texts = [p for p in bundle.iterdir() if p.suffix in (".js", ".css", ".json")]
    assert any(p.name == "pagefind-ui.js" for p in texts)
    for path in texts:
        twin = path.with_name(path.name + ".gz")
        if path.stat().st_size < 20:         # pelican-precompress's minimum size (shards.json)
            assert not twin.exists(), twin
        else:
            assert gzip.decompress(twin.read_bytes()) == path.read_bytes(), twin
