"""Run the site build (`python -m newsroom.build`, what `make html` runs) with the clock set
to a given moment.

Usage: python tests/build_at.py ISO_DATETIME BUILD_ARGS...   (cwd: the repository root, on
PYTHONPATH so that publishconf.py finds pelicanconf.py, as `python -m` would)

Tests build the site "as of" a fixed time so that embargoes and the copyright year are
deterministic; everything else is the real pipeline in a fresh process, so no log state or
parse cache leaks from one build to the next. Exit status is the build's.
"""

import datetime
import sys

import time_machine

from newsroom.build import main

if __name__ == "__main__":
    moment = datetime.datetime.fromisoformat(sys.argv[1])
    with time_machine.travel(moment, tick=True):
        sys.exit(main(sys.argv[2:]))
