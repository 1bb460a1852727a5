"""A post's or page's HTML from its parse: Markdown, then typography, once per text.

`Renderer(settings).render(parsed)` returns a `Rendered`, what Pelican's reading gave
before (plugins/news_reader.py, then pelican/readers.py `Readers.read_file`):
- the body and each `FORMATTED_FIELDS` field (the summary, i.e. the standfirst) through
  Python-Markdown with the site's `MARKDOWN` (`cache.markdown_options`); a summary that is
  one line of plain words and punctuation (`PLAIN_RE`) skips Markdown, whose HTML for it
  is known: `<p>` + the text + `</p>` (tests/unit/test_render.py compares the two);
- the headline HTML-escaped (an editor's title is text; Pelican treats it as HTML) with
  leading apostrophes as U+2019, as the body's (`newsroom.markdown_habits`, smartypants#22);
- then, with `NEWS_TYPOGRIFY`, typogrify on the body, the headline and the summary, with
  Pelican's `TYPOGRIFY_IGNORE_TAGS`, `TYPOGRIFY_OMIT_FILTERS` and `TYPOGRIFY_DASHES` as
  pelican/readers.py applies them. Pelican's own `TYPOGRIFY` is off (pelicanconf.py): it
  would run after our reader, outside the content cache and the pool.
Sanitising stays in plugins/safe_html.py, after this and after the cache (0.04 ms a post).

`html_of(parsed, settings, renderer)`: the `Rendered` from the content cache
(`newsroom.cache`, kind "html", keyed on the file's bytes), else rendered and stored.
`prepare(settings)`: before Pelican runs, every content file the cache lacks is parsed and
rendered (and the variants of its pictures made: `newsroom.images`) in `NEWS_READ_WORKERS` processes
(None: one per core) and stored there, where
the check and the reader find it. A file's result depends on that file alone, never on
the number of workers or the order. A failure in a worker is left to the main process,
which reads that file again and reports it as usual.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import html
import os
import re

import smartypants
from markdown import Markdown
from typogrify.filters import typogrify

from . import cache, images, pictures, source
from .layout import Layout
from .markdown_habits import apostrophes

# The settings this module reads (all in cache.SETTINGS).
SETTINGS_READ = ("MARKDOWN", "FORMATTED_FIELDS", "NEWS_TYPOGRIFY", "TYPOGRIFY_IGNORE_TAGS",
                 "TYPOGRIFY_OMIT_FILTERS", "TYPOGRIFY_DASHES")
TYPOGRIFY_FILTERS = ("amp", "smartypants", "caps", "initial_quotes", "widont")
# pelican/readers.py: TYPOGRIFY_DASHES -> smartypants attributes, plus `w` (&quot;).
DASHES = {"oldschool": smartypants.Attr.set2, "oldschool_inverted": smartypants.Attr.set3}
# Text Markdown leaves as it is, inside one <p>: no Markdown or HTML syntax, no address
# magiclink would link (a "." only before a space, a quote, a bracket or the end), no
# underscore, no line break, no double space, starting with a letter.
_WORD = r"[^\W\d_]"
_TEXT = r"[^\W_]|[ ,;:!?'\"()%£€$\u2013\u2014\u2018\u2019\u201c\u201d-]"
PLAIN_RE = re.compile(rf"{_WORD}(?:{_TEXT})*(?:\.(?=[ \"')\u2019\u201d]|$)(?:{_TEXT})*)*")


class SettingsError(ValueError):
    """A setting this module reads has a value it cannot use."""


@dataclasses.dataclass(frozen=True)
class Rendered:
    """A file's HTML: `body`; `title` (None without one); `fields`, each formatted field's."""

    body: str
    title: str | None
    fields: dict


class Renderer:
    """Markdown and typography with one file's worth of state (`Markdown` is reset per text)."""

    def __init__(self, settings: dict):
        values = cache.reading_settings(settings)
        self.markdown = Markdown(**values["MARKDOWN"])
        self.formatted = tuple(values["FORMATTED_FIELDS"] or ())
        self.typogrify = bool(values["NEWS_TYPOGRIFY"])
        if self.typogrify and settings.get("TYPOGRIFY"):
            raise SettingsError("TYPOGRIFY and NEWS_TYPOGRIFY are both on, so typography would "
                                "run twice; keep NEWS_TYPOGRIFY = True and TYPOGRIFY = False")
        self.ignore_tags = values["TYPOGRIFY_IGNORE_TAGS"] or []
        omitted = list(values["TYPOGRIFY_OMIT_FILTERS"] or [])
        unknown = [name for name in omitted if name not in TYPOGRIFY_FILTERS]
        if unknown:
            raise SettingsError(f"TYPOGRIFY_OMIT_FILTERS: unknown filter(s) {unknown}; the "
                                f"filters are {', '.join(TYPOGRIFY_FILTERS)}")
        self.omit = dict.fromkeys(omitted, False)
        dashes = DASHES.get(values["TYPOGRIFY_DASHES"], smartypants.Attr.set1)
        self.attr = dashes | smartypants.Attr.w

    def render(self, parsed: source.ParsedFile) -> Rendered:
        """The HTML of `parsed` (see the module docstring). RecursionError comes from
        Markdown on text nested thousands deep (the check refuses the known shapes)."""
        body = self.typography(self.markdown.reset().convert(parsed.body))
        title = parsed.metadata.get("title")
        if isinstance(title, str):
            title = self.plain_text(title)
        fields = {}
        for name in self.formatted:
            if isinstance(parsed.metadata.get(name), str):
                text = self.formatted_field(parsed.metadata[name])
                fields[name] = self.typography(text) if name == "summary" else text
        return Rendered(body, title, fields)

    def formatted_field(self, text: str) -> str:
        """A formatted field's Markdown as HTML; plain text (`PLAIN_RE`) without Markdown."""
        if "  " not in text and PLAIN_RE.fullmatch(text):
            return f"<p>{apostrophes(text)}</p>"
        return self.markdown.reset().convert(text)

    def plain_text(self, text: str) -> str:
        """The HTML of plain `text` (a headline, a picture's caption): escaped, a leading
        apostrophe made U+2019 (`markdown_habits.apostrophes`), then `typography`."""
        return self.typography(html.escape(apostrophes(text), quote=False))

    def typography(self, text: str) -> str:
        """typogrify as Pelican applies it, or `text` as it is without `NEWS_TYPOGRIFY`."""
        if not self.typogrify:
            return text
        smartypants.Attr.default = self.attr  # read by typogrify's smartypants filter
        return typogrify(text, self.ignore_tags, **self.omit)


def html_of(parsed: source.ParsedFile, settings: dict, renderer: Renderer) -> Rendered:
    """The `Rendered` of `parsed` from the content cache, else rendered and stored."""
    store = cache.open_cache(settings) if parsed.cache_key else None
    if store is not None:
        found = store.load(parsed.cache_key, "html")
        if isinstance(found, Rendered):
            return found
    rendered = renderer.render(parsed)
    if store is not None:
        store.save(parsed.cache_key, "html", rendered)
    return rendered


def prepare(settings: dict) -> int:
    """Parse and render, into the content cache, every content file whose HTML it
    lacks (see the module docstring); return how many. Without a cache, nothing. Raises
    SettingsError, here rather than in a worker, for settings a `Renderer` cannot use."""
    Renderer(settings)
    store = cache.open_cache(settings)
    if store is None:
        return 0
    missing = []
    for path in Layout(settings).content_files():
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:  # gone since it was listed: the check says so, with its path
            continue
        if not store.has(store.key(path, data), "html"):
            missing.append(os.path.abspath(path))
    workers = settings.get("NEWS_READ_WORKERS") or os.cpu_count() or 1
    if workers == 1 or len(missing) < 2:
        _render_files(missing, settings)
        return len(missing)
    chunks = [missing[i::workers * 4] for i in range(workers * 4)]
    with concurrent.futures.ProcessPoolExecutor(workers) as pool:
        futures = [pool.submit(_render_files, chunk, settings) for chunk in chunks if chunk]
        for future in futures:
            try:
                future.result()
            except Exception:  # noqa: BLE001, S110 - the reader reads it again and reports
                pass
    return len(missing)


def _render_files(paths: list[str], settings: dict) -> None:
    """Parse (`source.read`) and render (`html_of`) each file of `paths` without errors of
    its own, storing both in the content cache, with the variants of its hero image and of
    the pictures in its body (`images.keep_variants`, `pictures.body_pictures`); a file
    Markdown cannot read is skipped."""
    renderer = Renderer(settings)
    store = cache.open_cache(settings)
    widths = settings.get("NEWS_IMAGE_WIDTHS")
    for path in paths:
        parsed = source.read(path, settings)
        if not parsed.errors:
            try:
                rendered = html_of(parsed, settings, renderer)
            except RecursionError:
                continue
            if store is None or not widths:
                continue
            image = parsed.metadata.get("image")
            if isinstance(image, str):
                images.keep_variants(os.path.join(settings["PATH"], image), image, widths,
                                     store)
            if settings.get("NEWS_COLUMN_IMAGE_SIZES") is not None:
                for picture in pictures.body_pictures(rendered.body, path, settings)[1]:
                    try:
                        images.make_variants(os.path.join(settings["PATH"], picture.image),
                                             picture.variants, store)
                    except OSError:
                        continue
