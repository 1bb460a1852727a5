"""Attach a short list of related posts ("Read more") to every article.

Adds `article.related_posts`: a list of at most `NEWS_RELATED_MAX` published articles, for
every published, hidden and draft article (drafts get one too, for previews):

1. first the posts whose slugs an editor lists in the front-matter field `related:`, in the
   order given (a slug is the file name without the date: `2025-06-10-welfare-support.md`
   is `welfare-support`);
2. then other published posts sharing tags with it, most shared tags first, then newest.

The maximum holds for editors' lists too (pelican-related-posts 1.0.0 ignores it there).
A slug that names no post is an error logged as `path:line: error: ...`, so `pelican --fatal
warnings` fails the build. A slug naming a draft or an embargoed post is left out without
a message: it is listed once that post is published, and its headline never leaks before.

Settings read: `NEWS_RELATED_MAX` (int, default 3).
"""

from __future__ import annotations

import difflib
import logging

from front_matter import display_path
from pelican import signals

logger = logging.getLogger(__name__)

DEFAULT_MAX = 3


def related_line(source_path: str, slug: str) -> int:
    """Return the 1-based line of `slug` in the `related:` field of `source_path`.

    Looks for the `related:` line, then for `slug` on it or on the lines of a block list
    below it. Returns the `related:` line when the slug is not found on its own, and 1 if
    the file has no `related:` line or cannot be read.
    """
    try:
        with open(source_path, encoding="utf-8-sig") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    start = next((i for i, text in enumerate(lines) if text.lstrip().startswith("related:")),
                 None)
    if start is None:
        return 1
    for i in range(start, len(lines)):
        if i > start and not lines[i].lstrip().startswith("-"):
            break
        if slug in lines[i]:
            return i + 1
    return start + 1


def index_by_tag(published: list) -> tuple[dict, dict]:
    """Return `(by_tag, rank)` for `related_for`: tag -> articles carrying it, and article ->
    its position among `published` sorted newest first."""
    newest_first = sorted(published, key=lambda a: a.date, reverse=True)
    rank = {post: i for i, post in enumerate(newest_first)}
    by_tag: dict = {}
    for post in newest_first:
        for tag in getattr(post, "tags", None) or []:
            by_tag.setdefault(tag, []).append(post)
    return by_tag, rank


def related_for(article, by_tag: dict, by_slug: dict, rank: dict, maximum: int) -> list:
    """Return the related posts of `article` (see the module docstring for the order).

    `by_tag` maps each tag to the published, listed articles carrying it; `rank` maps each
    of those to its position newest first; `by_slug` maps the slug of every published
    (listed or hidden) article to it. Only posts sharing a tag are compared, so the cost
    grows with tag overlap, not with the square of the number of posts. Slugs not in
    `by_slug` are skipped here; `unknown_slugs` finds the ones that are errors.
    """
    chosen = []
    for slug in getattr(article, "related", None) or []:
        post = by_slug.get(slug)
        if post is not None and post is not article and post not in chosen:
            chosen.append(post)
    shared: dict = {}
    for tag in getattr(article, "tags", None) or []:
        for post in by_tag.get(tag, ()):
            shared[post] = shared.get(post, 0) + 1
    shared.pop(article, None)
    for post in chosen:
        shared.pop(post, None)
    # most shared tags first, then newest
    best = sorted(shared, key=lambda post: (-shared[post], rank[post]))
    return (chosen + best)[:maximum]


def unknown_slugs(article, known: set) -> list[str]:
    """Return the slugs in `article.related` that name no article at all (in any status)."""
    return [slug for slug in getattr(article, "related", None) or [] if slug not in known]


def attach_related(generator) -> None:
    """Set `related_posts` on every article (Pelican `article_generator_finalized`)."""
    maximum = int(generator.settings.get("NEWS_RELATED_MAX", DEFAULT_MAX))
    by_tag, rank = index_by_tag(generator.articles)
    by_slug = {a.slug: a for a in generator.articles + generator.hidden_articles}
    everything = generator.articles + generator.hidden_articles + generator.drafts
    known = {a.slug for a in everything}
    for article in everything:
        for slug in unknown_slugs(article, known):
            close = difflib.get_close_matches(slug, sorted(known), n=1, cutoff=0.6)
            hint = (f"did you mean '{close[0]}'?" if close else
                    "write the slug of a post: its file name without the date and .md")
            logger.error("%s:%d: error: related: no post has the slug '%s'; %s",
                         display_path(article.source_path),
                         related_line(article.source_path, slug), slug, hint)
        article.related_posts = related_for(article, by_tag, by_slug, rank, maximum)


def register():
    signals.article_generator_finalized.connect(attach_related)
