"""Read posts and pages with YAML front matter under the newsroom's rules: `newsroom.source`
as Pelican's Markdown reader.

Registers `NewsReader` for every Markdown extension (Pelican `readers_init`). Each file is
read and checked by `newsroom.source.read_for_pelican` (the same rules as `make check`: in
`newsroom.build`, the parse the check made, from the content cache), and its HTML (Markdown
and typography) comes from `newsroom.render` (the content cache, filled before Pelican runs
by `newsroom.render.prepare`, or rendered here). A file with errors is not published: its
problems are logged at ERROR as `path:line: error: message; what to do` and the reader
raises `ContentError`, so Pelican skips it and `--fatal` fails the build. Warnings are not
logged here (`make check` shows them): under `--fatal warnings` they would stop publishing
for a cosmetic reason.

Adds `embargoed_until` ("Thu 14 January 2027 09:00 GMT") to each post that Pelican made a
draft only because its date is in the future (written only by the preview settings, where
the theme's draft banner shows it).

Settings read: `FORMATTED_FIELDS`, and those of `newsroom.source` and `newsroom.render`.
"""

import datetime
import logging

from pelican import signals
from pelican.contents import Author, Category, Tag
from pelican.readers import MarkdownReader

from newsroom.dates import format_moment
from newsroom.fields import DEFAULT_STATUS, is_embargoed
from newsroom.problems import display_path, format_problem
from newsroom.pictures import body_pictures
from newsroom.render import Renderer, html_of
from newsroom.source import read_for_pelican

logger = logging.getLogger(__name__)
# Pelican objects for the fields whose values are categories, tags and bylines.
OBJECT_FIELDS = {"category": Category, "author": Author}


class ContentError(ValueError):
    """Raised by `NewsReader.read` after logging a file's errors, so Pelican skips it."""


class NewsReader(MarkdownReader):
    """Pelican reader for `.md` files with YAML front matter and the newsroom's rules.

    `read(path)` returns `(html, metadata)` as every Pelican reader does: the body, the
    headline and the `FORMATTED_FIELDS` (the summary) as `newsroom.render` makes them
    (Markdown, typography), tags, category and author as Pelican's objects, dates as aware
    datetimes. Images in the body become responsive pictures after the content cache
    (`newsroom.pictures.body_pictures`: they depend on the image files, not the post's
    bytes); their `Picture`s are the metadata `body_pictures`, for plugins/hero_image.py.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.renderer = Renderer(self.settings)

    def read(self, source_path):
        return self.read_parsed(read_for_pelican(source_path, self.settings,
                                                 check_links=True), source_path)

    def read_parsed(self, parsed, source_path):
        """`read`'s `(html, metadata)` for a `newsroom.source.ParsedFile` of the file at
        `source_path` (the web editor's preview gives the parse of text not saved yet:
        `newsroom.draft_preview`). Raises `ContentError` if it has errors."""
        if parsed.errors:
            logger.error("%s", "\n".join(format_problem(p) for p in parsed.errors))
            raise ContentError(f"{display_path(source_path)}: {len(parsed.errors)} error(s)")
        try:
            rendered = html_of(parsed, self.settings, self.renderer)
        except RecursionError:  # the check refuses the shapes known to do this
            logger.error("%s:1: error: Markdown could not read this post: something in it is "
                         "nested thousands of levels deep (quotes, lists, brackets or "
                         "emphasis); remove the repeated characters",
                         display_path(source_path))
            raise ContentError(f"{display_path(source_path)}: nested too deep") from None
        body, pictures = body_pictures(rendered.body, source_path, self.settings,
                                         self.renderer.typography)
        metadata = self.pelican_metadata(parsed.metadata, rendered)
        if pictures:
            metadata["body_pictures"] = pictures
        return body, metadata

    def pelican_metadata(self, metadata: dict, rendered) -> dict:
        """Our metadata (text, lists, aware dates) as Pelican's reader metadata, with the
        headline and formatted fields from `rendered` (a `newsroom.render.Rendered`); an
        empty tag list, category, byline or status is left out, as Pelican's own readers do.
        `modified` is at least `correction_date`: a correction is a change to the story, so
        "Updated", the feeds' `updated`, the sitemap and JSON-LD's dateModified show it."""
        output = {}
        for name, value in metadata.items():
            if name in ("tags", "status", *OBJECT_FIELDS) and not value:
                continue
            if name == "title" and rendered.title is not None:
                value = rendered.title
            elif name in rendered.fields:
                value = rendered.fields[name]
            elif name == "tags":
                value = [Tag(tag, self.settings) for tag in value]
            elif name in OBJECT_FIELDS:
                value = OBJECT_FIELDS[name](value, self.settings)
            output[name] = value
        corrected = output.get("correction_date")
        if corrected and (output.get("modified") is None or corrected > output["modified"]):
            output["modified"] = corrected  # a correction changes the story (feeds, sitemap)
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
