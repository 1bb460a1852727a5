"""Add build-wide values, one filter and one test to the templates.

Adds `build_date`: the moment of the build as a timezone-aware `datetime` in `TIMEZONE`
(Europe/London), the same for every template of one run. The footer's copyright year comes
from it, so it is never stale after a rebuild.

Adds the Jinja filter `meta_text` (`newsroom.metatext.meta_text`: a typogrified headline
or standfirst as plain text for `<title>`, meta tags, Open Graph and JSON-LD) and the Jinja
test `organisation` (`byline is organisation`: `newsroom.metatext.is_organisation`, the
JSON-LD type of a byline), to every generator's environment.

Settings read: `TIMEZONE`, `SITENAME`, `AUTHOR`, `NEWS_ORGANISATION_BYLINES`.
"""

import datetime
import functools

from pelican import signals

from newsroom.dates import site_timezone
from newsroom.metatext import is_organisation, meta_text


def add_build_date(generator) -> None:
    """Put `build_date` in the shared context once per run (Pelican `generator_init` signal)."""
    generator.context.setdefault("build_date",
                                 datetime.datetime.now(site_timezone(generator.settings)))


def add_template_helpers(generator) -> None:
    """Add the `meta_text` filter and the `organisation` test to the generator's Jinja
    environment (Pelican `generator_init`, sent after the environment is made)."""
    generator.env.filters["meta_text"] = meta_text
    generator.env.tests["organisation"] = functools.partial(
        _organisation, {k: generator.settings.get(k) for k in (
            "SITENAME", "AUTHOR", "NEWS_ORGANISATION_BYLINES")})


def _organisation(settings: dict, name) -> bool:
    return is_organisation(name, settings)


def register():
    signals.generator_init.connect(add_build_date)
    signals.generator_init.connect(add_template_helpers)
