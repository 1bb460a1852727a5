"""newsroom.new: the draft `make new` writes, its slug, and what it refuses (plain calls)."""

import datetime

import pytest

from conftest import LONDON
from helpers import site_settings, tree_hash
from newsroom.new import MAX_SLUG, Refused, make_slug, new_post
from newsroom.source import parse_file

SETTINGS = site_settings()


@pytest.mark.parametrize("title, slug", [
    ("Pay award announced", "pay-award-announced"),
    ("\u00a31,000 bonus for every officer", "1000-bonus-for-every-officer"),
    ("\u0174yl y Cyngor: S\u00een a\u2019r \u0177d \u00e2 ni", "wyl-y-cyngor-sin-ar-yd-a-ni"),
    ("5% rise & more", "5-percent-rise-and-more"),
    ("Officers\u2019 pay_review \u2014 \u201cnot enough\u201d", "officers-pay-review-not-enough"),
    ("\U0001F389\U0001F389", ""),
    ("A" * 30 + " " + "b" * 40, "a" * 30),
])
def test_make_slug(title, slug):
    assert make_slug(title, SETTINGS["SLUG_REGEX_SUBSTITUTIONS"]) == slug
    assert len(slug) <= MAX_SLUG


def test_new_post(tmp_path):
    now = datetime.datetime(2025, 4, 2, 9, 30, 41, tzinfo=LONDON)
    path = new_post(str(tmp_path), SETTINGS, '  Pay  "award"  ', category="pay", now=now)
    assert path == str(tmp_path / "news/2025-04-02-pay-award.md")
    parsed = parse_file(path, site_settings(tmp_path))
    assert parsed.metadata["title"] == 'Pay "award"' and parsed.status == "draft"
    assert parsed.metadata["category"] == "Pay"
    assert parsed.metadata["date"] == now.replace(second=0)
    assert [p.level for p in parsed.problems] == ["warning"]     # the placeholder text


@pytest.mark.parametrize("kwargs, message", [
    ({"title": "\U0001F389"}, "the title '\U0001F389' gives no usable address (slug); add one "
                              "in plain words: make new TITLE=... SLUG=words-for-the-address"),
    ({"title": "   "}, 'the title is empty; give one: make new TITLE="Pay award announced"'),
    ({"title": "Pay\x07"}, "the title contains a control character; type it again"),
    ({"title": "Pay", "category": "Sport"},
     "unknown category 'Sport'; use one of News, Pay, Welfare, Awards, Events, Campaigns"),
    ({"title": "Pay", "date": "02/04/2025"},
     "DATE: ambiguous date '02/04/2025': it could be 2 April or 4 February; write it as "
     "2025-04-02 (year-month-day) for 2 April"),
    ({"title": "Pay", "date": "2025-03-30 01:30"},
     "DATE: 2025-03-30 01:30 does not exist in Europe/London: the clocks go forward that "
     "night; pick a time outside the missing hour"),
    ({"title": "Pay", "slug": "Pay Award"},
     "slug 'Pay Award' must be lower-case letters, digits and hyphens, e.g. SLUG=pay-award"),
])
def test_new_post_refuses_and_writes_nothing(tmp_path, kwargs, message):
    with pytest.raises(Refused) as refused:
        new_post(str(tmp_path), SETTINGS, **kwargs)
    assert str(refused.value) == message
    assert not any(tmp_path.rglob("*"))


def test_new_post_never_overwrites(tmp_path):
    first = new_post(str(tmp_path), SETTINGS, "Pay award", date="2025-04-02")
    before = tree_hash(tmp_path)
    for date in ("2025-04-02", "2025-05-01"):           # same file, and same slug elsewhere
        with pytest.raises(Refused, match=f"{first} already uses the address 'pay-award'"):
            new_post(str(tmp_path), SETTINGS, "Pay award", date=date)
    assert tree_hash(tmp_path) == before
    other = new_post(str(tmp_path), SETTINGS, "Pay award", date="2025-05-01", slug="pay-award-may")
    assert other.endswith("news/2025-05-01-pay-award-may.md")
