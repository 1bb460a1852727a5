"""The web editor's preview: the page a post or page would be, from text not saved yet.

`render_draft(snapshot, path, text, scratch, now)` is what the preview's builder
(`newsroom.preview`, command `render`) does for `make editor`: `text` (str) is what the
editor holds for the content file at `path` (absolute; it may not exist yet: a new post or
page), `snapshot` the `newsroom.preview.Snapshot` of the last successful build (its
articles and pages generators and context), `scratch` a folder outside the content and
the served output, and `now` an aware datetime (embargoes). It returns
`{"html": the whole page, "reason": None}`, or `{"html": None, "reason": plain words}`
when the text has errors (the editor shows the check's messages itself) or no build
has succeeded yet.

The page is made as the preview build makes it, with Pelican's reader machinery
(`Readers.read_file`, given the parse of `text` by `GivenReader` instead of reading the
file), its `Article` or `Page` class, the generator's template and context and Pelican's
`Writer` (into `scratch`, then read back): drafts and embargoed posts get the theme's draft
banner (Pelican makes a future-dated post a draft: WITH_FUTURE_DATES = False, and the
banner says until when, as plugins/news_reader.py's `mark_embargoes`). An existing file's
page keeps what the last build computed for it (neighbours, related posts, its place in
lists); a new post gets its related posts (`newsroom.related`). The hero and body pictures
are planned again (`newsroom.pictures`), and their variants written into the served
preview when the picture is already saved under `PATH` (a picture not saved yet shows
after the save).

Nothing in the content folder is written, and the snapshot's generators and context are
left as they were (the page is rendered from a copy of the context).
"""

from __future__ import annotations

import copy
import os

from pelican import signals
from pelican.contents import Article, Page
from pelican.writers import Writer

from . import source
from .dates import format_moment
from .pictures import hero_picture, write_pictures
from .problems import errors
from .related import index_related, related_for


class GivenReader:
    """A reader for Pelican's `Readers.read_file` that gives the result it was made with
    (`(html, metadata)`) and otherwise is `reader` (its `process_metadata`)."""

    def __init__(self, reader, result):
        self.reader, self.result = reader, result

    def read(self, path):
        del path
        return self.result

    def __getattr__(self, name):
        return getattr(self.reader, name)


def documents(gen, kind) -> list:
    """Every article (`kind` Article) or page of the generator `gen`, in each status."""
    if kind is Article:
        return (gen.articles + gen.translations + gen.hidden_articles
                + gen.hidden_translations + gen.drafts + gen.drafts_translations)
    return gen.pages + gen.hidden_pages + gen.draft_pages


def render_draft(snapshot, path: str, text: str, scratch: str, now,
                 pending: dict | None = None) -> dict:
    """See the module docstring; `pending` as `newsroom.editor_check.check_entry`'s (the
    pictures the editor holds until the save, checked from their copies)."""
    if snapshot is None or snapshot.pages is None:
        return {"html": None, "reason": "The preview appears once the site has built "
                "without errors (see the devserver's messages)."}
    gen, settings = snapshot.generator, snapshot.generator.settings
    parsed = source.check_text(path, {**settings, "NEWS_PENDING_IMAGES": pending or {}},
                               text.encode("utf-8"), now=now)
    if errors(parsed.problems):
        return {"html": None, "reason": "The check has found errors in this text."}
    is_post = parsed.kind == "article"
    kind, owner = (Article, gen) if is_post else (Page, snapshot.pages)
    base = owner.path
    real = owner.readers.readers["md"]
    readers = copy.copy(owner.readers)
    readers.readers = {**owner.readers.readers,
                       "md": GivenReader(real, real.read_parsed(parsed, path))}
    # this copy keeps nothing in Pelican's reader cache, and looks nothing up there: the
    # text is not the file (which may not exist)
    readers.get_cached_data = lambda path, default=None: default
    readers.cache_data = lambda path, data: None
    if is_post:
        hooks = dict(preread_signal=signals.article_generator_preread,
                     context_signal=signals.article_generator_context)
    else:
        hooks = dict(preread_signal=signals.page_generator_preread,
                     context_signal=signals.page_generator_context)
    new = readers.read_file(base_path=base, path=os.path.relpath(path, base),
                            content_class=kind, context=owner.context,
                            preread_sender=owner, context_sender=owner, **hooks)
    old = next((d for d in documents(owner, kind)
                if os.path.abspath(d.source_path) == os.path.abspath(path)), None)
    if old is not None:  # neighbours, related posts, embargo as the last build made them
        for name, value in vars(old).items():
            if name not in vars(new) and name not in ("hero", "image_width", "image_height"):
                setattr(new, name, value)
    if is_post and not settings.get("WITH_FUTURE_DATES", True) and new.date > now:
        new.status = "draft"
        if new.metadata.get("status", "published") != "draft":
            new.embargoed_until = format_moment(new.date)
    if is_post and old is None:
        by_slug = {a.slug: a for a in gen.articles + gen.hidden_articles}
        new.related_posts = related_for(new, index_related(gen.articles), by_slug,
                                        int(settings["NEWS_RELATED_MAX"]))
    _pictures(new, settings, snapshot.output)
    return {"html": _write(owner, new, is_post, scratch), "reason": None}


def _pictures(document, settings: dict, output: str) -> None:
    """The hero of `document` planned again; the variants of its saved pictures written."""
    image = getattr(document, "image", None)
    saved = image and os.path.isfile(os.path.join(settings["PATH"], image))
    if saved:
        document.hero = hero_picture(
            image, getattr(document, "image_alt", "") or "",
            getattr(document, "image_caption", "") or "",
            getattr(document, "image_credit", "") or "", settings, share=True)
        document.image_width, document.image_height = document.hero.width, document.hero.height
    else:
        for name in ("hero", "image_width", "image_height"):
            if hasattr(document, name):
                delattr(document, name)
    document.body_pictures = tuple(
        p for p in getattr(document, "body_pictures", ())
        if os.path.isfile(os.path.join(settings["PATH"], p.image)))
    write_pictures([document], settings, output)


def _write(owner, document, is_post: bool, scratch: str) -> str:
    """The page of `document` as the generator `owner` writes it, via `scratch`."""
    settings = owner.settings
    context = dict(owner.context)
    name = "article" if is_post else "page"
    extra = {"all_articles": owner.articles} if is_post and document.status == "draft" else {}
    if is_post:
        extra.update(category=getattr(document, "category", None), blog=True)
    target = os.path.join("render", "index.html")
    Writer(scratch, settings=settings).write_file(
        target, owner.get_template(document.template), context,
        relative_urls=settings["RELATIVE_URLS"], override_output=True, url=document.url,
        **{name: document}, **extra)
    with open(os.path.join(scratch, target), encoding="utf-8") as fh:
        return fh.read()
