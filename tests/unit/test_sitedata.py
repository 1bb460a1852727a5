"""newsroom.sitedata: contact details and quick links from the data file editors change."""

import pytest

from conftest import ROOT
from helpers import SITE_DATA_EXAMPLE
from newsroom.sitedata import load_site_data, parse_site_data, phone_href

GOOD_DATA = SITE_DATA_EXAMPLE


def test_phone_href():
    assert phone_href("01632 960 123") == "tel:01632960123"
    assert phone_href("+44 (0)1632 960-123") == "tel:+4401632960123"


def test_parse_site_data():
    data, problems = parse_site_data(GOOD_DATA)
    assert not problems
    assert data["follow"] == {"newsletter": "", "social": []}
    assert data["contact"] == {"name": "Office", "phone": "01632 960 999",
                               "email": "hello@example.org", "phone_href": "tel:01632960999"}
    assert data["quick_links"] == [{"label": "National site", "url": "https://www.polfed.org/"}]


@pytest.mark.parametrize("text, line, message", [
    (GOOD_DATA.replace("https://www.polfed.org/", "www.polfed.org"), 7,
     "url 'www.polfed.org' is not a full web address; write it with https://, e.g. "
     "https://www.polfed.org/"),
    (GOOD_DATA.replace("  email:", "  emial:"), 4, "unknown field 'emial' in contact; did you "
                                                   "mean 'email'?"),
    (GOOD_DATA.replace('"01632 960 999"', '"call us"'), 3,
     "phone 'call us' is not a phone number; write digits and spaces, e.g. 01632 960 123"),
    (GOOD_DATA.replace('"hello@example.org"', '"hello"'), 4,
     "email 'hello' is not an email address; write it as name@example.org"),
    (GOOD_DATA.replace('  - label: "National site"\n', "  - \n"), 7,
     "quick link 1 has no 'label'; add a line 'label: ...' to it"),
    (GOOD_DATA + "extra: 1\n", 8, "unknown section 'extra'; the sections are contact, "
                                  "quick_links and follow"),
    (GOOD_DATA.replace('name: "Office"', "name: Office: main"), 2,
     "a value contains a colon followed by a space; put the whole value in double quotes, "
     'e.g. title: "Chair: we will not accept this"'),
    (GOOD_DATA.replace('  name: "Office"', '\tname: "Office"'), 2,
     "the line contains a tab character; use spaces"),
    ("quick_links: []\n", 1, "there is no 'contact:' section; add one with name, phone and "
                             "email"),
])
def test_parse_site_data_problems_name_their_line(text, line, message):
    _data, problems = parse_site_data(text)
    assert [(p.line, str(p)) for p in problems] == [(line, message)]


def test_html_in_a_value_is_an_error_and_only_its_text_is_kept():
    text = GOOD_DATA.replace('"Office"', '"Office <b>main</b><script>x()</script>"')
    data, problems = parse_site_data(text)
    assert [(p.line, str(p)) for p in problems] == [
        (2, "'name' in contact contains HTML ('<b>'); write plain text (the site sets how it "
            "looks and where it links)")]
    assert data["contact"]["name"] == "Office main"


def test_parse_site_data_keeps_the_valid_parts():
    data, problems = parse_site_data(GOOD_DATA.replace("https://www.polfed.org/", "polfed"))
    assert len(problems) == 1
    assert data["contact"]["phone_href"] == "tel:01632960999" and data["quick_links"] == []


def test_load_site_data(tmp_path):
    data, problems = load_site_data(str(ROOT / "data/site.yml"))
    assert problems == [] and data["contact"]["name"] and data["quick_links"]
    (tmp_path / "site.yml").write_text(GOOD_DATA.replace("  email:", "  emial:"))
    _data, [problem] = load_site_data(str(tmp_path / "site.yml"))
    assert (problem.path, problem.line, problem.level) == (str(tmp_path / "site.yml"), 4, "error")
    data, [problem] = load_site_data(str(tmp_path / "missing.yml"))
    assert data == {"contact": {}, "quick_links": [],
                    "follow": {"newsletter": "", "social": []}}
    assert problem.line == 1 and problem.message.startswith("cannot read the site data file")


@pytest.mark.parametrize("raw, line, message", [
    (GOOD_DATA.replace('"Office"', '"Off\x92ce"').encode("latin-1"), 2,
     "the file is not UTF-8 text (byte 0x92 on this line); save it again as UTF-8 in your editor"),
    # PyYAML's ReaderError for a NUL was a traceback: the front matter's rule says where it is
    (GOOD_DATA.replace('"Office"', '"Off\x00ice"').encode(), 2,
     "an invisible control character U+0000 is in column 13 (pasted from another program?); "
     "delete it, or retype the line"),
    # PyYAML composes brackets recursively: thousands deep was a RecursionError traceback
    (GOOD_DATA.encode() + b"extra:" + b" [" * 5000 + b"\n", 8,
     "brackets [ or { are nested far too deep here; write the sections as in the example: "
     "'name: value' lines, '- ' before each quick link"),
])
def test_load_site_data_mistakes_are_lines_not_tracebacks(tmp_path, raw, line, message):
    (tmp_path / "site.yml").write_bytes(raw)
    _data, problems = load_site_data(str(tmp_path / "site.yml"))
    assert [(p.line, p.message) for p in problems][:1] == [(line, message)]


FOLLOW = GOOD_DATA + """follow:
  newsletter: "https://lists.example.org/northvale"
  social:
    - label: "Facebook"
      url: "https://www.facebook.com/example"
"""


def test_follow_section_gives_newsletter_and_social_links():
    data, problems = parse_site_data(FOLLOW)
    assert problems == []
    assert data["follow"] == {"newsletter": "https://lists.example.org/northvale", "social": [
        {"label": "Facebook", "url": "https://www.facebook.com/example"}]}


def test_the_follow_example_in_the_editors_guide_parses():
    text = (ROOT / "data/site.yml").read_text(encoding="utf-8")
    guide = (ROOT / "docs/editing.md").read_text(encoding="utf-8")
    example = guide[guide.index("```yaml\nfollow:") + 8:].split("```", 1)[0]
    data, problems = parse_site_data(text + example)
    assert problems == [] and data["follow"]["newsletter"].startswith("https://")
    assert len(data["follow"]["social"]) == 2


@pytest.mark.parametrize("old, new, line, message", [
    ('"https://lists.example.org/northvale"', '"http://lists.example.org/northvale"', 9,
     "url 'http://lists.example.org/northvale' is not a full web address (https only "
     "here); write it with https://, e.g. https://www.polfed.org/"),
    ('"https://www.facebook.com/example"', '"javascript:alert(1)"', 12,
     "url 'javascript:alert(1)' is not a full web address (https only here); write it with "
     "https://, e.g. https://www.polfed.org/"),
    ("  newsletter:", "  newsleter:", 9,
     "unknown field 'newsleter' in follow; did you mean 'newsletter'?"),
    ('    - label: "Facebook"\n', "    - \n", 12,
     "social link 1 has no 'label'; add a line 'label: ...' to it"),
    ('  social:\n    - label: "Facebook"\n      url: "https://www.facebook.com/example"\n',
     '  social: "Facebook"\n', 10,
     "social must be a list of links, each starting with '- label: ...' and a 'url: "
     "https://...' line"),
])
def test_follow_problems_name_their_line(old, new, line, message):
    assert old in FOLLOW
    data, problems = parse_site_data(FOLLOW.replace(old, new))
    assert [(p.line, str(p)) for p in problems] == [(line, message)]
    assert data["contact"]["name"] == "Office"
