"""Read a content file once per process: split, checked, ready for Pelican.

`read(path, settings)` returns a `ParsedFile`: the front matter as metadata, the Markdown
body (pasted text repaired, `newsroom.paste`), and every problem that file alone shows
(front matter, fields, body, raw HTML: `newsroom.rawhtml`). It reads each file once per
process and settings: the
content check, the Pelican reader and the link checks of other files share the result, so
`make html` and `make deploy` parse a file once (the cache is keyed by the file's path,
size, modification time and inode, so a saved change is read again). Between processes,
the parse is kept in the content cache (`newsroom.cache`, keyed on the file's bytes, the
settings and the code), valid while the one other file a parse reads, the hero image
(`fields.check_image`), has the same bytes. `parse_file` adds the problems that need
other files (links, `related:`) or the clock (a `correction_date:` in the future), as of
an aware `now`; those are never cached.

Never raises for bad content: every problem is in `.problems`. Raises `OSError` only if
the file cannot be read. Writes nothing but the content cache.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import os

from . import body, cache, corrections, fields, frontmatter, links, paste, rawhtml
from .layout import Layout
from .problems import Findings, Problem, errors

# The settings a file's parse depends on: a change to any of them means a new parse.
SETTINGS_READ = ("PATH", "ARTICLE_PATHS", "PAGE_PATHS", "FILENAME_METADATA", "TIMEZONE",
                 "NEWS_CATEGORIES", "NEWS_SUMMARY_MAX_LENGTH", "TAG_REGEX_SUBSTITUTIONS",
                 "AUTHOR_REGEX_SUBSTITUTIONS", "SLUG_REGEX_SUBSTITUTIONS", "IGNORE_FILES")


@dataclasses.dataclass
class ParsedFile:
    """A content file split into front matter and body.

    `path` is absolute; `kind` "article" or "page"; `metadata` maps field names to text or
    lists of text, except `date`, `modified` and `correction_date` (aware datetimes);
    `fields` the raw `frontmatter.Field`s (lines); `body` the Markdown after pasted-text repair;
    `body_lines` the body as in the file, from file line `body_line`; `problems` every
    `Problem` found; `cache_key` the file's key in the content cache ("" without one).
    """

    path: str
    kind: str
    metadata: dict
    fields: dict
    body: str
    body_lines: list
    body_line: int
    problems: list
    cache_key: str = ""

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    @property
    def status(self) -> str:
        """"published", "draft" or "hidden" (pages); "published" when not given."""
        return self.metadata.get("status", fields.DEFAULT_STATUS)


def _settings_key(settings: dict) -> str:
    values = [settings.get(k) for k in SETTINGS_READ]
    values[0] = os.path.abspath(values[0])
    return repr(values)


def _parse(path: str, settings: dict, data: bytes) -> ParsedFile:
    """Check the file at `path` whose bytes are `data`, alone (no cache); see the module
    docstring."""
    layout = Layout(settings)
    kind = layout.kind(path)
    found = Findings(path)
    text = frontmatter.decode(data, found)
    parts = frontmatter.split(text, found) if text is not None else None
    if parts is None:
        return ParsedFile(path, kind, {}, {}, text or "", [], 1, found)
    metadata = (fields.check_fields(parts.fields, kind, settings, found)
                if parts.fields is not None else {})
    if kind == fields.ARTICLE and not layout.strict_post_name(os.path.basename(path)):
        found.error(1, f"file name {os.path.basename(path)!r} is not YYYY-MM-DD-slug.md with "
                    "a slug of lower-case words or digits joined by single hyphens; rename the "
                    "file, e.g. 2025-04-02-pay-award.md")
    if kind == fields.ARTICLE:
        _check_name_date(path, layout, metadata, parts.fields or {}, found)
    body.check_body(parts.body_lines, parts.body_line,
                    metadata.get("status", fields.DEFAULT_STATUS), found)
    rawhtml.check_raw_html(parts.body_lines, parts.body_line, found)
    return ParsedFile(path, kind, metadata, parts.fields or {},
                      paste.normalise_pasted("\n".join(parts.body_lines)), parts.body_lines,
                      parts.body_line, found)


def _check_name_date(path: str, layout: Layout, metadata: dict, fields_: dict,
                     found: Findings) -> None:
    """A post's file name starts with a real date, the day of its `date:` (in the site's
    time zone): both are errors. A name a year off its date would mislead whoever looks for
    the post or schedules it by its name (an embargo read from the name). Renaming the file
    keeps the slug; the message says when the date's new month moves the address too."""
    name = os.path.basename(path)
    day, message = layout.post_name_date(path)
    if message:
        found.error(1, f"the date at the start of the file name {name!r} is impossible "
                    f"({message}); rename the file to YYYY-MM-DD-slug.md with the post's date")
    elif day and isinstance(metadata.get("date"), datetime.datetime):
        when = metadata["date"].date()
        if when != day:
            moves = (when.year, when.month) != (day.year, day.month)
            found.error(fields_["date"].line, f"the date {when:%Y-%m-%d} is not the day in the "
                        f"file name ({day:%Y-%m-%d}); rename the file to "
                        f"{when:%Y-%m-%d}{name[10:]}"
                        + (", or correct the date; a new month gives the post a new address: "
                           "if it is live, add its old address to data/redirects.yml "
                           "(docs/editing.md, 'Moving or removing a published post')" if moves
                           else " (the address stays), or correct the date"))


_cache: dict[tuple, ParsedFile] = {}


def read(path: str, settings: dict) -> ParsedFile:
    """The `ParsedFile` of `path` without link checks, parsed at most once per process for
    the same file state and settings. Callers must not change what it returns."""
    path = os.path.abspath(path)
    info = os.stat(path)
    key = (path, info.st_size, info.st_mtime_ns, info.st_ino, _settings_key(settings))
    if key not in _cache:
        _cache[key] = _load(path, settings)
    return _cache[key]


def forget(settings: dict) -> None:
    """Drop every parse `read` keeps in this process, when the content cache holds them
    (`settings`' NEWS_CACHE_PATH). `newsroom.build` calls it once the check is done, so
    Pelican's side of the build (`read_for_pelican`) does not hold the whole site's parses
    beside Pelican's articles (issue 11: peak memory; 224 -> 189 MiB at 5,000 posts). A
    parse is then read from the content cache again, never parsed again."""
    if cache.open_cache(settings) is not None:
        _cache.clear()


def read_for_pelican(path: str, settings: dict, check_links: bool = False) -> ParsedFile:
    """The parse of `path` for Pelican's reader and plugins. In a build whose check has
    run (`NEWS_CHECKED`, set by `newsroom.build`) with the content cache on: the cache's,
    not kept in this process, without the link checks (the check reported them). Else
    (plain `pelican`, `make regenerate`, no cache): `parse_file`, kept, with the link
    checks if `check_links`."""
    if settings.get("NEWS_CHECKED") and cache.open_cache(settings) is not None:
        return _load(os.path.abspath(path), settings)
    return parse_file(path, settings, check_links=check_links)


def _load(path: str, settings: dict) -> ParsedFile:
    """The parse of `path` (absolute): the content cache's when it has one for these bytes,
    settings and code and the hero image is unchanged; else `_parse`d and stored there."""
    with open(path, "rb") as fh:
        data = fh.read()
    store = cache.open_cache(settings)
    if store is None:
        return _parse(path, settings, data)
    key = store.key(path, data)
    entry = store.load(key, "parse")
    if (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], ParsedFile)
            and entry[1] == _dependencies(entry[0], settings)):
        return entry[0]
    parsed = dataclasses.replace(_parse(path, settings, data), cache_key=key)
    store.save(key, "parse", (parsed, _dependencies(parsed, settings)))
    return parsed


def _dependencies(parsed: ParsedFile, settings: dict) -> tuple:
    """The other files `parsed`'s problems depend on, with the SHA-256 of their bytes (None
    when missing): the hero image, which `fields.check_image` looks for and opens."""
    image = parsed.metadata.get("image")
    if not isinstance(image, str):
        return ()
    path = os.path.join(settings["PATH"], image)
    try:
        info = os.stat(path)
    except OSError:
        return ((image, None),)
    return ((image, _digest(path, info.st_size, info.st_mtime_ns, info.st_ino)),)


@functools.lru_cache(maxsize=4096)
def _digest(path: str, size: int, mtime_ns: int, inode: int) -> str | None:
    """SHA-256 of the file at `path`, once per process for the same file state."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def parse_file(path: str, settings: dict, now: datetime.datetime | None = None,
               check_links: bool = True) -> ParsedFile:
    """The `ParsedFile` of `path` with, if `check_links`, the problems of its links,
    `related:` and `correction_date:` as of `now` (aware; default the current time) added."""
    parsed = read(path, settings)
    return _with_link_checks(parsed, settings, now) if check_links else parsed


def _with_link_checks(parsed: ParsedFile, settings: dict, now) -> ParsedFile:
    """`parsed` with the problems of its links, `related:` and `correction_date:`."""
    now = now or datetime.datetime.now(datetime.UTC)
    found = Findings(parsed.path)
    layout = Layout(settings)
    links.check_links(parsed, layout, now, lambda target: read(target, settings), found)
    links.check_related(parsed, layout, found)
    corrections.correction_in_future(parsed.metadata, parsed.fields, now, found)
    return dataclasses.replace(parsed, problems=[*parsed.problems, *found])


def check_text(path: str, settings: dict, data: bytes, now: datetime.datetime | None = None
               ) -> ParsedFile:
    """The `ParsedFile` of `data` (bytes) as the file at `path` (absolute or relative; it
    may not exist yet), with `parse_file`'s problems as of `now` (aware; default now),
    never cached: what the web editor checks before a save (`newsroom.editor_check`)."""
    return _with_link_checks(_parse(os.path.abspath(path), settings, data), settings, now)
