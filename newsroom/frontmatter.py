"""Split a content file into YAML front matter and Markdown body, keeping line numbers.

A content file starts with a line `---`, then YAML `field: value` lines, then `---` (or
`...`), then the body. Every YAML value is read as text (PyYAML's BaseLoader), so
`title: No` stays "No" and a date is never turned into something else by YAML. Problems are
added to a `Findings` list with the file line they are on; the file is only read.

Text pasted from word processors: a byte-order mark and Windows line endings are dropped in
memory; no-break spaces in the front matter read as spaces; soft hyphens and zero-width
spaces are dropped (`INVISIBLE`, as in the body: `newsroom.markdown_habits`); invisible
control characters are reported and read as spaces; a value wholly wrapped in curly quotes
is an error (YAML would keep the quote marks as part of the text).
"""

from __future__ import annotations

import dataclasses
import re

import yaml

from .problems import Findings

# Space characters a word processor pastes that YAML does not treat as spaces.
ODD_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2007": " "}
# Invisible characters pasted inside words, dropped wherever they are read: soft hyphens
# (U+00AD, Word's optional hyphens), zero-width spaces (U+200B), stray byte-order marks.
INVISIBLE = "\u00ad\u200b\ufeff"
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufffe\uffff]")
# After a blank line, a line that cannot continue the front matter starts the body.
FIELD_LINE_RE = re.compile(r"^([A-Za-z_][\w-]*\s*:|\s|-|#)")
YAML_SPECIAL_START = "[{*&!|>%@`"
# Curly quotes a word processor puts around a whole value: “…”, ‘…’ and „…“.
CURLY_PAIRS = {("\u201c", "\u201d"), ("\u2018", "\u2019"), ("\u201e", "\u201c")}
QUOTE_IT = 'put the whole value in double quotes, e.g. title: "Chair: we will not accept this"'


@dataclasses.dataclass
class Field:
    """One front-matter field: its text (or list of texts), the file line of its name, and
    the file line of each list item (None for a plain value)."""

    value: str | list[str]
    line: int
    item_lines: list[int] | None = None


@dataclasses.dataclass
class Split:
    """A file split in two. `fields` is None when the YAML could not be read;
    `body_lines` are the body's lines and `body_line` the file line of the first."""

    fields: dict[str, Field] | None
    body_lines: list[str]
    body_line: int


def decode(raw: bytes, found: Findings) -> str | None:
    """The file's text with line endings made "\\n" and control characters made spaces
    (each reported once per line); None, with an error, if it is not UTF-8."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        found.error(raw[: exc.start].count(b"\n") + 1,
                    f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} on this line); "
                    "save it again as UTF-8 in your editor")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for number, line in enumerate(text.split("\n"), start=1):
        control = CONTROL_RE.search(line)
        if control:
            # not allowed in XML 1.0 (the feeds), and YAML reads some as line breaks
            found.error(number, f"an invisible control character U+{ord(control[0]):04X} is "
                        f"in column {control.start() + 1} (pasted from another program?); "
                        "delete it, or retype the line")
    return CONTROL_RE.sub(" ", text)


def split(text: str, found: Findings) -> Split | None:
    """Split decoded `text` (see `decode`) into front matter fields and body; None (an
    error added) if there is no front matter or it is never closed."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        found.error(1, "the file does not start with front matter; make line 1 '---', then "
                    "the fields (title: ..., date: ...), then another '---'")
        return None
    end = _closing_line(lines, found)
    if end is None:
        return None
    yaml_text = "\n".join(lines[1:end])
    for odd, space in ODD_SPACES.items():
        yaml_text = yaml_text.replace(odd, space)
    yaml_text = yaml_text.translate(dict.fromkeys(map(ord, INVISIBLE)))
    return Split(load_fields(yaml_text, 2, found), lines[end + 1:], end + 2)


def _closing_line(lines: list[str], found: Findings) -> int | None:
    """The index of the line closing the front matter, or None (an error added).

    A blank line followed by a line that is not a field (`word:`), an indented line, a list
    item or a comment means the body has started without a closing `---`.
    """
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return i
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if (not lines[i].strip() and nxt.strip() and nxt.strip() not in ("---", "...")
                and not FIELD_LINE_RE.match(nxt)):
            found.error(i + 2, "the text starts here but the front matter opened by '---' on "
                        "line 1 is not closed; add a line '---' after the last field")
            return None
    found.error(1, "the front matter opened by '---' on line 1 is never closed; add a line "
                "'---' after the last field")
    return None


def load_fields(text: str, first_line: int, found: Findings) -> dict[str, Field] | None:
    """Parse YAML front matter `text`, whose first line is file line `first_line`, into
    {lower-case field name: Field}. Syntax errors, duplicate fields, nested values and
    values cut short by ` #` are errors; None is returned on a syntax error (so no field is
    reported missing when it could not be read)."""
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        found.error(first_line + (mark.line if mark else 0), yaml_advice(exc, text, mark))
        return None
    except yaml.YAMLError as exc:  # e.g. a character YAML does not accept at all
        found.error(first_line, f"the front matter cannot be read ({exc}); retype the fields")
        return None
    except RecursionError:  # PyYAML composes nested [ { recursively (thousands deep)
        found.error(first_line - 1 + deep_bracket_line(text), "brackets [ or { are nested far "
                    "too deep here; write each field as 'field: value', a list as [a, b]")
        return None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        found.error(first_line, "the front matter is not a list of 'field: value' lines; "
                    "write one field per line, e.g. title: \"Pay award\"")
        return {}
    lines = text.split("\n")
    fields: dict[str, Field] = {}
    for key_node, value_node in root.value:
        line = first_line + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode):
            found.error(line, "a field name must be a plain word such as title, followed by "
                        "a colon; write 'field: value'")
            continue
        key = str(key_node.value).strip().lower()
        if key in fields:
            found.error(line, f"field '{key}' is given twice (also on line "
                        f"{fields[key].line}); keep one")
            continue
        field = _field(key, value_node, line, first_line, lines, found)
        if field:
            fields[key] = field
    return fields


def _field(key: str, node, line: int, first_line: int, lines: list[str],
           found: Findings) -> Field | None:
    """The Field for one YAML value node, or None (an error added) if it is nested."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        if node.style is None and end.line < len(lines) and "#" in lines[end.line][end.column:]:
            found.error(line, f"field '{key}': the text after ' #' is dropped (it reads as a "
                        "comment); put the whole value in double quotes")
        _curly_wrapped(key, node, line, found)
        return Field(node.value, line)
    if isinstance(node, yaml.SequenceNode) and all(
            isinstance(n, yaml.ScalarNode) for n in node.value):
        return Field([n.value for n in node.value], line,
                     [first_line + n.start_mark.line for n in node.value])
    found.error(line, f"field '{key}' has a nested value; give plain text (or a [list, of, "
                "words] for tags)")
    return None


def _curly_wrapped(key: str, node, line: int, found: Findings) -> None:
    """An error if a plain (unquoted) value is wholly wrapped in curly quotes, as Word types
    `title: “Pay award announced”`: YAML keeps them as text, so they would be published
    (docs/editing.md, "Pasted text")."""
    value = node.value.strip()
    if node.style is None and len(value) >= 2 and (value[0], value[-1]) in CURLY_PAIRS:
        found.error(line, f"field '{key}': curly quotes do not count as quotes in a field, so "
                    f"they would be shown on the site; use straight double quotes: {key}: "
                    f"\"{value[1:-1]}\" (to show the quote marks, keep them inside: {key}: "
                    f"\"{value}\")")


def deep_bracket_line(text: str) -> int:
    """The 1-based line of `text` that opens more than 20 brackets ([ or {), else 1."""
    return next((number for number, line in enumerate(text.split("\n"), 1)
                 if line.count("[") + line.count("{") > 20), 1)


def yaml_advice(exc: yaml.MarkedYAMLError, text: str, mark) -> str:
    """Turn a PyYAML error into an editor-facing sentence with the fix."""
    problem = (exc.problem or "").strip()
    lines = text.splitlines()
    line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
    value = line_text.split(":", 1)[1].strip() if ":" in line_text else ""
    if "\t" in line_text or "'\\t'" in problem:
        return "the line contains a tab character; use spaces"
    if value[:1] in ("\u201c", "\u2018"):
        return ("curly quotes do not count as quotes in a field; put the whole value in "
                "straight double quotes, e.g. title: \"\u201cWe will not accept this\u201d\"")
    if "mapping values are not allowed" in problem:
        return f"a value contains a colon followed by a space; {QUOTE_IT}"
    if "sequence entries are not allowed" in problem:
        return f"a value starts with '- '; {QUOTE_IT}"
    if "expected ',' or ']'" in problem:
        return "a list opened with '[' is never closed; close it with ']' on the same line"
    if "found unexpected end of stream" in problem or "while scanning a quoted scalar" in str(exc):
        return "a quote opened in this value is never closed; close it on the same line"
    if value[:1] in ('"', "'") and "expected <block end>" in problem:
        return ("the quotes around this value end before the value does; put the whole value "
                "in double quotes and write a double quote inside it as \\\" (or use curly "
                "quotes inside)")
    if value[:1] and value[0] in YAML_SPECIAL_START:
        return (f"a value cannot start with '{value[0]}' unless it is quoted; put the whole "
                "value in double quotes")
    return f"this is not valid YAML ({problem}); write each field as 'field: value'"
