"""Site search in Chromium: the real Pagefind UI over the development build's index.

The build at TEST_NOW (`dev_site`, indexed by the search_index plugin as `make html` does)
is served on 127.0.0.1 and searched in Debian's Chromium: relevance, the header form, axe
with results shown (light and dark, 320 and 1280 px), the search box's visible label, result
text at the body's size, sorting by date (?sort=date and the "Sort results" select), excerpts
that start in the story rather than with its headline, the query highlighted on the article
a result opens (a Text Fragment: seen on screen, in the focus colour), the keyboard, no
JavaScript, and the bytes sent before a query. What the index holds is
tests/build/test_search_index.py.
"""

import contextlib
import datetime
import gzip
import io
from urllib.parse import quote_plus, unquote, urlsplit

import pytest
from PIL import Image

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
    # words only in a headline: the header is not indexed text, the title meta is searched
    "relaunches": "assaults-campaign",
    "praise": "hmicfrs-body-worn-video",
}


@contextlib.contextmanager
def new_page(browser, **context_options):
    """A page in a browser context of its own, closed afterwards."""
    context = browser.new_context(**context_options)
    try:
        yield context.new_page()
    finally:
        context.close()


ALL_LOADED = """() => { const results = document.querySelectorAll('.pagefind-ui__result');
  return results.length > 0 && Array.from(results).every(r =>
    r.querySelector('.pagefind-ui__result-link') && r.querySelector('.pagefind-ui__result-excerpt')
    && r.querySelector('[data-pagefind-ui-meta=date]')); }"""


def wait_for_results(page):
    """Wait until results are shown, each loaded (Pagefind lists placeholders first, then
    fills in each result's link, excerpt and date)."""
    page.wait_for_function(ALL_LOADED, timeout=15000)


def result_slugs(page):
    """The article slugs of the results shown, in order."""
    wait_for_results(page)
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


MODES = {"light-1280": (1280, "light"), "dark-1280": (1280, "dark"),
         "light-320": (320, "light"), "dark-320": (320, "dark")}


@pytest.mark.parametrize("mode", MODES)
def test_search_page_with_results_has_no_axe_violations(browser, axe, site_url, mode):
    width, scheme = MODES[mode]
    with new_page(browser, color_scheme=scheme,
                  viewport={"width": width, "height": 800}) as page:
        page.goto(f"{site_url}/search/?q=welfare")
        assert len(result_slugs(page)) >= 2
        # with axe's best practices too: "label-title-only" was the search box's violation
        # (Pagefind's input named by its title alone) before the visible label
        results = axe.run(page, options={"runOnly": {"type": "tag",
                                                     "values": [*AXE_TAGS, "best-practice"]},
                                         "resultTypes": ["violations"]})
        assert results.violations_count == 0, results.generate_report()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width


def test_search_box_has_a_visible_label(browser, site_url):
    with new_page(browser) as page:
        page.goto(f"{site_url}/search/?q=pay")
        result_slugs(page)
        label = page.locator("label.search__label")
        box = label.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, box
        assert label.inner_text() == "Search news"
        # the label names Pagefind's input (label[for] = the input's id), and only it
        target = page.get_by_label("Search news", exact=True)
        assert target.count() == 1
        assert target.evaluate("el => el.matches('.pagefind-ui__search-input')")
        assert page.get_by_role("textbox", name="Search news").count() == 1
        # label above the box, as a reader expects
        assert box["y"] + box["height"] <= target.bounding_box()["y"] + 1


@pytest.mark.parametrize("width", [320, 1280])
def test_result_text_is_the_body_size(browser, site_url, width):
    with new_page(browser, viewport={"width": width, "height": 800}) as page:
        page.goto(f"{site_url}/search/?q=pay")
        result_slugs(page)
        sizes = page.evaluate("""() => {
          const size = el => getComputedStyle(el).fontSize;
          return [size(document.body),
                  ...Array.from(document.querySelectorAll(
                    '.pagefind-ui__result-excerpt, .pagefind-ui__message'), size)]; }""")
        assert len(sizes) >= 3 and set(sizes) == {sizes[0]}, sizes


def shown_dates(page):
    """The publication dates shown with the results ("Date: 4 August 2026"), in order."""
    wait_for_results(page)
    texts = page.eval_on_selector_all(".pagefind-ui__result [data-pagefind-ui-meta=date]",
                                      "els => els.map(e => e.innerText.trim())")
    return [datetime.datetime.strptime(t.removeprefix("Date: "), "%d %B %Y").date()
            for t in texts]


def test_sort_by_date_from_the_address_lists_newest_first(browser, site_url):
    with new_page(browser) as page:
        page.goto(f"{site_url}/search/?q=pay")
        by_relevance = result_slugs(page)
        relevance_dates = shown_dates(page)
        assert page.input_value("#search-sort") == ""
        page.goto(f"{site_url}/search/?q=pay&sort=date")
        page.wait_for_function("document.querySelector('.pagefind-ui__message')"
                               "?.innerText.endsWith('for pay')", timeout=15000)
        by_date = result_slugs(page)
        dates = shown_dates(page)
        assert page.input_value("#search-sort") == "date"
        assert page.input_value(".pagefind-ui__search-input") == "pay"
        assert len(dates) >= 3 and dates == sorted(dates, reverse=True), dates
        assert sorted(by_date) == sorted(by_relevance)   # the same results, reordered
        assert relevance_dates != dates                  # (relevance is not date order here)


def test_sort_control_is_labelled_and_works_by_keyboard(browser, site_url):
    with new_page(browser) as page:
        page.goto(f"{site_url}/search/?q=pay")
        relevance = result_slugs(page)
        select = page.get_by_label("Sort results")
        assert select.evaluate("el => el.tagName") == "SELECT"
        label = page.locator("label[for=search-sort]").bounding_box()
        assert label and label["width"] > 0 and label["height"] > 0
        # reached with Tab from the top of the page
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "search-sort":
                break
        else:
            raise AssertionError("Tab never reached the sort control")
        page.keyboard.press("ArrowDown")                 # "Newest first"
        page.wait_for_url("**/search/?q=pay&sort=date")
        page.wait_for_function("document.querySelectorAll('.pagefind-ui__result').length"
                               f" === {len(relevance)}", timeout=15000)
        dates = shown_dates(page)
        assert dates == sorted(dates, reverse=True), dates
        assert page.evaluate("document.activeElement.id") == "search-sort"
        assert page.input_value(".pagefind-ui__search-input") == "pay"
        page.keyboard.press("ArrowUp")                   # back to "Best match first"
        page.wait_for_url("**/search/?q=pay")
        page.wait_for_function("document.querySelector('.pagefind-ui__result-link')"
                               f"?.getAttribute('href').includes('/{relevance[0]}/')",
                               timeout=15000)
        assert result_slugs(page) == relevance


def test_quick_changes_of_sort_end_in_the_last_order_chosen(browser, site_url):
    # each change restarts Pagefind's UI once the last one is gone (search.js `restart`)
    with new_page(browser) as page:
        page.goto(f"{site_url}/search/?q=pay")
        result_slugs(page)
        for value in ("date", "", "date", "", "date"):
            page.select_option("#search-sort", value)
        page.wait_for_url("**/search/?q=pay&sort=date")
        page.wait_for_function("document.querySelector('.pagefind-ui__message')"
                               "?.innerText.endsWith('for pay')", timeout=15000)
        page.wait_for_timeout(500)          # every queued restart has run
        dates = shown_dates(page)
        assert len(dates) >= 3 and dates == sorted(dates, reverse=True), dates
        assert page.locator(".pagefind-ui").count() == 1


def test_sorting_keeps_the_query_and_the_filters_ticked(browser, site_url):
    with new_page(browser) as page:
        page.goto(f"{site_url}/search/?q=pay")
        result_slugs(page)
        page.click(".pagefind-ui__filter-name:text('Category')")
        page.check("#category-Pay")
        page.wait_for_function("document.querySelector('.pagefind-ui__message')"
                               "?.innerText === '1 result for pay'", timeout=15000)
        page.select_option("#search-sort", "date")
        page.wait_for_url("**/search/?q=pay&sort=date")
        page.wait_for_function("document.querySelector('.pagefind-ui__message')"
                               "?.innerText === '1 result for pay'", timeout=15000)
        assert page.is_checked("#category-Pay")
        assert result_slugs(page) == ["pay-award"]


def results_shown(page):
    """[(headline, excerpt text, link href)] of the results shown."""
    wait_for_results(page)
    return [tuple(r) for r in page.eval_on_selector_all(".pagefind-ui__result", """els =>
      els.map(e => [e.querySelector('.pagefind-ui__result-link').innerText,
                    e.querySelector('.pagefind-ui__result-excerpt').innerText,
                    e.querySelector('.pagefind-ui__result-link').getAttribute('href')])""")]


def plain(text):
    """`text` lower-cased with its whitespace (no-break spaces too) as single spaces."""
    return " ".join(text.replace("\u00a0", " ").split()).lower()


@pytest.mark.parametrize("query", ["pay", "welfare", "members", "officers"])
def test_no_excerpt_starts_with_its_headline(browser, site_url, query):
    with new_page(browser) as page:
        page.goto(f"{site_url}/search/?q={query}")
        shown = results_shown(page)
        assert len(shown) >= 2, shown
        for headline, excerpt, _href in shown:
            first_words = " ".join(plain(headline).split()[:3])
            assert not plain(excerpt).startswith(first_words), (headline, excerpt)
            assert plain(headline) not in plain(excerpt), (headline, excerpt)


FOCUS_YELLOW = (255, 221, 0)  # --color-focus, the ::target-text background


def highlighted_pixels(page):
    """How many pixels of the viewport show the Text Fragment highlight's background."""
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    return sum(n for n, colour in image.getcolors(1 << 24) if colour == FOCUS_YELLOW)


@pytest.mark.parametrize("scheme", ["light", "dark"])
# "recovery": a no-break space (typogrify's widont) between prefix and match; "helpline": "24-hour"
@pytest.mark.parametrize("query", ["pay", "inspectors", "survey results", "firefighter",
                                   "recovery", "helpline"])
def test_each_result_link_highlights_the_query_on_its_article(browser, site_url, query,
                                                              scheme):
    with new_page(browser, color_scheme=scheme) as page:
        page.goto(f"{site_url}/search/?q={quote_plus(query)}")
        shown = results_shown(page)
        marks = page.eval_on_selector_all(".pagefind-ui__result-excerpt", """els =>
          els.map(e => e.querySelector('mark') && e.querySelector('mark').innerText)""")
    assert shown
    for (_headline, _excerpt, href), mark in zip(shown, marks):
        path, _, fragment = href.partition("#")
        assert fragment.startswith(":~:text="), href
        assert mark and mark.strip(".,;:!?\u2019\u201d\"'") in unquote(fragment), (mark, href)
        with new_page(browser, color_scheme=scheme) as article:
            article.goto(site_url + path)             # without the fragment: no highlight
            assert highlighted_pixels(article) == 0, path
            assert article.locator("script[src]").count() == 0   # no JavaScript there
            article.goto("about:blank")
            article.goto(site_url + href)
            # the browser found the text (an unmatched directive highlights nothing)
            article.wait_for_function("document.readyState === 'complete'")
            article.wait_for_timeout(200)
            assert highlighted_pixels(article) > 50, href


def test_following_a_result_opens_the_article_with_the_query_highlighted(browser, site_url):
    with new_page(browser) as page:
        page.goto(f"{site_url}/search/?q=payroll")
        headline, _excerpt, href = results_shown(page)[0]
        with page.expect_navigation():
            page.click(".pagefind-ui__result-link")
        assert urlsplit(page.url).path == href.partition("#")[0]
        assert page.inner_text("h1") == headline
        page.wait_for_timeout(300)
        assert page.evaluate("scrollY") > 0             # scrolled to the match, below the fold
        assert highlighted_pixels(page) > 50


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
        path = first.partition("#")[0]        # the link has a Text Fragment (#:~:text=)
        assert path.endswith("/members-survey-results/"), first
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
        page.wait_for_url(lambda url: urlsplit(url).path == path)
        assert page.inner_text("h1") == title


def test_without_javascript_the_page_points_to_the_archive(browser, site_url):
    with new_page(browser, java_script_enabled=False) as page:
        page.goto(f"{site_url}/search/?q=pay")
        text = page.inner_text("main")
        assert "Search needs JavaScript" in text
        # no label without a box, no sort control without results (@media (scripting: none))
        assert not page.is_visible(".search__label") and not page.is_visible(".search__sort")
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
