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
