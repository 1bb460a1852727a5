"""Snapshots of a tiny fixture site: the home page, one article and the Atom feed, byte for byte.

tests/fixtures/tiny/content/ (2 posts, 1 page) is built once with the real theme and
publishconf.py at TEST_NOW, so the footer's year, and the feed's <updated> (the newest
post's date, not the clock), are fixed. Only the stylesheet's content hash
(theme/css/site.<hash>.css) is normalised: it changes with every CSS edit, which the
budget and hashing tests cover. An intended change: `make snapshots` (pytest
--update-snapshots) rewrites tests/fixtures/tiny/snapshots/; review the diff and commit it.
"""

import difflib
import re

import pytest

from conftest import build
from helpers import TINY

SNAPSHOTS = TINY / "snapshots"
# snapshot file -> the built file it records
PAGES = {"index.html": "index.html",
         "article.html": "news/2025/03/pay-award/index.html",
         "all.atom.xml": "feeds/all.atom.xml"}
CSS_HASH_RE = re.compile(r"theme/css/site\.[0-9a-f]{8}\.css")


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    result = build(tmp_path_factory.mktemp("tiny") / "output", content=TINY / "content",
                   conf="publishconf.py")
    assert result.returncode == 0, result.log
    return result.output


def normalise(text):
    """`text` with the stylesheet's content hash replaced by HASH."""
    return CSS_HASH_RE.sub("theme/css/site.HASH.css", text)


def diff_lines(text):
    # the feed is written with few line breaks: one element per line makes a readable diff
    return text.replace("><", ">\n<").splitlines(keepends=True)


def compare(expected, actual, name):
    """Fail with a unified diff of `expected` (the snapshot) against `actual` (the build)."""
    if actual != expected:
        diff = "".join(difflib.unified_diff(diff_lines(expected), diff_lines(actual),
                                            fromfile=f"snapshots/{name}",
                                            tofile=f"built {PAGES.get(name, name)}"))
        pytest.fail(f"{name} differs from its snapshot (if the change is intended, run "
                    f"`make snapshots` and review the diff):\n{diff}", pytrace=False)


@pytest.mark.parametrize("name", PAGES)
def test_snapshot(request, tiny_site, name):
    built = (tiny_site / PAGES[name]).read_text(encoding="utf-8")
    if name.endswith(".html"):
        assert len(CSS_HASH_RE.findall(built)) == 1, "one hashed stylesheet link per page"
    actual = normalise(built)
    path = SNAPSHOTS / name
    if request.config.getoption("--update-snapshots"):
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run `make snapshots`"
    compare(path.read_text(encoding="utf-8"), actual, name)


def test_a_snapshot_mismatch_prints_a_unified_diff():
    expected = "<feed><title>Pay</title>\n<updated>2025</updated></feed>\n"
    with pytest.raises(pytest.fail.Exception) as failed:
        compare(expected, expected.replace("Pay", "Pay award"), "all.atom.xml")
    message = str(failed.value)
    assert "--- snapshots/all.atom.xml\n+++ built feeds/all.atom.xml\n" in message
    assert "\n-<title>Pay</title>\n+<title>Pay award</title>\n" in message
    compare(expected, expected, "all.atom.xml")     # equal: no failure
