"""Dates as editors write them and readers see them, in the site's time zone.

Front matter dates are strict (pelican-facts.md, "Dates": Pelican would read `02/04/2025`
month-first and fill a missing day from the build date): `YYYY-MM-DD` (midnight) or
`YYYY-MM-DD HH:MM`, local time in `TIMEZONE` (Europe/London). Anything else is refused with
advice, never guessed, and so is a local time that a clock change skips or repeats
(python-dateutil's `datetime_exists` / `datetime_ambiguous`; a `datetime` with `fold` would
silently pick one of the two).
"""

from __future__ import annotations

import calendar
import datetime
import re
from zoneinfo import ZoneInfo

from dateutil import tz as dateutil_tz

DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?$")
NUMERIC_DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$")
LONG_DASH_RE = re.compile("[\u2010-\u2015\u2212]")
MONTHS = ("January February March April May June July August September October "
          "November December").split()
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
YEARS = range(1900, 2200)
ISO_ADVICE = "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, for example 2025-04-02 09:30"


def site_timezone(settings: dict) -> ZoneInfo:
    """The site's time zone, Pelican's `TIMEZONE` setting (an IANA name)."""
    return ZoneInfo(settings["TIMEZONE"])


def format_moment(when: datetime.datetime, tz: ZoneInfo | None = None) -> str:
    """Return an aware `when` as "Thu 14 January 2027 09:00 GMT" in `tz` (default its own).

    English names whatever the machine's locale; the zone abbreviation (GMT or BST for
    Europe/London) comes from the tz database.
    """
    local = when.astimezone(tz) if tz else when
    return (f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} "
            f"{local.year} {local:%H:%M} {local.tzname()}")


def parse_date(text: str, tz: ZoneInfo) -> tuple[datetime.datetime | None, str | None]:
    """Read a front-matter date strictly (see the module docstring).

    Returns `(aware datetime in tz, None)`, or `(None, message)` saying what is wrong and
    how to write it.
    """
    text = text.strip()
    m = DATE_RE.match(text)
    if not m:
        return None, date_advice(text)
    year, month, day, hour, minute = (int(g) if g else 0 for g in m.groups())
    if hour > 23 or minute > 59:
        return None, (f"there is no time {hour:02d}:{minute:02d} in {text!r}; the hour is 00 "
                      "to 23 and the minute 00 to 59 (midnight is 00:00)")
    if not 1 <= month <= 12:
        return None, f"there is no month {month} in {text!r}; the month is 01 to 12"
    try:
        local = datetime.datetime(year, month, day, hour, minute, tzinfo=tz)
    except ValueError:
        last = calendar.monthrange(year, month)[1]
        return None, (f"there is no date {text!r} ({MONTHS[month - 1]} {year} has {last} days); "
                      "check the day and month")
    if year not in YEARS:
        return None, f"the year {year} in {text!r} cannot be right; check the date"
    if not dateutil_tz.datetime_exists(local):
        return None, (f"{text} does not exist in {tz.key}: the clocks go forward that night; "
                      "pick a time outside the missing hour")
    if dateutil_tz.datetime_ambiguous(local):
        return None, (f"{text} happens twice in {tz.key}: the clocks go back that night; "
                      "pick a time outside the repeated hour")
    return local, None


def _readings(first: int, second: int, year: int) -> list[tuple[int, int]]:
    """The (day, month) pairs that `first/second/year` can really mean."""
    found = []
    for day, month in ((first, second), (second, first)):
        try:
            datetime.date(year, month, day)
        except ValueError:
            continue
        if (day, month) not in found:
            found.append((day, month))
    return found


def date_advice(text: str) -> str:
    """Explain why `text` is not an accepted date and suggest the accepted form.

    A numeric date such as `02/04/2025` is called ambiguous only when both readings are real
    dates; with one real reading (`13/04/2025`) that one is suggested; with none
    (`02/00/2025`) the accepted form is.
    """
    if LONG_DASH_RE.search(text):
        return (f"date {text!r} contains a long dash, not a hyphen; type it with the '-' key, "
                "for example 2025-04-02 09:30")
    m = NUMERIC_DATE_RE.match(text)
    if m:
        a, b, year_text = m.groups()
        year = int(year_text if len(year_text) == 4 else "20" + year_text)
        readings = _readings(int(a), int(b), year)
        if len(readings) == 2:
            return (f"ambiguous date {text!r}: it could be {int(a)} {MONTHS[int(b) - 1]} "
                    f"or {int(b)} {MONTHS[int(a) - 1]}; write it as "
                    f"{year}-{int(b):02d}-{int(a):02d} (year-month-day) for {int(a)} "
                    f"{MONTHS[int(b) - 1]}")
        if readings:
            day, month = readings[0]
            return (f"date {text!r} is not in the accepted form; write it as "
                    f"{year}-{month:02d}-{day:02d} (year-month-day) for {day} "
                    f"{MONTHS[month - 1]}")
        return (f"date {text!r} is not a real date either way round (day/month or "
                f"month/day); {ISO_ADVICE}")
    if not text:
        return f"the date is empty; {ISO_ADVICE}"
    words = re.findall(r"[A-Za-z]+|\d+", text)
    has_month = any(w.lower()[:3] in [mo.lower()[:3] for mo in MONTHS] for w in words)
    numbers = [w for w in words if w.isdigit()]
    if (has_month and len(numbers) < 2) or (not has_month and len(numbers) < 3):
        return f"date {text!r} is missing a part (day, month or year); {ISO_ADVICE}"
    return f"date {text!r} is not in the accepted form; {ISO_ADVICE}"
