"""Site search (Pagefind): what is indexed, what never is, and the search page in Chromium.

The development build at TEST_NOW is indexed with tools/search_index.py (what `make html`,
`make publish` and `make deploy` run), served on 127.0.0.1 and searched through the real
Pagefind UI in Debian's Chromium.
"""

import contextlib
import gzip
import json
import re
import subprocess
import sys
from urllib.parse import quote_plus, urlsplit

import pytest

from conftest import AXE_TAGS, ROOT, build, serve_folder, write_post

# query -> slug of the article a reader expects in the top 3 results
RELEVANCE = {
    "pay award": "pay-award",
    "welfare support": "welfare-support",
    "inspectors": "hmicfrs-body-worn-video",          # text says "Inspectorate", "inspection"
    "investigators footage": "hmicfrs-body-worn-video",  # "investigations", "footage"
    "cameras": "hmicfrs-body-worn-video",
    "nominated for bravery": "bravery-award-nomination",
    "firefighter": "joint-wellbeing-day",             # text says "firefighters"
    "assaulted officers": "assaults-campaign",
    "survey results": "members-survey-results",
    "retiring": "long-service-recognition",           # "retire", "retired", "retirement"
    "conferences": "annual-conference",
    "training for reps": "rep-training-course",
}
DRAFT_PHRASE, EMBARGO_PHRASE = b"Marmalade", b"Quillfeather"


@pytest.fixture(scope="module")
def search_site(dev_site):
    """The development build, indexed as `make html` indexes it."""
    assert dev_site.returncode == 0, dev_site.log
    return dev_site.output


@pytest.fixture(scope="module")
def search_url(search_site):
    with serve_folder(search_site) as url:
        yield url


def fragments(bundle):
    """Decode every Pagefind fragment (gzip, then a `pagefind_dcd` marker, then JSON)."""
    found = []
    for path in sorted(bundle.glob("fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        found.append(json.loads(data[len(b"pagefind_dcd"):]))
    return found


def all_bytes(folder):
    """Every file under `folder`, decompressed when it is gzip."""
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            yield path, gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def test_index_holds_every_article_and_nothing_else(search_site):
    articles = sorted(search_site.glob("news/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))
    frags = fragments(search_site / "pagefind")
    assert len(frags) == len(articles) == 10
    urls = {f["url"] for f in frags}
    assert urls == {"/" + a.parent.relative_to(search_site).as_posix() + "/" for a in articles}
    for frag in frags:
        # only the article: no navigation, footer, share links or related posts
        for boilerplate in ("Skip to main content", "Quick links", "Share this", "Tags",
                            "Draft: not published", "\u00a9"):
            assert boilerplate not in frag["content"], (frag["url"], boilerplate)
        assert frag["meta"]["title"] and frag["meta"]["category"]
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", frag["meta"]["date"])
        assert set(frag["filters"]) == {"category", "year"}
        assert frag["filters"]["year"] == [frag["meta"]["date"][-4:]]
    assert json.loads((search_site / "pagefind/shards.json").read_text()) == []


def test_no_draft_or_embargoed_text_in_the_index(search_site):
    assert (ROOT / "content/news/2026-11-25-rest-day-court-protocol.md").read_bytes().count(
        DRAFT_PHRASE)
    leaks = [path for path, data in all_bytes(search_site / "pagefind")
             if DRAFT_PHRASE in data or EMBARGO_PHRASE in data]
    assert not leaks, leaks


def test_large_sites_are_indexed_in_shards(tmp_path):
    for day in range(1, 6):
        write_post(tmp_path / "content/news", f"2025-03-{day:02d}-post-{day}.md",
                   f'title: "Shard post {day}"\ndate: 2025-03-{day:02d}',
                   f"Body of shard post number {day} about zebra{day} crossings.\n")
    result = build(tmp_path / "output", content=tmp_path / "content")
    assert result.returncode == 0, result.log
    proc = subprocess.run([sys.executable, str(ROOT / "tools/search_index.py"),
                           str(result.output), "--shard-size", "2"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    bundle = result.output / "pagefind"
    assert json.loads((bundle / "shards.json").read_text()) == ["shard-2/", "shard-3/"]
    sizes = [len(fragments(b)) for b in (bundle, bundle / "shard-2", bundle / "shard-3")]
    assert sizes == [2, 2, 1]


@contextlib.contextmanager
def new_page(browser, **context_options):
    """A page in a browser context of its own, closed afterwards."""
    context = browser.new_context(**context_options)
    try:
        yield context.new_page()
    finally:
        context.close()


def result_slugs(page):
    """The article slugs of the results shown, in order."""
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    hrefs = page.eval_on_selector_all(".pagefind-ui__result-link",
                                      "links => links.map(a => a.getAttribute('href'))")
    return [urlsplit(h).path.rstrip("/").rsplit("/", 1)[-1] for h in hrefs]


@pytest.mark.parametrize("query", RELEVANCE)
def test_expected_article_in_top_three(browser, search_url, query):
    with new_page(browser) as page:
        page.goto(f"{search_url}/search/?q={quote_plus(query)}")
        slugs = result_slugs(page)
        assert RELEVANCE[query] in slugs[:3], (query, slugs)


def test_header_form_searches_and_prefills_the_query(browser, search_url):
    with new_page(browser) as page:
        page.goto(f"{search_url}/")
        page.get_by_label("Search news").fill("pay award")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=pay+award")
        assert "pay-award" in result_slugs(page)[:3]
        assert page.input_value(".pagefind-ui__search-input") == "pay award"
        assert page.locator("#site-search-q").count() == 0  # one search box on this page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_page_has_no_axe_violations(browser, axe, search_url, scheme):
    with new_page(browser, color_scheme=scheme) as page:
        page.goto(f"{search_url}/search/?q=welfare")
        result_slugs(page)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                         "resultTypes": ["violations"]})
        assert results.violations_count == 0, results.generate_report()


def test_search_is_usable_by_keyboard(browser, search_url):
    with new_page(browser) as page:
        page.goto(f"{search_url}/search/")
        page.wait_for_selector(".pagefind-ui__search-input")
        page.focus(".pagefind-ui__search-input")
        page.keyboard.type("survey")
        result_slugs(page)
        for _ in range(30):  # Tab on to the first result link, at most 30 stops
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains("
                             "'pagefind-ui__result-link')"):
                break
        page.keyboard.press("Enter")
        page.wait_for_url("**/news/2026/08/members-survey-results/")


def test_without_javascript_the_page_points_to_the_archive(browser, search_url):
    with new_page(browser, java_script_enabled=False) as page:
        page.goto(f"{search_url}/search/?q=pay")
        text = page.inner_text("main")
        assert "Search needs JavaScript" in text
        href = page.get_attribute("main noscript a, main a[href*='archives']", "href")
        assert href.endswith("/news/archives/")


def served_bytes(site, path):
    """Bytes nginx sends for `path` with gzip_static: the .gz twin if there is one."""
    file = site / path.lstrip("/")
    if file.is_dir():
        file = file / "index.html"
    gz = file.with_name(file.name + ".gz")
    if gz.is_file():
        return gz.stat().st_size
    data = file.read_bytes()
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, 9))


def test_search_page_transfers_at_most_100_kb_before_a_query(browser, search_site,
                                                              search_url):
    with new_page(browser) as page:
        requested = []
        page.on("request", lambda r: requested.append(urlsplit(r.url).path))
        page.goto(f"{search_url}/search/", wait_until="networkidle")
        page.wait_for_selector(".pagefind-ui__search-input")
    total = sum(served_bytes(search_site, p) for p in requested)
    assert any(p.endswith("pagefind-ui.js") for p in requested)
    assert total <= 100 * 1024, (total, requested)
