"""Article pages the last build wrote, kept when nothing they show has changed (issue 11:
"rebuild only what changed").

An article page (or a draft's) is rendered from the article, the other articles it shows
(neighbours, related posts, by their list fields), the site-wide context (settings, site
data, categories, pages, assets) and the theme. `PageMemo.key` digests all of these:
- `site`: the content cache's version (our code, the packages, the reading settings), the
  theme's templates (and `THEME_TEMPLATES_OVERRIDES`), every context value but the article
  lists, the static files' paths, and every article's and page's attributes except its
  body (`_content`), with its `summary` and its pictures (`hero`, `body_pictures`: paths,
  sizes, alt, caption, credit); so a new title, date, tag, picture or standfirst
  anywhere changes every article page's key;
- the page itself: its output name, template, arguments and the article's attributes with
  its body.
A value of a type it does not know (`_stable` returns None) makes the page unkeyed: it is
always rendered. `build_date` counts by its year when the theme uses only
`build_date.year` (the footer), else whole.

`PageMemo.reuse(name, key)` hard-links the last build's file (and its `.gz`/`.br`/`.zst`
copies; `newsroom.compress` compares them, PRECOMPRESS_OVERWRITE = True) into the new
output when the memo file recorded that key for that name and the file still has the
recorded inode, size and modification time; the build never writes into those files, so
the last output stays as it was. The memo lives in the content cache's version folder,
one file per output folder; without a cache or a last output (`NEWS_PREVIOUS_OUTPUT`:
`newsroom.build` sets it to the output folder the build will replace, which may not exist
yet), nothing is reused. tests/build/test_incremental.py builds each
edit into the same folder and compares the tree with an uncached build's.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import os
import re
import zoneinfo
from pathlib import Path

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from . import cache, kept
from .assets import AssetUrls
from .compress import COMPRESSED_SUFFIXES
from .images import Picture

# Context values the site key leaves out: the article lists (each article is digested on
# its own), the static files (counted by their paths), values Pelican changes while it
# writes, and the staging folder's name (new in every build; no template shows it).
LISTS = {"articles", "dates", "drafts", "hidden_articles", "translations",
         "hidden_translations", "drafts_translations", "pages", "hidden_pages", "draft_pages",
         "generated_content", "static_content", "static_links", "staticfiles", "localsiteurl",
         "output_file", "page_name", "OUTPUT_PATH", "NEWS_PREVIOUS_OUTPUT"}
SKIPPED_ATTRIBUTES = {"settings", "_context"}
YEAR_ONLY_RE = re.compile(r"build_date(?!\.year\b)")
JINJA_COMMENT_RE = re.compile(r"\{#.*?#\}", re.S)


def _stable(value, depth: int = 0):
    """A text for `value` that is the same in every process for equal values, or None
    for a value of a type not known here. Articles and pages stand for their source file,
    categories, tags and authors for their name, the `asset_url` function for its table, a
    picture (`newsroom.images.Picture`: a hero, a body picture) for all its fields."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return repr(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, Content):
        return f"<{value.source_path}>"
    if isinstance(value, URLWrapper):
        return f"<{type(value).__name__} {value.name}>"
    if isinstance(value, zoneinfo.ZoneInfo):
        return f"<time zone {value.key}>"
    if isinstance(value, AssetUrls):
        return f"<assets {_stable(value.paths)}>"
    if isinstance(value, Picture):  # frozen, of text, numbers and tuples: its repr is stable
        return repr(value)
    if depth > 6:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        parts = [_stable(v, depth + 1) for v in value]
        if None in parts:
            return None
        return "[" + ",".join(sorted(parts) if isinstance(value, (set, frozenset))
                              else parts) + "]"
    if isinstance(value, dict):
        parts = [(_stable(k, depth + 1), _stable(v, depth + 1)) for k, v in value.items()]
        if any(None in pair for pair in parts):
            return None
        return "{" + ",".join(f"{k}:{v}" for k, v in sorted(parts)) + "}"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return None


def _attributes(content, with_body: bool):
    """`_stable` of an article's or page's attributes (None if one is unknown)."""
    values = {k: v for k, v in vars(content).items()
              if k not in SKIPPED_ATTRIBUTES and (with_body or k != "_content")}
    values["summary()"] = content.summary if hasattr(content, "summary") else None
    return _stable(values)


def _templates_digest(folders: list[str]) -> tuple[str, bool]:
    """SHA-256 of the template files under `folders` (names and bytes), and whether they
    use `build_date` only as `build_date.year`."""
    digest, year_only = hashlib.sha256(), True
    for path in sorted(p for folder in folders for p in Path(folder).rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            digest.update(f"{path}\0".encode() + data + b"\0")
            code = JINJA_COMMENT_RE.sub("", data.decode("utf-8", "replace"))
            year_only = year_only and not YEAR_ONLY_RE.search(code)
    return digest.hexdigest(), year_only


class PageMemo:
    """The memo of one build into `output` (see the module docstring), or an inert one
    (`active` False) without a content cache or a last output."""

    def __init__(self, output: str, settings: dict):
        self.output = os.path.abspath(output)
        self.previous = settings.get("NEWS_PREVIOUS_OUTPUT") or ""
        store = cache.open_cache(settings)
        self.active = bool(store and self.previous and os.path.isdir(self.previous))
        self.site: str | None = None
        self.last: dict[str, list] = {}
        self.recorded: dict[str, str] = {}
        self.file = ""
        if not store or not self.previous:
            return
        self.file = kept.record_file(store, "pages", self.previous)
        self.version = os.path.basename(store.folder)
        self.templates = [os.path.join(settings["THEME"], "templates"),
                          *(settings.get("THEME_TEMPLATES_OVERRIDES") or [])]
        if self.active:
            self.last = kept.read_record(self.file)

    def _site_key(self, context: dict) -> str | None:
        templates, year_only = _templates_digest(self.templates)
        values = {k: v for k, v in context.items() if k not in LISTS}
        if year_only and isinstance(values.get("build_date"), datetime.datetime):
            values["build_date"] = values["build_date"].year
        digest = hashlib.sha256()  # part by part: the whole text would be megabytes at once
        lists = ("articles", "drafts", "hidden_articles", "translations", "pages",
                 "hidden_pages", "draft_pages")
        parts = itertools.chain(
            [self.version, templates, _stable(values),
             _stable(sorted(context.get("static_content") or {}))],
            (_attributes(c, with_body=False) for key in lists for c in context.get(key) or []))
        for part in parts:
            if part is None:
                return None
            digest.update(part.encode() + b"\0")
        return digest.hexdigest()

    def key(self, name: str, template, context: dict, args: tuple, kwargs: dict) -> str | None:
        """The key of the page `name` written with these `Writer.write_file` arguments, or
        None if it has none (not an article page, or a value not known)."""
        article = kwargs.get("article")
        if not isinstance(article, Content) or kwargs.get("paginated") or not self.file:
            return None
        if self.site is None:
            self.site = self._site_key(context) or ""
        own = _attributes(article, with_body=True)
        rest = _stable([name, template.name, list(args), kwargs])
        if not self.site or own is None or rest is None:
            return None
        return hashlib.sha256(f"{self.site}\0{own}\0{rest}".encode()).hexdigest()

    def reuse(self, name: str, key: str | None) -> bool:
        """Link the last build's file for `name` into the output if its key was `key` and
        it is untouched; True if done."""
        if not self.active or key is None or self.last.get(name, [None])[0] != key:
            return False
        if not kept.link_unchanged(self.previous, self.output, {name: self.last[name][1:]}):
            return False
        source, target = os.path.join(self.previous, name), os.path.join(self.output, name)
        for suffix in COMPRESSED_SUFFIXES:
            try:
                os.link(source + suffix, target + suffix)
            except OSError:
                pass  # none kept: newsroom.compress makes it
        self.recorded[name] = key
        return True

    def record(self, name: str, key: str | None) -> None:
        """Note that the page `name` was written for `key`."""
        if key is not None and self.file:
            self.recorded[name] = key

    def save(self) -> None:
        """Write the memo of this build's pages (their keys and the files' identity)."""
        if not self.file:
            return
        found = {name: [key, *ident] for name, key in self.recorded.items()
                 if (ident := kept.identity(os.path.join(self.output, name)))}
        kept.write_record(self.file, found)
