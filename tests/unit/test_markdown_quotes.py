"""newsroom.markdown_quotes: attributions and pull-quotes typed in Markdown, through the
site's own Markdown settings and the sanitiser."""

import markdown
import pytest
from bs4 import BeautifulSoup

from helpers import site_settings
from newsroom.safehtml import sanitise


def convert(text):
    options = site_settings()["MARKDOWN"]
    html = markdown.Markdown(extensions=list(options["extension_configs"]),
                             extension_configs=options["extension_configs"],
                             output_format="html5").convert(text)
    return BeautifulSoup(sanitise(html), "html.parser")


@pytest.mark.parametrize("dash", ["---", "--", "\u2014", "\u2013"])
def test_a_last_line_after_a_dash_is_the_attribution(dash):
    html = convert(f"> Not a pay rise.\n>\n> {dash} Si\u00e2n Pritchard, *branch chair*\n")
    figure = html.find("figure")
    assert figure.blockquote.get_text(strip=True) == "Not a pay rise."
    assert figure.figcaption.get_text() == f"{dash} Si\u00e2n Pritchard, branch chair"
    assert figure.figcaption.em and "Pritchard" not in figure.blockquote.get_text()


@pytest.mark.parametrize("text", ["> Pay -- not a rise.\n", "> --- only a dash line\n",
                                  "> First.\n>\n> Second -- ends.\n"])
def test_other_quotes_stay_plain(text):
    html = convert(text)
    assert html.find("figure") is None and html.blockquote.get("class") is None


def test_a_pull_quote_keeps_its_class_and_may_have_an_attribution():
    html = convert("> Officers deserve better.\n> {: .pull-quote}\n")
    assert html.blockquote["class"] == ["pull-quote"] and html.p.get("class") is None
    html = convert("> Officers deserve better.\n>\n> --- Jo Bloggs\n> {: .pull-quote}\n")
    assert html.figure.blockquote["class"] == ["pull-quote"]
    assert html.figure.figcaption.get_text() == "--- Jo Bloggs"


def test_the_pull_quote_class_is_only_for_quotes():
    html = convert("## Heading {: .pull-quote}\n\nA paragraph.\n{: .pull-quote}\n")
    assert not html.find(class_="pull-quote")


def test_an_attribution_on_the_quotes_last_line_needs_no_blank_line():
    html = convert("> A two-line quote\n> on two lines.\n> -- Zo\u00eb Hartley, secretary\n")
    assert html.figure.blockquote.get_text(strip=True) == "A two-line quote\non two lines."
    assert html.figure.figcaption.get_text() == "-- Zo\u00eb Hartley, secretary"


@pytest.mark.parametrize("text", [
    "> Officers deserve better.\n>\n> {: .pull-quote}\n",           # a blank > line first
    "> Officers deserve better.\n>\n> --- Jo Bloggs {: .pull-quote}\n",  # on the attribution
    "> Officers deserve better.\n> {.pull-quote}\n",
])
def test_the_pull_quote_marker_never_reaches_readers(text):
    html = convert(text)
    assert "pull-quote" not in html.get_text() and "{" not in html.get_text()
    assert html.blockquote["class"] == ["pull-quote"]


def test_a_quote_that_is_only_the_marker_leaves_nothing():
    html = convert("Before.\n\n> {: .pull-quote}\n\nAfter.\n")
    assert html.find("blockquote") is None and "{" not in html.get_text()


def test_two_quotes_with_only_a_blank_line_between_stay_two():
    # Python-Markdown joins them into one blockquote; an attribution in its middle ends the
    # first, and the pull-quote marker belongs to the second only
    html = convert("> First quote.\n>\n> --- Jo Bloggs\n\n> Second quote.\n> {: .pull-quote}\n")
    quotes = html.find_all("blockquote")
    assert [q.get_text(strip=True) for q in quotes] == ["First quote.", "Second quote."]
    assert quotes[0].get("class") is None and quotes[1]["class"] == ["pull-quote"]
    assert html.figure.figcaption.get_text() == "--- Jo Bloggs"
    assert len(html.find_all("figure")) == 1
