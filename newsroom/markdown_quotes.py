"""Quotes as editors type them: attributions and pull-quotes, a Python-Markdown extension.

Registered in pelicanconf.py's `MARKDOWN` settings as `newsroom.markdown_quotes`. Two things
an editor can type in a post's Markdown, both made into markup the site styles
(theme/static/css/site.css: `.prose figure.quote`-like rules over plain elements) and that
`newsroom.safehtml`'s allowlist keeps:

- **Attribution.** A quote whose last paragraph starts with a dash (`---` or `--`, or a
  typed `—` or `–`) followed by the speaker is a quote *with its attribution*:

      > An award that only keeps pace with prices is not a pay rise.
      >
      > --- Siân Pritchard, branch chair

  becomes `<figure><blockquote><p>An award ...</p></blockquote><figcaption>— Siân
  Pritchard, branch chair</figcaption></figure>`, the pattern the HTML standard gives for
  a quotation and its source (§4.4.4: the attribution is not part of the quote, so it
  stays outside `<blockquote>`; `<cite>` is for titles of works, not people).
- **Pull-quote.** A quote whose last line is `{: .pull-quote}` (Python-Markdown's
  attr_list, which puts the class on the paragraph before it) is a pull-quote: the class
  moves to the `<blockquote>`, which the site shows large, between rules. It may have an
  attribution too (the `{: .pull-quote}` line then goes after the attribution line).
  The class `pull-quote` anywhere but on a quote is removed.

Runs after attr_list (priority 8) and the inline patterns, before typogrify (which makes
the `---` an em dash later, in `newsroom.render`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

PULL_QUOTE = "pull-quote"
# "--- Name", "-- Name", "— Name", "– Name", "―Name": a dash, then the speaker
ATTRIBUTION_RE = re.compile(r"^\s*(?:-{2,3}|[\u2013\u2014\u2015])\s*(?=\S)")


def _take_class(element: etree.Element, name: str) -> bool:
    """Remove class `name` from `element`; True if it had it."""
    classes = (element.get("class") or "").split()
    if name not in classes:
        return False
    classes.remove(name)
    if classes:
        element.set("class", " ".join(classes))
    else:
        del element.attrib["class"]
    return True


def is_attribution(paragraph: etree.Element) -> bool:
    """True if `paragraph` (a `<p>`) starts with an attribution dash and has more after it."""
    return paragraph.tag == "p" and bool(ATTRIBUTION_RE.match(paragraph.text or ""))


class QuoteTreeprocessor(Treeprocessor):
    """Attributions into `<figcaption>`, pull-quote classes onto `<blockquote>` (see the
    module docstring)."""

    def run(self, root: etree.Element) -> None:
        """Rewrite every quote under `root`, innermost first; remove stray pull-quote classes."""
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "blockquote":
                    self.rewrite(parent, index, child)
        for element in root.iter():
            if element.tag != "blockquote":
                _take_class(element, PULL_QUOTE)

    def rewrite(self, parent: etree.Element, index: int, quote: etree.Element) -> None:
        """Make `quote`, child `index` of `parent`, a pull-quote and/or a figure with its
        attribution."""
        paragraphs = [child for child in quote if child.tag == "p"]
        if any(_take_class(p, PULL_QUOTE) for p in paragraphs):
            quote.set("class", PULL_QUOTE)
        last = quote[-1] if len(quote) else None
        if last is None or len(quote) < 2 or not is_attribution(last):
            return
        quote.remove(last)
        figure = etree.Element("figure")
        parent.remove(quote)
        parent.insert(index, figure)
        figure.append(quote)
        caption = etree.SubElement(figure, "figcaption")
        caption.text, caption.tail = last.text, None
        caption.extend(list(last))
        figure.tail, quote.tail = quote.tail, "\n"


class QuotesExtension(Extension):
    """Registers `QuoteTreeprocessor` after attr_list."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's name)
        """Add the quote treeprocessor at priority 6 (attr_list is 8)."""
        md.treeprocessors.register(QuoteTreeprocessor(md), "newsroom_quotes", 6)


def makeExtension(**kwargs) -> QuotesExtension:  # noqa: N802 (Python-Markdown's entry point)
    """Python-Markdown's entry point for `newsroom.markdown_quotes`."""
    return QuotesExtension(**kwargs)
