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
# `{: .pull-quote}` (or `{.pull-quote}`) left as text where attr_list does not take it
MARKER_RE = re.compile(r"\s*\{:?\s*\.pull-quote\s*\}\s*$")


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


def strip_marker(paragraph: etree.Element) -> bool:
    """Remove a `{: .pull-quote}` left as text at the end of `paragraph` (a blank `>` line
    before it, or the marker typed on the attribution's line, where attr_list leaves it);
    True if there was one."""
    holder, attr = (paragraph[-1], "tail") if len(paragraph) else (paragraph, "text")
    text = getattr(holder, attr) or ""
    found = MARKER_RE.search(text)
    if found:
        setattr(holder, attr, text[:found.start()] or None)
    return bool(found)


def split_last_line(quote: etree.Element) -> None:
    """An attribution typed on the quote's last line, without a blank `>` line before it
    (`> on two lines.` then `> -- Name`), becomes a paragraph of its own."""
    last = quote[-1] if len(quote) else None
    if last is None or last.tag != "p":
        return
    holder, attr = (last[-1], "tail") if len(last) else (last, "text")
    head, newline, line = (getattr(holder, attr) or "").rpartition("\n")
    if newline and ATTRIBUTION_RE.match(line):
        setattr(holder, attr, head)
        attribution = etree.SubElement(quote, "p")
        attribution.text = line


class QuoteTreeprocessor(Treeprocessor):
    """Attributions into `<figcaption>`, pull-quote classes onto `<blockquote>` (see the
    module docstring)."""

    def run(self, root: etree.Element) -> None:
        """Rewrite every quote under `root`, innermost first; remove stray pull-quote classes."""
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "blockquote":
                    self.rewrite(parent, child)
        for element in root.iter():
            if element.tag != "blockquote":
                _take_class(element, PULL_QUOTE)

    def rewrite(self, parent: etree.Element, quote: etree.Element) -> None:
        """Make `quote` (a child of `parent`) a pull-quote and/or a figure with its
        attribution. A quote with an attribution in its middle is two quotes that touched
        (Python-Markdown joins quotes with only a blank line between them): it is split
        after each attribution. The pull-quote class goes to the part its marker ends."""
        marked = None  # the child the pull-quote marker ended
        for child in list(quote):
            if child.tag != "p":
                continue
            if _take_class(child, PULL_QUOTE) or strip_marker(child):
                marked = child
                if not len(child) and not (child.text or "").strip():  # the marker alone
                    position = list(quote).index(child)
                    quote.remove(child)
                    marked = quote[position - 1] if position else None
        split_last_line(quote)
        parts, current = [], []
        for child in list(quote):
            current.append(child)
            if len(current) > 1 and is_attribution(child):
                parts.append(current)
                current = []
        if current:
            parts.append(current)
        position = list(parent).index(quote)
        tail = quote.tail
        parent.remove(quote)
        for part in parts:
            element = self.make_quote(part, marked)
            element.tail = "\n"
            parent.insert(position, element)
            position += 1
        if parts:
            parent[position - 1].tail = tail

    @staticmethod
    def make_quote(children: list, marked) -> etree.Element:
        """A `<blockquote>` of `children`, in a `<figure>` with the last as `<figcaption>`
        when it is an attribution; the pull-quote class if `marked` is among them."""
        quote = etree.Element("blockquote")
        if marked is not None and any(child is marked for child in children):
            quote.set("class", PULL_QUOTE)
        attribution = children[-1] if len(children) > 1 and is_attribution(children[-1]) else None
        quote.extend(children[:-1] if attribution is not None else children)
        quote.text = "\n"
        if attribution is None:
            return quote
        figure = etree.Element("figure")
        figure.append(quote)
        quote.tail = "\n"
        caption = etree.SubElement(figure, "figcaption")
        caption.text, caption.tail = attribution.text, None
        caption.extend(list(attribution))
        return figure


class QuotesExtension(Extension):
    """Registers `QuoteTreeprocessor` after attr_list."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's name)
        """Add the quote treeprocessor at priority 6 (attr_list is 8)."""
        md.treeprocessors.register(QuoteTreeprocessor(md), "newsroom_quotes", 6)


def makeExtension(**kwargs) -> QuotesExtension:  # noqa: N802 (Python-Markdown's entry point)
    """Python-Markdown's entry point for `newsroom.markdown_quotes`."""
    return QuotesExtension(**kwargs)
