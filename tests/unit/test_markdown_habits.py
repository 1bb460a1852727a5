"""newsroom.markdown_habits: the list repairs and apostrophes as pure functions, and the
extension in Python-Markdown with the site's MARKDOWN settings (what must stay unchanged)."""

import copy
import runpy

import markdown
import pytest

from conftest import ROOT
from newsroom.markdown_habits import apostrophes, markup_spaces, normalise_lists
from newsroom.markdown_inline import unquoted

SETTINGS = runpy.run_path(str(ROOT / "pelicanconf.py"))["MARKDOWN"]


def render(text):
    options = copy.deepcopy(SETTINGS)
    options["extensions"] = list(options.pop("extension_configs"))
    return markdown.Markdown(**options).convert(text)


@pytest.mark.parametrize("before, after", [
    ("Note:\n- a\n- b", "Note:\n\n- a\n- b"),
    ("Note:\n1) a\n2) b", "Note:\n\n1. a\n2. b"),
    ("- a\n  - b\n    - c\n- d", "- a\n    - b\n        - c\n- d"),
    ("- a\n    - b\n- c", "- a\n    - b\n- c"),                  # four spaces: unchanged
    ("1. a\n   - b", "1. a\n    - b"),
    ("- a\n  wrapped\n- b", "- a\n  wrapped\n- b"),              # continuation, not a level
    ("The vote was 52\n2. That is all.", "The vote was 52\n2. That is all."),  # not at 1
    ("A paragraph\n-not a list", "A paragraph\n-not a list"),
    # continuation paragraphs: four spaces inside their item, a blank line before the next
    ("- a\n\n  more\n- b", "- a\n\n    more\n\n- b"),
    ("- a\n\n    more\n- b", "- a\n\n    more\n\n- b"),       # four already: kept
    ("1. a\n\n   more\n   wrapped\n2. b", "1. a\n\n    more\n    wrapped\n\n2. b"),
    ("- a\n  - b\n\n    more b\n- c", "- a\n    - b\n\n        more b\n\n- c"),
    ("- a\n  - b\n\n  more a\n  - c", "- a\n    - b\n\n    more a\n\n    - c"),
    ("- a\n\n more", "- a\n\n more"),       # less than the item's text: ends the list
    ("- a\n\n  more\n\nText\n- b", "- a\n\n    more\n\nText\n\n- b"),
    # a bullet after numbers (or numbers after bullets) starts a new list
    ("- a\n1. b", "- a\n\n1. b"), ("1. a\n2. b\n- c", "1. a\n2. b\n\n- c"),
    ("- a\n  1. x\n  - y", "- a\n    1. x\n\n    - y"), ("- a\n* b", "- a\n* b"),
])
def test_normalise_lists(before, after):
    assert "\n".join(normalise_lists(before.split("\n"))) == after


def test_a_paragraph_after_a_list_ends_it():
    lines = "- a\n\nText\n  - b".split("\n")
    assert normalise_lists(lines) == ["- a", "", "Text", "", "- b"]


@pytest.mark.parametrize("before, after", [
    ("the '90s", "the \u201990s"), ("class of '25", "class of \u201925"),
    ("'Tis so", "\u2019Tis so"), ("rock 'n' roll", "rock \u2019n' roll"),
    ("'til then", "\u2019til then"), ("'em all", "\u2019em all"),
    ("'till we meet'", "'till we meet'"), ("'tiss", "'tiss"),      # quotations stay
    ("it's", "it's"), ("'quoted'", "'quoted'"),
])
def test_apostrophes(before, after):
    assert apostrophes(before) == after


def test_code_and_fenced_code_are_untouched():
    html = render("`'90s`\n\n```\n- x\n  - y\n'tis\n```\n")
    assert "<code>'90s</code>" in html
    assert "- x\n  - y\n'tis" in html


def test_soft_hyphens_and_zero_width_spaces_are_dropped_outside_fenced_code():
    html = render("Re\u00adstruc\u00adturing on Mon\u200bday\n\n```\nco\u00adde\n```\n")
    assert "Restructuring on Monday" in html
    assert "co\u00adde" in html                      # fenced code is never changed


@pytest.mark.parametrize("before, after", [
    ("-\u00a0item", "- item"), ("1.\u00a0\u00a0one", "1.  one"), ("##\u00a0Pay", "## Pay"),
    (">\u00a0quote", "> quote"), ("\u00a0\u00a0-\u00a0sub", "  - sub"),
    ("\u00a0\u202f", ""), ("20\u00a0mph", "20\u00a0mph"), ("a \u00a0b", "a \u00a0b"),
    ("-\u00a0a\u00a0b", "- a\u00a0b"), ("2025\u00a0was", "2025\u00a0was"),
])
def test_markup_spaces(before, after):
    assert markup_spaces(before) == after


@pytest.mark.parametrize("before, after", [
    ("**Key: **value", "<strong>Key:</strong> value"),
    ("a** bold** b", "a<strong> bold</strong> b"),
    ("** bold** b", "<strong>bold</strong> b"),
    ("**four ** five", "<strong>four</strong> five"),
    ("*note *x", "<em>note</em> x"), ("__b __x", "<strong>b</strong> x"),
    ("**b\u00a0**x", "<strong>b</strong>\u00a0x"),
    ("**a *b* **c", "<strong>a <em>b</em></strong> c"),
    ("**[x](https://a.example) **c", '<strong><a href="https://a.example">x</a></strong> c'),
    ("a ** b ** c", "a ** b ** c"), ("2 ** 3", "2 ** 3"), ("**b**", "<strong>b</strong>"),
    ("`**x **`", "<code>**x **</code>"), ("\\*\\*x \\*\\*", "**x **"),
])
def test_emphasis_with_spaces_inside_its_markers(before, after):
    assert render(before) == f"<p>{after}</p>"


@pytest.mark.parametrize("address, title, repaired", [
    ("\u201chttps://a.example/\u201d", None, ("https://a.example/", None)),
    ("\u2018{filename}x.md\u2019", None, ("{filename}x.md", None)),
    ("\u201ehttps://a.example/\u201c", "T", ("https://a.example/", "T")),
    ("https://a.example/ \u201cPay award\u201d", None, ("https://a.example/", "Pay award")),
    ("", "https://a.example/", ("https://a.example/", None)),     # [x]("https://...")
    ("https://a.example/", "Pay award", None), ("", "Two words", None), ("", None, None),
    ("https://a.example/\u201cx\u201d", None, None),             # quotes inside: as typed
])
def test_unquoted(address, title, repaired):
    assert unquoted(address, title) == repaired


def test_quoted_link_and_image_addresses_render_unquoted():
    html = render("[x](\u201chttps://a.example/\u201d) ![alt](\u201c{static}/i.jpg\u201d) "
                  "[y](https://a.example/ \u201cT\u201d) `[z](\u201chttps://a.example/\u201d)`")
    assert '<a href="https://a.example/">x</a>' in html
    assert '<img alt="alt" src="{static}/i.jpg">' in html
    assert '<a href="https://a.example/" title="T">y</a>' in html
    assert "<code>[z](\u201chttps://a.example/\u201d)</code>" in html


@pytest.mark.parametrize("before, after", [
    ("#PayRise today", "<p>#PayRise today</p>"), ("#1 priority", "<p>#1 priority</p>"),
    ("# Heading", '<h1 id="heading">Heading</h1>'),
    ("##\u00a0Heading", '<h2 id="heading">Heading</h2>'),     # no-break space: a space
])
def test_a_heading_needs_a_space_after_its_hashes(before, after):
    assert render(before) == after


def test_a_list_of_another_kind_after_a_list_is_a_list_of_its_own():
    html = render("- a\n- b\n\n1. c\n2. d\n\nText:\n\n3. e\n4. f\n- g")
    assert html.replace("\n", "") == (
        "<ul><li>a</li><li>b</li></ul><ol><li>c</li><li>d</li></ol><p>Text:</p>"
        '<ol start="3"><li>e</li><li>f</li></ol><ul><li>g</li></ul>')


def test_a_backslash_at_the_end_of_a_line_is_a_line_break_outside_code():
    html = render("Office:\\\nStation Road\n\n`a\\`\n\n    code\\\n    more\n\nend\\")
    assert "<p>Office:<br>\nStation Road</p>" in html
    assert "<code>a\\</code>" in html and "code\\\nmore" in html   # code as typed
    assert "<p>end\\</p>" in html          # at the end of a paragraph: a backslash
