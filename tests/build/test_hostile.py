"""Hostile posts (tests/fixtures/hostile/): what an editor writes is exactly what readers get.

Each post carries payloads from issue 10 (meta refresh, base href, script, svg onload,
onerror, style, form, javascript: and data: links, iframe/object/embed/link, an HTML
comment). `make check` reports each with its line (expected.txt); a build that skips the
check and our reader (`helpers.forced_build`: plain `python -m pelican`, Pelican's own
Markdown reader) still leaves no payload in any output file, because the safe_html plugin
sanitises where Pelican keeps the content. A control build without that plugin shows the
payloads do reach the output otherwise, so the scan can fail.
"""

import types

import feedparser
import pytest

from conftest import ROOT, build, write_post
from helpers import HOSTILE, expected_lines, forced_build, output_bytes, run_module, soup
from test_search_index import fragments

# One text in every payload (and nowhere else in the fixture).
MARKERS = [b"evil.example", b"stolen(", b"data:image/svg", b"data:text", b"http-equiv",
           b"unconfirmed-rumour", b"onerror", b"onmouseover", b"style=\"position"]
# Pagefind's own UI files (CSS icons as data: URLs) are not content.
NOT_CONTENT = ("pagefind/pagefind-",)


def leaks(output):
    """(file, marker) for each marker found in a content file of `output` (gzip decoded)."""
    return [(str(path.relative_to(output)), marker.decode())
            for path, data in output_bytes(output)
            if not str(path.relative_to(output)).startswith(NOT_CONTENT)
            for marker in MARKERS if marker in data]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    return types.SimpleNamespace(
        check=run_module("newsroom.check", "--settings", ROOT / "pelicanconf.py", HOSTILE),
        forced=forced_build(base / "forced"), forced_output=base / "forced",
        control=forced_build(base / "control", leave_out=("news_reader", "safe_html")),
        control_output=base / "control")


def test_check_reports_each_payload_with_its_line(hostile):
    assert hostile.check.returncode == 1
    assert hostile.check.stdout.splitlines() == expected_lines(HOSTILE)
    reported = {line.split(":")[0].rsplit("/", 1)[-1] for line in expected_lines(HOSTILE)}
    # every post but the editor's note (comments are dropped silently) and the allowed HTML
    assert reported == {p.name for p in (HOSTILE / "news").glob("*.md")} - {
        "2025-03-08-editor-note.md", "2025-03-09-allowed-html.md"}
    for element in ("meta", "base", "script", "svg", "form", "input", "iframe", "object",
                    "embed", "link"):
        assert f"raw `<{element}>` is not allowed" in hostile.check.stdout, element
    for what in ("`onerror=`", "`style=`", "`javascript:`", "`data:`"):
        assert what in hostile.check.stdout, what


def test_forced_build_leaves_no_payload_in_any_file(hostile):
    assert hostile.forced.returncode == 0, hostile.forced.stderr
    output = hostile.forced_output
    assert len(list(output.glob("news/2025/03/*/index.html"))) == 9
    assert leaks(output) == []


def test_without_the_sanitiser_the_payloads_reach_the_output(hostile):
    assert hostile.control.returncode == 0, hostile.control.stderr
    found = {marker for _path, marker in leaks(hostile.control_output)}
    assert found >= {"evil.example", "stolen(", "data:image/svg", "http-equiv", "onerror",
                     "unconfirmed-rumour"}


def test_feeds_and_search_index_hold_only_sanitised_html(hostile):
    output = hostile.forced_output
    feed = feedparser.parse((output / "feeds/all.atom.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 9
    bodies = " ".join(e.content[0].value + e.summary for e in feed.entries)
    for marker in MARKERS:
        assert marker.decode() not in bodies
    assert "<abbr title=" in bodies and "<details>" in bodies  # what is allowed stays
    texts = " ".join(f["content"] for f in fragments(output / "pagefind"))
    assert "Claim your rebate" in texts and "stolen" not in texts and "unconfirmed" not in texts


def test_allowed_html_survives_and_code_stays_code(hostile):
    page = soup(next(hostile.forced_output.glob("news/2025/03/allowed-html/index.html")))
    prose = page.select_one(".prose")
    assert prose.select("abbr[title]") and prose.select("details > summary")
    assert prose.select("figure > figcaption") and prose.select("table th")
    assert prose.select_one("sup#fnref\\:1 a.footnote-ref")["href"] == "#fn:1"
    assert prose.select_one("div.footnote li#fn\\:1")
    assert prose.select_one("pre code.language-html").get_text().startswith("<script>")
    assert not page.select(".prose script, .prose iframe")


def test_links_keep_only_allowed_schemes(hostile):
    page = soup(next(hostile.forced_output.glob("news/2025/03/javascript-links/index.html")))
    links = page.select(".prose a")
    assert [a.get_text().replace("\xa0", " ") for a in links] == [
        "Claim your rebate", "Your payslip", "Your pension", "the notice"]
    assert all(a.get("href") is None for a in links)


def test_an_editors_comment_passes_the_check_and_reaches_no_output(tmp_path):
    content = tmp_path / "content"
    body = (HOSTILE / "news/2025-03-08-editor-note.md").read_text().split("---\n", 2)[2]
    write_post(content / "news", "2025-03-08-editor-note.md",
               "title: Editor note\ndate: 2025-03-08\ncategory: News", body)
    built = build(tmp_path / "output", content=content, conf="publishconf.py", index=True)
    assert built.returncode == 0, built.log
    assert "unconfirmed-rumour" not in built.log
    assert leaks(built.output) == []
    assert "The chair will speak" in (built.output / "feeds/all.atom.xml").read_text()
