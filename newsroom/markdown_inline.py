"""The inline habits of Markdown as editors type it, registered by the
`newsroom.markdown_habits` extension (see its docstring for the whole list). In memory
only; the file is never changed, and code is never touched (both run after code spans
are set aside, and neither reads code blocks).

- `EmphasisSpaceProcessor`: bold or italic whose text starts or ends with a space inside
  its markers (`**Key: **value`, `** bold**`, `*note *`, `__bold __`) is bold or italic.
  Google Docs' Docs to Markdown add-on puts a space that was bold inside the markers
  (gd2md-html#95), as do editors' bold buttons on a word selected with its space;
  CommonMark 0.31 §6.2 (left- and right-flanking runs) and Python-Markdown then print the
  asterisks. A space at the end goes after the element, one at the start stays inside it
  (it looks the same), and is dropped where a space is already there. A marker with spaces
  on both sides (`2 ** 3`) is left alone.
- `BACKSLASH_BREAK_RE`: a backslash at the end of a line is a line break, as in CommonMark
  0.31 §6.7 and GitHub (and as `newsroom.body`'s paragraph check already reads it);
  Python-Markdown knows only two trailing spaces, which editors cannot see, and printed
  the backslash. Two trailing spaces stay a line break (Markdown's rule, for addresses):
  it is the only other way to write one.
- `QuotedLinkTreeprocessor`: a link or image address typed in quotes, as Word's
  AutoFormat makes them curly (`[the award](“https://…”)`), is the address inside them,
  and a curly-quoted title (`[x](https://… “Pay award”)`) is the link's title. Before,
  Python-Markdown made `“https://…”` a relative address (the check refused it, saying to
  write the full https:// address the editor had written), the title part of the address
  (a broken link, published), and a straight-quoted address a title with an empty
  `href` (a link to the page itself, published). `newsroom.links` checks the address
  inside the quotes, so a `{filename}` link in quotes is checked as any other.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .frontmatter import ODD_SPACES

SPACE = "[ " + "".join(ODD_SPACES) + "]"
# A marker run not escaped or part of a longer run; text that is not only spaces, starts
# or ends with them (not both) and holds no run of the same marker.
EMPHASIS_SPACE_RE = (r"(?<![*_\\])(?P<marker>\*\*|__|\*)(?![*_])"
                     rf"(?P<text>{SPACE}+(?=\S)(?:(?!(?P=marker)).)+?(?<=\S)"
                     rf"|(?=\S)(?:(?!(?P=marker)).)+?{SPACE}+)"
                     r"(?P=marker)(?![*_])")
# Python-Markdown's own emphasis patterns are 70 ("not_strong") and lower.
EMPHASIS_SPACE_PRIORITY = 75
# Registered above Python-Markdown's escape pattern (180), which leaves `\` + newline as typed.
BACKSLASH_BREAK_RE, BACKSLASH_BREAK_PRIORITY = r"\\\n", 185
# Quote marks an address may be typed in: straight, curly (English, German), guillemets.
QUOTES = "\"'\u201c\u201d\u2018\u2019\u201e\u201a\u00ab\u00bb"
QUOTED_RE = re.compile(rf"[{QUOTES}](?P<address>[^\s{QUOTES}]+)[{QUOTES}]")
CURLY_TITLE_RE = re.compile(r"(?P<address>\S+)\s+[\u201c\u2018\u201e\u00ab](?P<title>[^\u201c"
                            r"\u201d\u2018\u2019\u201e\u00ab\u00bb]*)[\u201d\u2019\u201c\u00bb]")
ADDRESS_ATTRIBUTE = {"a": "href", "img": "src"}


class EmphasisSpaceProcessor(InlineProcessor):
    """`**text **` as `<strong>text</strong> `, `*text *` as `<em>` (see the module
    docstring); the text is then read for the inline patterns after this one."""

    def handleMatch(self, m: re.Match, data: str):  # noqa: N802 (Python-Markdown's name)
        element = etree.Element("em" if m.group("marker") == "*" else "strong")
        text = m.group("text")
        before, after = data[m.start(0) - 1:m.start(0)], data[m.end(0):m.end(0) + 1]
        element.text = text.strip()
        if text[0].isspace() and not before.isspace() and before:
            element.text = text[0] + element.text   # no room outside: a space inside
        if text[-1].isspace() and not after.isspace():
            element.tail = text[-1]                 # the space after the element
        return element, m.start(0), m.end(0)


def unquoted(address: str, title: str | None) -> tuple[str, str | None] | None:
    """The (address, title) a link written with `address` and `title` (as Python-Markdown
    read them) was meant to have, or None when it needs no repair (see the module
    docstring)."""
    if m := QUOTED_RE.fullmatch(address):
        return m.group("address"), title
    if m := CURLY_TITLE_RE.fullmatch(address):
        return m.group("address"), m.group("title")
    if address == "" and title and not re.search(r"\s", title):
        return title, None  # [x]("https://...") reads as an empty address and a title
    return None


class QuotedLinkTreeprocessor(Treeprocessor):
    """`unquoted` on every link and image address, after the inline patterns."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            attribute = ADDRESS_ATTRIBUTE.get(element.tag)
            if attribute is None or element.get(attribute) is None:
                continue
            repaired = unquoted(element.get(attribute), element.get("title"))
            if repaired is None:
                continue
            element.set(attribute, repaired[0])
            if repaired[1] is None:
                element.attrib.pop("title", None)
            else:
                element.set("title", repaired[1])
