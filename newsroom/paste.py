"""Repair text pasted from word processors, in memory only (the file is never rewritten).

Lines starting with a typographic bullet (•, ◦, ▪, ‣, ·), or two or more consecutive lines
starting with an en dash (one such line is an attribution, left alone), become a Markdown
list, with a blank line before and after it so Markdown sees it (docs/editing.md, "Pasted
text"). Lines in fenced code blocks are left alone. Curly and straight quotes may be mixed:
typogrify makes them all curly.
"""

from __future__ import annotations

import re

from .body import FENCE_RE

BULLET_RE = re.compile(r"^[ \t\u00a0]*[\u2022\u25e6\u25aa\u2023\u00b7][ \t\u00a0]*(?=\S)")
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


def _list_items(lines: list[str], in_code: list[bool]) -> list[bool]:
    """For each line, True if it is a pasted list item (see the module docstring)."""
    items = [not code and bool(BULLET_RE.match(text)) for text, code in zip(lines, in_code)]
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and not in_code[j] and DASH_ITEM_RE.match(lines[j]):
            j += 1
        if j - i >= 2:
            items[i:j] = [True] * (j - i)
        i = max(j, i + 1)
    return items


def normalise_pasted(body: str) -> str:
    """Return the Markdown `body` with pasted bullets made a Markdown list."""
    lines = body.split("\n")
    items = _list_items(lines, _in_code(lines))
    out: list[str] = []
    for i, text in enumerate(lines):
        if not items[i]:
            if out and i > 0 and items[i - 1] and text.strip():
                out.append("")
            out.append(text)
            continue
        if out and out[-1].strip() and not items[i - 1]:
            out.append("")
        out.append("- " + (BULLET_RE.sub("", text) if BULLET_RE.match(text)
                           else DASH_ITEM_RE.sub("", text)))
    return "\n".join(out)
