"""Make in-page links (footnotes and their back-links) absolute in feed entries.

Connects `newsroom.feeds.absolute_feed_items` to Pelican's `feed_generated` signal, which
comes after every entry is added and before the feed is written (Pelican #3286: a feed
entry's `#fn:1` does not lead to the footnote). Pages are not changed.

Settings read: none (feeds exist only under publishconf.py).
"""

from pelican import signals

from newsroom.feeds import absolute_feed_items


def fix_feed(context, feed) -> None:
    """Pelican `feed_generated` handler: see the module docstring."""
    absolute_feed_items(feed)


def register():
    signals.feed_generated.connect(fix_feed)
