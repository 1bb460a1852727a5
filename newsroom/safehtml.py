"""Safe HTML: the one allowlist of what a post or page body may contain, applied twice.

- `sanitise(html)` cleans a body (or standfirst) after Markdown and typography with nh3,
  the Python binding of Rust's ammonia (an HTML5 parser, not regular expressions): only
  the elements, attributes, classes and link schemes below survive; `<script>`, `<style>`
  and the like go with their content; HTML comments (editors' notes) are dropped.
  `plugins/safe_html.py` runs it where Pelican keeps the content, so pages, list-page
  standfirsts, feeds, JSON-LD and the search index all get the same HTML.
- `check_raw_html(lines, first_line, found)` is the content check's side: every raw HTML
  element, attribute, class or link scheme outside the allowlist (outside code spans and
  fenced code) is an error with its line and what to write instead, so nothing reaches
  readers silently stripped. Comments are not reported (they are notes; see
  docs/editing.md).

The allowlist is what our Markdown writes (Python-Markdown `extra` and `toc`: headings
with ids, footnotes' `<sup>` and `<div class="footnote">`, tables, code with
`language-*`; typogrify's `<span class="caps|amp|dquo|quo">`) plus what a news post
legitimately needs (`abbr`, `sup`/`sub`, `figure`/`figcaption`, `details`/`summary`).
Links may be http, https, mailto and tel, or relative (`#fn:1`, `{filename}`, `{static}`).
No event handlers, no `style` (the site's Content-Security-Policy blocks inline styles),
no `script`, `iframe`, `object`, `embed`, `form`, `input`, `base`, `meta` or `link`
(OWASP XSS Prevention Cheat Sheet; ammonia's defaults, narrowed).
"""

from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser

import nh3

from .body import body_lines
from .problems import Findings

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul", "var"})
# Removed with everything inside them (their text is no reader's text).
CONTENT_DROPPED = frozenset({"script", "style", "template", "noscript", "textarea", "title",
                             "iframe", "object", "embed", "svg", "math", "select"})
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ATTRIBUTES = {
    "a": {"href", "title", "class"}, "abbr": {"title"}, "img": {"src", "alt", "title", "width",
                                                                "height"},
    "ol": {"start"}, "li": {"id"}, "sup": {"id"}, "div": {"class"}, "span": {"class"},
    "code": {"class"}, "details": {"open"},
    **{h: {"id"} for h in HEADINGS}}
# Classes our Markdown and typogrify write; anything else is not styled by the site.
CLASSES = {"span": {"caps", "amp", "dquo", "quo"}, "div": {"footnote", "toc"},
           "a": {"footnote-ref", "footnote-backref"}}
CODE_CLASS_RE = re.compile(r"language-[A-Za-z0-9_+#-]+")
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster",
                            "xlink:href", "background", "srcset", "data"})
# Python-Markdown's md_in_html reads (and removes) markdown="1".
MARKDOWN_ONLY = frozenset({"markdown"})


def _allowed_class(element: str, value: str) -> bool:
    return value in CLASSES.get(element, ()) or (element == "code"
                                                 and bool(CODE_CLASS_RE.fullmatch(value)))


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: keep only allowed class values."""
    if attribute != "class":
        return value
    kept = [c for c in value.split() if _allowed_class(element, c)]
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


# --- the content check ------------------------------------------------------------------
CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
# <https://...> and <someone@example.org> are Markdown autolinks, not HTML.
AUTOLINK_RE = re.compile(r"<(?:https?://|ftp://)[^\s<>]*>|<[^\s<>@/]+@[^\s<>@]+>", re.I)
# a Markdown link or image target, or a reference definition ([id]: url; not a footnote)
MD_TARGET_RE = re.compile(r"\]\(\s*<?(?P<url>[^\s)>]+)"
                          r"|^\s{0,3}\[(?!\^)[^\]]+\]:\s*<?(?P<ref>\S+?)>?(?:\s|$)")
SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f]+")
VIDEO = ("to show a video or a social post, write its link on a line of its own "
         "(docs/editing.md: 'Videos and social posts')")
LINK_FIX = ("links start with https://, http://, mailto: or tel:, or are {filename} or "
            "{static} links")
ELEMENT_ADVICE = {
    **dict.fromkeys(("iframe", "embed", "object", "video", "audio", "svg", "math", "canvas"),
                    VIDEO),
    **dict.fromkeys(("script", "noscript", "template"),
                    "remove it: a post cannot run code in readers' browsers (docs/editing.md: "
                    "'HTML in a post')"),
    **dict.fromkeys(("form", "input", "button", "select", "textarea", "label", "fieldset"),
                    "a post cannot hold a form; link to the form instead, e.g. "
                    "[Fill in the survey](https://...)"),
    **dict.fromkeys(("meta", "base", "link", "style", "head", "title", "html", "body"),
                    "it would change the whole page; remove it (the title, description and "
                    "styles come from the front matter and the site)"),
}
OTHER_ELEMENT = "write it in Markdown instead (docs/editing.md: 'HTML in a post')"


# Their children are SVG or MathML, not HTML: reported once, as the element.
FOREIGN = ("svg", "math")


class _Tags(HTMLParser):
    """Collects (line, element, attributes) of each start tag fed to it, except those
    inside `<svg>` or `<math>`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, str, list]] = []
        self.foreign: list[str] = []

    def handle_starttag(self, tag, attrs):
        if not self.foreign:
            self.tags.append((self.getpos()[0], tag, attrs))
        if tag in FOREIGN and self.get_starttag_text()[-2:] != "/>":
            self.foreign.append(tag)

    def handle_endtag(self, tag):
        if self.foreign and tag == self.foreign[-1]:
            self.foreign.pop()

    handle_startendtag = handle_starttag


def _url_problem(url: str) -> str | None:
    """The message for a link or image address whose scheme is not allowed, else None."""
    match = SCHEME_RE.match(INVISIBLE_RE.sub("", html.unescape(url)))
    if not match or match.group(1).lower() in URL_SCHEMES:
        return None
    scheme = match.group(1).lower()
    if scheme == "data":
        return ("a `data:` address is not allowed; put the image in content/images/ and write "
                "![what it shows]({static}/images/name.jpg)")
    return f"a `{scheme}:` address is not allowed; {LINK_FIX}"


def _attribute_problem(tag: str, name: str, value: str | None) -> str | None:
    if name.startswith("on"):
        return (f"`{name}=` on `<{tag}>` is not allowed (it runs code in readers' browsers); "
                "remove it")
    if name == "style":
        return (f"`style=` on `<{tag}>` is not allowed (the site's stylesheet decides how "
                "text looks); remove it")
    if name in URL_ATTRIBUTES and name in ATTRIBUTES.get(tag, ()):
        return _url_problem(value or "")
    if name in MARKDOWN_ONLY:
        return None
    if name not in ATTRIBUTES.get(tag, ()):
        return f"`{name}=` on `<{tag}>` is not allowed; remove it"
    if name == "class":
        bad = [c for c in (value or "").split() if not _allowed_class(tag, c)]
        if bad:
            return (f"class `{bad[0]}` on `<{tag}>` is not one the site uses; remove it")
    return None


def _tag_problems(tag: str, attrs: list) -> list[str]:
    if tag not in TAGS:
        if ":" in tag:  # <javascript:alert(1)> is an "element" to an HTML parser
            return [f"`<{tag}>` is not a link; {LINK_FIX}"]
        return [f"raw `<{tag}>` is not allowed in a post; "
                f"{ELEMENT_ADVICE.get(tag, OTHER_ELEMENT)}"]
    return [m for name, value in attrs if (m := _attribute_problem(tag, name, value))]


def check_raw_html(lines: list[str], first_line: int, found: Findings) -> None:
    """Report, as errors in `found`, each raw HTML element, attribute, class or link scheme
    in the body `lines` (file line `first_line` first) that `sanitise` would remove, and
    each Markdown link or image whose scheme is not allowed; code spans and fenced code
    are skipped. One message per problem and line."""
    shown = {number: "" for number in range(first_line, first_line + len(lines))}
    for number, text in body_lines(lines, first_line):
        shown[number] = AUTOLINK_RE.sub("", CODE_SPAN_RE.sub("", text))
    messages: dict[tuple[int, str], None] = {}
    for number, text in shown.items():
        for match in MD_TARGET_RE.finditer(text):
            if message := _url_problem(match.group("url") or match.group("ref")):
                messages[number, message] = None
    parser = _Tags()
    parser.feed("\n".join(shown.values()))
    parser.close()
    for line, tag, attrs in parser.tags:
        for message in _tag_problems(tag, attrs):
            messages[first_line + line - 1, message] = None
    for number, message in sorted(messages, key=lambda m: m[0]):
        found.error(number, message)
