"""List the posts that are not live: drafts, and scheduled (embargoed) posts with the moment
each goes live. What `make status` runs.

Usage: python -m newsroom.status [--settings pelicanconf.py] [--preview-settings previewconf.py]
       [--preview-url http://127.0.0.1:8000/] [--at "2026-11-30 12:00"] [CONTENT_DIR]

A scheduled post is one with `status: published` (or none) and a date after now; it goes
live at the first build at or after its date (in `TIMEZONE`, Europe/London), e.g. the scheduled
`make deploy` (docs/editing.md). Times are shown as "Thu 14 January 2027 09:00 GMT".
Drafts and scheduled posts are written only by `make devserver`, at the preview address
shown. Files with errors are listed last: they are not published at all until fixed.
`--at` shows the state at another moment (local time). Reads files only; exit status 0.
"""

from __future__ import annotations

import argparse
import datetime
import sys

from pelican.settings import read_settings

from .dates import format_moment, parse_date, site_timezone
from .fields import is_embargoed
from .layout import Layout
from .problems import display_path
from .source import parse_file


def not_live(content_dir: str, settings: dict, now: datetime.datetime) -> dict:
    """Sort the posts of `content_dir` that are not live at aware `now`.

    Returns {"drafts": [ParsedFile], "scheduled": [ParsedFile] (soonest first),
    "errors": [ParsedFile]}.
    """
    settings = {**settings, "PATH": content_dir}
    found: dict = {"drafts": [], "scheduled": [], "errors": []}
    for path in Layout(settings).post_files():
        parsed = parse_file(path, settings, now=now, check_links=False)
        if parsed.errors:
            found["errors"].append(parsed)
        elif parsed.status == "draft":
            found["drafts"].append(parsed)
        elif is_embargoed(parsed.status, parsed.metadata["date"], now):
            found["scheduled"].append(parsed)
    found["scheduled"].sort(key=lambda p: p.metadata["date"])
    return found


def preview_address(parsed, layout: Layout, draft_url: str, base: str) -> str:
    """The devserver address of a draft or scheduled post (`DRAFT_URL` of the preview
    settings, relative to `base`)."""
    slug = layout.post_slug(parsed.path)
    return base + draft_url.format(slug=slug, date=parsed.metadata.get("date"))


def report(content_dir: str, settings: dict, now: datetime.datetime, draft_url: str,
           base: str) -> list[str]:
    """Return the lines `make status` prints (see the module docstring)."""
    tz = site_timezone(settings)
    layout = Layout({**settings, "PATH": content_dir})
    found = not_live(content_dir, settings, now)
    lines = [f"As of {format_moment(now, tz)}:", ""]

    def post_line(parsed) -> str:
        title = parsed.metadata.get("title", "")
        where = preview_address(parsed, layout, draft_url, base) if draft_url else ""
        return f"  {display_path(parsed.path)}  \"{title}\"  {where}".rstrip()

    lines.append(f"Drafts ({len(found['drafts'])}): never published; seen only in "
                 "make devserver")
    lines += [post_line(p) for p in found["drafts"]] or ["  none"]
    lines += ["", f"Scheduled ({len(found['scheduled'])}): each goes live at the first "
              "build at or after its time"]
    for parsed in found["scheduled"]:
        lines.append(f"  {format_moment(parsed.metadata['date'], tz)}")
        lines.append(post_line(parsed))
    if not found["scheduled"]:
        lines.append("  none")
    if found["errors"]:
        lines += ["", f"Not published because of errors ({len(found['errors'])}): "
                  "run make check"]
        lines += [f"  {display_path(p.path)}" for p in found["errors"]]
    return lines


def main(argv: list[str] | None = None) -> int:
    """`make status`: see the module docstring. Returns the exit status."""
    parser = argparse.ArgumentParser(prog="status", description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", default="content")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--preview-settings", default="previewconf.py")
    parser.add_argument("--preview-url", default="http://127.0.0.1:8000/")
    parser.add_argument("--at", default="", help="local time, YYYY-MM-DD HH:MM")
    args = parser.parse_args(argv)
    settings = read_settings(args.settings)
    tz = site_timezone(settings)
    now = datetime.datetime.now(tz)
    if args.at:
        now, message = parse_date(args.at, tz)
        if message:
            print(f"status: error: --at: {message}", file=sys.stderr)
            return 1
    draft_url = read_settings(args.preview_settings).get("DRAFT_URL", "")
    for line in report(args.content, settings, now, draft_url, args.preview_url):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
