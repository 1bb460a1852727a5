"""Add build-wide values to the template context.

Adds `build_date`: the moment of the build as a timezone-aware `datetime` in `TIMEZONE`
(Europe/London), the same for every template of one run. The footer's copyright year comes
from it, so it is never stale after a rebuild.

Settings read: `TIMEZONE`.
"""

import datetime
from zoneinfo import ZoneInfo

from pelican import signals


def build_date(timezone: str) -> datetime.datetime:
    """Return the current time in `timezone` (an IANA name such as "Europe/London")."""
    return datetime.datetime.now(ZoneInfo(timezone))


def add_build_date(generator) -> None:
    """Put `build_date` in the shared context once per run (Pelican `generator_init` signal)."""
    generator.context.setdefault(
        "build_date", build_date(generator.settings.get("TIMEZONE") or "Europe/London")
    )


def register():
    signals.generator_init.connect(add_build_date)
