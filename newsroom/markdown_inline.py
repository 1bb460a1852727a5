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
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.inlinepatterns import InlineProcessor

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
