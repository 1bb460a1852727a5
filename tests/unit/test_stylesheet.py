"""The theme's stylesheet (theme/static/css/site.css) read as source: colours are tokens."""

import re

from conftest import ROOT

CSS = re.sub(r"/\*.*?\*/", "", (ROOT / "theme/static/css/site.css").read_text("utf-8"),
             flags=re.S)


def css_block(css, opening):
    """Return the text between `opening` (ending in "{") and its matching "}"."""
    start = css.index(opening) + len(opening)
    depth = 1
    for i in range(start, len(css)):
        depth += {"{": 1, "}": -1}.get(css[i], 0)
        if depth == 0:
            return css[start:i]
    raise ValueError(f"unbalanced braces after {opening!r}")


def test_dark_mode_and_print_redefine_colour_tokens_only():
    tokens = css_block(CSS, "@layer tokens {")
    for media in ("@media (prefers-color-scheme: dark) {", "@media print {"):
        inner = css_block(tokens, media)
        assert re.fullmatch(r"\s*:root\s*\{[^{}]*\}\s*", inner), inner
        declarations = re.findall(r"([\w-]+)\s*:(?!root)", css_block(inner, ":root {"))
        assert declarations and all(d.startswith("--color-") for d in declarations), declarations


def test_components_use_tokens_never_raw_colours():
    colours = re.findall(r"#[0-9a-fA-F]{3,6}\b", CSS.split("@layer base {", 1)[1])
    assert not colours, f"components use tokens, never raw colours: {colours}"


def test_stylesheet_has_one_declaration_per_line():
    # Comments become blank lines of the same count, strings "", so only code is checked.
    css = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group().count("\n"),
                 (ROOT / "theme/static/css/site.css").read_text("utf-8"), flags=re.S)
    css = re.sub(r'"[^"\n]*"|\'[^\'\n]*\'', '""', css)
    assert css.lstrip().startswith("@layer tokens, base, layout, components, utilities;\n")
    for number, line in enumerate(css.splitlines(), 1):
        code = line.strip()
        assert len(line) <= 100, (number, line)
        assert code.count(";") <= 1, (number, line)
        assert "{" not in code or code.endswith("{"), (number, line)
        assert "}" not in code or code == "}", (number, line)

