"""Feed entries that work outside the page: in-page links made absolute.

A footnote reference (`href="#fn:1"`) and its back-link (`href="#fnref:1"`) are links within
the article page. In a feed reader the entry is not on that page, so a bare `#fn:1` goes
nowhere or to the reader's own page (Pelican #3286). `absolute_fragments` rewrites every
link or image address that is only a fragment to the entry's own page address plus that
fragment. Input is the HTML Python-Markdown wrote (attributes in double quotes); other
addresses are left as they are.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

# An href or src attribute whose value is only a fragment (#...).
FRAGMENT_ATTR_RE = re.compile(r'(\s(?:href|src)=")(#[^"]*)"')


def absolute_fragments(html: str, page_url: str) -> str:
    """`html` with each fragment-only href/src made `page_url` + fragment (`page_url` is
    absolute: the entry's link)."""
    return FRAGMENT_ATTR_RE.sub(lambda m: f'{m[1]}{urljoin(page_url, m[2])}"', html)


def absolute_feed_items(feed) -> None:
    """Apply `absolute_fragments` to the content and description of every item of a
    feedgenerator `feed`, each with its own `link`; changes `feed` in place."""
    for item in feed.items:
        for key in ("content", "description"):
            if item.get(key):
                item[key] = absolute_fragments(item[key], item["link"])
