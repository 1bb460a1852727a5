"""Sanitise every post's and page's body and standfirst with `newsroom.safehtml`.

On Pelican's `content_object_init` (sent at the end of `Content.__init__`, after the reader
and typogrify: pelican/readers.py `Readers.read_file`, pelican/contents.py), replaces the
article's or page's `_content` and, when the front matter gave one, its `summary`
metadata with their sanitised HTML. Everything later reads these: the page templates,
Pelican's summary for list pages (cut from the sanitised content when there is no
`summary:`), the feeds, JSON-LD and the search index (built from the written pages).
`{filename}`/`{static}` links are relative, so they survive and Pelican resolves them
afterwards as usual.

The content check reports what this would remove (`newsroom.safehtml.check_raw_html`) and
the reader refuses such files, so normally nothing is removed here; this is the last
line of defence for a build that skips the check. Settings read: none.
"""

from pelican import signals
from pelican.contents import Article, Page

from newsroom.safehtml import sanitise


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


def register():
    signals.content_object_init.connect(sanitise_content)
