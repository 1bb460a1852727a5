"""Sanitise every post's and page's body and standfirst with `newsroom.safehtml`.

On Pelican's `content_object_init` (sent at the end of `Content.__init__`, after the reader
and typogrify: pelican/readers.py `Readers.read_file`, pelican/contents.py), replaces the
article's or page's `_content` and, when the front matter gave one, its `summary`
metadata with their sanitised HTML, and cleans the headline, tags, byline and hero alt
text, caption and credit (`_sanitise_labels`). Everything later reads these: the page templates,
Pelican's summary for list pages (cut from the sanitised content when there is no
`summary:`), the feeds, JSON-LD and the search index (built from the written pages).
`{filename}`/`{static}` links are relative, so they survive and Pelican resolves them
afterwards as usual.

The content check reports what this would remove (`newsroom.rawhtml.check_raw_html`) and
the reader refuses such files, so normally nothing is removed here; this is the last
line of defence for a build that skips the check. Settings read: none.
"""

from pelican import signals
from pelican.contents import Article, Page
from pelican.urlwrappers import Author, Tag

from newsroom.safehtml import plain_text, sanitise, sanitise_title


def sanitise_content(content) -> None:
    """Sanitise an `Article`'s or `Page`'s body and `summary` metadata in place
    (Pelican `content_object_init`); other content (static files) is left alone."""
    if not isinstance(content, (Article, Page)):
        return
    if isinstance(content._content, str):
        content._content = sanitise(content._content)
    if isinstance(content.metadata.get("summary"), str):
        content.metadata["summary"] = sanitise(content.metadata["summary"])
        content._summary = content.metadata["summary"]
    _sanitise_labels(content)


def _sanitise_labels(content) -> None:
    """The headline keeps only typogrify's spans; tag names, the byline and the hero's alt
    text, caption and credit become plain text (the templates escape them); a tag left
    empty is dropped, an empty byline becomes the site's `AUTHOR`."""
    if isinstance(getattr(content, "title", None), str):
        content.title = content.metadata["title"] = sanitise_title(content.title)
    for key in ("image_alt", "image_caption", "image_credit"):
        if isinstance(content.metadata.get(key), str):
            value = content.metadata[key] = plain_text(content.metadata[key])
            setattr(content, key, value)
    settings = content.settings
    if getattr(content, "tags", None):
        names = [plain_text(tag.name).strip() for tag in content.tags]
        content.tags = content.metadata["tags"] = [Tag(n, settings) for n in names if n]
    if isinstance(getattr(content, "author", None), Author):
        name = plain_text(content.author.name).strip() or settings.get("AUTHOR") or ""
        content.author = content.metadata["author"] = Author(name, settings)
        content.authors = [content.author]


def register():
    signals.content_object_init.connect(sanitise_content)
