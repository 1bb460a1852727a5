"""Markdown as editors type it: a Python-Markdown extension for the habits of people who
learnt Markdown from GitHub, Google Docs or a web form rather than from markdown.pl.

Registered in pelicanconf.py's `MARKDOWN` settings as `newsroom.markdown_habits`, so the
body and the summary (Pelican's `FORMATTED_FIELDS`) get it; the reader also runs
`apostrophes` on the title, which is not Markdown. What it does, all in memory (the file
is never changed):

- A list typed on the line straight after a sentence ("Members should note:" then
  "- the ballot opens Monday") is a list, as in CommonMark 0.31 §5.3, where a bullet or a
  list starting at 1 may interrupt a paragraph; Python-Markdown, like markdown.pl, needs a
  blank line first and would print the dashes inside the paragraph (Python-Markdown#1544).
- Lists nested with two (or three) spaces nest, and four still do: item markers in a list
  are re-indented four spaces per level (Python-Markdown#1125, #3; mdx_truly_sane_lists
  takes two-space indents only, so it would break lists written with four).
- A paragraph that continues a list item after a blank line stays in the item when it is
  indented as far as the item's text (two spaces under `- `, three under `1. `: CommonMark
  0.31 §5.2); Python-Markdown wants four and ends the list there, by design
  (Python-Markdown#850, #1172). It is written four spaces in, and a next item typed on the
  line straight after it gets a blank line first (Python-Markdown would read the item as
  more of the paragraph's text).
- A numbered list typed straight after a bulleted one (or bullets after numbers) is a
  list of its own (CommonMark 0.31 §5.3): a blank line is put between them, and
  `markdown.extensions.sane_lists` (pelicanconf.py) keeps the two kinds apart; before,
  Python-Markdown made the numbered items more bullets. sane_lists also starts a list at
  its first number (`3.`, as CommonMark does).
- `1)` numbered lists, as Word and Google Docs paste them, are numbered lists (CommonMark
  §5.2 allows `)`; Python-Markdown knows only `1.`).
- Zero-width spaces (U+200B), stray byte-order marks (U+FEFF) and soft hyphens (U+00AD,
  Word's optional hyphens, from its hyphenation or Ctrl+-) are dropped, here and in the
  front matter (`newsroom.frontmatter.INVISIBLE`): invisible to the editor, they split
  words and addresses. Observed before: an email address with a soft hyphen was not
  linked, a web address kept it inside its link (a different address), and a title or tag
  carried it into the page, the feeds and the search index. Removed, not warned about:
  the editor cannot see them to fix, and removing them changes nothing they meant (the
  hyphenation points are Word's, for Word's line width, not the site's).
- No-break spaces (U+00A0, U+202F, U+2007) pasted from web pages and Word where Markdown
  looks for spaces are spaces: as indentation, and after a list marker, a heading's `#`s
  or a quote's `>` (`-\u00a0item` was printed as a dash, an item indented with them was
  run into the item above). A line holding nothing but them is a blank line (it was
  text, so the paragraphs either side were printed as one, with no warning). Between
  words they are kept: there they mean what they say (`10\u00a0mph`).
- In `newsroom.markdown_inline`: bold or italic with a space inside its markers
  (`**Key: **value`, `** bold**`), as Google Docs' Docs to Markdown add-on writes them, is
  bold or italic; a link or image address typed in quotes (`[x](“https://…”)`, curly from
  Word's AutoFormat, or straight) is the address inside them, and a curly-quoted title is
  the title; a backslash at the end of a line is a line break (CommonMark 0.31 §6.7).
- A leading apostrophe (`'90s`, `'tis`, `'til`, rock `'n'` roll) is written as U+2019 before
  smartypants runs: smartypants reads it as an opening quote, U+2018 (smartypants#22).

Each is repaired in rendering, with no message, because what the editor meant is not in
doubt; the check warns only where it is (`newsroom.body`: single line breaks). These need
no code here: tab-indented lists (Python-Markdown expands a tab to four spaces, so
they nest as typed), two trailing spaces (Markdown's line break, kept for addresses), a
hashtag at the start of a line (`pymdownx.saneheaders`), pasted bullets (`newsroom.paste`).

The preprocessor runs after fenced code and raw HTML blocks are set aside, and the
apostrophe treeprocessor skips code, so code is never changed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.inlinepatterns import SubstituteTagInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .frontmatter import INVISIBLE, ODD_SPACES
from .markdown_inline import (BACKSLASH_BREAK_PRIORITY, BACKSLASH_BREAK_RE,
                              EMPHASIS_SPACE_PRIORITY, EMPHASIS_SPACE_RE, EmphasisSpaceProcessor,
                              QuotedLinkTreeprocessor)

# A list item line: indent, marker (bullet, or up to 9 digits then . or )), text.
ITEM_RE = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap> +)(?=\S)")
# An item that may start a list straight after paragraph text (CommonMark 0.31 §5.3).
INTERRUPT_RE = re.compile(r"^ {0,3}(?:[-*+]|1[.)]) +\S")
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
SPACES = " " + "".join(ODD_SPACES)
# A line's markup before its text: indentation, quote markers, a list marker or heading
# hashes, each with the spaces after it.
MARKUP_RE = re.compile(rf"^(?:[{SPACES}]|>|(?:[-*+]|\d{{1,9}}[.)]|#{{1,6}})(?=[{SPACES}]))*")
# A leading apostrophe: a decade or year ('90s, '25), or a word that is always elided.
ELISION_RE = re.compile(r"(?<![\w'\u2018\u2019])'(?=(?:\d\ds?|tis|twas|til|em|cause|cos|bout"
                        r"|n')(?!\w))", re.IGNORECASE)
CODE_TAGS = {"code", "pre", "kbd", "samp", "script", "style"}


def apostrophes(text: str) -> str:
    """`text` with each leading apostrophe (see ELISION_RE) written as U+2019."""
    return ELISION_RE.sub("\u2019", text)


def _renumber(item: re.Match, indent: int) -> str:
    """The item line's marker re-indented to `indent` spaces, `N)` written as `N.`."""
    marker = item["marker"]
    if marker.endswith(")"):
        marker = marker[:-1] + "."
    return " " * indent + marker + item["gap"]


def _content_column(item: re.Match) -> int:
    """The file column where the item's text starts (CommonMark 0.31 §5.2: after the
    marker and its spaces; after one space when five or more follow)."""
    gap = len(item["gap"])
    return len(item["indent"]) + len(item["marker"]) + (gap if gap <= 4 else 1)


def _continuation(text: str, stack: list) -> tuple[int, int] | None:
    """For a line after a blank line inside a list: (its indent in the file, the indent
    to write) if it continues an open item, None if it ends the list. It belongs to the
    deepest item whose text starts at or before its indent (CommonMark 0.31 §5.2), so two
    spaces are enough under `- `; it is written four spaces inside that item as
    Python-Markdown requires (Python-Markdown#850, #1172). Deeper items are closed."""
    indent = len(text) - len(text.lstrip(" "))
    while stack and stack[-1][2] > indent:
        stack.pop()
    if not stack:
        return None
    file_indent, written = stack[-1][:2]
    return indent, written + 4 + max(0, indent - file_indent - 4)


def normalise_lists(lines: list[str]) -> list[str]:
    """The Markdown `lines` with the list habits of the module docstring made Markdown:
    a blank line before a list that interrupts a paragraph, item markers re-indented four
    spaces per nesting level, `N)` markers as `N.`, continuation paragraphs indented four
    spaces inside their item and a blank line between such a paragraph and the next item."""
    out: list[str] = []
    in_list = False  # the current block (since the last blank line) is a list
    stack: list[tuple] = []  # (indent in the file, indent written, text column, ul or ol)
    para: tuple[int, int] | None = None  # a continuation paragraph's (file, written) indent
    for i, text in enumerate(lines):
        previous = lines[i - 1] if i else ""
        if not text.strip():
            out.append(text)
            continue
        item = ITEM_RE.match(text)
        starts_block = not previous.strip()
        if starts_block and not (in_list and (text.startswith(" ") or item)):
            in_list, stack, para = bool(item and len(item["indent"]) <= 3), [], None
        elif not in_list and INTERRUPT_RE.match(text):
            out.append("")
            in_list, stack, para = True, [], None
        if in_list and not item and starts_block:
            para = _continuation(text, stack)
            in_list = para is not None
        if not in_list:
            out.append(text)
            continue
        if item:
            line, new_list = _item_line(item, text, stack)
            if (para or new_list) and not starts_block:
                out.append("")  # else Python-Markdown reads it as more of the line above
            para = None
            out.append(line)
        elif para:
            indent = len(text) - len(text.lstrip(" "))
            out.append(" " * (para[1] + max(0, indent - para[0])) + text[indent:])
        else:
            shift = stack[-1][1] - stack[-1][0] if stack and text.startswith(" ") else 0
            out.append(" " * max(shift, 0) + text)
    return out


def _item_line(item: re.Match, text: str, stack: list) -> tuple[str, bool]:
    """The item line `text` re-indented for its nesting level, and whether it starts a new
    list at that level (a bullet after numbers or numbers after bullets: CommonMark 0.31
    §5.3); `stack` (the open levels) is updated."""
    indent = len(item["indent"])
    kind = "ol" if item["marker"][0].isdigit() else "ul"
    while stack and stack[-1][0] > indent:
        stack.pop()
    new_list = False
    if stack and stack[-1][0] == indent:
        _indent, written, _content, was = stack.pop()
        new_list = kind != was
    else:
        written = stack[-1][1] + 4 if stack else 0
    stack.append((indent, written, _content_column(item), kind))
    return _renumber(item, written) + text[item.end():], new_list


def markup_spaces(line: str) -> str:
    """`line` with the no-break spaces (`ODD_SPACES`) in its markup (see MARKUP_RE) made
    spaces; "" if it holds only spaces of any kind."""
    if not line.strip():
        return ""
    markup = MARKUP_RE.match(line).group(0)
    return markup.translate(str.maketrans(ODD_SPACES)) + line[len(markup):]


class HabitsPreprocessor(Preprocessor):
    """Invisible characters dropped and `markup_spaces`, then `normalise_lists` (runs after
    fenced code and raw HTML are stashed, priority 10)."""

    def run(self, lines: list[str]) -> list[str]:
        return normalise_lists([markup_spaces(INVISIBLE_RE.sub("", line)) for line in lines])


class ApostropheTreeprocessor(Treeprocessor):
    """`apostrophes` on every text outside code, after inline patterns (priority 5)."""

    def run(self, root: etree.Element) -> None:
        self._fix(root)

    def _fix(self, element: etree.Element) -> None:
        for child in element:
            if child.tail and not isinstance(child.tail, AtomicString):
                child.tail = apostrophes(child.tail)
            if child.tag in CODE_TAGS:
                continue
            if child.text and not isinstance(child.text, AtomicString):
                child.text = apostrophes(child.text)
            self._fix(child)


class HabitsExtension(Extension):
    """The extension of the module docstring; it has no settings."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(HabitsPreprocessor(md), "newsroom_habits", 10)
        md.inlinePatterns.register(SubstituteTagInlineProcessor(BACKSLASH_BREAK_RE, "br"),
                                   "newsroom_backslash_break", BACKSLASH_BREAK_PRIORITY)
        md.inlinePatterns.register(EmphasisSpaceProcessor(EMPHASIS_SPACE_RE, md),
                                   "newsroom_emphasis_spaces", EMPHASIS_SPACE_PRIORITY)
        md.treeprocessors.register(QuotedLinkTreeprocessor(md), "newsroom_quoted_links", 15)
        md.treeprocessors.register(ApostropheTreeprocessor(md), "newsroom_apostrophes", 5)


def makeExtension(**kwargs) -> HabitsExtension:  # noqa: N802 (Python-Markdown's entry point)
    """Python-Markdown's entry point for `extensions=["newsroom.markdown_habits"]`."""
    return HabitsExtension(**kwargs)
