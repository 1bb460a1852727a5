"""Links in a post: they must lead somewhere for every reader, in the page and in feeds.

- A `{filename}` link names a post or page that exists and is live no later than the
  linking post: Pelican writes `href="/"` for a link to a draft or an embargoed post, and
  only a line-less warning for a missing one.
- A `{static}` (or `{attach}`) link names a file that exists, and a link marker is one
  Pelican knows (a mistyped `{filenmae}` would go out as written); an image shown with one
  follows the hero image's rules (`newsroom.images.picture_problem`).
- A relative link (`/contact/`, `../x`) in a post is an error: Pelican leaves it relative in
  the Atom and RSS feeds, where it leads nowhere (Pelican #812, #1640).
- Each slug in `related:` names a post (in any status: related posts leave out drafts and
  embargoed posts until they are published, so those are not errors).

`check_links` needs to read the linked files; it gets them from `read` (normally
`newsroom.source.read`, which reads each file once per process).
"""

from __future__ import annotations

import datetime
import difflib
import os
import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from .body import body_lines
from .dates import format_moment
from .fields import is_embargoed, related_slug
from .images import picture_problem, size_warning
from .layout import MARKDOWN_EXTENSIONS, Layout
from .markdown_inline import QUOTES
from .problems import Findings, display_path

# A Markdown link's opening: `](`, then an optional `<` or quote (Word makes it curly;
# newsroom.markdown_inline reads the address inside the quotes).
OPENING = rf"\]\(\s*[<{QUOTES}]?"
HTML_OPENING = r"""\b(?:href|src)\s*=\s*["']?"""
LINK_RE = re.compile(r"[{|](?P<what>filename|static|attach)[}|]"
                     rf"(?P<target>[^\s)\"'>\]{QUOTES}]+)")
# a Markdown link or image target, or an HTML href/src, that is neither absolute
# (scheme: or //), nor a fragment, nor one of Pelican's {filename}/{static} links
RELATIVE_LINK_RE = re.compile(rf"(?:{OPENING}|{HTML_OPENING})"
                              r"(?P<target>(?![a-z][a-z0-9+.-]*:|//|#|\{|\|)"
                              rf"""[^\s)"'>{QUOTES}]+)""", re.I)
# What comes just before a link target that is shown as an image
IMAGE_BEFORE_RE = re.compile(rf"""(?:!\[[^\]]*{OPENING}|<img\b[^>]*\bsrc\s*=\s*["']?)$""",
                             re.I)
# A Pelican link marker as a link target (`](`, `href=`, `src=`): `{filename}`, `|static|`...
MARKER_RE = re.compile(rf"(?:{OPENING}|{HTML_OPENING})" r"[{|](?P<what>[A-Za-z_]+)[}|]")
# The markers Pelican replaces (pelican/contents.py, _link_replacer); any other one stays in
# the page as written, after a warning without a line.
PELICAN_MARKERS = ("filename", "static", "attach", "category", "tag", "author", "index")
SLUG_ADVICE = "write the slug of a post: its file name without the date and .md"


def live_moment(status: str, date: datetime.datetime | None, now: datetime.datetime):
    """When a document goes live: None for a draft, else its date (or `now` if it has none)."""
    return None if status == "draft" else (date or now)


def unpublished_reason(target, source_live: datetime.datetime,
                       now: datetime.datetime) -> str | None:
    """Say why a link from a document live at `source_live` to the ParsedFile `target`
    would not work, or None if it works."""
    if target.status == "draft":
        return f"{display_path(target.path)} is a draft; publish it first or remove the link"
    when = target.metadata.get("date")
    if is_embargoed(target.status, when, now) and when > source_live:
        return (f"{display_path(target.path)} is embargoed until {format_moment(when)}, after "
                "this post goes live; remove the link or give this post a later date")
    return None


def _missing_post_hint(resolved: str, layout: Layout) -> str:
    """Advice for a `{filename}` link to no file: the closest post name, if any."""
    folder = os.path.dirname(resolved)
    names = os.listdir(folder) if os.path.isdir(folder) else []
    by_slug = {layout.post_slug(n) or n: n for n in names}
    wanted = layout.post_slug(resolved) or os.path.basename(resolved)
    close = difflib.get_close_matches(wanted, by_slug, n=1)
    if close:
        return f"did you mean {{filename}}{by_slug[close[0]]}?"
    return ("write {filename} and the post's file name, e.g. {filename}2025-07-29-pay-award.md, "
            "or for a page {filename}../pages/contact.md")


def check_links(parsed, layout: Layout, now: datetime.datetime, read: Callable,
                found: Findings) -> None:
    """Check every link in the body of the ParsedFile `parsed` (see the module docstring)."""
    source_live = live_moment(parsed.status, parsed.metadata.get("date"), now)
    for number, text in body_lines(parsed.body_lines, parsed.body_line):
        for m in RELATIVE_LINK_RE.finditer(text) if parsed.kind == "article" else ():
            found.error(number, f"the link {m.group('target')!r} would be broken in feed "
                        "readers; link to a post or page with {filename} and its file (e.g. "
                        "{filename}../pages/contact.md), to a file with {static}, or write "
                        "the full https:// address")
        for m in MARKER_RE.finditer(text):
            if m.group("what") not in PELICAN_MARKERS:
                close = difflib.get_close_matches(m.group("what"), PELICAN_MARKERS, n=1)
                found.error(number, f"the link marker {{{m.group('what')}}} is not one Pelican "
                            "knows; write {filename} before a post's file or {static} before "
                            "another file" + (f" (did you mean {{{close[0]}}}?)" if close else ""))
        for m in LINK_RE.finditer(text):
            message = _link_problem(m, parsed.path, layout, source_live, now, read)
            if message:
                found.error(number, message)
            elif IMAGE_BEFORE_RE.search(text[:m.start()]):
                _check_picture(m, parsed.path, layout, number, found)


def _check_picture(m: re.Match, path: str, layout: Layout, number: int,
                   found: Findings) -> None:
    """An image shown in the body (`![alt]({static}...)`, `<img src>`) follows the hero's
    rules (`newsroom.images`): a whole picture in a web format, warned when large."""
    target = unquote(urlsplit(m.group("target")).path)
    base = layout.root if target.startswith("/") else os.path.dirname(path)
    resolved = os.path.normpath(os.path.join(base, target.lstrip("/")))
    link = f"{{{m.group('what')}}}{m.group('target')}"
    if problem := picture_problem(resolved):
        found.error(number, f"the image {link}: {problem}")
    elif warning := size_warning(resolved):
        found.warning(number, f"the image {link}: {warning}")


def resolve_target(written: str, path: str, layout: Layout) -> str:
    """The file a link target `written` after `{filename}`/`{static}` in the file `path`
    names: from the content folder if it starts with "/", else from the file's folder
    (Pelican's rule); query, fragment and %-escapes removed. It may not exist."""
    target = unquote(urlsplit(written).path)
    base = layout.root if target.startswith("/") else os.path.dirname(path)
    return os.path.normpath(os.path.join(base, target.lstrip("/")))


def static_uses(parsed, layout: Layout) -> set[str]:
    """The absolute paths of the files the ParsedFile `parsed` puts in its page: its hero
    `image:` (a path under `PATH`) and every `{static}`/`{attach}` link target in its body
    (existing or not; `check_links` reports the missing ones)."""
    used = set()
    if parsed.metadata.get("image"):
        used.add(os.path.abspath(os.path.join(layout.root, parsed.metadata["image"])))
    for _number, text in body_lines(parsed.body_lines, parsed.body_line):
        for m in LINK_RE.finditer(text):
            if m.group("what") != "filename":
                used.add(os.path.abspath(resolve_target(m.group("target"), parsed.path,
                                                        layout)))
    return used


def _link_problem(m: re.Match, path: str, layout: Layout, source_live, now, read) -> str | None:
    """The problem with one `{filename}`/`{static}` link match in the file `path`, if any."""
    what, written = m.group("what"), m.group("target")
    resolved = resolve_target(written, path, layout)
    link = f"{{{what}}}{written}"
    if not os.path.isfile(resolved):
        if what == "filename":
            return f"the link {link} points to no post; {_missing_post_hint(resolved, layout)}"
        return (f"the link {link} points to no file; put the file in "
                f"{layout.display('images')}/ and write {{static}}/images/<file name>")
    if what != "filename":
        return None
    if not resolved.endswith(MARKDOWN_EXTENSIONS):
        return f"the link {link} is to a file, not a post; write {{static}}{written}"
    if source_live is None:
        return None
    reason = unpublished_reason(read(resolved), source_live, now)
    return f"the link {link} would not work: {reason}" if reason else None


def check_related(parsed, layout: Layout, found: Findings) -> None:
    """Every slug in the `related:` field of the ParsedFile `parsed` names a post."""
    slugs = parsed.metadata.get("related")
    field = parsed.fields.get("related")
    if not slugs or field is None:
        return
    posts = layout.posts_by_slug()
    values = [related_slug(v.strip()) for v in field.value] if field.item_lines else []
    for slug in slugs:
        if slug in posts:
            continue
        close = difflib.get_close_matches(slug, sorted(posts), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else SLUG_ADVICE
        line = field.item_lines[values.index(slug)] if field.item_lines else field.line
        found.error(line, f"related: no post has the slug '{slug}'; {hint}")
