"""Bad input fails the build with a `path:line: error:` message; good input renders right.

Each case is a one-post site built by the real Pelican CLI (`--fatal warnings`) and checked
by tools/check_content.py, the check `make html` runs before Pelican.
"""

import datetime
import re
import shutil
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from conftest import CONTENT, LONDON, ROOT, build, write_post

import front_matter

GOOD = """title: "A post"
date: {date}
category: Pay"""

BAD_DATES = {
    # kind: (date as written, words the message must contain)
    "day-month order": ("02/04/2025", "ambiguous date '02/04/2025'"),
    "missing day": ("April 2025", "missing a part"),
    "missing day, numeric": ("2025-04", "missing a part"),
    "impossible": ("2025-02-30", "there is no date '2025-02-30'"),
    "words": ("2 April 2025", "not in the accepted form"),
    "empty": ('""', "the date is empty"),
    "clocks go forward": ("2025-03-30 01:30", "does not exist in Europe/London"),
    "clocks go back": ("2025-10-26 01:30", "happens twice in Europe/London"),
}


def pelican_build(tmp_path, content):
    return build(tmp_path / "output", content=content)


def run_check(content):
    return subprocess.run([sys.executable, str(ROOT / "tools/check_content.py"), str(content)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("kind", BAD_DATES)
def test_bad_date_fails_the_build_with_path_and_line(tmp_path, kind):
    written, words = BAD_DATES[kind]
    post = write_post(tmp_path / "content/news", "2025-04-02-pay.md", GOOD.format(date=written))
    result = pelican_build(tmp_path, tmp_path / "content")
    assert result.returncode != 0
    first = result.log.splitlines()[0]
    assert first.startswith(f"{post}:3: error: "), result.log
    assert words in first
    assert not (tmp_path / "output/news").exists()
    check = run_check(tmp_path / "content")
    assert check.returncode == 1
    assert check.stdout.splitlines() == [first]


def test_missing_date_names_the_file(tmp_path):
    post = write_post(tmp_path / "content/news", "2025-04-02-pay.md", 'title: "A post"')
    result = pelican_build(tmp_path, tmp_path / "content")
    assert result.returncode != 0
    assert result.log.startswith(f"{post}:2: error: the date is missing")


@pytest.mark.parametrize("written, expected", [
    ("2025-04-02", datetime.datetime(2025, 4, 2, 0, 0, tzinfo=LONDON)),
    ("2025-04-02 09:30", datetime.datetime(2025, 4, 2, 9, 30, tzinfo=LONDON)),
    ("2025-01-15 23:59", datetime.datetime(2025, 1, 15, 23, 59, tzinfo=LONDON)),
    ("2025-03-30 01:30", None),  # in the hour skipped when the clocks go forward
    ("2025-03-30 02:00", datetime.datetime(2025, 3, 30, 2, 0, tzinfo=LONDON)),
    ("2025-10-26 01:30", None),  # in the hour repeated when the clocks go back
    ("2025-10-26 02:00", datetime.datetime(2025, 10, 26, 2, 0, tzinfo=LONDON)),
])
def test_parse_date(written, expected):
    when, message = front_matter.parse_date(written, LONDON)
    assert when == expected
    assert (message is None) == (expected is not None)
    if when:
        assert when.utcoffset() == expected.utcoffset()


def test_good_post_date_and_offset_in_summer_and_winter(tmp_path):
    content = tmp_path / "content"
    write_post(content / "news", "2025-07-01-summer.md", GOOD.format(date="2025-07-01 09:30"))
    write_post(content / "news", "2025-01-10-winter.md", GOOD.format(date="2025-01-10"))
    result = pelican_build(tmp_path, content)
    assert result.returncode == 0, result.log
    summer = BeautifulSoup((result.output / "news/2025/07/summer/index.html").read_bytes(),
                           "html5lib")
    winter = BeautifulSoup((result.output / "news/2025/01/winter/index.html").read_bytes(),
                           "html5lib")
    assert summer.find("time", datetime="2025-07-01T09:30:00+01:00")
    assert "1 July 2025" in summer.get_text()
    assert winter.find("time", datetime="2025-01-10T00:00:00+00:00")
    assert "10 January 2025" in winter.get_text()


def test_slug_comes_from_the_file_name(tmp_path):
    content = tmp_path / "content"
    write_post(content / "news", "2025-04-02-pay-award.md",
               'title: "A completely different headline"\ndate: 2025-04-02')
    result = pelican_build(tmp_path, content)
    assert result.returncode == 0, result.log
    assert (result.output / "news/2025/04/pay-award/index.html").is_file()


@pytest.mark.parametrize("front, line, words", [
    ('title: "A post"\ndate: 2025-04-02\ncategory: Sport', 4, "unknown category 'Sport'"),
    ('title: "A post"\ndate: 2025-04-02\ncatgory: Pay', 4, "did you mean 'category'?"),
    ('title: ""\ndate: 2025-04-02', 2, "the title is missing or empty"),
    ('title: Chair: we will not accept this\ndate: 2025-04-02', 2, "put the whole value in"),
    ('title: "A post"\ndate: 2025-04-02\nstatus: live', 4, "status 'live' is not allowed"),
    ('title: "A post"\ndate: 2025-04-02\ntitle: "Again"', 4, "given twice"),
    ('title: "A post"\ndate: 2025-04-02\nimage: images/none.jpg\nimage_alt: "x"', 4,
     "image 'images/none.jpg' does not exist"),
])
def test_bad_field_fails_with_path_and_line(tmp_path, front, line, words):
    post = write_post(tmp_path / "content/news", "2025-04-02-pay.md", front)
    result = pelican_build(tmp_path, tmp_path / "content")
    assert result.returncode != 0
    first = result.log.splitlines()[0]
    assert first.startswith(f"{post}:{line}: error: ") and words in first, result.log


def test_yaml_keeps_words_as_text(tmp_path):
    content = tmp_path / "content"
    write_post(content / "news", "2025-04-02-no.md", "title: No\ndate: 2025-04-02")
    result = pelican_build(tmp_path, content)
    assert result.returncode == 0, result.log
    page = BeautifulSoup((result.output / "news/2025/04/no/index.html").read_bytes(), "html5lib")
    assert page.h1.get_text().strip() == "No"


def test_typogrify_leaves_code_attributes_and_urls_alone(tmp_path):
    content = tmp_path / "content"
    body = (
        'Officers said "it\'s fair" -- mostly. PFEW & HMICFRS agreed.\n\n'
        '<style>.x { color: #FFF; }</style>\n\n'
        '    a "quoted" -- code block\n\n'
        "Inline `\"code\" -- here` and [a link](https://example.org/a--b?name=o'neil \"a 'title' -- here\").\n\n"
        '<abbr title="Police Federation of England and Wales -- PFEW">PFEW</abbr>\n'
    )
    write_post(content / "news", "2025-04-02-typo.md",
               'title: "Fire & Rescue \\"pay\\" talks -- HMICFRS</script>"\ndate: 2025-04-02',
               body)
    result = pelican_build(tmp_path, content)
    assert result.returncode == 0, result.log
    html = (result.output / "news/2025/04/typo/index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html5lib")
    article = page.find("article")
    text = article.get_text()
    assert "\u201cit\u2019s fair\u201d \u2013 mostly" in text
    assert '<span class="amp">&amp;</span>' in str(article)
    assert article.find("pre").get_text() == 'a "quoted" -- code block\n'
    assert article.find("code", string=re.compile("here")).get_text() == '"code" -- here'
    assert article.find("a", href=re.compile("example.org"))["href"] == "https://example.org/a--b?name=o'neil"
    assert "#FFF" in html and 'class="caps">FFF' not in html
    assert article.find("abbr")["title"] == "Police Federation of England and Wales -- PFEW"
    # the title is plain text in <title> and meta tags, and cannot break out of them
    assert page.title.get_text().startswith('Fire & Rescue \u201cpay\u201d talks \u2013 HMICFRS</script> \u2013 ')
    assert page.h1.get_text().strip().endswith('HMICFRS</script>')
    assert "<span" not in re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert html.count("</script>") == html.count("<script")


def test_draft_is_not_written(tmp_path):
    content = tmp_path / "content"
    write_post(content / "news", "2025-04-02-draft.md",
               'title: "Secret"\ndate: 2025-04-02\nstatus: draft', "Zanzibar phrase.\n")
    write_post(content / "news", "2025-04-01-real.md", 'title: "Real"\ndate: 2025-04-01')
    result = pelican_build(tmp_path, content)
    assert result.returncode == 0, result.log
    for f in result.output.rglob("*"):
        if f.is_file():
            assert b"Zanzibar" not in f.read_bytes() and b"Secret" not in f.read_bytes(), f


def test_check_reports_every_problem_and_changes_nothing(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    write_post(content / "news", "2025-04-02-one.md", GOOD.format(date="02/04/2025"))
    write_post(content / "news", "2025-04-03-two.md", GOOD.format(date="April 2025"))
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    result = run_check(content)
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 2
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before


def test_check_passes_on_the_sample_content():
    result = run_check(CONTENT)
    assert result.returncode == 0 and result.stdout == "", result.stdout
