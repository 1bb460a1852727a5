"""Repair text pasted from word processors, in memory only (the file is never rewritten).

Lines starting with a typographic bullet (•, ◦, ▪, ‣, ·, ⦁), or two or more consecutive
lines starting with an en dash (one such line is an attribution, left alone), become a Markdown
list, with a blank line before and after it so Markdown sees it (docs/editing.md, "Pasted
text"). Word's default bulleted list draws its second level as `o` in Courier New and its
third as a Wingdings square (its list definition, as in jodit#1191); as plain text they come
as `o` and `§`, each followed by a tab. Such a line straight after a pasted item is an item
nested one or two levels under the list's first level; before, it was printed as text
(`o   by two months`) and split the list in two.
Lines in fenced code blocks are left alone. Curly and straight quotes may be mixed:
typogrify makes them all curly.
"""

from __future__ import annotations

import re

from .body import FENCE_RE

BULLET_RE = re.compile(r"^[ \t\u00a0]*[\u2022\u25e6\u25aa\u2023\u00b7\u2981][ \t\u00a0]*(?=\S)")
# Word's second and third level bullets as plain text: a letter, then a tab.
WORD_LEVEL_RE = re.compile(r"^[ \t\u00a0]*(?P<bullet>[o\u00a7])\t[ \t\u00a0]*(?=\S)")
WORD_LEVELS = {"o": 1, "\u00a7": 2}
DASH_ITEM_RE = re.compile(r"^[ \t\u00a0]*\u2013[ \t\u00a0]+(?=\S)")


def _in_code(lines: list[str]) -> list[bool]:
    """For each line, True if it is a fence or inside a fenced code block."""
    fenced, flags = False, []
    for text in lines:
        fence = bool(FENCE_RE.match(text))
        if fence:
            fenced = not fenced
        flags.append(fenced or fence)
    return flags


def _list_items(lines: list[str], in_code: list[bool]) -> list[int | None]:
    """For each line, its nesting level (0 for the first) if it is a pasted list item (see
    the module docstring), else None."""
    items: list[int | None] = [0 if not code and BULLET_RE.match(text) else None
                               for text, code in zip(lines, in_code)]
    for i in range(1, len(lines)):
        level = WORD_LEVEL_RE.match(lines[i])
        if level and not in_code[i] and items[i - 1] is not None:
            items[i] = WORD_LEVELS[level["bullet"]]
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and not in_code[j] and DASH_ITEM_RE.match(lines[j]):
            j += 1
        if j - i >= 2:
            items[i:j] = [0] * (j - i)
        i = max(j, i + 1)
    return items


def normalise_pasted(body: str) -> str:
    """Return the Markdown `body` with pasted bullets made a Markdown list."""
    lines = body.split("\n")
    items = _list_items(lines, _in_code(lines))
    out: list[str] = []
    for i, text in enumerate(lines):
        if items[i] is None:
            if out and i > 0 and items[i - 1] is not None and text.strip():
                out.append("")
            out.append(text)
            continue
        if out and out[-1].strip() and items[i - 1] is None:
            out.append("")
        marker = next(m for m in (BULLET_RE.match(text), WORD_LEVEL_RE.match(text),
                                  DASH_ITEM_RE.match(text)) if m)
        out.append("    " * items[i] + "- " + text[marker.end():])
    return "\n".join(out)
