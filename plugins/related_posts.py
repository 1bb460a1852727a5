"""Attach "Read more" links to every article: `newsroom.related` as a Pelican plugin.

Adds `article.related_posts`, a list of at most `NEWS_RELATED_MAX` published articles, to
every published, hidden and draft article (drafts get one too, for previews).

The indexes (`newsroom.related.index_related`, slug -> article) are built once per build,
so the cost per article does not grow with the number of posts.

Settings read: `NEWS_RELATED_MAX` (int).
"""

from pelican import signals

from newsroom.related import index_related, related_for


def attach_related(generator) -> None:
    """Set `related_posts` on every article (Pelican `article_generator_finalized`)."""
    maximum = int(generator.settings["NEWS_RELATED_MAX"])
    index = index_related(generator.articles)
    by_slug = {a.slug: a for a in generator.articles + generator.hidden_articles}
    for article in generator.articles + generator.hidden_articles + generator.drafts:
        article.related_posts = related_for(article, index, by_slug, maximum)


def register():
    signals.article_generator_finalized.connect(attach_related)
