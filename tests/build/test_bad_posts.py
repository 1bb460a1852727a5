"""The bad-posts fixture (tests/fixtures/bad_posts/): every content message, end to end.

One post per problem; expected.txt holds the exact lines `make check` prints. The fixture is
checked once (`python -m newsroom.check`, what `make check` runs) and built once through
the real pipeline (`newsroom.build` with `--fatal warnings`, what `make html` runs), and
every test reads those two runs.
"""

import types

import pytest

from conftest import ROOT, build
from helpers import BAD, expected_lines, run_module, tree_hash

# valid on their own: link targets, and the first of two posts sharing a slug
VALID_IN_BAD = {"2025-01-30-a-draft.md", "2099-01-01-embargoed.md", "2025-01-17-same-slug.md"}
EXPECTED = expected_lines(BAD)


@pytest.fixture(scope="module")
def bad_posts(tmp_path_factory):
    """The check's and the build's runs over the fixture, and its hashes before and after."""
    before = tree_hash(BAD)
    check = run_module("newsroom.check", "--settings", ROOT / "pelicanconf.py", BAD)
    built = build(tmp_path_factory.mktemp("bad") / "output", content=BAD)
    return types.SimpleNamespace(check=check, build=built, before=before, after=tree_hash(BAD))


def test_check_prints_exactly_the_expected_lines(bad_posts):
    assert bad_posts.check.returncode == 1
    assert bad_posts.check.stdout.splitlines() == EXPECTED
    errors = sum(": error: " in line for line in EXPECTED)
    assert bad_posts.check.stderr == (f"check: {errors} error(s), {len(EXPECTED) - errors} "
                                      "warning(s); fix the errors before publishing\n")


def test_every_bad_post_has_its_own_line():
    bad_files = {p.name for p in (BAD / "news").iterdir()} - VALID_IN_BAD
    assert len(bad_files) >= 25
    assert {line.split(":")[0].rsplit("/", 1)[-1] for line in EXPECTED
            if "/news/" in line} == bad_files


def test_every_line_is_path_line_level_message_and_fix():
    for line in EXPECTED:
        path, number, level, message = line.split(":", 3)
        assert (ROOT / path).is_file(), line
        assert number.isdigit() and int(number) >= 1, line
        assert level in (" error", " warning"), line
        assert "; " in message, f"no fix given: {line}"


def test_the_build_prints_every_line_and_refuses(bad_posts):
    log = bad_posts.build.log
    assert bad_posts.build.returncode == 1, log
    assert "Traceback" not in log
    assert log.splitlines()[:len(EXPECTED)] == EXPECTED
    errors = sum(": error: " in line for line in EXPECTED)
    assert log.splitlines()[-1] == (f"build: error: the content check found {errors} error(s) "
                                    "(listed above); nothing was built")
    assert not bad_posts.build.output.exists()


def test_nothing_in_the_fixture_changes(bad_posts):
    assert bad_posts.after == bad_posts.before
