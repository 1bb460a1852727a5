"""newsroom.related: "Read more", the editor's `related:` slugs first, then shared tags."""

from newsroom.related import index_by_tag, related_for


class Post:
    """An article stand-in, hashable by identity like Pelican's Content."""

    def __init__(self, slug, tags=(), related=None, day=1):
        self.slug, self.tags, self.related, self.date = slug, list(tags), related, day

    def __repr__(self):
        return self.slug


def test_index_by_tag():
    old, new = Post("old", ["pay"], day=1), Post("new", ["pay", "welfare"], day=2)
    by_tag, rank = index_by_tag([old, new, Post("untagged", day=3)])
    assert by_tag == {"pay": [new, old], "welfare": [new]}
    assert [post.slug for post in sorted(rank, key=rank.get)] == ["untagged", "new", "old"]


def test_related_for():
    a = Post("a", ["pay", "welfare"], related=["c", "b", "a", "c", "draft"])
    b, c = Post("b", day=2), Post("c", day=3)
    d, e, f = Post("d", ["pay", "welfare"], day=4), Post("e", ["pay"], day=6), Post("f", day=5)
    published = [a, b, c, d, f, e]  # any order: index_by_tag sorts newest first
    by_slug = {p.slug: p for p in published}   # "draft" is not published: left out silently
    by_tag, rank = index_by_tag(published)
    # the editor's order (itself and repeats left out), then most shared tags, then newest
    assert related_for(a, by_tag, by_slug, rank, 3) == [c, b, d]
    assert related_for(a, by_tag, by_slug, rank, 4) == [c, b, d, e]
    assert related_for(a, by_tag, by_slug, rank, 1) == [c]       # the maximum holds for lists
    assert related_for(e, by_tag, by_slug, rank, 3) == [d, a]    # tie on one tag: newest first
    assert related_for(f, by_tag, by_slug, rank, 3) == []
