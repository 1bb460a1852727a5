"""newsroom.render: a summary of plain text skips Markdown with the same HTML; settings
it cannot use are one clear error."""

import random

import pytest

from conftest import CONTENT, ROOT
from helpers import site_settings
from newsroom.render import PLAIN_RE, Renderer, SettingsError

# Characters and pieces that exercise Markdown, magiclink and the apostrophe rule.
PIECES = [*"abcXYZ019 ,.;:!?'\"()%£€$-–—‘’“”_*&<>[]#/\\`@~^{}|=+\t", "www.",
          "http://", "  ", "\n", "'90s", "'tis", "e.g. ", "A. ", "1. ", "1) ", "ftp", "é", "ß",
          "--"]


def texts():
    """The sample's and fixtures' titles and summaries, and seeded random strings."""
    found = []
    for path in [*CONTENT.rglob("*.md"), *(ROOT / "tests/fixtures").rglob("*.md")]:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(("summary:", "title:")):
                found.append(line.split(":", 1)[1].strip().strip('"'))
    rng = random.Random(11)
    found += [rng.choice("AbZ\u201c'") + "".join(rng.choice(PIECES)
                                                for _ in range(rng.randint(0, 25)))
              for _ in range(20000)]
    return found


def test_plain_summaries_skip_markdown_with_the_html_markdown_gives():
    renderer = Renderer(site_settings())
    plain = 0
    for text in texts():
        if "  " not in text and PLAIN_RE.fullmatch(text):
            plain += 1
            assert renderer.formatted_field(text) == renderer.markdown.reset().convert(text), text
    assert plain > 1000


def test_an_unknown_typogrify_filter_is_a_settings_error():
    with pytest.raises(SettingsError, match="widows"):
        Renderer(site_settings(TYPOGRIFY_OMIT_FILTERS=["widows"]))


def test_pelican_typogrify_and_ours_together_is_a_settings_error():
    with pytest.raises(SettingsError, match="twice"):
        Renderer(site_settings(TYPOGRIFY=True))
