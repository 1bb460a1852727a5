"""The front-matter fields of posts and pages, and each field's rule, written once.

`FIELDS` is the table editors' files are checked against (the README's field table says the
same in words). `check_fields` turns the fields `newsroom.frontmatter` read into the
metadata dict Pelican gets: text (str) or lists of text, except `date`, `modified` and
`correction_date`, which are aware datetimes in the site's time zone. Each problem goes
into the `Findings` with the line of its field.

Settings read: `TIMEZONE`, `NEWS_CATEGORIES`, `NEWS_SUMMARY_MAX_LENGTH`, `PATH` (hero
images; `NEWS_PENDING_IMAGES`, set only by the web editor's check, maps `images/<name>` to
a copy of a picture not saved yet), `TAG_REGEX_SUBSTITUTIONS`, `AUTHOR_REGEX_SUBSTITUTIONS`, `SLUG_REGEX_SUBSTITUTIONS`.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import os
import re

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from .dates import parse_date, site_timezone
from .frontmatter import Field
from .corrections import check_correction
from .images import picture_problem, size_warning
from .problems import Findings, display_path
from .rawhtml import attr_list_problems

ARTICLE, PAGE = "article", "page"
BOTH = frozenset({ARTICLE, PAGE})


@dataclasses.dataclass(frozen=True)
class FieldRule:
    """A field editors may write: its name, the kinds of file that take it, and whether it
    holds a list (`[a, b]`, or "a, b")."""

    name: str
    kinds: frozenset = BOTH
    is_list: bool = False


FIELDS = (  # in the order the web editor shows them and writes them (issue 13)
    FieldRule("title"),
    FieldRule("date", frozenset({ARTICLE})),
    FieldRule("category", frozenset({ARTICLE})),
    FieldRule("tags", frozenset({ARTICLE}), is_list=True),
    FieldRule("summary"),
    FieldRule("author", frozenset({ARTICLE})),
    FieldRule("image"),
    FieldRule("image_alt"),
    FieldRule("image_caption"),
    FieldRule("image_credit"),
    FieldRule("related", frozenset({ARTICLE}), is_list=True),
    FieldRule("featured", frozenset({ARTICLE})),
    FieldRule("status"),
    FieldRule("modified"),
    FieldRule("correction", frozenset({ARTICLE})),
    FieldRule("correction_date", frozenset({ARTICLE})),
)
STATUSES = {ARTICLE: ("published", "draft"), PAGE: ("published", "hidden", "draft")}
DEFAULT_STATUS = "published"  # a file without status:
DATE_FIELDS = ("date", "modified", "correction_date")
# Fields that are yes or no: the metadata holds True or False (the lead story: `featured`).
BOOLEAN_FIELDS = ("featured",)
BOOLEANS = {"true": True, "false": False}
# Slugs for tag and byline addresses: a value that gives none stops Pelican with a traceback.
SLUGGED = (("tags", "TAG_REGEX_SUBSTITUTIONS"), ("author", "AUTHOR_REGEX_SUBSTITUTIONS"))
MAX_LABEL = 100  # characters in a tag or byline (its address is a folder name)
MAX_TITLE = 200  # characters in a headline (a pasted paragraph is not one)
HTML_TAG_RE = re.compile(r"</?[A-Za-z!][^<>]*>")  # as a browser sees a tag: "< b>" is text
# Fields shown to readers as plain text: HTML in them is an editor's mistake or an attack.
PLAIN_TEXT = {"title": "the title", "author": "the byline (author)", "tags": "a tag",
              "image_alt": "the image's alt text", "image_caption": "the image's caption",
              "image_credit": "the image's credit", "correction": "the correction"}
SUMMARY_LINK_RE = re.compile(r"\]\(|\]\[|<[a-z][a-z0-9+.-]*:", re.I)
SUMMARY_BLOCK_RE = re.compile(r"^\s*(#{1,6}\s|[-*+]\s|\d+[.)]\s|>)")
POST_STEM_RE = re.compile(r"^\d{4}-\d{2}-\d{2}-(?=[a-z0-9])")  # a post's file name's date


def related_slug(value: str) -> str:
    """A `related:` value as a slug: a post's file name without `.md` (what the web
    editor's relation widget stores, Decap's entry `{{slug}}`) is read as the slug in it."""
    return POST_STEM_RE.sub("", value)


def is_embargoed(status: str, date: datetime.datetime | None, now: datetime.datetime) -> bool:
    """True for a post under embargo at the aware `now`: not a draft, dated after `now`. It
    goes live at the first build at or after its date (Pelican's WITH_FUTURE_DATES = False
    makes it a draft until then)."""
    return status != "draft" and date is not None and date > now


def allowed_fields(kind: str) -> list[str]:
    """The names of the fields a file of `kind` (ARTICLE or PAGE) may have, in table order."""
    return [rule.name for rule in FIELDS if kind in rule.kinds]


def check_fields(fields: dict[str, Field], kind: str, settings: dict, found: Findings) -> dict:
    """Validate `fields` of a file of `kind`; return its metadata (see module docstring)."""
    metadata, typos = _known_values(fields, kind, found)
    if metadata.get("related"):
        metadata["related"] = [related_slug(value) for value in metadata["related"]]
    title_line = fields["title"].line if "title" in fields else 2
    refused = set(fields) - set(metadata)  # already reported: not allowed here, or a list
    if not metadata.get("title") and not {"title"} & (typos | refused):
        found.error(title_line, "the title is missing or empty; add a line like: "
                    'title: "Pay award announced"')
    elif len(metadata.get("title") or "") > MAX_TITLE:
        found.error(title_line, f"the title is {len(metadata['title'])} characters; a "
                    f"headline is one line: keep it to {MAX_TITLE} or fewer (put the rest in "
                    "the summary or the story)")
    tz = site_timezone(settings)
    for key in DATE_FIELDS:
        if key in metadata:
            when, message = parse_date(metadata.get(key, ""), tz)
            if message:
                found.error(fields[key].line, message)
                metadata.pop(key, None)
            else:
                metadata[key] = when
    date, modified = metadata.get("date"), metadata.get("modified")
    if isinstance(date, datetime.datetime) and isinstance(
            modified, datetime.datetime) and modified < date:
        found.error(fields["modified"].line, "modified: is before date:; modified is when "
                    "a published post was last changed, so it cannot be earlier; correct one "
                    "of them, or remove modified:")
    check_correction(metadata, fields, typos, found)
    if kind == ARTICLE and "date" not in fields and "date" not in typos:
        found.error(2, "the date is missing; add a line like: date: 2025-04-02 09:30")
    _check_choice(metadata, fields, "status", list(STATUSES[kind]), found)
    _check_booleans(metadata, fields, found)
    _check_choice(metadata, fields, "category", settings.get("NEWS_CATEGORIES") or [], found)
    _check_plain_text(metadata, fields, found)
    _check_slugs(metadata, fields, settings, found)
    if "summary" in metadata:
        check_summary(metadata["summary"], fields["summary"].line, settings, found)
    check_image(metadata, fields, settings, found)
    return metadata


def _known_values(fields: dict[str, Field], kind: str, found: Findings) -> tuple[dict, set]:
    """Metadata from the fields `kind` allows, values stripped and lists split; returns it
    with the set of allowed names that misspelt field names probably meant."""
    allowed = allowed_fields(kind)
    lists = {rule.name for rule in FIELDS if rule.is_list}
    metadata: dict = {}
    typos: set = set()
    for key, field in fields.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            typos.update(close)
            hint = (f"did you mean '{close[0]}'?" if close
                    else "allowed fields are " + ", ".join(allowed))
            found.error(field.line, f"unknown field '{key}'; {hint}")
            continue
        value = field.value
        if isinstance(value, list) and key not in lists:
            found.error(field.line, f"field '{key}' must be plain text, not a list; remove "
                        "the [ ] or the - items")
            continue
        if key in lists and not isinstance(value, list):
            value = value.split(",")
        metadata[key] = ([v.strip() for v in value if v.strip()] if isinstance(value, list)
                         else value.strip())
    return metadata, typos


def _check_choice(metadata: dict, fields: dict, key: str, choices: list[str],
                  found: Findings) -> None:
    """`key` must be one of `choices` (if any): status, and the site's categories."""
    if key not in metadata or not choices or metadata[key] in choices:
        return
    value = metadata.pop(key)
    if key == "status":
        found.error(fields[key].line, f"status {value!r} is not allowed; use "
                    + " or ".join(choices))
        return
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'? " if close else ""
    found.error(fields[key].line, f"unknown {key} {value!r}; {hint}categories are "
                + ", ".join(choices))


def _check_booleans(metadata: dict, fields: dict, found: Findings) -> None:
    """Each `BOOLEAN_FIELDS` value is `true` or `false` (any case), made True or False; any
    other value is reported and left out."""
    for key in BOOLEAN_FIELDS:
        if key not in metadata:
            continue
        value = metadata.pop(key)
        if value.lower() in BOOLEANS:
            metadata[key] = BOOLEANS[value.lower()]
        else:
            found.error(fields[key].line, f"{key} {value!r} is not allowed; write "
                        f"{key}: true or {key}: false")


def _check_plain_text(metadata: dict, fields: dict, found: Findings) -> None:
    """The `PLAIN_TEXT` fields hold no HTML: a tag in a title or tag would be shown as code,
    or run (`<script>`, `onerror=`) where a template prints it as HTML. Such a value is
    reported; a tag or byline is also left out of the metadata, so the slug rules below do
    not report it a second time."""
    for key, label in PLAIN_TEXT.items():
        values = metadata.get(key)
        for value in values if isinstance(values, list) else [values] if values else []:
            tag = HTML_TAG_RE.search(value)
            if tag:
                found.error(fields[key].line, f"{label} contains HTML "
                            f"({tag.group(0)!r}); write plain text (the site sets how "
                            "it looks)")
                if key in dict(SLUGGED):
                    metadata[key] = ([v for v in values if v != value]
                                     if isinstance(values, list) else "")


def _check_slugs(metadata: dict, fields: dict, settings: dict, found: Findings) -> None:
    """A tag or byline must give an address (an emoji-only one gives none) that is a short
    folder name (a 500-character tag stopped Pelican: file name too long, 255 bytes)."""
    for key, setting in SLUGGED:
        subs = (settings.get(setting) or settings.get("SLUG_REGEX_SUBSTITUTIONS")
                or DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
        values = metadata.get(key) or []
        for value in values if isinstance(values, list) else [values]:
            if not slugify(value, regex_subs=subs):
                found.error(fields[key].line, f"{key} {value!r} has no letters or digits to "
                            "make its address from; write it in words")
            elif len(value) > MAX_LABEL:
                found.error(fields[key].line, f"{key} '{value[:30]}...' is {len(value)} "
                            f"characters; a tag or name is a short label, keep it to "
                            f"{MAX_LABEL} or fewer")


def check_summary(summary: str, line: int, settings: dict, found: Findings) -> None:
    """The summary (standfirst) is plain text of at most `NEWS_SUMMARY_MAX_LENGTH` characters.

    Templates output it as HTML (Pelican converts it with Markdown), so a tag in it, a link
    (a [text](javascript:...) one would run), or a leading `#`, `-`, `1.` or `>` that
    Markdown turns into a heading, list or quote would change the page around it.
    """
    limit = settings.get("NEWS_SUMMARY_MAX_LENGTH")
    if limit and len(summary) > limit:
        found.error(line, f"the summary is {len(summary)} characters; keep the standfirst to "
                    f"{limit} or fewer")
    tag = HTML_TAG_RE.search(summary)
    if tag:
        found.error(line, f"the summary contains HTML ({tag.group(0)!r}), which can break the "
                    "page; write plain text (*asterisks* give emphasis)")
    elif attr_list_problems(summary):
        found.error(line, "the summary contains an attribute list {: ... }; remove it (the "
                    "standfirst is plain text)")
    elif SUMMARY_LINK_RE.search(summary):
        found.error(line, "the summary contains a link; keep the standfirst plain text and "
                    "put the link in the story")
    elif SUMMARY_BLOCK_RE.match(summary):
        found.error(line, f"the summary starts with {summary.split()[0]!r}, which makes it a "
                    "heading, list or quote; start it with a word")


def check_image(metadata: dict, fields: dict, settings: dict, found: Findings) -> None:
    """The hero image is a picture under PATH/images/ and has alt text (WCAG 2.2 success
    criterion 1.1.1); `image_caption` and `image_credit` (shown under it) need an image.

    `image` is normalised to a site-relative path (`images/x.jpg`); `{static}` and a leading
    `/` are accepted because Pelican does not resolve them in metadata (Pelican #1531).
    """
    if "image" not in metadata:
        if "image_alt" in metadata:
            found.warning(fields["image_alt"].line,
                          "image_alt is given but there is no image; remove it")
        for key in ("image_caption", "image_credit"):  # shown under the hero: none to show
            if key in metadata:
                found.error(fields[key].line, f"{key} is given but there is no image; add "
                            "image: images/<file name>, or remove it")
        return
    image = re.sub(r"^\{static\}", "", metadata["image"]).lstrip("/")
    metadata["image"] = image
    line, root = fields["image"].line, settings["PATH"]
    where = f"{display_path(root)}/images/"
    parts = image.split("/")
    # a picture the web editor holds but has not saved yet (newsroom/editor_check.py)
    file = (settings.get("NEWS_PENDING_IMAGES") or {}).get(image) or os.path.join(root, image)
    if parts[0] != "images" or len(parts) < 2 or ".." in parts or "" in parts:
        # only content/images/ is published as images; ".." would reach outside content/
        found.error(line, f"image {image!r} is not a file in {where}; put the file there and "
                    "write image: images/<file name>")
    elif not os.path.isfile(file):
        found.error(line, f"image {image!r} does not exist; put the file in {where} and write "
                    "image: images/<file name>")
    elif problem := picture_problem(file):
        found.error(line, f"image {image!r}: {problem}")
    elif warning := size_warning(file):
        found.warning(line, f"image {image!r}: {warning}")
    if not metadata.get("image_alt"):
        found.error(line, "the image has no alt text; add image_alt: with what the picture "
                    "shows (WCAG 2.2 success criterion 1.1.1)")
