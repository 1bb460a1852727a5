"""Corrections to published stories: the rules for `correction:` and `correction_date:`.

`check_correction` is one of `newsroom.fields.check_fields`'s rules (the file's parse,
cached); `correction_in_future` needs the build's clock, so `newsroom.source.parse_file`
runs it on every read. Each problem goes into the `Findings` with its field's line.
"""

from __future__ import annotations

import datetime

from .problems import Findings

MAX_CORRECTION = 600  # characters in a correction notice (a few sentences, shown in full)


def check_correction(metadata: dict, fields: dict, typos: set, found: Findings) -> None:
    """A correction is two fields: `correction:` (the notice, plain text, at most
    `MAX_CORRECTION` characters) and `correction_date:` (when it was corrected, written as
    `date:` is), never one without the other, and not before the post's `date:`.

    A date in the future is checked with the build's clock by `correction_in_future`. The
    notice is shown on the article, at the top of its feed entries and in its JSON-LD as a
    schema.org CorrectionComment (https://schema.org/correction).
    """
    text, when = metadata.get("correction"), metadata.get("correction_date")
    if "correction" in metadata and not text:
        found.error(fields["correction"].line, "correction: is empty; write what was wrong "
                    "and what is right, or remove the correction: line")
        metadata.pop("correction")
    elif text and len(text) > MAX_CORRECTION:
        found.error(fields["correction"].line, f"the correction is {len(text)} characters; "
                    f"keep the notice to {MAX_CORRECTION} or fewer (say what was wrong and "
                    "what is right; correct the story itself in the text)")
    if text and "correction_date" not in fields and "correction_date" not in typos:
        found.error(fields["correction"].line, "the correction has no date; add a line "
                    "like: correction_date: 2025-04-03 14:00 (when the story was corrected)")
    if "correction_date" in fields and "correction" not in fields and (
            "correction" not in typos):
        found.error(fields["correction_date"].line, "correction_date: is given but there "
                    "is no correction: text; add correction: \"What was wrong and what is "
                    "right.\", or remove correction_date:")
    date = metadata.get("date")
    if isinstance(when, datetime.datetime) and isinstance(date, datetime.datetime) and (
            when < date):
        same_day = when.date() == date.date() and (when.hour, when.minute) == (0, 0)
        found.error(fields["correction_date"].line, "correction_date: is before date:; a "
                    "story is corrected after it is published, so write when the correction "
                    "was made" + (f" (a date without a time is midnight: add the time, e.g. "
                                  f"correction_date: {when:%Y-%m-%d} "
                                  f"{max(date, date.replace(hour=17, minute=0)):%H:%M})"
                                  if same_day else ""))


def correction_in_future(metadata: dict, fields: dict, now: datetime.datetime,
                         found: Findings) -> None:
    """A `correction_date:` after the aware `now` (the build's clock) is an error: the
    notice would tell readers of a correction not yet made. Kept apart from
    `check_correction` because a file's parse is cached and this depends on the clock."""
    when = metadata.get("correction_date")
    if isinstance(when, datetime.datetime) and when > now and "correction_date" in fields:
        found.error(fields["correction_date"].line, "correction_date: is in the future; "
                    "write when the story was corrected (now or earlier), e.g. "
                    "correction_date: " + now.astimezone(when.tzinfo).strftime("%Y-%m-%d %H:%M"))
