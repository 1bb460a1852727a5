"""Text for machines and for the browser's chrome: titles, meta tags, Open Graph, JSON-LD
and feed titles, and the type of a byline.

`meta_text(value)` is the one rule for turning a typogrified headline or standfirst
(HTML: `<span class="caps">`, `&amp;`, widont's `&nbsp;`) into plain text: tags removed,
entities decoded, every no-break space (U+00A0, written `&nbsp;` or as the character) and
run of white space made one ordinary space, the ends trimmed. The result is text, not HTML:
a template still escapes it (`|e`, or `|tojson` in JSON-LD). Typographic quotes and
dashes stay: they are characters, not markup. The theme uses it as the Jinja filter
`meta_text` (plugins/site_context.py); newsroom/feeds.py applies it to feed titles.

`is_organisation(name, settings)` says whether a byline names an organisation (schema.org
Organization) rather than a person (Person): the site's own name (`SITENAME`, `AUTHOR`),
one of `NEWS_ORGANISATION_BYLINES` (compared without regard to case or spacing), or a name
whose last word is "Federation" ("Metropolitan Police Federation"). "Branch" is not a
rule: it is also a surname.
"""

from __future__ import annotations

import re

from markupsafe import Markup

SPACE_RE = re.compile(r"\s+")  # Python's \s includes U+00A0 and the other Unicode spaces
ORGANISATION_SUFFIXES = ("federation",)


def meta_text(value) -> str:
    """`value` (HTML text, or None/Undefined: "") as one line of plain text; see the module
    docstring. "Pay&nbsp;<span class="caps">PRB</span>" -> "Pay PRB"."""
    if value is None or not str(value):
        return ""
    text = Markup(str(value)).striptags()  # tags out, then entities (&nbsp; -> U+00A0) decoded
    return SPACE_RE.sub(" ", str(text)).strip()


def _key(name: str) -> str:
    return SPACE_RE.sub(" ", name).strip().casefold()


def is_organisation(name, settings: dict) -> bool:
    """True if the byline `name` (text, or a Pelican Author) is an organisation's; see the
    module docstring. Settings read: `SITENAME`, `AUTHOR`, `NEWS_ORGANISATION_BYLINES`."""
    key = _key(meta_text(getattr(name, "name", name)))
    if not key:
        return False
    names = [settings.get("SITENAME") or "", settings.get("AUTHOR") or "",
             *(settings.get("NEWS_ORGANISATION_BYLINES") or ())]
    return key in {_key(n) for n in names if n} or key.rsplit(" ", 1)[-1] in (
        ORGANISATION_SUFFIXES)
