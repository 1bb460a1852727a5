"""Contact details and quick links in every page: `newsroom.sitedata` as a Pelican plugin.

Adds the template variable `site_data` (see `newsroom.sitedata`) to the shared context,
once per run. Each problem in the file is logged as `data/site.yml:LINE: error: ...`, so
`pelican --fatal warnings` fails the build.

Settings read: `NEWS_SITE_DATA`, the file's path; a relative path is read from the working
directory, which is the repository root for `make` and the tests.
"""

import logging

from pelican import signals

from newsroom.problems import format_problem
from newsroom.sitedata import load_site_data

logger = logging.getLogger(__name__)


def add_site_data(generator) -> None:
    """Put `site_data` in the shared context, once per run (Pelican `generator_init`)."""
    if "site_data" not in generator.context:
        data, problems = load_site_data(generator.settings["NEWS_SITE_DATA"])
        for problem in problems:
            logger.error("%s", format_problem(problem))
        generator.context["site_data"] = data


def register():
    signals.generator_init.connect(add_site_data)
