"""newsroom.dates: front-matter dates read strictly, in Europe/London, and shown to editors."""

import datetime

import pytest

from conftest import LONDON
from newsroom.dates import format_moment, parse_date

ISO = "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, for example 2025-04-02 09:30"


@pytest.mark.parametrize("written, expected", [
    ("2025-04-02", datetime.datetime(2025, 4, 2, 0, 0, tzinfo=LONDON)),
    ("2025-04-02 09:30", datetime.datetime(2025, 4, 2, 9, 30, tzinfo=LONDON)),
    ("2025-04-02T09:30", datetime.datetime(2025, 4, 2, 9, 30, tzinfo=LONDON)),
    (" 2025-01-15 23:59 ", datetime.datetime(2025, 1, 15, 23, 59, tzinfo=LONDON)),
    ("2025-03-30 02:00", datetime.datetime(2025, 3, 30, 2, 0, tzinfo=LONDON)),   # after the gap
    ("2025-10-26 02:00", datetime.datetime(2025, 10, 26, 2, 0, tzinfo=LONDON)),  # after the fold
])
def test_parse_date(written, expected):
    when, message = parse_date(written, LONDON)
    assert message is None
    assert when == expected and when.utcoffset() == expected.utcoffset()


def test_parse_date_gives_the_offset_of_the_season():
    summer, _ = parse_date("2025-07-01 09:30", LONDON)
    winter, _ = parse_date("2025-01-10", LONDON)
    assert summer.isoformat() == "2025-07-01T09:30:00+01:00"
    assert winter.isoformat() == "2025-01-10T00:00:00+00:00"


@pytest.mark.parametrize("written, message", [
    ("02/04/2025", "ambiguous date '02/04/2025': it could be 2 April or 4 February; write it "
                   "as 2025-04-02 (year-month-day) for 2 April"),
    ("02/04/25", "ambiguous date '02/04/25': it could be 2 April or 4 February; write it as "
                 "2025-04-02 (year-month-day) for 2 April"),
    # one real reading: that one is suggested
    ("13/04/2025", "date '13/04/2025' is not in the accepted form; write it as 2025-04-13 "
                   "(year-month-day) for 13 April"),
    # no real reading: not called ambiguous, the accepted form is given
    ("02/00/2025", "date '02/00/2025' is not a real date either way round (day/month or "
                   f"month/day); {ISO}"),
    ("31/09/2025", "date '31/09/2025' is not a real date either way round (day/month or "
                   f"month/day); {ISO}"),
    ("April 2025", f"date 'April 2025' is missing a part (day, month or year); {ISO}"),
    ("2025-04", f"date '2025-04' is missing a part (day, month or year); {ISO}"),
    ("2 April 2025", f"date '2 April 2025' is not in the accepted form; {ISO}"),
    ("", f"the date is empty; {ISO}"),
    ("2025-02-30", "there is no date '2025-02-30' (February 2025 has 28 days); check the day "
                   "and month"),
    ("2024-02-30", "there is no date '2024-02-30' (February 2024 has 29 days); check the day "
                   "and month"),
    ("2025-13-01", "there is no month 13 in '2025-13-01'; the month is 01 to 12"),
    ("2025-04-02 25:00", "there is no time 25:00 in '2025-04-02 25:00'; the hour is 00 to 23 "
                         "and the minute 00 to 59 (midnight is 00:00)"),
    ("0001-01-01", "the year 1 in '0001-01-01' cannot be right; check the date"),
    ("2025\u201302\u201308", "date '2025\u201302\u201308' contains a long dash, not a hyphen; "
                             "type it with the '-' key, for example 2025-04-02 09:30"),
    ("2025-03-30 01:30", "2025-03-30 01:30 does not exist in Europe/London: the clocks go "
                         "forward that night; pick a time outside the missing hour"),
    ("2025-10-26 01:30", "2025-10-26 01:30 happens twice in Europe/London: the clocks go back "
                         "that night; pick a time outside the repeated hour"),
])
def test_parse_date_refuses_with_advice(written, message):
    assert parse_date(written, LONDON) == (None, message)


@pytest.mark.parametrize("when, text", [
    (datetime.datetime(2027, 1, 14, 9, 0, tzinfo=LONDON), "Thu 14 January 2027 09:00 GMT"),
    (datetime.datetime(2027, 6, 1, 10, 0, tzinfo=LONDON), "Tue 1 June 2027 10:00 BST"),
])
def test_format_moment(when, text):
    assert format_moment(when.astimezone(datetime.UTC), LONDON) == text
    assert format_moment(when) == text
