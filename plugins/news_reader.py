"""Read posts and pages with YAML front matter under the newsroom's rules: `newsroom.source`
as Pelican's Markdown reader.

Registers `NewsReader` for every Markdown extension (Pelican `readers_init`). Each file is
read and checked by `newsroom.source.parse_file` (the same rules as `make check`, and the
same parse when both run in one process). A file with errors is not published: its
problems are logged at ERROR as `path:line: error: message; what to do` and the reader
raises `ContentError`, so Pelican skips it and `--fatal` fails the build. Warnings are not
logged here (`make check` shows them): under `--fatal warnings` they would stop publishing
for a cosmetic reason.

Adds `embargoed_until` ("Thu 14 January 2027 09:00 GMT") to each post that Pelican made a
draft only because its date is in the future (written only by the preview settings, where
the theme's draft banner shows it).

Settings read: `MARKDOWN`, `FORMATTED_FIELDS`, and those of `newsroom.source`.
"""

import copy
import datetime
import html
import logging

from markdown import Markdown
from pelican import signals
from pelican.contents import Author, Category, Tag
from pelican.readers import MarkdownReader

from newsroom.dates import format_moment
from newsroom.fields import DEFAULT_STATUS, is_embargoed
from newsroom.markdown_habits import apostrophes
from newsroom.problems import display_path, format_problem
from newsroom.source import parse_file

logger = logging.getLogger(__name__)
# Pelican objects for the fields whose values are categories, tags and bylines.
OBJECT_FIELDS = {"category": Category, "author": Author}


class ContentError(ValueError):
    """Raised by `NewsReader.read` after logging a file's errors, so Pelican skips it."""


class NewsReader(MarkdownReader):
    """Pelican reader for `.md` files with YAML front matter and the newsroom's rules.

    `read(path)` returns `(html, metadata)` as every Pelican reader does: the body and the
    `FORMATTED_FIELDS` (the summary) converted with Python-Markdown and the site's
    `MARKDOWN` settings, the title HTML-escaped (Pelican treats a title as HTML, an
    editor's is text; typogrify adds its spans after) with leading apostrophes made U+2019
    as the body's are (`newsroom.markdown_habits`, smartypants#22), tags, category and author as
    Pelican's objects, dates as aware datetimes.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = copy.deepcopy(self.settings["MARKDOWN"])
        options["extensions"] = [e for e in options.get("extensions", [])
                                 if e != "markdown.extensions.meta"]  # the front matter is ours
        self.markdown = Markdown(**options)

    def read(self, source_path):
        parsed = parse_file(source_path, self.settings)
        if parsed.errors:
            logger.error("%s", "\n".join(format_problem(p) for p in parsed.errors))
            raise ContentError(f"{display_path(source_path)}: {len(parsed.errors)} error(s)")
        try:
            body = self.markdown.reset().convert(parsed.body)
        except RecursionError:  # the check refuses the shapes known to do this
            logger.error("%s:1: error: Markdown could not read this post: something in it is "
                         "nested thousands of levels deep (quotes, lists, brackets or "
                         "emphasis); remove the repeated characters",
                         display_path(source_path))
            raise ContentError(f"{display_path(source_path)}: nested too deep") from None
        return body, self.pelican_metadata(parsed.metadata)

    def pelican_metadata(self, metadata: dict) -> dict:
        """Our metadata (text, lists, aware dates) as Pelican's reader metadata; an empty
        tag list, category, byline or status is left out, as Pelican's own readers do."""
        output = {}
        for name, value in metadata.items():
            if name in ("tags", "status", *OBJECT_FIELDS) and not value:
                continue
            if name == "title":
                value = html.escape(apostrophes(value), quote=False)
            elif name in self.settings["FORMATTED_FIELDS"]:
                value = self.markdown.reset().convert(value)
            elif name == "tags":
                value = [Tag(tag, self.settings) for tag in value]
            elif name in OBJECT_FIELDS:
                value = OBJECT_FIELDS[name](value, self.settings)
            output[name] = value
        return output


def add_reader(readers) -> None:
    """Use `NewsReader` for every Markdown extension (Pelican `readers_init` signal)."""
    for extension in NewsReader.file_extensions:
        readers.reader_classes[extension] = NewsReader


def mark_embargoes(generator) -> None:
    """Set `embargoed_until` on each embargoed post (Pelican `article_generator_finalized`);
    a post with `status: draft` gets none."""
    now = datetime.datetime.now(datetime.UTC)
    for article in generator.drafts:
        if is_embargoed(article.metadata.get("status", DEFAULT_STATUS), article.date, now):
            article.embargoed_until = format_moment(article.date)


def register():
    signals.readers_init.connect(add_reader)
    signals.article_generator_finalized.connect(mark_embargoes)
