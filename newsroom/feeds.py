"""Feed entries that work outside the page: in-page links made absolute, plain titles, and
a correction notice at the top.

A footnote reference (`href="#fn:1"`) and its back-link (`href="#fnref:1"`) are links within
the article page. In a feed reader the entry is not on that page, so a bare `#fn:1` goes
nowhere or to the reader's own page (Pelican #3286). `absolute_fragments` rewrites every
link or image address that is only a fragment to the entry's own page address plus that
fragment. Input is the HTML Python-Markdown wrote (attributes in double quotes); other
addresses are left as they are. `absolute_srcsets` does the same for the root-relative
`srcset` candidates of pictures in bodies (`newsroom.pictures`; Pelican makes `src`
absolute in feeds but does not read `srcset`), so a reader that picks a candidate finds it.

`article_feed_items` gives each entry of a corrected article (`correction`,
`correction_date`: newsroom/fields.py) the notice `correction_notice` writes at the top of
its content (Atom `<content>`, RSS `<description>`), so a reader who saw the first version
sees what changed; its updated date is already the correction's (plugins/news_reader.py
makes `modified` at least `correction_date`). Every entry's title is `meta_text` of the
headline: no widont no-break space (pelican-facts.md, "Typogrify").
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

from .metatext import meta_text

# An href or src attribute whose value is only a fragment (#...).
FRAGMENT_ATTR_RE = re.compile(r'(\s(?:href|src)=")(#[^"]*)"')
# A srcset attribute: comma-separated candidates, each an address and a descriptor (HTML
# Standard, "srcset attributes"); our candidates' addresses hold no commas or spaces.
SRCSET_ATTR_RE = re.compile(r'(\ssrcset=")([^"]*)"')


def absolute_fragments(html: str, page_url: str) -> str:
    """`html` with each fragment-only href/src made `page_url` + fragment (`page_url` is
    absolute: the entry's link)."""
    return FRAGMENT_ATTR_RE.sub(lambda m: f'{m[1]}{urljoin(page_url, m[2])}"', html)


def absolute_srcsets(html: str, page_url: str) -> str:
    """`html` with each `srcset` candidate's address resolved against `page_url` (absolute:
    the entry's link), its width or density descriptor kept."""
    def resolve(candidate: str) -> str:
        address, _, descriptor = candidate.strip().partition(" ")
        return f"{urljoin(page_url, address)} {descriptor}".rstrip()
    return SRCSET_ATTR_RE.sub(
        lambda m: f'{m[1]}{", ".join(resolve(c) for c in m[2].split(",") if c.strip())}"', html)


def absolute_feed_items(feed) -> None:
    """Apply `absolute_fragments` and `absolute_srcsets` to the content and description of
    every item of a feedgenerator `feed`, each with its own `link`; changes `feed` in
    place."""
    for item in feed.items:
        for key in ("content", "description"):
            if item.get(key):
                item[key] = absolute_srcsets(absolute_fragments(item[key], item["link"]),
                                             item["link"])


def correction_notice(text: str, when, date_format: str) -> str:
    """The HTML notice of a correction for a feed entry: `text` (plain text, escaped here)
    after "Correction, <date>:" with the aware datetime `when` in `date_format` (strftime,
    e.g. "%-d %B %Y")."""
    return (f'<p><strong>Correction, {html.escape(when.strftime(date_format))}:</strong> '
            f'{html.escape(text)}</p>\n')


def article_feed_items(feed, articles, site_url: str, date_format: str) -> None:
    """Give each item of `feed` whose link is one of `articles`' pages (at `site_url`, the
    feed's absolute site address) that article's plain headline and, if it was corrected,
    its correction notice first in its content; changes `feed` in place."""
    by_url = {article.url: article for article in articles}
    prefix = urlsplit(site_url).path.strip("/")
    for item in feed.items:
        path = urlsplit(item["link"]).path.lstrip("/")
        if prefix and path.startswith(prefix + "/"):
            path = path[len(prefix) + 1:]
        article = by_url.get(path)
        if article is None:
            continue
        item["title"] = meta_text(article.title)
        text, when = getattr(article, "correction", ""), getattr(article, "correction_date", None)
        if text and when:
            key = "content" if item.get("content") else "description"
            item[key] = correction_notice(text, when, date_format) + (item.get(key) or "")
