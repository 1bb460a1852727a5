"""Responsive pictures in a real browser: what a phone downloads for what it shows.

Issue 12's budget: "the phone (375 px, DPR 2) is sent no more than 1.5x the pixels it
displays". Debian's Chromium (Playwright) opens the development build at 375 x 812 CSS
pixels with device_scale_factor 2; for the hero of an article and the card pictures of the
index, the file the browser chose (`currentSrc`; its pixels are the `naturalWidth` x
`naturalHeight` of a plain Image of it, since an <img>'s are divided by the srcset density)
must have at most 1.5 x (2 x clientWidth) x (2 x clientHeight) pixels, and be a modern
format (AVIF or WebP: Chromium takes the first <source> it can show).
"""

import pytest

from test_a11y import pick_pages

PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2}
BUDGET = 1.5  # pixels sent per pixel shown
DPR = 2
# naturalWidth/Height, the shown size and the chosen file of every <img> matched
MEASURE = """selector => Promise.all([...document.querySelectorAll(selector)].map(async img => {
  img.scrollIntoView();
  if (!img.complete) await new Promise(done => { img.onload = img.onerror = done; });
  const file = new Image();  // without srcset: its natural size is the file's pixels
  file.src = img.currentSrc;
  await file.decode();
  return {src: img.currentSrc, natural: [file.naturalWidth, file.naturalHeight],
          shown: [img.clientWidth, img.clientHeight]};
}))"""


@pytest.fixture(scope="module")
def pages(dev_site):
    return pick_pages(dev_site.output)


def measured(browser, url, selector):
    """The pictures matching `selector` at `url` on the phone, each loaded (scrolled to)."""
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load", timeout=15000)
        return page.evaluate(MEASURE, selector)
    finally:
        context.close()


@pytest.mark.parametrize("name, selector", [("article-hero", "figure.hero img"),
                                            ("index", ".article-card img")])
def test_phone_is_sent_at_most_one_and_a_half_times_the_pixels_it_shows(
        browser, site_url, pages, name, selector):
    found = measured(browser, site_url + pages[name], selector)
    assert found, f"no picture matches {selector} on {pages[name]}"
    for picture in found:
        (nw, nh), (cw, ch) = picture["natural"], picture["shown"]
        assert cw > 0 and ch > 0, picture
        sent, shown = nw * nh, (DPR * cw) * (DPR * ch)
        assert sent <= BUDGET * shown, (picture, round(sent / shown, 2))
        assert picture["src"].endswith((".avif", ".webp")), picture
