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
  does not exist or happens twice on a clock-change day is an error too.

Settings read: `PATH`, `ARTICLE_PATHS`, `PAGE_PATHS`, `TIMEZONE`, `NEWS_CATEGORIES`,
`NEWS_SUMMARY_MAX_LENGTH`.

Public functions: `parse_file(path, settings)` returns a `ParsedFile` (metadata, body,
problems) without Pelican; `format_problem(problem)` gives the one-line message.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import html
import logging
import os
import re
from zoneinfo import ZoneInfo

import yaml
from pelican import signals
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
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?$")
MONTHS = ("january february march april may june july august september october "
          "november december").split()


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
    `modified`, which are timezone-aware `datetime`s. `body_line` is the file line on which
    the Markdown body starts. `problems` lists every `Problem` found, errors and warnings.
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


def display_path(path: str) -> str:
    """Return `path` relative to the working directory when it lies inside it, else as given."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def format_problem(problem: Problem) -> str:
    """Return the editor-facing line `path:line: level: message` (the GNU error format)."""
    return f"{display_path(problem.path)}:{problem.line}: {problem.level}: {problem.message}"


def content_kind(path: str, settings: dict) -> str:
    """Return "page" if `path` lies under one of `PAGE_PATHS` (relative to `PATH`), else "article"."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(settings.get("PATH", "content")))
    for page_path in settings.get("PAGE_PATHS", ["pages"]):
        if rel == page_path or rel.startswith(page_path.rstrip("/") + "/"):
            return "page"
    return "article"


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


def _load_yaml(text: str, path: str, first_line: int, problems: list) -> dict:
    """Parse YAML front matter `text` into {field: (value, line)} with every scalar as text.

    `first_line` is the file line of the YAML's first line. Syntax errors, duplicate fields
    and nested values are appended to `problems`; an empty dict is returned on a syntax error.
    """
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        problems.append(Problem(path, line, "error", _yaml_advice(exc, text, mark)))
        return {}
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        problems.append(Problem(path, first_line, "error",
                                "the front matter is not a list of 'field: value' lines"))
        return {}
    fields = {}
    for key_node, value_node in root.value:
        line = first_line + key_node.start_mark.line
        key = str(key_node.value).strip().lower()
        if key in fields:
            problems.append(Problem(path, line, "error",
                                    f"field '{key}' is given twice (also on line "
                                    f"{fields[key][1]}); keep one"))
            continue
        if isinstance(value_node, yaml.ScalarNode):
            value = value_node.value
        elif isinstance(value_node, yaml.SequenceNode) and all(
                isinstance(n, yaml.ScalarNode) for n in value_node.value):
            value = [n.value for n in value_node.value]
        else:
            problems.append(Problem(path, line, "error",
                                    f"field '{key}' has a nested value; give plain text "
                                    "(or a [list, of, words] for tags)"))
            continue
        fields[key] = (value, line)
    return fields


def _yaml_advice(exc: yaml.MarkedYAMLError, text: str, mark) -> str:
    """Turn a PyYAML error into an editor-facing sentence with the fix."""
    problem = (exc.problem or "").strip()
    line_text = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
    if "\t" in line_text or "'\\t'" in problem:
        return "the line contains a tab character; use spaces"
    if "mapping values are not allowed" in problem:
        return ("a value contains a colon followed by a space; put the whole value in "
                'double quotes, e.g. title: "Chair: we will not accept this"')
    if "found unexpected end of stream" in problem or "while scanning a quoted scalar" in str(exc):
        return "a quote opened in this value is never closed; close it on the same line"
    return f"the front matter is not valid YAML ({problem}); write each field as 'field: value'"


def parse_file(path: str, settings: dict) -> ParsedFile:
    """Split and check one content file, without Pelican.

    `path` is the file's path; `settings` is Pelican's settings dict (see module docstring
    for the keys used). Never raises for bad content: every problem is in `.problems`. Raises
    `OSError` only if the file cannot be read.
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
                                "the file is not UTF-8 text; save it as UTF-8 in your editor"))
        return ParsedFile(path, kind, {}, "", 1, problems)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")

    if not lines or lines[0].strip() != "---":
        problems.append(Problem(path, 1, "error",
                                "the file must start with a line '---', then the fields "
                                "(title: ..., date: ...), then another '---'"))
        return ParsedFile(path, kind, {}, text, 1, problems)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        problems.append(Problem(path, 1, "error",
                                "the front matter opened by '---' on line 1 is never closed; "
                                "add a line '---' after the last field"))
        return ParsedFile(path, kind, {}, "", 1, problems)

    fields = _load_yaml("\n".join(lines[1:end]), path, 2, problems)
    body = "\n".join(lines[end + 1:])
    metadata = _check_fields(fields, path, kind, settings, problems)
    _check_file_name(path, kind, problems)
    return ParsedFile(path, kind, metadata, body, end + 2, problems)


def _check_fields(fields: dict, path: str, kind: str, settings: dict, problems: list) -> dict:
    """Validate parsed front-matter `fields` and return the metadata dict (see ParsedFile)."""
    allowed = ARTICLE_FIELDS if kind == "article" else PAGE_FIELDS
    tz = ZoneInfo(settings.get("TIMEZONE") or "Europe/London")
    metadata: dict = {}

    def error(line: int, message: str) -> None:
        problems.append(Problem(path, line, "error", message))

    for key, (value, line) in fields.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = (f"did you mean '{close[0]}'?" if close
                    else "allowed fields are " + ", ".join(allowed))
            error(line, f"unknown field '{key}'; {hint}")
            continue
        if isinstance(value, list) and key not in LIST_FIELDS:
            error(line, f"field '{key}' must be plain text, not a list")
            continue
        if key in LIST_FIELDS and not isinstance(value, list):
            value = [v.strip() for v in value.split(",")]
        if isinstance(value, list):
            value = [v.strip() for v in value if v.strip()]
        else:
            value = value.strip()
        metadata[key] = value

    title_line = fields.get("title", (None, 2))[1]
    if not metadata.get("title"):
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
    if kind == "article" and "date" not in fields:
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

    limit = settings.get("NEWS_SUMMARY_MAX_LENGTH")
    if limit and len(metadata.get("summary", "")) > limit:
        error(fields["summary"][1], f"the summary is {len(metadata['summary'])} characters; "
              f"keep the standfirst to {limit} or fewer")

    _check_image(metadata, fields, path, settings, problems)
    return metadata


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
    if not os.path.isfile(os.path.join(content_root, image)):
        problems.append(Problem(path, fields["image"][1], "error",
                                f"image {image!r} does not exist; put the file in "
                                f"{content_root}/images/ and write image: images/<file name>"))
    if not metadata.get("image_alt"):
        problems.append(Problem(path, fields["image"][1], "error",
                                "the image has no alt text; add image_alt: with what the "
                                "picture shows (WCAG 2.2 success criterion 1.1.1)"))


def _check_file_name(path: str, kind: str, problems: list) -> None:
    """A post's file name must be YYYY-MM-DD-slug.md: the slug (URL) comes from it."""
    name = os.path.basename(path)
    if kind == "article" and not NEWS_FILE_RE.match(name):
        problems.append(Problem(path, 1, "error",
                                f"file name {name!r} is not YYYY-MM-DD-slug.md with a slug of "
                                "lower-case letters, digits and hyphens; rename the file, "
                                "e.g. 2025-04-02-pay-award.md"))


class NewsReader(YAMLMetadataReader):
    """Pelican reader for `.md` files with YAML front matter and the newsroom's rules.

    `read(path)` returns `(html, metadata)` as every Pelican reader does. On problems it logs
    them (errors at ERROR, warnings at WARNING, in `format_problem` form) and, if any is an
    error, raises `FrontMatterError` so Pelican skips the file and `--fatal` fails the build.
    The title is returned as HTML-escaped text.
    """

    def read(self, source_path):
        parsed = parse_file(source_path, self.settings)
        errors = parsed.errors
        for problem in parsed.problems:
            if problem.level == "warning":
                logger.warning("%s", format_problem(problem))
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


def add_reader(readers) -> None:
    """Use `NewsReader` for every Markdown extension (Pelican `readers_init` signal)."""
    for extension in NewsReader.file_extensions:
        readers.reader_classes[extension] = NewsReader


def register():
    signals.readers_init.connect(add_reader)
