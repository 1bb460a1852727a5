"""Related posts ("Read more"): the editor's `related:` slugs first, then shared tags.

For an article, at most `maximum` published articles: first the posts whose slugs the
editor lists in `related:`, in the order given (a slug is the file name without the date:
`2025-06-10-welfare-support.md` is `welfare-support`), then other published posts sharing
tags with it, most shared tags first, then newest. The maximum holds for editors' lists too
(pelican-related-posts 1.0.0 ignores it there). A slug naming a draft or an embargoed post
is left out without a message: it is listed once that post is published, and its headline
never leaks before. A slug naming no post at all is the reader's error
(`newsroom.links.check_related`).

The cost per article does not grow with the number of posts (issue 11: comparing every post
that shares a tag made the build quadratic): `index_related` lists, once per build, the
posts carrying each set of up to `SUBSET_MAX` tags, newest first, so `related_for` reads
only the first few posts of the lists for the article's own tag sets.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools

SUBSET_MAX = 3  # tag sets indexed per post: all of its tags' subsets of 1 to 3 tags


@dataclasses.dataclass
class RelatedIndex:
    """The published articles indexed for `related_for`, built by `index_related`.

    `rank` maps each article to its position newest first; `by_tags` maps a frozenset of 1
    to `SUBSET_MAX` tags to the articles carrying all of them, newest first (a one-tag list
    holds an article once per time it carries the tag); `repeated` is True when an article
    carries a tag twice (two spellings of one slug, `pay` and `Pay`); `visits` counts the
    articles `related_for` has looked at, so tests can tell the work per article."""

    rank: dict
    by_tags: dict
    repeated: bool = False
    visits: int = 0


def index_related(published: list) -> RelatedIndex:
    """Index `published` (Pelican articles with `date` and optional `tags`); see
    `RelatedIndex`. Costs, per article, the number of its tag sets (7 for three tags)."""
    newest_first = sorted(published, key=lambda a: a.date, reverse=True)
    index = RelatedIndex({post: i for i, post in enumerate(newest_first)}, {})
    for post in newest_first:
        tags = list(getattr(post, "tags", None) or [])
        for tag in tags:
            index.by_tags.setdefault(frozenset([tag]), []).append(post)
        distinct = set(tags)
        index.repeated |= len(distinct) != len(tags)
        for size in range(2, min(len(distinct), SUBSET_MAX) + 1):
            for subset in itertools.combinations(distinct, size):
                index.by_tags.setdefault(frozenset(subset), []).append(post)
    return index


def related_for(article, index: RelatedIndex, by_slug: dict, maximum: int) -> list:
    """Return the related posts of `article` (see the module docstring for the order).

    `index` comes from `index_related`; `by_slug` maps the slug of every published (listed
    or hidden) article to it."""
    chosen = []
    for slug in getattr(article, "related", None) or []:
        post = by_slug.get(slug)
        if post is not None and post is not article and post not in chosen:
            chosen.append(post)
    need = maximum - len(chosen)
    if need <= 0:
        return chosen[:maximum]
    tags = list(getattr(article, "tags", None) or [])
    excluded = {id(article), *map(id, chosen)}
    if index.repeated or len(set(tags)) != len(tags):
        return chosen + _by_counting(tags, index, excluded)[:need]
    return chosen + _by_tag_sets(set(tags), index, excluded, need)


def _by_counting(tags: list, index: RelatedIndex, excluded: set) -> list:
    """Every published post sharing a tag with `tags`, not in `excluded` (ids), most shared
    tag occurrences first, then newest: exact when a tag is carried twice, and costs the
    number of posts sharing a tag."""
    shared: dict = {}
    for tag in tags:
        for post in index.by_tags.get(frozenset([tag]), ()):
            index.visits += 1
            if id(post) not in excluded:
                shared[post] = shared.get(post, 0) + 1
    return sorted(shared, key=lambda post: (-shared[post], index.rank[post]))


def _by_tag_sets(tags: set, index: RelatedIndex, excluded: set, need: int) -> list:
    """The first `need` published posts by most tags shared with `tags` (no tag twice
    anywhere), then newest, leaving out `excluded` (ids).

    Level by level from the most tags shared: the posts sharing at least `size` tags are
    those of the lists of the article's `size`-tag sets, merged newest first; all that
    share more were taken at the levels above, so the first ones not yet taken share
    exactly `size`. Posts sharing more than `SUBSET_MAX` tags are sorted whole."""
    taken: list = []
    size = len(tags)
    if size > SUBSET_MAX:
        many = {id(p): p for s in itertools.combinations(tags, SUBSET_MAX)
                for p in index.by_tags.get(frozenset(s), ())}
        index.visits += len(many)
        taken = sorted((p for key, p in many.items() if key not in excluded),
                       key=lambda p: (-len(tags.intersection(p.tags)), index.rank[p]))[:need]
        if len(taken) == need:
            return taken
        size = SUBSET_MAX - 1
    seen = excluded | set(map(id, taken))
    for level in range(size, 0, -1):
        lists = [index.by_tags.get(frozenset(s), ()) for s in itertools.combinations(tags, level)]
        for post in heapq.merge(*lists, key=index.rank.__getitem__):
            if len(taken) == need:
                return taken
            index.visits += 1
            if id(post) not in seen:
                taken.append(post)
                seen.add(id(post))
    return taken
