"""Rules for a post's Markdown body that need no other file.

The body is not empty; it no longer holds the placeholder `make new` writes (a warning while
the post is a draft, so a new draft does not stop the site building); every image has alt
text (WCAG 2.2 success criterion 1.1.1); and paragraphs pasted with single line breaks get a
warning (Markdown would join them into one). Lines inside fenced code blocks are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .problems import Findings

# The body `make new` writes; a post that still contains it is not ready.
PLACEHOLDER = "Write the story here."
FENCE_RE = re.compile(r"^\s*(```|~~~)")
IMAGE_NO_ALT_RE = re.compile(r"!\[\s*\]\(")
# A line that Markdown reads as something other than paragraph text.
BLOCK_LINE_RE = re.compile(r"^(\s{4}|\t|#|>|[-*+]\s|\d+[.)]\s|\||<|\[[^\]]+\]:|!\["
                           r"|[\u2022\u25e6\u25aa\u2023\u00b7\u2981\u2013]|[o\u00a7]\t)")
QUOTES_RE = re.compile(r"(?:[ \t]{0,3}>)*")
MAX_NESTING = 20  # levels of quote or list (see check_nesting)
# Emphasis markers in a row: 5,000 asterisks around a word stopped the build with a
# RecursionError inside Python-Markdown; no editor means more than a few.
MAX_EMPHASIS_RUN = 50
EMPHASIS_RUN_RE = re.compile(r"[*_]{%d,}" % (MAX_EMPHASIS_RUN + 1))
BRACKET_RE = re.compile(r"(?<!\\)[\[\]]")
HR_RE = re.compile(r"^ {0,3}([*_-])( *\1)* *$")  # a dividing line of any length
SENTENCE_END_RE = re.compile(r"[.!?:;][\"'\u201d\u2019)\]]*$")


def body_lines(lines: list[str], first_line: int) -> Iterator[tuple[int, str]]:
    """Yield (file line number, text) for body `lines` outside fenced code blocks;
    `first_line` is the file line of `lines[0]`."""
    fenced = False
    for offset, text in enumerate(lines):
        if FENCE_RE.match(text):
            fenced = not fenced
            continue
        if not fenced:
            yield first_line + offset, text


def check_body(lines: list[str], first_line: int, status: str, found: Findings) -> None:
    """Apply the rules of the module docstring to the body `lines` of a file whose status
    is `status`."""
    if not "".join(lines).strip():
        found.error(first_line - 1, "the post has no text after the front matter; write it "
                    "below the closing '---'")
        return
    for number, text in body_lines(lines, first_line):
        if PLACEHOLDER in text:
            message = (f"'{PLACEHOLDER}' is still here from make new; replace it with the "
                       "story")
            (found.warning if status == "draft" else found.error)(number, message)
        if IMAGE_NO_ALT_RE.search(text):
            found.error(number, "an image has no alt text; write what it shows between the "
                        "brackets: ![what the picture shows](...) (WCAG 2.2 success "
                        "criterion 1.1.1)")
    check_paragraph_breaks(lines, first_line, found)
    check_nesting(lines, first_line, found)


def nesting_depth(text: str) -> int:
    """How deep a line nests: its quote markers (`>`) plus its indentation in steps of
    four columns (a tab is four), which is how Python-Markdown nests lists."""
    quotes = QUOTES_RE.match(text).group(0)
    rest = text[len(quotes):]
    rest = (rest[1:] if quotes and rest[:1] in " \t" else rest).expandtabs(4)
    return quotes.count(">") + (len(rest) - len(rest.lstrip(" "))) // 4


def bracket_depth(text: str) -> int:
    """How deep unescaped `[` nest in `text`: Python-Markdown's link pattern backtracks over
    them, so 100,000 nested pairs never finished building and 8,000 took 16 s."""
    depth = deepest = 0
    for match in BRACKET_RE.finditer(text):
        depth = depth + 1 if match.group() == "[" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def check_nesting(lines: list[str], first_line: int, found: Findings) -> None:
    """A list or quote nested more than `MAX_NESTING` levels is refused (once, at its first
    line): Python-Markdown parses nesting recursively, so about 250 levels of list stop the
    build (RecursionError, "Could not process"), and long before that it slows (1,000
    levels of quote took 5 s, of list 64 s). So is a run of more than `MAX_EMPHASIS_RUN`
    `*` or `_` (emphasis nested as deep), except a dividing line."""
    for number, text in body_lines(lines, first_line):
        depth = nesting_depth(text)
        if depth > MAX_NESTING:
            found.error(number, f"this line is nested {depth} levels deep (quotes '>' or "
                        f"indented lists); Markdown cannot build more than {MAX_NESTING}: "
                        "remove the extra '>' or indentation")
            return
        if (depth := bracket_depth(text)) > MAX_EMPHASIS_RUN:
            found.error(number, f"square brackets are nested {depth} deep on this line: "
                        "Markdown reads each [ as the start of a link and slows to a halt; "
                        "remove the repeated [ and ]")
            return
        run = max((len(m) for m in EMPHASIS_RUN_RE.findall(text)), default=0)
        if run > MAX_EMPHASIS_RUN and not HR_RE.match(text):
            found.error(number, f"{run} asterisks or underscores in a row: Markdown "
                        "reads them as emphasis nested that deep, "
                        "which stops the build; remove them (for a dividing line, write *** "
                        "on a line of its own)")
            return


def check_paragraph_breaks(lines: list[str], first_line: int, found: Findings) -> None:
    """Warn about text pasted with single line breaks between paragraphs.

    A run of two or more plain text lines, each but the last ending a sentence, is most
    likely pasted paragraphs; a line ending in two spaces or a backslash (a deliberate line
    break) is not.
    """
    run: list = []
    for number, text in [*body_lines(lines, first_line), (None, "")]:
        prose = text.strip() and not BLOCK_LINE_RE.match(text)
        if prose and (not run or run[-1][0] + 1 == number):
            run.append((number, text))
            continue
        if len(run) >= 2 and all(SENTENCE_END_RE.search(t.rstrip()) and not t.endswith(("  ", "\\"))
                                 for _n, t in run[:-1]):
            found.warning(run[0][0], f"lines {run[0][0]}-{run[-1][0]} are separated by single "
                          "line breaks, so they show as one paragraph; leave a blank line "
                          "between paragraphs")
        run = [(number, text)] if prose else []
