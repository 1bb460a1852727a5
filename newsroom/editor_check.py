"""The content check as the web editor shows it: on the entry being edited, before it is
saved, with each message under the name of the field it is about.

The editor (editor/editor.js) sends what Decap holds for an entry: the collection
(`news`, `pages` or `site`), the entry's path if it has been saved before, and its data as
JSON (the fields by name; `body`, the Markdown story). `check_entry` writes that data as a
file in memory (`entry_text`: one line per field, in `FIELDS` order, values quoted as
JSON strings, which YAML reads as the same text), runs the same check `make check` runs on
it (`newsroom.source.check_text`, or `newsroom.sitedata.parse_site_data` for the site
data) under the path the file will have, and returns the problems as dicts
`{"field", "label", "level", "message"}` for the panel, plus the path and one line saying
whether the post is a draft, scheduled (with when it goes live, UK time) or live.

A new entry's path is the one Decap will give it: `content/news/YYYY-MM-DD-<slug>.md`
with the day of its `date` and `decap_slug` of its headline (Decap 3.16's
`prepareSlug` + `sanitizeSlug` with the `slug:` settings of `newsroom.cms`), so a headline
that gives an address the site refuses is reported before the file exists.

Nothing is written. Raises nothing for bad content; `KeyError` for an unknown collection.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import unicodedata

import yaml

from . import source
from .cms import BODY, WIDGETS, site_data_fields
from .dates import format_moment, parse_date, site_timezone
from .fields import ARTICLE, PAGE, allowed_fields, is_embargoed
from .layout import Layout
from .problems import ERROR, Problem, display_path
from .sitedata import parse_site_data

KINDS = {"news": ARTICLE, "pages": PAGE}
REQUIRED = ("title", "date")  # written even when empty, so the check names their line
URI_CHAR_RE = re.compile(r"[A-Za-z0-9_.~-]")  # Decap's `uriChars` (\w is ASCII in JS)
# Letters Unicode does not decompose that Decap's `diacritics` package still maps.
LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l",
                         "þ": "th", "ð": "d", "ı": "i"})


def decap_slug(title: str) -> str:
    """The `{{slug}}` Decap makes of `title` (see the module docstring)."""
    text = title.strip().lower().replace("'", "").replace(".", "-").translate(LETTERS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    text = "".join(c if URI_CHAR_RE.fullmatch(c) else "-" for c in text)
    return re.sub(r"-+", "-", text).strip("-")


def intended_path(settings: dict, collection: str, path: str | None, data: dict) -> str:
    """The absolute path of the entry's file: `path` (repository-relative) if it has one,
    else the one Decap will write (module docstring); a taken name gets Decap's `-1`."""
    if path:
        return os.path.abspath(path)
    slug = decap_slug(str(data.get("title") or ""))
    if collection == "news":
        day = str(data.get("date") or "")[:10] or datetime.date.today().isoformat()
        stem, folder = f"{day}-{slug}", "news"
    else:
        stem, folder = slug, "pages"
    base = os.path.join(os.path.abspath(settings["PATH"]), folder, stem)
    name, n = base, 0
    while os.path.exists(name + ".md"):
        n += 1
        name = f"{base}-{n}"
    return name + ".md"


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(str(value), ensure_ascii=False)


def entry_text(kind: str, data: dict) -> tuple[str, dict[int, str]]:
    """The file `data` makes (module docstring) and, for each of its lines, the field it
    belongs to (`body` for the story)."""
    names = allowed_fields(kind)
    required = [k for k in REQUIRED if k in names]
    keys = [k for k in names if k in data or k in required] + [
        k for k in data if k not in names and k != "body"]
    lines, owner = ["---"], {}
    for key in keys:
        value = data.get(key)
        if (value is None or value == "" or value == []) and key not in required:
            continue  # Decap writes no empty optional field
        value = "" if value is None else value
        owner[len(lines) + 1] = key
        if isinstance(value, list):
            lines.append(f"{key}:")
            for item in value:
                owner[len(lines) + 1] = key
                lines.append(f"  - {_scalar(item)}")
        else:
            lines.append(f"{key}: {_scalar(value)}")
    lines.append("---")
    body = str(data.get("body") or "").splitlines()
    for number in range(len(lines) + 1, len(lines) + len(body) + 1):
        owner[number] = "body"
    return "\n".join([*lines, *body]) + "\n", owner


def _label(field: str) -> str:
    if field == "body":
        return BODY["label"]
    return WIDGETS.get(field, {}).get("label") or {
        f["name"]: f["label"] for f in site_data_fields()}.get(field, "The file")


def _moment(kind: str, data: dict, settings: dict, now: datetime.datetime) -> str:
    """One line: draft, scheduled (when it goes live) or published."""
    status = str(data.get("status") or "published")
    if status in ("draft", "hidden"):
        return ("Draft: not on the site. Set Status to Published when it is ready."
                if status == "draft" else "Hidden: on the site, but not in its menus.")
    when, _ = parse_date(str(data.get("date") or ""), site_timezone(settings))
    if kind == ARTICLE and when and is_embargoed(status, when, now):
        return (f"Scheduled: goes live at the first build after {format_moment(when)}. "
                "Until then it is not on the site, in its feeds or in search.")
    return "Published: on the site after the next build."


def check_entry(settings: dict, collection: str, path: str | None, data: dict,
                now: datetime.datetime | None = None, pending: dict | None = None) -> dict:
    """What the panel shows for the entry (module docstring): a dict with `path`
    (repository-relative), `problems` (dicts), `errors` (their count) and `moment`.
    `pending` maps a picture Decap holds until the save (`images/<name>`) to a copy of
    its bytes, checked in its place (the setting `NEWS_PENDING_IMAGES`)."""
    now = now or datetime.datetime.now(datetime.UTC)
    settings = {**settings, "NEWS_PENDING_IMAGES": pending or {}}
    if collection == "site":
        return _check_site_data(settings, data)
    kind = KINDS[collection]
    where = intended_path(settings, collection, path, data)
    text, owner = entry_text(kind, data)
    parsed = source.check_text(where, settings, text.encode("utf-8"), now=now)
    problems = list(parsed.problems)
    slug = Layout(settings).post_slug(where) if kind == ARTICLE else None
    other = Layout(settings).posts_by_slug().get(slug) if slug else None
    if other and os.path.abspath(other) != where:
        problems.append(Problem(where, 2, ERROR, f"another post, {display_path(other)}"
                                       f", has the address '{slug}'; change the headline"))
    body_start = min((n for n, f in owner.items() if f == "body"), default=0)
    found = []
    for problem in problems:
        field = owner.get(problem.line, "title" if problem.line <= 2 else "body")
        message = problem.message
        if problem.line == 1 and message.startswith("file name") and not path:
            if not data.get("title"):
                continue  # the missing headline is reported; it gives the name
            message = (f"the headline gives the file name {os.path.basename(where)!r}, "
                       "which cannot be an address; use letters, digits and spaces in it")
        if field == "body" and body_start:
            message = f"line {problem.line - body_start + 1} of the story: {message}"
        found.append({"field": field, "label": _label(field), "level": problem.level,
                      "message": message})
    return {"path": display_path(where), "problems": found,
            "errors": sum(p["level"] == "error" for p in found),
            "moment": _moment(kind, data, settings, now)}


def _check_site_data(settings: dict, data: dict) -> dict:
    """`check_entry` for the site data file (contact details, quick links, follow links)."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    _, problems = parse_site_data(text)
    tops = [(n + 1, line.split(":", 1)[0]) for n, line in enumerate(text.splitlines())
            if line and not line[0].isspace() and ":" in line]
    found = []
    for problem in problems:
        field = next((name for n, name in reversed(tops) if n <= problem.line), "contact")
        found.append({"field": field, "label": _label(field), "level": "error",
                      "message": str(problem)})
    return {"path": settings["NEWS_SITE_DATA"], "problems": found, "errors": len(found),
            "moment": "Shown on every page of the site after the next build."}
