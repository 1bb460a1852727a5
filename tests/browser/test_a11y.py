"""The built site in a real browser: axe-core, reflow at 320 px, text spacing, focus, requests.

Debian's Chromium driven by Playwright (sync API) loads the development build served by
Python's http.server on 127.0.0.1. Without Chromium or axe-core the tests fail, never skip.
Pages: the index, two articles (one with a hero image, one with related posts), a category,
a tag, the archives, a page, the 404, a moved post's redirect page and a removed post's page
(conftest.site_redirects), each in the light and the dark colour scheme, at 1280 and at 320
CSS pixels wide. A page is checked where it is: a navigation away from it (the redirect
page's refresh) is held back (`stay_on`); that the refresh leads on is tested by itself.
"""

import pathlib
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from PIL import Image

from conftest import (AXE_TAGS, GONE, MOVED_FROM, MOVED_TO, REDIRECT_PAGES, ROOT, build,
                      serve_folder)
from helpers import SITE_DATA_EXAMPLE

MODES = {  # name: (viewport width, colour scheme)
    "light-1280": (1280, "light"), "dark-1280": (1280, "dark"),
    "light-320": (320, "light"), "dark-320": (320, "dark"),
}
# WCAG 2.2 success criterion 1.4.12 (Text Spacing): the values of the W3C's test bookmarklet.
TEXT_SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: .12em !important;
    word-spacing: .16em !important; }
p { margin-bottom: 2em !important; }
"""


def pick_pages(output: pathlib.Path) -> dict[str, str]:
    """Return {name: URL path} of the pages under test, found in the built `output`."""
    articles = sorted(p for p in output.glob("news/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html")
                      if p.relative_to(output).as_posix() not in REDIRECT_PAGES)

    def first(pattern):
        found = [p for p in articles if re.search(pattern, p.read_text(encoding="utf-8"), re.S)]
        assert found, f"no article page matches {pattern!r}"
        return "/" + found[0].parent.relative_to(output).as_posix() + "/"

    category = sorted(output.glob("news/category/*/index.html"))[0]
    tag = sorted(output.glob("news/tag/*/index.html"))[0]
    return {
        "index": "/",
        "article-hero": first('class="hero"'),
        "article-related": first('class="related-posts"'),
        "article-correction": first('class="correction"'),
        # a link to a page (an email link, written as entities by magiclink, prints no URL)
        "article-link": first(r'<div class="prose">((?!</div>).)*<a href="(?!mailto:|&#109;)'),
        "category": "/" + category.parent.relative_to(output).as_posix() + "/",
        "tag": "/" + tag.parent.relative_to(output).as_posix() + "/",
        "archives": "/news/archives/",
        "page": "/accessibility/",
        "404": "/404.html",
        "redirect": f"/{MOVED_FROM}",
        "gone": f"/{GONE}",
    }


@pytest.fixture(scope="session")
def pages(dev_site):
    return pick_pages(dev_site.output)


def new_page(browser, mode="light-1280"):
    """A browser context in `mode` (MODES) and a page in it, not yet navigated."""
    width, scheme = MODES[mode]
    context = browser.new_context(viewport={"width": width, "height": 800},
                                  color_scheme=scheme)
    return context, context.new_page()


def stay_on(page, url):
    """Keep `page` at `url`: abort any other navigation of its main frame (as net::ERR_ABORTED,
    which leaves the document in place), such as the redirect page's `<meta http-equiv=
    refresh>`, so the checks run on the page opened, not the one it leads to. Return the
    list (filled as it happens) of the addresses held back."""
    held = []

    def hold(route, request):
        if (request.is_navigation_request() and request.frame == page.main_frame
                and request.url != url):
            held.append(request.url)
            route.abort("aborted")
        else:
            route.continue_()

    page.route("**/*", hold)
    return held


def open_page(browser, url, mode="light-1280"):
    """Open `url` in a new context in `mode`, held there (`stay_on`): (context, page,
    response)."""
    context, page = new_page(browser, mode)
    stay_on(page, url)
    response = page.goto(url, wait_until="load", timeout=15000)
    return context, page, response


PAGE_NAMES = ["index", "article-hero", "article-related", "article-correction", "category",
              "tag", "archives", "page", "404", "redirect", "gone"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_axe_finds_no_violations(browser, axe, site_url, pages, name, mode):
    context, page, _ = open_page(browser, site_url + pages[name], mode)
    try:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                         "resultTypes": ["violations"]})
        assert page.url == site_url + pages[name]  # axe saw this page, not one it led to
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()


def test_follow_links_and_feed_links_have_no_violations(browser, axe, tmp_path):
    # the development build has no feeds, so no "Follow us": built here with site-relative
    # feeds (FEED_DOMAIN "") and a follow: section, for the footer and the listing's links
    data = tmp_path / "site.yml"
    data.write_text(SITE_DATA_EXAMPLE + 'follow:\n  newsletter: "https://lists.example.org/nv"'
                    '\n  social:\n    - label: "Mastodon"\n'
                    '      url: "https://social.example/@nv"\n',
                    encoding="utf-8")
    feeds = ['FEED_ALL_ATOM="feeds/all.atom.xml"', 'FEED_ALL_RSS="feeds/all.rss.xml"',
             'CATEGORY_FEED_ATOM="feeds/category/{slug}.atom.xml"',
             'TAG_FEED_RSS="feeds/tag/{slug}.rss.xml"', 'FEED_DOMAIN=""']
    result = build(tmp_path / "out", extra=["-e", f'NEWS_SITE_DATA="{data}"', *feeds])
    assert result.returncode == 0, result.log
    with serve_folder(result.output) as url:
        for path in ("/", "/news/category/pay/", "/news/tag/pay/"):
            for mode in ("light-1280", "dark-320"):
                context, page, _ = open_page(browser, url + path, mode)
                try:
                    assert page.locator("#footer-follow-heading").count() == 1
                    assert page.locator(".feed-links").count() == (path != "/")
                    results = axe.run(page, options={
                        "runOnly": {"type": "tag", "values": AXE_TAGS},
                        "resultTypes": ["violations"]})
                    assert results.violations_count == 0, results.generate_report()
                finally:
                    context.close()


def test_the_redirect_page_leads_to_the_post(browser, site_url, pages):
    # on a host without nginx's 301 (http.server here), the page itself takes readers on
    context, page = new_page(browser)
    try:
        page.goto(site_url + pages["redirect"], wait_until="load", timeout=15000)
        page.wait_for_url(f"{site_url}/{MOVED_TO}", timeout=5000)
        assert "This story has moved" not in page.content()
        assert page.locator("article[data-pagefind-body] h1").count() == 1
    finally:
        context.close()


def overflowing(page):
    """Return (scrollWidth of the document, descriptions of elements clipping their text)."""
    return page.evaluate("""() => {
      const clipped = [];
      for (const el of document.body.querySelectorAll('*')) {
        const s = getComputedStyle(el);
        if (el.closest('.visually-hidden') || !el.textContent.trim()) continue;
        const hides = v => v === 'hidden' || v === 'clip';
        if ((hides(s.overflowX) && el.scrollWidth > el.clientWidth + 1) ||
            (hides(s.overflowY) && el.scrollHeight > el.clientHeight + 1))
          clipped.push(el.tagName + '.' + el.className);
      }
      return [document.scrollingElement.scrollWidth, clipped];
    }""")


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_no_horizontal_scroll_at_320_px_even_with_text_spacing(browser, site_url, pages, name):
    # WCAG 2.2 1.4.10 Reflow (320 CSS px) and 1.4.12 Text Spacing
    context, page, _ = open_page(browser, site_url + pages[name], "light-320")
    try:
        width, clipped = overflowing(page)
        assert width <= 320 and not clipped, (width, clipped)
        page.add_style_tag(content=TEXT_SPACING_CSS)
        width, clipped = overflowing(page)
        assert width <= 320 and not clipped, ("with text spacing", width, clipped)
    finally:
        context.close()


FOCUS_STYLE_JS = """el => { const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.backgroundColor, s.boxShadow,
          s.color].join('|'); }"""


@pytest.mark.parametrize("mode", ["light-1280", "dark-320"])
@pytest.mark.parametrize("name", ["index", "article-related"])
def test_every_focus_stop_is_visible(browser, site_url, pages, name, mode):
    # WCAG 2.2 2.4.7 Focus Visible: each Tab stop looks different focused and unfocused;
    # the skip link is the first stop and is on screen when focused.
    context, page, _ = open_page(browser, site_url + pages[name], mode)
    try:
        stops = page.locator("a[href], button, input, select, textarea").count()
        assert stops > 10
        unfocused = page.evaluate(f"""() => Array.from(
          document.querySelectorAll('a[href], button, input, select, textarea'),
          {FOCUS_STYLE_JS})""")
        for step in range(stops):
            page.keyboard.press("Tab")
            index, focused, box = page.evaluate(f"""() => {{
              const el = document.activeElement;
              const all = Array.from(document.querySelectorAll(
                'a[href], button, input, select, textarea'));
              const r = el.getBoundingClientRect();
              return [all.indexOf(el), ({FOCUS_STYLE_JS})(el), [r.width, r.height, r.top]];
            }}""")
            assert index >= 0, f"Tab stop {step} is not a link or control"
            if step == 0:
                assert page.evaluate("document.activeElement.className") == "skip-link"
                assert box[0] > 0 and box[1] >= 24 and box[2] >= 0, box
            assert focused != unfocused[index], f"stop {step} looks the same when focused"
    finally:
        context.close()


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_requests_stay_within_budget_and_origin(browser, site_url, pages, name):
    # Budget: at most 2 requests besides images and the favicon, none to another origin.
    # The redirect page's refresh is a navigation to the next page, not one of its own
    # requests: held back (stay_on), and not counted.
    context, page = new_page(browser)
    requests = []
    page.on("request", lambda r: requests.append((r.url, r.resource_type)))
    held = stay_on(page, site_url + pages[name])
    try:
        response = page.goto(site_url + pages[name], wait_until="networkidle", timeout=15000)
        assert response.ok  # http.server serves 404.html itself with status 200
        assert held == ([f"{site_url}/{MOVED_TO}"] if name == "redirect" else []), held
        origin = urlsplit(site_url).netloc
        foreign = [u for u, _ in requests if urlsplit(u).netloc != origin]
        assert not foreign, foreign
        counted = [u for u, kind in requests if u not in held
                   and kind != "image" and "favicon" not in urlsplit(u).path]
        assert len(counted) <= 2, counted
        assert any(kind == "stylesheet" for _, kind in requests)
    finally:
        context.close()


def test_print_stylesheet_hides_navigation_and_prints_link_urls(browser, site_url, pages):
    context, page, _ = open_page(browser, site_url + pages["article-link"])
    try:
        page.emulate_media(media="print")
        for selector in (".site-nav", ".breadcrumbs", ".share-links", ".article-nav"):
            assert page.eval_on_selector(selector, "e => getComputedStyle(e).display") == "none"
        after = page.evaluate("""() => {
          const a = document.querySelector('.prose a[href]:not([href^="mailto:"])');
          return a ? getComputedStyle(a, '::after').content : null; }""")
        assert after is not None, "the article has no link in its body"
        assert after.startswith('" (') and "/" in after, after
    finally:
        context.close()


def test_correction_notice_prints_and_reads_in_both_schemes(browser, site_url, pages):
    # the notice is a labelled region with its own colours in light and dark, and is
    # printed (navigation is not), with a visible border
    seen = {}
    for mode in ("light-1280", "dark-1280", "print"):
        context, page, _ = open_page(browser, site_url + pages["article-correction"],
                                     "light-1280" if mode == "print" else mode)
        try:
            if mode == "print":
                page.emulate_media(media="print")
            seen[mode] = page.eval_on_selector(".correction", """e => {
              const s = getComputedStyle(e);
              return [s.display, s.backgroundColor, s.color, s.borderLeftWidth,
                      e.getAttribute('aria-labelledby'), e.getBoundingClientRect().height]; }""")
        finally:
            context.close()
    for mode, (display, _bg, _fg, border, label, height) in seen.items():
        assert display != "none" and height > 0 and border == "6px", mode
        assert label == "correction-heading"
    assert seen["light-1280"][1:3] != seen["dark-1280"][1:3], seen


def test_dark_scheme_changes_colours(browser, site_url):
    colours = {}
    for mode in ("light-1280", "dark-1280"):
        context, page, _ = open_page(browser, site_url + "/", mode)
        colours[mode] = page.evaluate("""() => {
          const s = getComputedStyle(document.body); return [s.backgroundColor, s.color]; }""")
        context.close()
    assert colours["light-1280"] != colours["dark-1280"], colours


def test_axe_reports_a_known_bad_page(browser, axe):
    # The control: the same checker, options and browser do report real problems.
    context = browser.new_context()
    page = context.new_page()
    try:
        page.set_content('<!doctype html><html lang="en"><title>x</title><body><main>'
                         '<p style="color:#bbb">Faint text</p><img src="data:,">'
                         '<a href="/a">A</a> <a href="/b">B</a></main></body></html>')
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                         "resultTypes": ["violations"]})
        rules = {v["id"] for v in results.response["violations"]}
        assert {"color-contrast", "image-alt"} <= rules, rules
    finally:
        context.close()


def test_screenshots_tool_writes_every_png(dev_site, tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "tools/screenshots.py"),
                           str(dev_site.output), str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    shots = sorted(p.name for p in tmp_path.glob("*.png"))
    assert shots == sorted(f"{page}-{width}-{scheme}.png" for page in ("index", "article")
                           for width in (375, 1280) for scheme in ("light", "dark"))
    for name in shots:
        with Image.open(tmp_path / name) as im:
            assert im.width == int(name.split("-")[1]) and im.height > 800
    assert (tmp_path / "index-375-light.png").read_bytes() != (
        tmp_path / "index-375-dark.png").read_bytes()
