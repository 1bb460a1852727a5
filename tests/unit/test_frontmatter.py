"""newsroom.frontmatter: a content file split into YAML fields and body, with file lines."""

import pytest

from newsroom.frontmatter import decode, load_fields, split
from newsroom.problems import Findings

QUOTE_IT = 'put the whole value in double quotes, e.g. title: "Chair: we will not accept this"'


def read(raw: bytes):
    """Decode and split `raw` as a file's bytes; return (Split or None, [(line, message)])."""
    found = Findings("post.md")
    text = decode(raw, found)
    parts = split(text, found) if text is not None else None
    return parts, [(p.line, p.message) for p in found]


def test_split():
    parts, problems = read(b'---\ntitle: "Pay"\ntags: [pay, PRB]\n---\n\nFirst.\n')
    assert problems == []
    assert parts.fields["title"].value == "Pay" and parts.fields["title"].line == 2
    assert parts.fields["tags"].value == ["pay", "PRB"]
    assert parts.fields["tags"].item_lines == [3, 3]
    assert parts.body_line == 5 and parts.body_lines == ["", "First.", ""]


def test_split_keeps_every_value_as_text():
    parts, problems = read(b"---\ntitle: No\ndate: 2025-04-02\nsummary: 1.50\n---\n\nx\n")
    assert problems == []
    assert {k: f.value for k, f in parts.fields.items()} == {
        "title": "No", "date": "2025-04-02", "summary": "1.50"}


def test_split_reads_pasted_bytes():
    # a byte-order mark, Windows line endings and a no-break space in the front matter
    parts, problems = read('\ufeff---\r\ntitle:\u00a0"Pay"\r\n---\r\n\r\nText.\r\n'.encode())
    assert problems == []
    assert parts.fields["title"].value == "Pay" and parts.body_lines == ["", "Text.", ""]


def test_split_drops_soft_hyphens_and_zero_width_spaces_in_values():
    raw = '---\ntitle: "Re\u00adstructuring"\ntags: [pay\u200bment]\n---\n\nRe\u00adst.\n'
    parts, problems = read(raw.encode())
    assert problems == []
    assert parts.fields["title"].value == "Restructuring"
    assert parts.fields["tags"].value == ["payment"]
    assert parts.body_lines[1] == "Re\u00adst."    # the body's are dropped by Markdown


def test_block_list_items_have_their_own_lines():
    parts, _ = read(b"---\ntitle: x\nrelated:\n  - one\n  - two\n---\n\nx\n")
    assert parts.fields["related"].line == 3
    assert parts.fields["related"].item_lines == [4, 5]


NO_START = ("the file does not start with front matter; make line 1 '---', then the fields "
            "(title: ..., date: ...), then another '---'")
NOT_CLOSED = ("the text starts here but the front matter opened by '---' on line 1 is not "
              "closed; add a line '---' after the last field")
NEVER_CLOSED = ("the front matter opened by '---' on line 1 is never closed; add a line '---' "
                "after the last field")
CONTROL = ("an invisible control character U+000B is in column 12 (pasted from another "
           "program?); delete it, or retype the line")
NOT_UTF8 = ("the file is not UTF-8 text (byte 0x92 on this line); save it again as UTF-8 in "
            "your editor")


@pytest.mark.parametrize("raw, split_anyway, problems", [
    (b"title: x\n\nText.\n", False, [(1, NO_START)]),
    (b'---\ntitle: "x"\n\nThe text.\n', False, [(4, NOT_CLOSED)]),
    (b'---\ntitle: "x"\n', False, [(1, NEVER_CLOSED)]),
    # read as a space, so the rest of the file is still checked
    (b'---\ntitle: "Pay\x0b"\n---\n\nx\n', True, [(2, CONTROL)]),
    ('---\ntitle: "Pay"\n---\n\nThe chair\u2019s view.\n'.encode("cp1252"), False,
     [(5, NOT_UTF8)]),
])
def test_split_refuses_what_it_cannot_read(raw, split_anyway, problems):
    parts, found = read(raw)
    assert found == problems
    assert (parts is not None) == split_anyway


@pytest.mark.parametrize("yaml_text, line, message", [
    ("title: Chair: we will not accept this", 2,
     f"a value contains a colon followed by a space; {QUOTE_IT}"),
    ('title: "A post"\ndate: 2025-04-02\ntitle: "Again"', 4,
     "field 'title' is given twice (also on line 2); keep one"),
    ('title: "A post"\ndate:\t2025-04-02', 3, "the line contains a tab character; use spaces"),
    ('title: "A post\ndate: 2025-04-02', 3,
     "a quote opened in this value is never closed; close it on the same line"),
    ("title: \u201cChair: no\u201d", 2, "curly quotes do not count as quotes in a field; put "
     "the whole value in straight double quotes, e.g. title: \"\u201cWe will not accept "
     "this\u201d\""),
    ("title: x\nsummary: \u2018Pay award\u2019", 3, "field 'summary': curly quotes do not "
     "count as quotes in a field, so they would be shown on the site; use straight double "
     "quotes: summary: \"Pay award\" (to show the quote marks, keep them inside: summary: "
     "\"\u2018Pay award\u2019\")"),
    ("title: x\ntags: [pay, PRB", 3,
     "a list opened with '[' is never closed; close it with ']' on the same line"),
    ("title: Pay #1 issue", 2, "field 'title': the text after ' #' is dropped (it reads as a "
     "comment); put the whole value in double quotes"),
    ("title: *Pay*", 2, "a value cannot start with '*' unless it is quoted; put the whole "
     "value in double quotes"),
    ("title: x\nauthor:\n  name: Sian", 3, "field 'author' has a nested value; give plain text "
     "(or a [list, of, words] for tags)"),
    ("title: x\n[a, b]: c", 3, "a field name must be a plain word such as title, followed by "
     "a colon; write 'field: value'"),
    ('title: "Say "no" now"', 2, "the quotes around this value end before the value does; put "
     "the whole value in double quotes and write a double quote inside it as \\\" (or use "
     "curly quotes inside)"),
])
def test_load_fields_problems_name_their_line(yaml_text, line, message):
    found = Findings("post.md")
    load_fields(yaml_text, 2, found)
    assert [(p.line, p.level, p.message) for p in found] == [(line, "error", message)]


def test_load_fields_of_a_list_is_one_problem():
    found = Findings("post.md")
    assert load_fields("- title\n- date", 2, found) == {}
    assert [p.message for p in found] == [
        "the front matter is not a list of 'field: value' lines; write one field per line, "
        'e.g. title: "Pay award"']


def test_curly_quotes_inside_straight_ones_or_in_mid_value_are_text():
    found = Findings("x.md")
    fields = load_fields('title: "\u201cWe will act\u201d"\nsummary: \u201cMembers\u2019 '
                         'views\u201d, in their words', 2, found)
    assert list(found) == []
    assert fields["title"].value == "\u201cWe will act\u201d"
