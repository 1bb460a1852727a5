"""Feed entries that work outside the page: absolute in-page links, plain titles and
correction notices (`newsroom.feeds`).

Connects to Pelican's `feed_generated` signal, which comes after every entry is added and
before the feed is written: in-page links (footnotes) made absolute (Pelican #3286: a feed
entry's `#fn:1` does not lead to the footnote), each entry's title as `meta_text` of its
headline, and a corrected article's notice at the top of its entry. Pages are not changed.

Settings read: `FEED_DOMAIN` (else `SITEURL`), `DEFAULT_DATE_FORMAT` (feeds exist only
under publishconf.py).
"""

from pelican import signals

from newsroom.feeds import absolute_feed_items, article_feed_items


def fix_feed(context, feed) -> None:
    """Pelican `feed_generated` handler: see the module docstring."""
    article_feed_items(feed, context.get("articles") or [],
                       context.get("FEED_DOMAIN") or context.get("SITEURL") or "",
                       context.get("DEFAULT_DATE_FORMAT") or "%-d %B %Y")
    absolute_feed_items(feed)


def register():
    signals.feed_generated.connect(fix_feed)
