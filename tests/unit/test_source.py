"""newsroom.source and newsroom.links: one file read, checked and linked, as plain calls."""

import datetime
import os

import pytest

from conftest import LONDON, ROOT, TEST_NOW, write_post
from helpers import BAD, expected_lines, site_settings
from newsroom.problems import format_problem
from newsroom.source import parse_file, read

# Rules that need the whole folder (newsroom.check), not one file: what parse_file cannot see.
FOLDER_RULES = ("is also used by", "this file is not a .md file")


def test_parse_file_finds_every_error_of_the_bad_posts_alone(monkeypatch):
    # What the reader (plugins/news_reader.py) refuses a file for: the same lines `make
    # check` prints for it (expected.txt), except the rules that need the whole folder.
    monkeypatch.chdir(ROOT)   # messages name files relative to the working directory
    settings = site_settings(BAD)
    found = []
    for path in sorted((BAD / "news").glob("*.md")):
        found += [format_problem(p) for p in parse_file(str(path), settings, now=TEST_NOW).problems]
    assert found == [line for line in expected_lines(BAD)
                     if not any(rule in line for rule in FOLDER_RULES)
                     and "/news/" in line.split(":")[0]]  # not the images/ folder's files


def test_parse_file(tmp_path):
    path = write_post(tmp_path / "news", "2025-04-02-pay.md",
                      'title: "Pay"\ndate: 2025-04-02\nstatus: draft',
                      "Intro:\n\u2022 one\n\u2022 two\n")
    parsed = parse_file(str(path), site_settings(tmp_path))
    assert parsed.problems == [] and parsed.kind == "article" and parsed.status == "draft"
    assert parsed.metadata["date"] == datetime.datetime(2025, 4, 2, tzinfo=LONDON)
    assert parsed.body == "\nIntro:\n\n- one\n- two\n"      # pasted bullets made a list
    assert parsed.body_line == 6 and parsed.body_lines[1] == "Intro:"


def test_a_post_file_name_must_be_strict(tmp_path):
    path = write_post(tmp_path / "news", "2025-04-02-Pay_Award.md", 'title: "x"\ndate: 2025-04-02')
    [problem] = parse_file(str(path), site_settings(tmp_path)).problems
    assert (problem.line, problem.message) == (1, (
        "file name '2025-04-02-Pay_Award.md' is not YYYY-MM-DD-slug.md with a slug of "
        "lower-case words or digits joined by single hyphens; rename the file, e.g. "
        "2025-04-02-pay-award.md"))


def test_read_parses_a_file_once_until_it_changes(tmp_path):
    path = write_post(tmp_path / "news", "2025-04-02-pay.md", 'title: "One"\ndate: 2025-04-02')
    settings = site_settings(tmp_path)
    first = read(str(path), settings)
    assert read(str(path), settings) is first
    path.write_text(path.read_text().replace('"One"', '"Two, longer"'))
    assert read(str(path), settings).metadata["title"] == "Two, longer"
    assert read(str(path), site_settings(tmp_path, NEWS_CATEGORIES=["Pay"])) is not first


@pytest.mark.parametrize("source_date, source_status, now, error", [
    ("2026-11-01", "published", "2026-11-30 12:00", True),    # live now, target embargoed
    ("2026-11-01", "published", "2027-01-14 09:00", False),   # the embargo has lifted
    ("2027-02-01", "published", "2026-11-30 12:00", False),   # goes live after the target
    ("2026-11-01", "draft", "2026-11-30 12:00", False),       # a draft is checked when published
])
def test_check_links_to_an_embargoed_post_only_while_it_would_lead_nowhere(
        tmp_path, source_date, source_status, now, error):
    write_post(tmp_path / "news", "2027-01-14-target.md", 'title: "T"\ndate: 2027-01-14 09:00')
    source = write_post(tmp_path / "news", f"{source_date}-source.md",
                        f'title: "S"\ndate: {source_date}\nstatus: {source_status}',
                        "See [the target]({filename}2027-01-14-target.md).\n")
    when = datetime.datetime.fromisoformat(now).replace(tzinfo=LONDON)
    parsed = parse_file(str(source), site_settings(tmp_path), now=when)
    expected = [(7, f"the link {{filename}}2027-01-14-target.md would not work: {tmp_path}/news/"
                    "2027-01-14-target.md is embargoed until Thu 14 January 2027 09:00 GMT, "
                    "after this post goes live; remove the link or give this post a later date")]
    assert [(p.line, p.message) for p in parsed.errors] == (expected if error else [])


@pytest.mark.parametrize("body, message", [
    ("[a page]({filename}../pages/about.md) and [a post]({filename}2025-01-01-other.md).", None),
    ("[x]({filename}2025-01-01-othr.md)",
     "the link {filename}2025-01-01-othr.md points to no post; did you mean "
     "{filename}2025-01-01-other.md?"),
    ("[x]({static}/images/form.pdf)",
     "the link {static}/images/form.pdf points to no file; put the file in {images}/ and "
     "write {static}/images/<file name>"),
    ('<a href="../contact/">x</a>',
     "the link '../contact/' would be broken in feed readers; link to a post or page with "
     "{filename} and its file (e.g. {filename}../pages/contact.md), to a file with {static}, "
     "or write the full https:// address"),
    ("[x](https://example.org/) and [y](#top) and [z](mailto:a@example.org)", None),
    # addresses typed in quotes (newsroom.markdown_inline): the address inside is checked
    ("[x](\u201chttps://example.org/\u201d) [y](\"https://example.org/\") "
     "[z](\u201c{filename}2025-01-01-other.md\u201d)", None),
    ("[x](\u201c{filename}2025-01-01-othr.md\u201d)",
     "the link {filename}2025-01-01-othr.md points to no post; did you mean "
     "{filename}2025-01-01-other.md?"),
    ("[x](\u201c/contact/\u201d)",
     "the link '/contact/' would be broken in feed readers; link to a post or page with "
     "{filename} and its file (e.g. {filename}../pages/contact.md), to a file with {static}, "
     "or write the full https:// address"),
])
def test_check_links(tmp_path, body, message):
    write_post(tmp_path / "news", "2025-01-01-other.md", 'title: "O"\ndate: 2025-01-01')
    write_post(tmp_path / "pages", "about.md", 'title: "About"')
    source = write_post(tmp_path / "news", "2025-01-02-source.md",
                        'title: "S"\ndate: 2025-01-02', body + "\n")
    parsed = parse_file(str(source), site_settings(tmp_path), now=TEST_NOW)
    images = os.path.join(str(tmp_path), "images")
    assert [(p.line, p.message) for p in parsed.problems] == (
        [(6, message.replace("{images}", images))] if message else [])


def test_check_related_names_the_line_of_the_unknown_slug(tmp_path):
    for name in ("2025-01-02-beta.md", "2025-01-03-gamma.md"):
        write_post(tmp_path / "news", name, 'title: "x"\ndate: 2025-01-02')
    alpha = write_post(tmp_path / "news", "2025-01-01-alpha.md",
                       'title: "A"\ndate: 2025-01-01\ntags: [pay]\nrelated:\n  - beta\n  - gama')
    [problem] = parse_file(str(alpha), site_settings(tmp_path)).problems
    assert (problem.line, problem.message) == (
        7, "related: no post has the slug 'gama'; did you mean 'gamma'?")


@pytest.mark.parametrize("name, date, message", [
    ("2025-04-02-pay.md", "2025-04-02 23:30", None),  # the local day counts, not UTC's
    ("2025-04-02-pay.md", "2025-04-09 09:00",
     (3, "the date 2025-04-09 is not the day in the file name (2025-04-02); rename the file "
         "to 2025-04-09-pay.md (the address stays), or correct the date")),
    ("2025-02-29-pay.md", "2025-03-01",
     (1, "the date at the start of the file name '2025-02-29-pay.md' is impossible (there is "
         "no date '2025-02-29' (February 2025 has 28 days); check the day and month); rename "
         "the file to YYYY-MM-DD-slug.md with the post's date")),
])
def test_the_file_name_starts_with_the_post_s_real_day(tmp_path, name, date, message):
    path = write_post(tmp_path / "news", name, f'title: "Pay"\ndate: {date}')
    problems = [(p.line, p.message) for p in parse_file(str(path), site_settings(tmp_path)).errors]
    assert problems == ([message] if message else [])
