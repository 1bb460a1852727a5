"""The content check's side of safe HTML: what `newsroom.safehtml.sanitise` would remove.

`check_raw_html(lines, first_line, found)` reports, as an error with its line and what to
write instead, every raw HTML element, attribute, class or link scheme outside the
allowlist of `newsroom.safehtml` (outside code spans and fenced code), each Markdown link
or image whose scheme is not allowed, each image from another site, and each attribute
that Python-Markdown's attr_list syntax (`{: onclick=... }`) would set but the sanitiser
would remove. Comments are not reported (they are editors' notes; docs/editing.md).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown.extensions.attr_list import get_attrs_and_remainder

from .body import body_lines
from .problems import Findings
from .safehtml import (ATTRIBUTES, BUILD_ONLY, CLASSES, MARKDOWN_ONLY, SCHEME_RE, TAGS,
                       URL_ATTRIBUTES, URL_SCHEMES, allowed_class, bare_url, is_remote)

CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
# <https://...> and <someone@example.org> are Markdown autolinks, not HTML.
AUTOLINK_RE = re.compile(r"<(?:https?://|ftp://)[^\s<>]*>|<[^\s<>@/]+@[^\s<>@]+>", re.I)
# a Markdown link or image target, or a reference definition ([id]: url; not a footnote)
MD_TARGET_RE = re.compile(r"\]\(\s*<?(?P<url>[^\s)>]+)"
                          r"|^\s{0,3}\[(?!\^)[^\]]+\]:\s*<?(?P<ref>\S+?)>?(?:\s|$)")
# Python-Markdown's attr_list (in `extra`): `{: ...}` after an inline element or at the end
# of a block or heading line (markdown/extensions/attr_list.py, BASE_RE and its uses).
ATTR_LIST_RE = re.compile(r"(?:(?<=[*_`)\]])|(?:^|(?<=\s)))"
                          r"\{:?[ ]*(?P<attrs>[^}\n ][^}\n]*)\}")
MD_IMAGE_RE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(\s*<?(?P<url>[^\s)>]+)")
VIDEO = ("to show a video or a social post, write its link on a line of its own "
         "(docs/editing.md: 'Videos and social posts')")
LINK_FIX = ("links start with https://, http://, mailto: or tel:, or are {filename} or "
            "{static} links")
ELEMENT_ADVICE = {
    **dict.fromkeys(("iframe", "embed", "object", "video", "audio"), VIDEO),
    **dict.fromkeys(("svg", "math", "canvas"),
                    "for a chart, logo or formula, save it as a picture (PNG) in content/images/ "
                    "and write ![what it shows]({static}/images/name.png)"),
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
REMOTE_IMAGE = ("an image from another site ({url}) is not shown: the site's security policy "
                "shows only its own images, and loading it would tell that site who reads "
                "the post; save the picture in content/images/ and write "
                "![what it shows]({{static}}/images/name.jpg)")
OTHER_ELEMENT = "write it in Markdown instead (docs/editing.md: 'HTML in a post')"


# Their children are SVG or MathML, not HTML: reported once, as the element.
FOREIGN = ("svg", "math")


class _Tags(HTMLParser):
    """Collects (line, element, attributes) of each start tag fed to it, except those
    inside `<svg>` or `<math>`, and ("?" or "![", []) for processing instructions and
    CDATA sections."""

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

    def handle_pi(self, data):  # <?php ... ?>: Python-Markdown keeps it, nh3 drops it
        self.tags.append((self.getpos()[0], "?", []))

    def unknown_decl(self, data):  # <![CDATA[ ... ]]>
        self.tags.append((self.getpos()[0], "![", []))


def _url_problem(url: str) -> str | None:
    """The message for a link or image address whose scheme is not allowed, else None."""
    match = SCHEME_RE.match(bare_url(url))
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
    if name in BUILD_ONLY.get(tag, ()):  # the build writes these from ![...]({static}...)
        return f"`{name}=` on `<{tag}>` is not allowed; remove it"
    if name in URL_ATTRIBUTES and name in ATTRIBUTES.get(tag, ()):
        if tag == "img" and name == "src" and not _url_problem(value or "") and is_remote(
                value or ""):
            return REMOTE_IMAGE.format(url=value)
        return _url_problem(value or "")
    if name in MARKDOWN_ONLY:
        return None
    if name not in ATTRIBUTES.get(tag, ()):
        return f"`{name}=` on `<{tag}>` is not allowed; remove it"
    if name == "class":
        bad = [c for c in (value or "").split() if not allowed_class(tag, c)]
        if bad:
            return (f"class `{bad[0]}` on `<{tag}>` is not one the site uses; remove it")
    return None


def _tag_problems(tag: str, attrs: list) -> list[str]:
    if tag in ("?", "!["):
        what = "`<?...?>` (code for a server)" if tag == "?" else "`<![CDATA[...]]>`"
        return [f"{what} is not shown to readers; remove it, or put it in `code` to show it"]
    if tag not in TAGS:
        if ":" in tag:  # <javascript:alert(1)> is an "element" to an HTML parser
            return [f"`<{tag}>` is not a link; {LINK_FIX}"]
        return [f"raw `<{tag}>` is not allowed in a post; "
                f"{ELEMENT_ADVICE.get(tag, OTHER_ELEMENT)}"]
    return [m for name, value in attrs if (m := _attribute_problem(tag, name, value))]


def attr_list_problems(text: str) -> list[str]:
    """Messages for the attributes that attr_list's `{: ... }` in `text` (one line) would
    set and `sanitise` would remove: event handlers, `style`, any other `name=value`,
    classes the site does not use. `#id` (heading anchors) and bare words pass."""
    found = []
    for match in ATTR_LIST_RE.finditer(text):
        attrs, _rest = get_attrs_and_remainder(match.group("attrs"))
        where = f"in the attribute list `{match.group(0).strip()}`"
        for name, value in attrs:
            if name == ".":
                if not any(value in classes for classes in CLASSES.values()):
                    found.append(f"class `{value}` {where} is not one the site uses; "
                                 "remove the { }")
            elif name.lower().startswith("on") and value is not None:
                found.append(f"`{name}=` {where} is not allowed (it runs code in readers' "
                             "browsers); remove it")
            elif name == "style":
                found.append(f"`style=` {where} is not allowed (the site's stylesheet "
                             "decides how text looks); remove it")
            elif name != "id" and value is not None:
                found.append(f"`{name}=` {where} is not allowed; remove it")
    return found


def check_raw_html(lines: list[str], first_line: int, found: Findings) -> None:
    """Report, as errors in `found`, each raw HTML element, attribute, class or link scheme
    in the body `lines` (file line `first_line` first) that `sanitise` would remove, and
    each Markdown link or image whose scheme is not allowed or that is an image from another
    site, and each attr_list attribute `sanitise` would remove; code spans and fenced code
    are skipped. One message per problem and line."""
    shown = {number: "" for number in range(first_line, first_line + len(lines))}
    for number, text in body_lines(lines, first_line):
        shown[number] = AUTOLINK_RE.sub("", CODE_SPAN_RE.sub("", text))
    messages: dict[tuple[int, str], None] = {}
    for number, text in shown.items():
        for match in MD_TARGET_RE.finditer(text):
            if message := _url_problem(match.group("url") or match.group("ref")):
                messages[number, message] = None
        for message in attr_list_problems(text):
            messages[number, message] = None
        for match in MD_IMAGE_RE.finditer(text):
            if is_remote(match.group("url")) and not _url_problem(match.group("url")):
                messages[number, REMOTE_IMAGE.format(url=match.group("url"))] = None
    parser = _Tags()
    parser.feed("\n".join(shown.values()))
    parser.close()
    for line, tag, attrs in parser.tags:
        for message in _tag_problems(tag, attrs):
            messages[first_line + line - 1, message] = None
    for number, message in sorted(messages, key=lambda m: m[0]):
        found.error(number, message)
