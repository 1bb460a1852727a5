"""The hostile posts in Chromium with no Content-Security-Policy at all: the sanitiser alone
keeps readers safe (issue 10's "done when").

The fixture is built with the check and our reader skipped (`helpers.forced_build`) and
served by plain http.server (no security headers). On every hostile page no script runs
(no page error, no dialog), nothing is requested from the attacker's host and the page
does not navigate away, even after hovering and clicking every link in the story.
"""

import pytest

from conftest import serve_folder
from helpers import HOSTILE, forced_build

EVIL = "evil.example"


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    output = tmp_path_factory.mktemp("hostile-browser") / "output"
    built = forced_build(output, conf="pelicanconf.py")
    assert built.returncode == 0, built.stderr
    with serve_folder(output) as url:
        yield url


@pytest.mark.parametrize("post", sorted(p.stem[11:] for p in (HOSTILE / "news").glob("*.md")))
def test_no_script_runs_and_no_navigation_happens(browser, hostile_url, post):
    context = browser.new_context()
    page = context.new_page()
    events = []
    page.on("pageerror", lambda error: events.append(f"page error: {error}"))
    page.on("dialog", lambda dialog: (events.append(f"dialog: {dialog.message}"),
                                      dialog.dismiss()))

    context.route("**/*", lambda route: _route(route, events, hostile_url))
    url = f"{hostile_url}/news/2025/03/{post}/"
    page.goto(url)
    page.wait_for_timeout(300)
    for link in page.query_selector_all('.prose a:not([href^="http"]):not([href^="#"]), '
                                        ".prose span"):
        link.hover()
        link.click()
    page.wait_for_timeout(300)
    assert page.url == url
    assert events == []
    context.close()


def _route(route, events, base):
    """Let requests to the served site through, abort every other one (the machine has no
    network), and record those to the attacker's host."""
    if route.request.url.startswith(base + "/"):
        return route.continue_()
    if EVIL in route.request.url:
        events.append(f"request: {route.request.url}")
    return route.abort()
