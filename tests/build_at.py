"""Run the real `pelican` command line with the clock set to a given moment.

Usage: python tests/build_at.py ISO_DATETIME PELICAN_ARGS...

Tests build the site "as of" a fixed time so that embargoes and the copyright year are
deterministic; everything else is Pelican's own CLI (`pelican.main`) in a fresh process,
so no log state leaks from one build to the next. Exit status is Pelican's.
"""

import datetime
import sys

import time_machine
from pelican import main

if __name__ == "__main__":
    moment = datetime.datetime.fromisoformat(sys.argv[1])
    with time_machine.travel(moment, tick=True):
        main(sys.argv[2:])
