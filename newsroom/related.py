"""Related posts ("Read more"): the editor's `related:` slugs first, then shared tags.

For an article, at most `maximum` published articles: first the posts whose slugs the
editor lists in `related:`, in the order given (a slug is the file name without the date:
`2025-06-10-welfare-support.md` is `welfare-support`), then other published posts sharing
tags with it, most shared tags first, then newest. The maximum holds for editors' lists too
(pelican-related-posts 1.0.0 ignores it there). A slug naming a draft or an embargoed post
is left out without a message: it is listed once that post is published, and its headline
never leaks before. A slug naming no post at all is the reader's error
(`newsroom.links.check_related`).
"""

from __future__ import annotations


def index_by_tag(published: list) -> tuple[dict, dict]:
    """Return `(by_tag, rank)` for `related_for`: tag -> articles carrying it, and article ->
    its position among `published` (Pelican articles) sorted newest first."""
    newest_first = sorted(published, key=lambda a: a.date, reverse=True)
    rank = {post: i for i, post in enumerate(newest_first)}
    by_tag: dict = {}
    for post in newest_first:
        for tag in getattr(post, "tags", None) or []:
            by_tag.setdefault(tag, []).append(post)
    return by_tag, rank


def related_for(article, by_tag: dict, by_slug: dict, rank: dict, maximum: int) -> list:
    """Return the related posts of `article` (see the module docstring for the order).

    `by_tag` and `rank` come from `index_by_tag`; `by_slug` maps the slug of every published
    (listed or hidden) article to it. Only posts sharing a tag are compared, so the cost
    grows with tag overlap, not with the square of the number of posts.
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
    best = sorted(shared, key=lambda post: (-shared[post], rank[post]))
    return (chosen + best)[:maximum]
