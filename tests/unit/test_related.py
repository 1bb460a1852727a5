"""newsroom.related: "Read more", the editor's `related:` slugs first, then shared tags."""

import random

from newsroom.related import index_related, related_for


class Post:
    """An article stand-in, hashable by identity like Pelican's Content."""

    def __init__(self, slug, tags=(), related=None, day=1):
        self.slug, self.tags, self.related, self.date = slug, list(tags), related, day

    def __repr__(self):
        return self.slug


def oracle(article, published, by_slug, maximum):
    """The rule as the module docstring states it, by brute force over every post (the
    quadratic code issue 11 replaced): the editor's slugs, then most shared tag occurrences,
    then newest."""
    chosen = []
    for slug in article.related or []:
        post = by_slug.get(slug)
        if post is not None and post is not article and post not in chosen:
            chosen.append(post)
    newest = sorted(published, key=lambda p: p.date, reverse=True)
    shared = {p: sum(p.tags.count(t) for t in article.tags) for p in newest
              if p is not article and p not in chosen}
    best = sorted((p for p in newest if shared.get(p)), key=lambda p: -shared[p])
    return (chosen + best)[:maximum]


def test_index_related():
    old, new = Post("old", ["pay"], day=1), Post("new", ["pay", "welfare"], day=2)
    index = index_related([old, new, Post("untagged", day=3)])
    assert index.by_tags == {frozenset(["pay"]): [new, old], frozenset(["welfare"]): [new],
                             frozenset(["pay", "welfare"]): [new]}
    assert [post.slug for post in sorted(index.rank, key=index.rank.get)] == [
        "untagged", "new", "old"]
    assert not index.repeated
    assert index_related([Post("twice", ["pay", "pay"])]).repeated


def test_related_for():
    a = Post("a", ["pay", "welfare"], related=["c", "b", "a", "c", "draft"])
    b, c = Post("b", day=2), Post("c", day=3)
    d, e, f = Post("d", ["pay", "welfare"], day=4), Post("e", ["pay"], day=6), Post("f", day=5)
    published = [a, b, c, d, f, e]  # any order: index_related sorts newest first
    by_slug = {p.slug: p for p in published}   # "draft" is not published: left out silently
    index = index_related(published)
    # the editor's order (itself and repeats left out), then most shared tags, then newest
    assert related_for(a, index, by_slug, 3) == [c, b, d]
    assert related_for(a, index, by_slug, 4) == [c, b, d, e]
    assert related_for(a, index, by_slug, 1) == [c]       # the maximum holds for lists
    assert related_for(e, index, by_slug, 3) == [d, a]    # tie on one tag: newest first
    assert related_for(f, index, by_slug, 3) == []


def random_site(rng, n, vocabulary, most_tags, repeats=False):
    posts = []
    for i in range(n):
        tags = rng.sample(vocabulary, rng.randint(0, most_tags))
        if repeats and tags and rng.random() < 0.1:
            tags.append(tags[0])
        related = [f"p{rng.randrange(n + 5)}" for _ in range(rng.randint(0, 3))]
        posts.append(Post(f"p{i}", tags, related, day=rng.random()))
    return posts


def test_related_for_agrees_with_the_rule_on_random_sites():
    """Few and many tags (more than the index's tag sets), repeated tags, editors' lists
    with unknown slugs, drafts (not in the index) asking for theirs, maxima 0 to 6."""
    rng = random.Random(11)
    for n, vocabulary, most_tags, repeats in [(60, 4, 2, False), (80, 12, 3, False),
                                               (80, 8, 7, False), (60, 6, 4, True)]:
        words = [f"t{i}" for i in range(vocabulary)]
        posts = random_site(rng, n, words, most_tags, repeats)
        published = posts[: n - 5]   # the last five stand for drafts
        by_slug = {p.slug: p for p in published}
        index = index_related(published)
        for article in posts:
            for maximum in range(7):
                assert related_for(article, index, by_slug, maximum) == oracle(
                    article, published, by_slug, maximum), (article, maximum)


def test_work_per_article_does_not_grow_with_the_site():
    """With `related:` and one to three of 40 tags on every post, the posts looked at per
    article stay the same from 100 to 800 posts (the old code compared every post sharing
    a tag: 8 times the posts per article for 8 times the posts)."""
    visits = {}
    for n in (100, 800):
        posts = random_site(random.Random(5), n, [f"t{i}" for i in range(40)], 3)
        index = index_related(posts)
        by_slug = {p.slug: p for p in posts}
        for article in posts:
            related_for(article, index, by_slug, 3)
        visits[n] = index.visits / n
    assert visits[800] <= visits[100] * 1.25 and visits[800] < 10, visits
