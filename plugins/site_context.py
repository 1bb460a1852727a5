"""Add build-wide values to the template context.

Adds `build_date`: the moment of the build as a timezone-aware `datetime` in `TIMEZONE`
(Europe/London), the same for every template of one run. The footer's copyright year comes
from it, so it is never stale after a rebuild.

Settings read: `TIMEZONE`.
"""

import datetime

from pelican import signals

from newsroom.dates import site_timezone


def add_build_date(generator) -> None:
    """Put `build_date` in the shared context once per run (Pelican `generator_init` signal)."""
    generator.context.setdefault("build_date",
                                 datetime.datetime.now(site_timezone(generator.settings)))


def register():
    signals.generator_init.connect(add_build_date)
