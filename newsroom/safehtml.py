"""Safe HTML: the one allowlist of what a post or page body may contain, applied twice.

- `sanitise(html)` cleans a body (or standfirst) after Markdown and typography with nh3,
  the Python binding of Rust's ammonia (an HTML5 parser, not regular expressions): only
  the elements, attributes, classes and link schemes below survive; `<script>`, `<style>`
  and the like go with their content; HTML comments (editors' notes) are dropped.
  `plugins/safe_html.py` runs it where Pelican keeps the content, so pages, list-page
  standfirsts, feeds, JSON-LD and the search index all get the same HTML.
- `sanitise_title` and `plain_text` do the same for headlines and for labels (tags,
  bylines, alt text, the site data file's values).
- `newsroom.rawhtml` is the content check's side: it reports, with its line, everything
  in a body that `sanitise` would remove, so nothing reaches readers silently stripped.

The allowlist is what our Markdown writes (Python-Markdown `extra` and `toc`: headings
with ids, footnotes' `<sup>` and `<div class="footnote">`, tables, code with
`language-*`; typogrify's `<span class="caps|amp|dquo|quo">`; newsroom.markdown_quotes's
`<blockquote class="pull-quote">` and attributions in `<figure>`/`<figcaption>`) plus what
a news post legitimately needs (`abbr`, `sup`/`sub`, `figure`/`figcaption`, `details`/`summary`),
and the responsive pictures `newsroom.pictures` makes (`picture`, `source` with an image
`type`, `srcset` and `sizes`; `srcset`, `sizes`, `loading`, `decoding` on `img`; `figure
class="figure"`), whose `srcset` addresses are relative like every image's.
Links may be http, https, mailto and tel, or relative (`#fn:1`, `{filename}`, `{static}`).
No event handlers, no `style` (the site's Content-Security-Policy blocks inline styles),
no `script`, `iframe`, `object`, `embed`, `form`, `input`, `base`, `meta` or `link`
(OWASP XSS Prevention Cheat Sheet; ammonia's defaults, narrowed).
"""

from __future__ import annotations

import functools
import html
import re

import nh3


TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "s", "samp",
    "small", "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul", "var"})
# Removed with everything inside them (their text is no reader's text).
CONTENT_DROPPED = frozenset({"script", "style", "template", "noscript", "textarea", "title",
                             "iframe", "object", "embed", "svg", "math", "select"})
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ATTRIBUTES = {
    "a": {"href", "title", "class"}, "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "source": {"type", "srcset", "sizes"}, "figure": {"class"},
    "ol": {"start"}, "li": {"id"}, "sup": {"id"}, "div": {"class"}, "span": {"class"},
    "code": {"class"}, "details": {"open"}, "blockquote": {"class"},
    **{h: {"id"} for h in HEADINGS}}
# Classes our Markdown and typogrify write; anything else is not styled by the site.
CLASSES = {"span": {"caps", "amp", "dquo", "quo"}, "div": {"footnote", "toc"},
           "a": {"footnote-ref", "footnote-backref"}, "figure": {"figure"},
           "blockquote": {"pull-quote"}}  # newsroom.markdown_quotes
# Attributes only the build writes (newsroom.pictures): kept here, refused in what an editor
# types (newsroom.rawhtml), so a post cannot point a srcset at files the build did not make.
BUILD_ONLY = {"img": {"srcset", "sizes", "loading", "decoding"},
              "source": {"srcset", "sizes", "type"}}
# What newsroom.pictures writes in a <picture>: image types, and the two loading hints.
SOURCE_TYPES = frozenset({"image/avif", "image/webp", "image/jpeg", "image/png"})
HINTS = {"loading": {"lazy", "eager"}, "decoding": {"async", "sync", "auto"}}
CODE_CLASS_RE = re.compile(r"language-[A-Za-z0-9_+#-]+")
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster",
                            "xlink:href", "background", "srcset", "data"})
SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f]+")
# Python-Markdown's md_in_html reads (and removes) markdown="1".
MARKDOWN_ONLY = frozenset({"markdown"})


def allowed_class(element: str, value: str) -> bool:
    """True if class `value` may stay on `element` (`CLASSES`, or `language-*` on code)."""
    return value in CLASSES.get(element, ()) or (element == "code"
                                                 and bool(CODE_CLASS_RE.fullmatch(value)))


def bare_url(url: str) -> str:
    """`url` as a browser reads it: entities decoded, control characters and spaces (which
    URL parsing drops: `java&#x09;script:`) removed."""
    return INVISIBLE_RE.sub("", html.unescape(url))


def is_remote(url: str) -> bool:
    """True for an address on another host (`https://...`, `//host/...`): the site's
    Content-Security-Policy (`img-src 'self'`, deploy/nginx.conf) blocks such images, and
    loading one would tell that host who reads the post."""
    url = bare_url(url)
    return bool(SCHEME_RE.match(url)) or url.startswith(("//", "\\\\", "/\\", "\\/"))


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: keep only allowed class values, only images of our own (a
    relative `src`, which `{static}` links are when this runs), and alt and title text
    without markup in it."""
    if element == "img" and attribute == "src":
        return None if is_remote(value) else value
    if attribute == "srcset":  # "url 240w, url 480w": only our own images, as for src
        kept = [c.strip() for c in value.split(",")
                if c.strip() and not is_remote(c.split()[0])]
        return ", ".join(kept) or None
    if element == "source" and attribute == "type":
        return value if value in SOURCE_TYPES else None
    if attribute in HINTS:
        return value if value in HINTS[attribute] else None
    if attribute in ("alt", "title"):  # plain text: markup typed into alt text goes
        return plain_text(value) if "<" in value else value
    if attribute != "class":
        return value
    kept = [c for c in value.split() if allowed_class(element, c)]
    return " ".join(kept) or None


@functools.cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(tags=set(TAGS), clean_content_tags=set(CONTENT_DROPPED),
                       attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                       attribute_filter=_filter_attribute, strip_comments=True,
                       link_rel=None, url_schemes=set(URL_SCHEMES))


def sanitise(text: str) -> str:
    """`text` (HTML) with only the allowlist of the module docstring left; never raises."""
    return _cleaner().clean(text)


@functools.cache
def _title_cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(tags={"span"}, clean_content_tags=set(CONTENT_DROPPED),
                       attributes={"span": {"class"}}, attribute_filter=_filter_attribute,
                       strip_comments=True, link_rel=None, url_schemes=set())


def sanitise_title(text: str) -> str:
    """A headline (HTML: the plain text title after typogrify) with only typogrify's
    `<span class="caps|amp|dquo|quo">` left; other tags go, `<script>` and the like with
    their content. Templates print titles as HTML."""
    return _title_cleaner().clean(text)


def plain_text(text: str) -> str:
    """`text` with every HTML tag removed (`<script>` and the like with their content), as
    unescaped text: "a &amp; b <b>c</b>" -> "a & b c". For values the templates escape
    (tag and byline names, alt text)."""
    return html.unescape(nh3.clean(text, tags=set(), clean_content_tags=set(CONTENT_DROPPED)))
