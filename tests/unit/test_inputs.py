"""newsroom.deploy.inputs: the front-matter lines read for the next embargo time agree
with newsroom.source, and lines they cannot settle go to newsroom.source instead."""

import datetime

import pytest

from conftest import CONTENT, LONDON, ROOT
from helpers import site_settings

from newsroom.dates import site_timezone
from newsroom.deploy.inputs import front_matter_lines, next_embargo, post_live_moment
from newsroom.source import read


@pytest.mark.parametrize("text, values", [
    ("---\ntitle: A\ndate: 2025-07-29 09:30\nstatus: draft\n---\nBody\n",
     {"date": "2025-07-29 09:30", "status": "draft"}),
    ('\ufeff---\r\ndate: "2025-07-29"\r\n...\r\ndate: 2030-01-01\r\n', {"date": "2025-07-29"}),
    ("---\nsummary: |\n  date: 2030-01-01\n---\n", {}),          # inside a block: not a key
    ("---\ndate: 2025-07-29 # embargo\n---\n", None),            # a comment
    ("---\ndate: 2025-07-29\n  09:30\n---\n", None),             # continued on the next line
    ("---\ndate: 2025-07-29\ndate: 2030-01-01\n---\n", None),    # given twice
    ('---\n"date": 2030-01-01\n---\n', None),                    # a quoted key
    ("---\ndate: 2025-07-29\n", None),                           # never closed
    ("title: A\ndate: 2025-07-29\n", None),                      # no front matter
])
def test_front_matter_lines(text, values):
    assert front_matter_lines(text) == values


def test_lines_agree_with_the_full_parse_for_every_post_without_errors():
    posts = sorted((CONTENT / "news").glob("*.md")) + sorted(
        (ROOT / "tests/fixtures").glob("**/news/*.md"))
    settings = site_settings()
    agreed = 0
    for path in posts:
        local = {**settings, "PATH": str(path.parent.parent)}
        parsed = read(str(path), local)
        if parsed.errors:
            continue  # never deployed: the check stops the build
        assert post_live_moment(str(path), local, site_timezone(local)) == (
            parsed.status, parsed.metadata.get("date")), path
        agreed += 1
    assert agreed >= 40


def test_next_embargo(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    for name, front in [("2030-01-01-later.md", "date: 2030-01-01 09:00"),
                        ("2029-06-01-draft.md", "date: 2029-06-01\nstatus: draft"),
                        ("2029-07-01-soon.md", "date: 2029-07-01 08:00  # odd: full parse"),
                        ("2020-01-01-past.md", "date: 2020-01-01")]:
        (news / name).write_text(f"---\ntitle: T\n{front}\n---\nBody text.\n")
    settings = site_settings(content=tmp_path)
    now = datetime.datetime(2025, 1, 1, tzinfo=LONDON)
    assert next_embargo(settings, now) == datetime.datetime(2029, 7, 1, 8, 0, tzinfo=LONDON)
    assert next_embargo(settings, datetime.datetime(2031, 1, 1, tzinfo=LONDON)) is None
