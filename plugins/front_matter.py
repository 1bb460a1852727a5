"""Read posts and pages whose metadata is YAML front matter, and enforce the newsroom's rules.

A content file starts with a line `---`, then YAML `key: value` lines, then `---`, then the
Markdown body. This plugin registers `NewsReader` for `.md` files (Pelican's `readers_init`
signal). It reuses the pelican-plugins org's `pelican-yaml-metadata` reader for Markdown
conversion and for turning tags/category/author into Pelican objects, and adds what that
plugin lacks:

- every value is read as text (YAML's BaseLoader), so `title: No` stays "No" and a date is
  never turned into something else by YAML;
- problems are reported as `path:line: error: message; what to do`, one line each, and the
  file is not published (the build fails under `pelican --fatal warnings`);
- dates are strict: `YYYY-MM-DD` or `YYYY-MM-DD HH:MM`, read in Europe/London
  (`TIMEZONE`). Pelican would read `02/04/2025` month-first and fill a missing day from the
  build date (pelican-facts.md, "Dates"); here both are errors, never a guess. A time that
  does not exist or happens twice on a clock-change day is an error too;
- links: a `{filename}` link must name a post or page that exists and is live no later
  than the linking post (Pelican writes `href="/"` for a link to a draft or an embargoed
  post, and only a line-less warning for a missing one); a `related:` slug must name a
  post; `{static}` files must exist and body images need alt text (WCAG 2.2 success
  criterion 1.1.1).

Text pasted from word processors (docs/editing.md, "Pasted text"): a byte-order mark and
Windows line endings are dropped in memory; no-break spaces in the front matter read as
spaces; lines starting with a typographic bullet (•, ◦, ▪, ‣, ·, or two or more lines
starting with –) become a Markdown list. Curly and straight quotes may be mixed (typogrify
makes them all curly). Paragraphs separated by single line breaks get a warning. The file
itself is never rewritten. Warnings are reported by `tools/check_content.py` (which
`make html` runs first) but never logged by the reader, so they cannot fail a build under
`--fatal warnings`: only errors stop publishing.

Settings read: `PATH`, `ARTICLE_PATHS`, `PAGE_PATHS`, `TIMEZONE`, `NEWS_CATEGORIES`,
`NEWS_SUMMARY_MAX_LENGTH`.

Attributes added: `embargoed_until` on an embargoed post (see `mark_embargoes`).

Public functions: `parse_file(path, settings)` returns a `ParsedFile` (metadata, body,
problems) without Pelican; `format_problem(problem)` gives the one-line message;
`parse_date`, `format_moment`, `article_files`.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import html
import logging
import os
import re
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import yaml
from PIL import Image
from pelican import signals
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify
from pelican.plugins.yaml_metadata.yaml_metadata import YAMLMetadataReader

logger = logging.getLogger(__name__)

ARTICLE_FIELDS = (
    "title", "date", "modified", "category", "tags", "summary", "author",
    "image", "image_alt", "status", "related",
)
PAGE_FIELDS = ("title", "summary", "modified", "image", "image_alt", "status")
ARTICLE_STATUSES = ("published", "draft")
PAGE_STATUSES = ("published", "hidden", "draft")
LIST_FIELDS = ("tags", "related")
NEWS_FILE_RE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
POST_FILE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}-(?P<slug>.+)\.md$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?$")
MONTHS = ("january february march april may june july august september october "
          "november december").split()
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# The body `make new` writes; a post that still contains it is not ready.
PLACEHOLDER = "Write the story here."
# Space characters a word processor pastes that YAML does not treat as spaces.
ODD_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2007": " "}
BULLET_RE = re.compile(r"^[ \t\u00a0]*[\u2022\u25e6\u25aa\u2023\u00b7][ \t\u00a0]*(?=\S)")
DASH_ITEM_RE = re.compile(r"^[ \t\u00a0]*\u2013[ \t\u00a0]+(?=\S)")
LINK_RE = re.compile(r"[{|](?P<what>filename|static|attach)[}|](?P<target>[^\s)\"'>\]]+)")
# a Markdown link or image target, or an HTML href/src, that is neither absolute
# (scheme: or //), nor a fragment, nor one of Pelican's {filename}/{static} links
RELATIVE_LINK_RE = re.compile(
    r"""(?:\]\(\s*<?|\b(?:href|src)\s*=\s*["']?)(?P<target>(?![a-z][a-z0-9+.-]*:|//|#|\{|\|)"""
    r"""[^\s)"'>]+)""", re.I)
IMAGE_NO_ALT_RE = re.compile(r"!\[\s*\]\(")
FENCE_RE = re.compile(r"^\s*(```|~~~)")
# A line that Markdown reads as something other than paragraph text.
BLOCK_LINE_RE = re.compile(r"^(\s{4}|\t|#|>|[-*+]\s|\d+[.)]\s|\||<|\[[^\]]+\]:|!\["
                           r"|[\u2022\u25e6\u25aa\u2023\u00b7\u2013])")
SENTENCE_END_RE = re.compile(r"[.!?:;][\"'\u201d\u2019)\]]*$")
HTML_TAG_RE = re.compile(r"<\s*/?\s*[A-Za-z!][^<>]*>")
SUMMARY_BLOCK_RE = re.compile(r"^\s*(#{1,6}\s|[-*+]\s|\d+[.)]\s|>)")
YAML_SPECIAL_START = "[{*&!|>%@`"


class FrontMatterError(ValueError):
    """Raised by `NewsReader.read` after logging a file's problems, so Pelican skips it."""


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file. `line` is 1-based; `level` "error" or "warning"."""

    path: str
    line: int
    level: str
    message: str


@dataclasses.dataclass
class ParsedFile:
    """A content file split into front matter and body.

    `metadata` maps field names to text (str) or lists of text, except `date` and
    `modified`, which are timezone-aware `datetime`s. `body` is the Markdown body after the
    pasted-text normalisation described in the module docstring; `body_line` is the file
    line on which the body starts. `problems` lists every `Problem` found.
    """

    path: str
    kind: str
    metadata: dict
    body: str
    body_line: int
    problems: list

    @property
    def errors(self) -> list:
        return [p for p in self.problems if p.level == "error"]

    @property
    def status(self) -> str:
        """"published", "draft" or "hidden" (for pages); "published" when not given."""
        return self.metadata.get("status", "published")


def display_path(path: str) -> str:
    """Return `path` relative to the working directory when it lies inside it, else as given."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def format_problem(problem: Problem) -> str:
    """Return the editor-facing line `path:line: level: message` (the GNU error format)."""
    return f"{display_path(problem.path)}:{problem.line}: {problem.level}: {problem.message}"


def format_moment(when: datetime.datetime, tz: ZoneInfo | None = None) -> str:
    """Return an aware `when` as "Thu 14 January 2027 09:00 GMT" in `tz` (default its own).

    English names whatever the machine's locale; the zone abbreviation (GMT or BST for
    Europe/London) comes from the tz database.
    """
    local = when.astimezone(tz) if tz else when
    return (f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1].title()} "
            f"{local.year} {local:%H:%M} {local.tzname()}")


def content_kind(path: str, settings: dict) -> str:
    """Return "page" if `path` lies under one of `PAGE_PATHS` (relative to `PATH`),
    else "article"."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(settings.get("PATH", "content")))
    for page_path in settings.get("PAGE_PATHS", ["pages"]):
        if rel == page_path or rel.startswith(page_path.rstrip("/") + "/"):
            return "page"
    return "article"


def article_files(settings: dict) -> dict:
    """Map each post slug to its file path, for every `YYYY-MM-DD-slug.md` under
    `PATH`/`ARTICLE_PATHS`. If two files share a slug, the first in path order wins
    (`tools/check_content.py` reports the clash)."""
    root = settings.get("PATH", "content")
    found: dict = {}
    for article_path in settings.get("ARTICLE_PATHS", [""]):
        for folder, _dirs, files in sorted(os.walk(os.path.join(root, article_path))):
            for name in sorted(files):
                m = POST_FILE_RE.match(name)
                if m:
                    found.setdefault(m.group("slug"), os.path.join(folder, name))
    return found


def parse_date(text: str, tz: ZoneInfo) -> tuple[datetime.datetime | None, str | None]:
    """Read a front-matter date strictly.

    `text` must be `YYYY-MM-DD` (midnight) or `YYYY-MM-DD HH:MM`, local time in `tz`.
    Returns `(aware datetime, None)`, or `(None, message)` saying what is wrong and how to
    write it. Rejects, never guesses: day/month orders such as `02/04/2025`, dates missing a
    part (`April 2025`), impossible dates, and local times skipped or repeated by a clock
    change (a `datetime` with `fold` would silently pick one).
    """
    text = text.strip()
    m = DATE_RE.match(text)
    if not m:
        return None, _date_advice(text)
    year, month, day, hour, minute = (int(g) if g else 0 for g in m.groups())
    try:
        naive = datetime.datetime(year, month, day, hour, minute)
    except ValueError as exc:
        return None, f"there is no date {text!r} ({exc}); check the day and month"
    if not 1900 <= year <= 2199:
        return None, f"the year {year} in {text!r} cannot be right; check the date"
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    back = first.astimezone(datetime.UTC).astimezone(tz).replace(tzinfo=None)
    if back != naive:
        return None, (f"{text} does not exist in {tz.key}: the clocks go forward that night; "
                      "pick a time outside the missing hour")
    if first.utcoffset() != second.utcoffset():
        return None, (f"{text} happens twice in {tz.key}: the clocks go back that night; "
                      "pick a time outside the repeated hour")
    return first, None


def _date_advice(text: str) -> str:
    """Explain why `text` is not an accepted date and suggest the accepted form."""
    iso = "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, for example 2025-04-02 09:30"
    if re.search("[\u2010-\u2015\u2212]", text):
        return (f"date {text!r} contains a long dash, not a hyphen; type it with the '-' key, "
                "for example 2025-04-02 09:30")
    m = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$", text)
    if m:
        a, b, year = m.groups()
        year = year if len(year) == 4 else "20" + year
        if int(a) <= 12 and int(b) <= 12 and a != b:
            return (f"ambiguous date {text!r}: it could be {int(a)} {MONTHS[int(b) - 1].title()} "
                    f"or {int(b)} {MONTHS[int(a) - 1].title()}; write it as "
                    f"{year}-{int(b):02d}-{int(a):02d} (year-month-day) for {int(a)} "
                    f"{MONTHS[int(b) - 1].title()}")
        return f"date {text!r} is not in the accepted form; {iso}"
    words = re.findall(r"[A-Za-z]+|\d+", text)
    has_month = any(w.lower()[:3] in [mo[:3] for mo in MONTHS] for w in words)
    numbers = [w for w in words if w.isdigit()]
    if not text:
        return f"the date is empty; {iso}"
    if (has_month and len(numbers) < 2) or (not has_month and len(numbers) < 3):
        return f"date {text!r} is missing a part (day, month or year); {iso}"
    return f"date {text!r} is not in the accepted form; {iso}"


def _load_yaml(text: str, path: str, first_line: int, problems: list) -> dict | None:
    """Parse YAML front matter `text` into {field: (value, line, item_lines)}, every scalar
    as text; `item_lines` gives the line of each item of a list value (else None).

    `first_line` is the file line of the YAML's first line. Syntax errors, duplicate fields,
    nested values and values cut short by ` #` are appended to `problems`; None is returned
    on a syntax error (so no field is reported missing when it could not be read).
    """
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        problems.append(Problem(path, line, "error", _yaml_advice(exc, text, mark)))
        return None
    except yaml.YAMLError as exc:  # e.g. a character YAML does not accept at all
        problems.append(Problem(path, first_line, "error",
                                f"the front matter cannot be read ({exc}); retype the fields"))
        return None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        problems.append(Problem(path, first_line, "error",
                                "the front matter is not a list of 'field: value' lines; "
                                "write one field per line, e.g. title: \"Pay award\""))
        return {}
    lines = text.split("\n")
    fields = {}
    for key_node, value_node in root.value:
        line = first_line + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(path, line, "error",
                                    "a field name must be a plain word such as title, "
                                    "followed by a colon; write 'field: value'"))
            continue
        key = str(key_node.value).strip().lower()
        if key in fields:
            problems.append(Problem(path, line, "error",
                                    f"field '{key}' is given twice (also on line "
                                    f"{fields[key][1]}); keep one"))
            continue
        item_lines = None
        if isinstance(value_node, yaml.ScalarNode):
            value = value_node.value
            end = value_node.end_mark
            if (value_node.style is None and end.line < len(lines)
                    and "#" in lines[end.line][end.column:]):
                problems.append(Problem(path, line, "error",
                                        f"field '{key}': the text after ' #' is dropped (it "
                                        "reads as a comment); put the whole value in double "
                                        "quotes"))
        elif isinstance(value_node, yaml.SequenceNode) and all(
                isinstance(n, yaml.ScalarNode) for n in value_node.value):
            value = [n.value for n in value_node.value]
            item_lines = [first_line + n.start_mark.line for n in value_node.value]
        else:
            problems.append(Problem(path, line, "error",
                                    f"field '{key}' has a nested value; give plain text "
                                    "(or a [list, of, words] for tags)"))
            continue
        fields[key] = (value, line, item_lines)
    return fields


def _yaml_advice(exc: yaml.MarkedYAMLError, text: str, mark) -> str:
    """Turn a PyYAML error into an editor-facing sentence with the fix."""
    problem = (exc.problem or "").strip()
    lines = text.splitlines()
    line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
    value = line_text.split(":", 1)[1].strip() if ":" in line_text else ""
    quote_it = 'put the whole value in double quotes, e.g. title: "Chair: we will not accept this"'
    if "\t" in line_text or "'\\t'" in problem:
        return "the line contains a tab character; use spaces"
    if value[:1] in ("\u201c", "\u2018"):
        return ("curly quotes do not count as quotes in a field; put the whole value in "
                "straight double quotes, e.g. title: \"\u201cWe will not accept this\u201d\"")
    if "mapping values are not allowed" in problem:
        return f"a value contains a colon followed by a space; {quote_it}"
    if "sequence entries are not allowed" in problem:
        return f"a value starts with '- '; {quote_it}"
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
    return f"the front matter is not valid YAML ({problem}); write each field as 'field: value'"


def parse_file(path: str, settings: dict, now: datetime.datetime | None = None,
               check_links: bool = True) -> ParsedFile:
    """Split and check one content file, without Pelican.

    `path` is the file's path; `settings` is Pelican's settings dict (see module docstring
    for the keys used). `now` (aware; default the current time) decides which linked posts
    are still embargoed. With `check_links` False, links and `related:` are not followed.
    Never raises for bad content: every problem is in `.problems`. Raises `OSError` only if
    the file cannot be read. Never writes anything.
    """
    kind = content_kind(path, settings)
    problems: list = []
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(path, line, "error",
                                f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} on "
                                "this line); save it again as UTF-8 in your editor"))
        return ParsedFile(path, kind, {}, "", 1, problems)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _report_control_characters(text, path, problems)
    lines = text.split("\n")

    if not lines or lines[0].strip() != "---":
        problems.append(Problem(path, 1, "error",
                                "the file does not start with front matter; make line 1 "
                                "'---', then the fields (title: ..., date: ...), then another "
                                "'---'"))
        return ParsedFile(path, kind, {}, text, 1, problems)
    end = _front_matter_end(lines, path, problems)
    if end is None:
        return ParsedFile(path, kind, {}, "", 1, problems)

    yaml_text = "\n".join(lines[1:end])
    for odd, space in ODD_SPACES.items():
        yaml_text = yaml_text.replace(odd, space)
    fields = _load_yaml(yaml_text, path, 2, problems)
    body_lines = lines[end + 1:]
    if fields is None:
        metadata, fields = {}, {}
    else:
        metadata = _check_fields(fields, path, kind, settings, problems)
    _check_file_name(path, kind, problems)
    _check_body(body_lines, end + 2, path, metadata.get("status", "published"), problems)
    if check_links:
        now = now or datetime.datetime.now(datetime.UTC)
        _check_links(body_lines, end + 2, path, kind, metadata, settings, now, problems)
        _check_related(metadata, fields, path, settings, problems)
    body = normalise_pasted("\n".join(body_lines))
    return ParsedFile(path, kind, metadata, body, end + 2, problems)


CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufffe\uffff]")


def _report_control_characters(text: str, path: str, problems: list) -> str:
    """Report invisible control characters (a word processor's line break U+000B, U+2028,
    escape codes...) once per line, and return `text` with each read as a space.

    They are not allowed in XML 1.0 (the feeds) and YAML reads some as line breaks, so left
    in they would break the build far from the file; the file itself is never changed.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        found = CONTROL_RE.search(line)
        if found:
            problems.append(Problem(path, number, "error",
                                    f"an invisible control character U+{ord(found[0]):04X} "
                                    f"is in column {found.start() + 1} (pasted from another "
                                    "program?); delete it, or retype the line"))
    return CONTROL_RE.sub(" ", text)


def _front_matter_end(lines: list, path: str, problems: list) -> int | None:
    """Return the index of the line closing the front matter, or None (problem added).

    A blank line followed by a line that is not a field (`word:`), an indented line, a
    list item or a comment means the body has started without a closing `---`.
    """
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return i
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if (not lines[i].strip() and nxt.strip() and nxt.strip() not in ("---", "...")
                and not re.match(r"^([A-Za-z_][\w-]*\s*:|\s|-|#)", nxt)):
            problems.append(Problem(path, i + 2, "error",
                                    "the text starts here but the front matter opened by "
                                    "'---' on line 1 is not closed; add a line '---' after "
                                    "the last field"))
            return None
    problems.append(Problem(path, 1, "error",
                            "the front matter opened by '---' on line 1 is never closed; "
                            "add a line '---' after the last field"))
    return None


def _check_fields(fields: dict, path: str, kind: str, settings: dict, problems: list) -> dict:
    """Validate parsed front-matter `fields` and return the metadata dict (see ParsedFile)."""
    allowed = ARTICLE_FIELDS if kind == "article" else PAGE_FIELDS
    tz = ZoneInfo(settings.get("TIMEZONE") or "Europe/London")
    metadata: dict = {}
    typos = set()  # fields that a misspelt field name probably meant

    def error(line: int, message: str) -> None:
        problems.append(Problem(path, line, "error", message))

    for key, (value, line, _items) in fields.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            typos.update(close)
            hint = (f"did you mean '{close[0]}'?" if close
                    else "allowed fields are " + ", ".join(allowed))
            error(line, f"unknown field '{key}'; {hint}")
            continue
        if isinstance(value, list) and key not in LIST_FIELDS:
            error(line, f"field '{key}' must be plain text, not a list; remove the [ ] "
                  "or the - items")
            continue
        if key in LIST_FIELDS and not isinstance(value, list):
            value = [v.strip() for v in value.split(",")]
        if isinstance(value, list):
            value = [v.strip() for v in value if v.strip()]
        else:
            value = value.strip()
        metadata[key] = value

    title_line = fields.get("title", (None, 2))[1]
    if not metadata.get("title") and "title" not in typos:
        error(title_line, "the title is missing or empty; add a line like: "
              'title: "Pay award announced"')
    for key in ("date", "modified"):
        if key not in fields:
            continue
        when, message = parse_date(metadata.get(key, ""), tz)
        if message:
            error(fields[key][1], message)
            metadata.pop(key, None)
        else:
            metadata[key] = when
    if kind == "article" and "date" not in fields and "date" not in typos:
        error(2, "the date is missing; add a line like: date: 2025-04-02 09:30")

    statuses = ARTICLE_STATUSES if kind == "article" else PAGE_STATUSES
    if "status" in metadata and metadata["status"] not in statuses:
        error(fields["status"][1], f"status {metadata['status']!r} is not allowed; use "
              + " or ".join(statuses))
        metadata.pop("status")

    categories = settings.get("NEWS_CATEGORIES") or []
    if "category" in metadata and categories and metadata["category"] not in categories:
        close = difflib.get_close_matches(metadata["category"], categories, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        error(fields["category"][1], f"unknown category {metadata['category']!r}; {hint}"
              "categories are " + ", ".join(categories))
        metadata.pop("category")

    # a tag or byline whose address would be empty (emoji only) stops Pelican with a traceback
    for key, setting in (("tags", "TAG_REGEX_SUBSTITUTIONS"),
                         ("author", "AUTHOR_REGEX_SUBSTITUTIONS")):
        subs = settings.get(setting) or settings.get("SLUG_REGEX_SUBSTITUTIONS") or \
            DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
        values = metadata.get(key) or []
        for value in values if isinstance(values, list) else [values]:
            if not slugify(value, regex_subs=subs):
                error(fields[key][1], f"{key} {value!r} has no letters or digits to make its "
                      "address from; write it in words")

    if "summary" in metadata:
        _check_summary(metadata["summary"], fields["summary"][1], path, settings, problems)
    _check_image(metadata, fields, path, settings, problems)
    return metadata


SUMMARY_LINK_RE = re.compile(r"\]\(|\]\[|<[a-z][a-z0-9+.-]*:", re.I)


def _check_summary(summary: str, line: int, path: str, settings: dict, problems: list) -> None:
    """The summary (standfirst) is plain text of at most `NEWS_SUMMARY_MAX_LENGTH` characters.

    Templates output it as HTML (Pelican converts it with Markdown), so a tag in it, or a
    leading `#`, `-`, `1.` or `>` that Markdown turns into a heading, list or quote, would
    change the page around it.
    """
    limit = settings.get("NEWS_SUMMARY_MAX_LENGTH")
    if limit and len(summary) > limit:
        problems.append(Problem(path, line, "error", f"the summary is {len(summary)} "
                                f"characters; keep the standfirst to {limit} or fewer"))
    tag = HTML_TAG_RE.search(summary)
    if tag:
        problems.append(Problem(path, line, "error",
                                f"the summary contains HTML ({tag.group(0)!r}), which can break "
                                "the page; write plain text (*asterisks* give emphasis)"))
    elif SUMMARY_LINK_RE.search(summary):
        # a standfirst is not a place for links, and a [text](javascript:...) one would run
        problems.append(Problem(path, line, "error",
                                "the summary contains a link; keep the standfirst plain text "
                                "and put the link in the story"))
    elif SUMMARY_BLOCK_RE.match(summary):
        problems.append(Problem(path, line, "error",
                                f"the summary starts with {summary.split()[0]!r}, which makes "
                                "it a heading, list or quote; start it with a word"))


def _check_image(metadata: dict, fields: dict, path: str, settings: dict, problems: list) -> None:
    """Check the hero image: the file exists under PATH and it has alt text.

    `image` is normalised to a site-relative path (`images/x.jpg`); `{static}` and a leading
    `/` are accepted because Pelican does not resolve them in metadata (Pelican #1531).
    """
    if "image" not in metadata:
        if "image_alt" in metadata:
            problems.append(Problem(path, fields["image_alt"][1], "warning",
                                    "image_alt is given but there is no image; remove it"))
        return
    image = re.sub(r"^\{static\}", "", metadata["image"]).lstrip("/")
    metadata["image"] = image
    content_root = settings.get("PATH", "content")
    parts = image.split("/")
    if parts[0] != "images" or len(parts) < 2 or ".." in parts or "" in parts:
        # only content/images/ is published as images; ".." would reach outside content/
        problems.append(Problem(path, fields["image"][1], "error",
                                f"image {image!r} is not a file in "
                                f"{display_path(content_root)}/images/; put the file there "
                                "and write image: images/<file name>"))
    elif os.path.isfile(os.path.join(content_root, image)) and not _is_image(
            os.path.join(content_root, image)):
        problems.append(Problem(path, fields["image"][1], "error",
                                f"image {image!r} is not a picture Pillow can read; save it as "
                                "JPEG, PNG or WebP"))
    elif not os.path.isfile(os.path.join(content_root, image)):
        problems.append(Problem(path, fields["image"][1], "error",
                                f"image {image!r} does not exist; put the file in "
                                f"{display_path(content_root)}/images/ and write "
                                "image: images/<file name>"))
    if not metadata.get("image_alt"):
        problems.append(Problem(path, fields["image"][1], "error",
                                "the image has no alt text; add image_alt: with what the "
                                "picture shows (WCAG 2.2 success criterion 1.1.1)"))


def _is_image(path: str) -> bool:
    """True if Pillow recognises the file at `path` as an image (header check only)."""
    try:
        with Image.open(path) as picture:
            picture.verify()
    except (OSError, SyntaxError, ValueError):  # Pillow's errors for unreadable files
        return False
    return True


def _check_file_name(path: str, kind: str, problems: list) -> None:
    """A post's file name must be YYYY-MM-DD-slug.md: the slug (URL) comes from it."""
    name = os.path.basename(path)
    if kind == "article" and not NEWS_FILE_RE.match(name):
        problems.append(Problem(path, 1, "error",
                                f"file name {name!r} is not YYYY-MM-DD-slug.md with a slug of "
                                "lower-case letters, digits and hyphens; rename the file, "
                                "e.g. 2025-04-02-pay-award.md"))


def _body_lines(lines: list, first_line: int):
    """Yield (file line number, text) for body `lines` outside fenced code blocks."""
    fenced = False
    for offset, text in enumerate(lines):
        if FENCE_RE.match(text):
            fenced = not fenced
            continue
        if not fenced:
            yield first_line + offset, text


def _check_body(lines: list, first_line: int, path: str, status: str, problems: list) -> None:
    """Body rules that need no other file: not empty, no `make new` placeholder (a warning
    while the post is a draft, so a new draft does not stop the site building), alt text on
    images, and a warning for paragraphs separated by single line breaks."""
    if not "".join(lines).strip():
        problems.append(Problem(path, first_line - 1, "error",
                                "the post has no text after the front matter; write it below "
                                "the closing '---'"))
        return
    for number, text in _body_lines(lines, first_line):
        if PLACEHOLDER in text:
            problems.append(Problem(path, number, "warning" if status == "draft" else "error",
                                    f"'{PLACEHOLDER}' is still here from make new; replace it "
                                    "with the story"))
        if IMAGE_NO_ALT_RE.search(text):
            problems.append(Problem(path, number, "error",
                                    "an image has no alt text; write what it shows between the "
                                    "brackets: ![what the picture shows](...) (WCAG 2.2 "
                                    "success criterion 1.1.1)"))
    _check_paragraph_breaks(lines, first_line, path, problems)


def _check_paragraph_breaks(lines: list, first_line: int, path: str, problems: list) -> None:
    """Warn about text pasted with single line breaks between paragraphs.

    Markdown joins lines not separated by a blank line into one paragraph. A run of two or
    more plain text lines each but the last ending a sentence is most likely pasted
    paragraphs; a line ending in two spaces or a backslash (a deliberate line break) is not.
    """
    run: list = []
    for number, text in [*_body_lines(lines, first_line), (None, "")]:
        prose = text.strip() and not BLOCK_LINE_RE.match(text)
        if prose and (not run or run[-1][0] + 1 == number):
            run.append((number, text))
            continue
        if len(run) >= 2 and all(SENTENCE_END_RE.search(t.rstrip()) and not t.endswith(("  ", "\\"))
                                 for _n, t in run[:-1]):
            problems.append(Problem(
                path, run[0][0], "warning",
                f"lines {run[0][0]}-{run[-1][0]} are separated by single line breaks, so they "
                "show as one paragraph; leave a blank line between paragraphs"))
        run = [(number, text)] if prose else []


def normalise_pasted(body: str) -> str:
    """Return `body` with typographic bullets turned into a Markdown list (in memory only).

    A line starting with •, ◦, ▪, ‣ or · is a list item; so is each of two or more
    consecutive lines starting with an en dash (one such line is an attribution, left
    alone). A blank line is added before and after each list so Markdown sees it. Lines in
    fenced code blocks are left alone.
    """
    lines = body.split("\n")
    fenced, in_code = False, []
    for text in lines:
        if FENCE_RE.match(text):
            fenced = not fenced
        in_code.append(fenced or bool(FENCE_RE.match(text)))
    items = [not code and bool(BULLET_RE.match(text)) for text, code in zip(lines, in_code)]
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and not in_code[j] and DASH_ITEM_RE.match(lines[j]):
            j += 1
        if j - i >= 2:
            items[i:j] = [True] * (j - i)
        i = max(j, i + 1)
    out: list = []
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


def _live_moment(parsed_status: str, date, now: datetime.datetime):
    """When a document goes live: None for a draft, else its date (or `now` if it has none)."""
    if parsed_status == "draft":
        return None
    return date or now


def _unpublished_reason(target: ParsedFile, source_live, now: datetime.datetime) -> str | None:
    """Say why a link from a document live at `source_live` to `target` would not work.

    A draft is never written; an embargoed post is written only from its date, so a link
    from a post that goes live earlier points nowhere in between (Pelican writes `href="/"`).
    """
    if target.status == "draft":
        return f"{display_path(target.path)} is a draft; publish it first or remove the link"
    when = target.metadata.get("date")
    if when and when > now and when > source_live:
        return (f"{display_path(target.path)} is embargoed until {format_moment(when)}, after "
                "this post goes live; remove the link or give this post a later date")
    return None


def _check_links(lines: list, first_line: int, path: str, kind: str, metadata: dict,
                 settings: dict, now: datetime.datetime, problems: list) -> None:
    """Every `{filename}` link names a live post or page; every `{static}` file exists."""
    source_live = _live_moment(metadata.get("status", "published"), metadata.get("date"), now)
    root = settings.get("PATH", "content")
    for number, text in _body_lines(lines, first_line):
        for m in RELATIVE_LINK_RE.finditer(text) if kind == "article" else ():
            # Pelican leaves these relative in the Atom and RSS feeds, where they lead
            # nowhere (Pelican #812, #1640); {filename} and {static} links are made absolute
            problems.append(Problem(path, number, "error",
                                    f"the link {m.group('target')!r} would be broken in feed "
                                    "readers; link to a post or page with {filename} and its "
                                    "file (e.g. {filename}../pages/contact.md), to a file with "
                                    "{static}, or write the full https:// address"))
        for m in LINK_RE.finditer(text):
            what, written = m.group("what"), m.group("target")
            target = unquote(urlsplit(written).path)
            base = root if target.startswith("/") else os.path.dirname(path)
            resolved = os.path.normpath(os.path.join(base, target.lstrip("/")))
            link = f"{{{what}}}{written}"

            def error(message: str, number=number) -> None:
                problems.append(Problem(path, number, "error", message))

            if not os.path.isfile(resolved):
                if what == "filename":
                    folder = os.path.dirname(resolved)
                    names = os.listdir(folder) if os.path.isdir(folder) else []
                    by_slug = {POST_FILE_RE.sub(r"\g<slug>", n): n for n in names}
                    wanted = POST_FILE_RE.sub(r"\g<slug>", os.path.basename(resolved))
                    close = [by_slug[c] for c in difflib.get_close_matches(wanted, by_slug, n=1)]
                    hint = (f"did you mean {{filename}}{close[0]}?" if close else
                            "write {filename} and the post's file name, e.g. "
                            "{filename}2025-07-29-pay-award.md, or for a page "
                            "{filename}../pages/contact.md")
                    error(f"the link {link} points to no post; {hint}")
                else:
                    error(f"the link {link} points to no file; put the file in "
                          f"{display_path(root)}/images/ and write {{static}}/images/<file name>")
                continue
            if what != "filename":
                continue
            if not resolved.endswith((".md", ".markdown")):
                error(f"the link {link} is to a file, not a post; write {{static}}{written}")
                continue
            if source_live is None:
                continue
            reason = _unpublished_reason(parse_file(resolved, settings, check_links=False),
                                         source_live, now)
            if reason:
                error(f"the link {link} would not work: {reason}")


def _check_related(metadata: dict, fields: dict, path: str, settings: dict,
                   problems: list) -> None:
    """Every slug in `related:` names a post (in any status: plugins/related_posts.py leaves
    out drafts and embargoed posts until they are published, so they are not errors). The
    message and line are those plugins/related_posts.py logs during a build."""
    if not metadata.get("related"):
        return
    value, line, item_lines = fields["related"]
    posts = article_files(settings)
    for slug in metadata["related"]:
        if slug in posts:
            continue
        close = difflib.get_close_matches(slug, sorted(posts), n=1, cutoff=0.6)
        hint = (f"did you mean '{close[0]}'?" if close else
                "write the slug of a post: its file name without the date and .md")
        slug_line = item_lines[[v.strip() for v in value].index(slug)] if item_lines else line
        problems.append(Problem(path, slug_line, "error",
                                f"related: no post has the slug '{slug}'; {hint}"))


class NewsReader(YAMLMetadataReader):
    """Pelican reader for `.md` files with YAML front matter and the newsroom's rules.

    `read(path)` returns `(html, metadata)` as every Pelican reader does. If the file has
    errors it logs them at ERROR in `format_problem` form and raises `FrontMatterError`, so
    Pelican skips the file and `--fatal` fails the build. Warnings are not logged here
    (`make check` reports them): under `--fatal warnings` they would stop publishing for a
    cosmetic reason. The title is returned as HTML-escaped text.
    """

    def read(self, source_path):
        parsed = parse_file(source_path, self.settings)
        errors = parsed.errors
        if errors:
            logger.error("%s", "\n".join(format_problem(p) for p in errors))
            raise FrontMatterError(f"{display_path(source_path)}: {len(errors)} error(s)")

        dates = {k: parsed.metadata.pop(k) for k in ("date", "modified") if k in parsed.metadata}
        # Pelican treats a title as HTML; an editor's title is text, so "<" and "&" are
        # escaped here, before typogrify adds its spans.
        parsed.metadata["title"] = html.escape(parsed.metadata["title"], quote=False)
        metadata = self._parse_yaml_metadata(parsed.metadata, source_path)
        metadata.update(dates)
        self._md.Meta = {}
        return self._md.reset().convert(parsed.body), metadata


def mark_embargoes(generator) -> None:
    """Set `embargoed_until` ("Thu 14 January 2027 09:00 GMT") on each post that Pelican made
    a draft only because its date is in the future (Pelican `article_generator_finalized`).

    Those posts are written only by the preview settings (previewconf.py), where the theme's
    draft banner says when the embargo lifts; a post with `status: draft` gets no attribute.
    """
    now = datetime.datetime.now(datetime.UTC)
    for article in generator.drafts:
        if article.metadata.get("status", "published") != "draft" and article.date > now:
            article.embargoed_until = format_moment(article.date)


def add_reader(readers) -> None:
    """Use `NewsReader` for every Markdown extension (Pelican `readers_init` signal)."""
    for extension in NewsReader.file_extensions:
        readers.reader_classes[extension] = NewsReader


def refuse_static_markdown(generator) -> None:
    """Log an error for each Markdown file Pelican would copy as a static file (a post saved
    in content/images/ or extra/ would go out as raw text, draft or embargo included), so
    `--fatal` stops the build (Pelican `static_generator_finalized` signal)."""
    for static in generator.staticfiles:
        if static.source_path.endswith(tuple("." + e for e in NewsReader.file_extensions)):
            logger.error("%s:1: error: a post or page outside news/ and pages/ is never "
                         "published as one, only copied as a raw file; move it to "
                         "content/news/ or content/pages/", display_path(static.source_path))


def register():
    signals.readers_init.connect(add_reader)
    signals.article_generator_finalized.connect(mark_embargoes)
    signals.static_generator_finalized.connect(refuse_static_markdown)
