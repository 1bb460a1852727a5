"""Create a new draft post with complete front matter: what `make new` runs.

Usage: python -m newsroom.new --title "Pay award announced" [--category Pay]
       [--date "2025-04-02 09:30"] [--slug pay-award] [--settings pelicanconf.py] [CONTENT_DIR]

Writes `CONTENT_DIR/news/<YYYY-MM-DD>-<slug>.md` (status draft) and prints its path. The
date is read by the site's strict rules (`newsroom.dates.parse_date`, in `TIMEZONE`) and
defaults to now, to the minute. Refuses, with a message and exit status 1, never
overwriting anything: an existing file or slug, a title that gives no usable slug, an
unknown category, a date that is not accepted.

Slugs (the post's address) come from Pelican's own `pelican.utils.slugify` with the
site's `SLUG_REGEX_SUBSTITUTIONS`, the function Pelican uses for category and tag slugs,
which transliterates with Unidecode (both already Pelican dependencies; python-slugify
would add a package for the same result). Before it: `&` becomes "and", `%` "percent",
and currency signs are dropped, so "£1,000" gives "1000" (Unidecode alone gives "ps1000").
Welsh letters lose only their accents: "Ŵyl" gives "wyl", "â" gives "a". Slugs are cut at
a word boundary to at most `MAX_SLUG` characters.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
import unicodedata

from pelican.settings import read_settings
from pelican.utils import slugify

from .body import PLACEHOLDER
from .dates import parse_date, site_timezone
from .layout import Layout
from .problems import display_path

MAX_SLUG = 60
TEMPLATE = """---
title: {title}
date: {date}
category: {category}
status: draft
# Optional fields: delete the "# " at the start of a line to use one.
# summary: "The standfirst: one or two sentences under the headline, at most 300 characters."
# tags: [pay, PRB]
# author: Your Name
# image: images/file-name.jpg
# image_alt: "What the picture shows, for someone who cannot see it"
# image_caption: "A line under the picture, saying what it shows and where"
# image_credit: "Who took the picture"
# related: [slug-of-another-post]
# featured: true
---

{placeholder} Leave a blank line between paragraphs.
"""


class Refused(Exception):
    """The post cannot be created; the message says why and what to do."""


def make_slug(title: str, regex_subs) -> str:
    """Return the slug for `title`: lower-case ASCII letters and digits joined by hyphens.

    `regex_subs` is Pelican's `SLUG_REGEX_SUBSTITUTIONS`. Returns "" when nothing usable is
    left (a title of emoji or punctuation only).
    """
    text = title.replace("&", " and ").replace("%", " percent ")
    text = "".join(c for c in text if unicodedata.category(c) != "Sc")
    slug = slugify(text, regex_subs=regex_subs)
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:MAX_SLUG]
    return slug


def yaml_quote(text: str) -> str:
    """Return `text` as a YAML double-quoted scalar (backslash and quote escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_post(content_dir: str, settings: dict, title: str, category: str = "",
             date: str = "", slug: str = "", now: datetime.datetime | None = None) -> str:
    """Create the post file and return its path. Raises `Refused` without writing anything."""
    title = " ".join(title.split())
    if not title:
        raise Refused('the title is empty; give one: make new TITLE="Pay award announced"')
    if any(unicodedata.category(c) == "Cc" for c in title):
        raise Refused("the title contains a control character; type it again")
    tz = site_timezone(settings)
    if not date:
        date = (now or datetime.datetime.now(tz)).astimezone(tz).strftime("%Y-%m-%d %H:%M")
    when, message = parse_date(date, tz)
    if message:
        raise Refused(f"DATE: {message}")
    date = date.strip()

    categories = settings.get("NEWS_CATEGORIES") or []
    category = category.strip() or settings.get("DEFAULT_CATEGORY") or ""
    match = [c for c in categories if c.lower() == category.lower()]
    if categories and not match:
        raise Refused(f"unknown category {category!r}; use one of " + ", ".join(categories))
    category = match[0] if match else category

    slug = slug.strip() or make_slug(title, settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
    if not slug:
        raise Refused(f"the title {title!r} gives no usable address (slug); add one in "
                      "plain words: make new TITLE=... SLUG=words-for-the-address")
    layout = Layout({**settings, "PATH": content_dir})
    path = layout.post_file(when, slug)
    if not layout.strict_post_name(os.path.basename(path)):
        raise Refused(f"slug {slug!r} must be lower-case letters, digits and hyphens, "
                      "e.g. SLUG=pay-award")
    existing = layout.posts_by_slug().get(slug)
    if existing:
        raise Refused(f"{display_path(existing)} already uses the address "
                      f"{slug!r}; choose another with SLUG=... (nothing was written)")

    text = TEMPLATE.format(title=yaml_quote(title), date=date, category=category,
                           placeholder=PLACEHOLDER)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        raise Refused(f"{display_path(path)} already exists; nothing was "
                      "written") from None
    return path


def main(argv: list[str] | None = None) -> int:
    """`make new`: see the module docstring. Returns the exit status (1 if refused)."""
    parser = argparse.ArgumentParser(prog="new", description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", default="content")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--title", default="")
    parser.add_argument("--category", default="")
    parser.add_argument("--date", default="")
    parser.add_argument("--slug", default="")
    args = parser.parse_args(argv)
    settings = read_settings(args.settings)
    try:
        path = new_post(args.content, settings, args.title, args.category, args.date, args.slug)
    except Refused as exc:
        print(f"new: error: {exc}", file=sys.stderr)
        return 1
    print(display_path(path))
    print("new: a draft; write the story, then run make check and make devserver to see it",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
