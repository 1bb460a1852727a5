"""newsroom.body and newsroom.paste: rules for a post's Markdown body, and pasted-text repair."""

import pytest

from newsroom.body import PLACEHOLDER, check_body, nesting_depth
from newsroom.paste import normalise_pasted
from newsroom.problems import Findings

LEFT = f"'{PLACEHOLDER}' is still here from make new; replace it with the story"
NO_ALT = ("an image has no alt text; write what it shows between the brackets: ![what the "
          "picture shows](...) (WCAG 2.2 success criterion 1.1.1)")


def body_problems(text, status="published", first_line=6):
    found = Findings("post.md")
    check_body(text.split("\n"), first_line, status, found)
    return [(p.line, p.level, p.message) for p in found]


@pytest.mark.parametrize("text, status, problems", [
    ("", "published", [(5, "error", "the post has no text after the front matter; write it "
                                    "below the closing '---'")]),
    ("A paragraph.\n", "published", []),
    (f"{PLACEHOLDER} More.", "draft", [(6, "warning", LEFT)]),
    (f"{PLACEHOLDER} More.", "published", [(6, "error", LEFT)]),
    ("Text.\n\n![](images/a.jpg)", "published", [(8, "error", NO_ALT)]),
    ("```\n![](images/a.jpg)\n```", "published", []),          # code is not checked
    ("One line.\nTwo lines.\nThree", "published",
     [(6, "warning", "lines 6-8 are separated by single line breaks, so they show as one "
                     "paragraph; leave a blank line between paragraphs")]),
    ("A line broken on purpose,  \nlike this.", "published", []),
    ("A sentence that wraps\nin the editor's window.", "published", []),
    ("Intro:\n- one\n- two", "published", []),
    ("Told us:\n\u00b7\tOne.\no\tTwo.\n\u00a7\tThree.", "published", []),   # Word's levels
])
def test_check_body(text, status, problems):
    assert body_problems(text, status) == problems


@pytest.mark.parametrize("body, expected", [
    ("Intro:\n\u2022 one\n\u2022 two\nAfter.", "Intro:\n\n- one\n- two\n\nAfter."),
    ("\u2013 one\n\u2013 two", "- one\n- two"),
    ("> quote\n>\n\u2013 Name, chair", "> quote\n>\n\u2013 Name, chair"),   # one dash line
    ("```\n\u2022 code\n```", "```\n\u2022 code\n```"),
    ("\u00a0\u25aa\u00a0x", "- x"),
    # Word's levels: o and \u00a7 with a tab, after an item; \u2981 as a first-level bullet
    ("\u00b7\ta\no\tb\n\u00a7\tc\no\td\n\u2981\te",
     "- a\n    - b\n        - c\n    - d\n- e"),
    ("o\tnot after an item", "o\tnot after an item"), ("\u00b7\ta\no b", "- a\n\no b"),
])
def test_normalise_pasted(body, expected):
    assert normalise_pasted(body) == expected


def test_nesting_depth_counts_quotes_and_list_indentation():
    assert [nesting_depth(t) for t in ("plain", "> a", "> > a", ">>>> a", "    - a",
                                       "\t\t- a", "> " + " " * 8 + "- a")] == [0, 1, 2, 4, 1, 2, 3]


def test_nesting_deeper_than_twenty_levels_is_one_error_at_its_first_line():
    # Python-Markdown raised RecursionError at about 250 list levels, and took 64 s for 1,000
    lines = ["A paragraph.", ""] + ["    " * i + "- item" for i in range(300)]
    found = Findings("post.md")
    check_body(lines, 10, "published", found)
    assert [(p.line, p.message) for p in found] == [
        (33, "this line is nested 21 levels deep (quotes '>' or indented lists); Markdown "
             "cannot build more than 20: remove the extra '>' or indentation")]
    fine = Findings("post.md")
    check_body(["> " * 20 + "twenty quotes is the limit"], 10, "published", fine)
    assert list(fine) == []


@pytest.mark.parametrize("bad, message, fine", [
    # 5,000 asterisks around a word stopped the build (RecursionError in Python-Markdown)
    ("*" * 5000 + "x" + "*" * 5000,
     "5000 asterisks or underscores in a row: Markdown reads them as emphasis nested that "
     "deep, which stops the build; remove them (for a dividing line, write *** on a line of "
     "its own)",
     ["*" * 80, "", "***Bold italic*** and __strong__."]),
    # 100,000 nested brackets never finished building; 8,000 took 16 s (Python-Markdown)
    ("[" * 3000 + "x" + "]" * 3000,
     "square brackets are nested 3000 deep on this line: Markdown reads each [ as the start "
     "of a link and slows to a halt; remove the repeated [ and ]",
     ["[[a]] and [b](https://example.org) \\[" * 3]),
])
def test_runs_that_stop_markdown_are_an_error_and_ordinary_text_is_not(bad, message, fine):
    found = Findings("post.md")
    check_body(["Intro.", "", bad], 10, "published", found)
    assert [(p.line, p.message) for p in found] == [(12, message)]
    ok = Findings("post.md")
    check_body(["Intro.", "", *fine], 10, "published", ok)
    assert list(ok) == []
