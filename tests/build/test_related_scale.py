"""`related:` on every post costs the same per post at 100 and at 800 posts (issue 11).

The content check and the build used to list the content folder once per post with
`related:` (to look its slugs up) and compare every post sharing a tag for "Read more": both
grew with the square of the posts. Here a generated site (tests/generated.py) is checked
and built, in a process of its own as `make html` runs, with the work counted, not timed:
folder listings (`os.scandir`, which `os.walk` uses, and `os.listdir`), file parses
(`newsroom.source`'s one uncached parse) and the posts "Read more" looked at
(`RelatedIndex.visits`).
"""

import json
import subprocess
import sys

from conftest import ROOT, TEST_NOW
from generated import write_site

# The build's command line (`newsroom.build`, as tests/build_at.py runs it) with the work
# counted; the counts are printed as JSON on the last line of stdout.
COUNTING_BUILD = """import collections, datetime, json, os, sys
import time_machine
import newsroom.related as related
import newsroom.source as source
from newsroom.build import main
counts, parsed, indexes = collections.Counter(), collections.Counter(), []
def counting(function, name):
    def counted(*args, **kwargs):
        counts[name] += 1
        return function(*args, **kwargs)
    return counted
os.scandir = counting(os.scandir, "listings")
os.listdir = counting(os.listdir, "listings")
parse, index_related = source._parse, related.index_related
def counted_parse(path, *args):
    parsed[path] += 1
    return parse(path, *args)
def kept_index(published):
    indexes.append(index_related(published))
    return indexes[-1]
source._parse, related.index_related = counted_parse, kept_index
with time_machine.travel(datetime.datetime.fromisoformat(sys.argv[1]), tick=True):
    status = main(sys.argv[2:])
print(json.dumps({**counts, "parses": sum(parsed.values()), "most_parses": max(parsed.values()),
                  "visits": sum(i.visits for i in indexes)}))
sys.exit(status)
"""


def counted_build(folder, posts):
    """Check and build `posts` generated posts in one process (one reading worker, a fresh
    content cache, so every file is parsed here); return the counts."""
    content = write_site(folder, posts)
    proc = subprocess.run(
        [sys.executable, "-c", COUNTING_BUILD, TEST_NOW.isoformat(), str(content), "-s",
         str(ROOT / "pelicanconf.py"), "-o", str(folder / "output"), "--fatal", "warnings",
         "--log-handler", "plain", "-e", "NEWS_SEARCH_INDEX=false",
         "NEWS_READ_WORKERS=1", f"NEWS_CACHE_PATH={json.dumps(str(folder / 'cache'))}"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    counts = json.loads(proc.stdout.splitlines()[-1])
    assert (folder / "output/news/2026/11/post-0/index.html").is_file()
    return counts


def test_related_everywhere_costs_the_same_per_post(tmp_path):
    small, large = (counted_build(tmp_path / str(n), n) for n in (100, 800))
    files = {100: 100 + 4, 800: 800 + 4}   # the posts and the sample's four pages
    for n, counts in ((100, small), (800, large)):
        assert counts["parses"] == files[n] and counts["most_parses"] == 1, counts
    # listings do not grow with the posts at all (the same folders are listed)...
    assert large["listings"] == small["listings"], (small, large)
    # ... and "Read more" looks at about as many posts per article (800 posts: 8x the work)
    assert large["visits"] / 800 <= small["visits"] / 100 * 1.25, (small, large)
