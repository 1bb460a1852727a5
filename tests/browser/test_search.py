"""Site search in Chromium: the real Pagefind UI over the development build's index.

The build at TEST_NOW (`dev_site`, indexed by the search_index plugin as `make html` does)
is served on 127.0.0.1 and searched in Debian's Chromium: relevance, the header form, axe,
the keyboard, no JavaScript, and the bytes sent before a query. What the index holds is
tests/build/test_search_index.py.
"""

import contextlib
import gzip
from urllib.parse import quote_plus, urlsplit

import pytest

from conftest import AXE_TAGS

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
def test_expected_article_in_top_three(browser, site_url, query):
    with new_page(browser) as page:
        page.goto(f"{site_url}/search/?q={quote_plus(query)}")
        slugs = result_slugs(page)
        assert RELEVANCE[query] in slugs[:3], (query, slugs)


def test_header_form_searches_and_prefills_the_query(browser, site_url):
    with new_page(browser) as page:
        page.goto(f"{site_url}/")
        page.get_by_label("Search news").fill("pay award")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=pay+award")
        assert "pay-award" in result_slugs(page)[:3]
        assert page.input_value(".pagefind-ui__search-input") == "pay award"
        assert page.locator("#site-search-q").count() == 0  # one search box on this page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_page_has_no_axe_violations(browser, axe, site_url, scheme):
    with new_page(browser, color_scheme=scheme) as page:
        page.goto(f"{site_url}/search/?q=welfare")
        result_slugs(page)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                         "resultTypes": ["violations"]})
        assert results.violations_count == 0, results.generate_report()


def focused(page):
    """(class, href, inside the search UI) of the element that has the focus."""
    return tuple(page.evaluate("""() => { const el = document.activeElement;
      return [el.className, el.getAttribute('href'), !!el.closest('#search')]; }"""))


def test_search_by_keyboard(browser, site_url):
    box = ".pagefind-ui__search-input"
    with new_page(browser) as page:
        page.goto(f"{site_url}/search/")
        # without ?q= the search box has the focus on arrival: a reader can type at once
        page.wait_for_function(f"document.activeElement.matches('{box}')", timeout=15000)
        page.keyboard.type("survey")
        slugs = result_slugs(page)
        assert slugs[0] == "members-survey-results", slugs
        assert page.inner_text(".pagefind-ui__message") == (
            f"{len(slugs)} result{'s' * (len(slugs) != 1)} for survey")
        # Enter in the box searches in place: no page load, the focus and results stay
        page.keyboard.press("Enter")
        assert urlsplit(page.url).path == "/search/" and page.is_visible(".pagefind-ui__result")
        assert page.evaluate(f"document.activeElement.matches('{box}')")
        assert result_slugs(page) == slugs
        # arrow keys move the caret, as in any text box; the new query is searched
        for _ in range(len("survey")):
            page.keyboard.press("ArrowLeft")
        page.keyboard.type("members ")
        assert page.input_value(box) == "members survey"
        page.wait_for_function("document.querySelector('.pagefind-ui__message').innerText"
                               ".endsWith('for members survey')", timeout=15000)
        first = page.get_attribute(".pagefind-ui__result-link", "href")
        assert first.endswith("/members-survey-results/"), first
        # Tab goes through the search controls, then to the results in order
        stops = []
        while len(stops) < 10 and "pagefind-ui__result-link" not in focused(page)[0]:
            page.keyboard.press("Tab")
            stops.append(focused(page))
        assert stops[-1][1:] == (first, True), stops
        assert all(inside for _cls, _href, inside in stops), stops
        page.keyboard.press("Shift+Tab")
        assert focused(page) == stops[-2]
        page.keyboard.press("Tab")
        title = page.inner_text(".pagefind-ui__result-link")
        page.keyboard.press("Enter")          # follows the focused result
        page.wait_for_url(f"**{first}")
        assert page.inner_text("h1") == title


def test_without_javascript_the_page_points_to_the_archive(browser, site_url):
    with new_page(browser, java_script_enabled=False) as page:
        page.goto(f"{site_url}/search/?q=pay")
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


def test_search_page_transfers_at_most_100_kb_before_a_query(browser, dev_site, site_url):
    with new_page(browser) as page:
        requested = []
        page.on("request", lambda r: requested.append(urlsplit(r.url).path))
        page.goto(f"{site_url}/search/", wait_until="networkidle")
        page.wait_for_selector(".pagefind-ui__search-input")
    total = sum(served_bytes(dev_site.output, p) for p in requested)
    assert any(p.endswith("pagefind-ui.js") for p in requested)
    assert total <= 100 * 1024, (total, requested)
