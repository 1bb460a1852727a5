"""Production settings: everything in pelicanconf.py, plus an absolute SITEURL and feeds.

Used by `make publish` and `make deploy` (the pelican-quickstart idiom).
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# --- URLs -----------------------------------------------------------------------------
SITEURL = "https://news.northvale-polfed.example"
RELATIVE_URLS = False

# --- Feeds ----------------------------------------------------------------------------
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
