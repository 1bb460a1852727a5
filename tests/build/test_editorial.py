"""The editors' commands: `make check` over bad and pasted posts, `make new`, `make status`,
`make hooks`. Each runs the real command line (`make`, git) and compares exact output.

Fixtures: tests/fixtures/bad_posts/ (one problem per post; expected.txt holds the exact
lines `make check` prints) and tests/fixtures/pasted/ (text pasted from a word processor
and a web page, which must render correctly or warn).
"""

import datetime
import os
import pathlib
import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from conftest import CONTENT, LONDON, ROOT, build, write_post
from editorial_helpers import copy_repo, make, tree_hash

import front_matter

sys.path.insert(0, str(ROOT / "tools"))
import new_post  # noqa: E402

BAD = ROOT / "tests/fixtures/bad_posts"
PASTED = ROOT / "tests/fixtures/pasted"
# valid on their own: link targets, and the first of two posts sharing a slug
VALID_IN_BAD = {"2025-01-30-a-draft.md", "2099-01-01-embargoed.md", "2025-01-17-same-slug.md"}
SETTINGS = {"NEWS_CATEGORIES": ["News", "Pay"], "TIMEZONE": "Europe/London"}


def expected_lines(folder):
    return (folder / "expected.txt").read_text(encoding="utf-8").splitlines()


def test_make_check_prints_exactly_the_expected_line_for_each_bad_post():
    before = tree_hash(BAD)
    result = make("check", f"INPUTDIR={BAD}")
    assert result.returncode != 0
    assert result.stdout.splitlines() == expected_lines(BAD)
    assert "Traceback" not in result.stdout + result.stderr
    # every bad post has its own line, and there are at least 25 of them
    bad_files = {p.name for p in (BAD / "news").iterdir()} - VALID_IN_BAD
    assert len(bad_files) >= 25
    named = {line.split(":")[0].rsplit("/", 1)[-1] for line in expected_lines(BAD)}
    assert named == bad_files
    assert tree_hash(BAD) == before


def test_every_line_is_path_line_level_message_and_fix():
    for line in expected_lines(BAD):
        path, number, level, message = line.split(":", 3)
        assert (ROOT / path).is_file(), line
        assert number.isdigit() and int(number) >= 1, line
        assert level in (" error", " warning"), line
        assert "; " in message, f"no fix given: {line}"


def test_the_build_reports_the_same_errors_and_publishes_none_of_the_bad_posts(tmp_path):
    # Without --fatal, Pelican goes on past each error, so every message can be seen.
    proc = subprocess.run([sys.executable, "tests/build_at.py", "2026-11-30T12:00:00+00:00",
                           str(BAD), "-s", "pelicanconf.py", "-o", str(tmp_path / "all"),
                           "--log-handler", "plain"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "COLUMNS": "400"})
    log = proc.stdout + proc.stderr
    # check-only rules (they need every file at once): the .txt file and the shared slug
    per_file = [line for line in expected_lines(BAD) if ": error: " in line
                and ".txt:" not in line and "is also used by" not in line]
    for line in per_file:
        assert line in log.splitlines(), line
    assert ": warning: " not in log     # never logged by the reader: --fatal would stop
    written = {p.parent.name for p in (tmp_path / "all/news").glob("20*/*/*/index.html")}
    assert written == {"same-slug", "alt-without-image", "single-line-breaks"}
    # With --fatal warnings (make html, make publish, make deploy) the first error stops it.
    fatal = build(tmp_path / "output", content=BAD)
    assert fatal.returncode != 0
    assert fatal.log.splitlines()[0] in per_file


def test_pasted_text_renders_correctly_and_only_single_line_breaks_warn(tmp_path):
    before = tree_hash(PASTED)
    check = make("check", f"INPUTDIR={PASTED}")
    assert check.returncode == 0
    assert check.stdout.splitlines() == expected_lines(PASTED)
    html = make("html", f"INPUTDIR={PASTED}", f"OUTPUTDIR={tmp_path / 'out'}")
    # make html runs the check first: the warning is shown, and the build still succeeds
    assert html.returncode == 0, html.stdout + html.stderr
    assert expected_lines(PASTED)[0] in html.stdout.splitlines()
    page = BeautifulSoup((tmp_path / "out/news/2025/03/word-paste/index.html").read_bytes(),
                         "html5lib")
    prose = page.find(class_="prose")
    lists = prose.find_all("ul")
    assert [len(ul.find_all("li")) for ul in lists] == [3, 2]          # bullets, en-dash list
    assert lists[0].find("li").get_text().startswith("overtime is")
    assert not any(c in prose.get_text() for c in "\u2022\u25aa\ufeff\r")
    quote = next(p for p in prose.find_all("p") if "chair said" in p.get_text())
    assert '"' not in quote.get_text() and "'" not in quote.get_text()  # all curly
    assert "\u2013 Si\u00e2n Pritchard" in prose.find("blockquote").get_text()  # attribution kept
    assert page.h1.get_text().replace("\u00a0", " ") == "Pay talks: what members told us"
    web = BeautifulSoup((tmp_path / "out/news/2025/03/web-paste/index.html").read_bytes(),
                        "html5lib")
    assert len(web.find(class_="prose").find_all("p")) == 1   # what the warning says
    assert tree_hash(PASTED) == before                         # normalised in memory only


def test_a_non_utf8_file_is_an_error_not_a_guess(tmp_path):
    post = tmp_path / "news/2025-04-02-pay.md"
    post.parent.mkdir(parents=True)
    post.write_bytes('---\ntitle: "Pay"\ndate: 2025-04-02\n---\n\nThe chair\u2019s view.\n'
                     .encode("cp1252"))
    parsed = front_matter.parse_file(str(post), {"PATH": str(tmp_path)})
    assert [(p.line, p.level) for p in parsed.problems] == [(6, "error")]
    assert "byte 0x92" in parsed.problems[0].message


@pytest.mark.parametrize("body, expected", [
    ("Intro:\n\u2022 one\n\u2022 two\nAfter.", "Intro:\n\n- one\n- two\n\nAfter."),
    ("\u2013 one\n\u2013 two", "- one\n- two"),
    ("> quote\n>\n\u2013 Name, chair", "> quote\n>\n\u2013 Name, chair"),   # one dash line
    ("```\n\u2022 code\n```", "```\n\u2022 code\n```"),
    ("\u00a0\u25aa\u00a0x", "- x"),
])
def test_normalise_pasted(body, expected):
    assert front_matter.normalise_pasted(body) == expected


@pytest.mark.parametrize("when, text", [
    (datetime.datetime(2027, 1, 14, 9, 0, tzinfo=LONDON), "Thu 14 January 2027 09:00 GMT"),
    (datetime.datetime(2027, 6, 1, 10, 0, tzinfo=LONDON), "Tue 1 June 2027 10:00 BST"),
])
def test_format_moment(when, text):
    assert front_matter.format_moment(when.astimezone(datetime.UTC), LONDON) == text


# --- make new ---------------------------------------------------------------------------

@pytest.mark.parametrize("title, slug", [
    ("Pay award announced", "pay-award-announced"),
    ("\u00a31,000 bonus for every officer", "1000-bonus-for-every-officer"),
    ("\u0174yl y Cyngor: S\u00een a\u2019r \u0177d \u00e2 ni", "wyl-y-cyngor-sin-ar-yd-a-ni"),
    ("5% rise & more", "5-percent-rise-and-more"),
    ("Officers\u2019 pay_review \u2014 \u201cnot enough\u201d", "officers-pay-review-not-enough"),
    ("\U0001F389\U0001F389", ""),
    ("A" * 30 + " " + "b" * 40, "a" * 30),
])
def test_make_slug(title, slug):
    regex_subs = new_post.read_settings(str(ROOT / "pelicanconf.py"))["SLUG_REGEX_SUBSTITUTIONS"]
    assert new_post.make_slug(title, regex_subs) == slug
    assert len(slug) <= new_post.MAX_SLUG


def test_make_new_creates_a_complete_draft_and_prints_its_path(tmp_path):
    title = 'It\'s "\u00a31,000" for Si\u00e2n $5 $(x) `y` \\ done'
    result = make("new", f"INPUTDIR={tmp_path}", f"TITLE={title}", "CATEGORY=pay",
                  "DATE=2025-04-02 09:30")
    assert result.returncode == 0, result.stderr
    path = tmp_path / "news/2025-04-02-its-1000-for-sian-5-x-y-done.md"
    assert result.stdout == f"{path}\n"
    parsed = front_matter.parse_file(str(path), {"PATH": str(tmp_path), **SETTINGS})
    assert parsed.metadata["title"] == title
    assert parsed.metadata["category"] == "Pay" and parsed.status == "draft"
    assert parsed.metadata["date"] == datetime.datetime(2025, 4, 2, 9, 30, tzinfo=LONDON)
    # a new draft passes the check with one warning: the placeholder text
    check = make("check", f"INPUTDIR={tmp_path}")
    assert check.returncode == 0
    assert check.stdout == (f"{path}:15: warning: '{front_matter.PLACEHOLDER}' is still here "
                            "from make new; replace it with the story\n")


@pytest.mark.parametrize("args, message", [
    (["TITLE=\U0001F389"], "gives no usable address (slug); add one in plain words"),
    (["TITLE=   "], "the title is empty"),
    (["TITLE=Pay", "CATEGORY=Sport"], "unknown category 'Sport'; use one of News, Pay,"),
    (["TITLE=Pay", "DATE=02/04/2025"], "DATE: ambiguous date '02/04/2025'"),
    (["TITLE=Pay", "DATE=2025-03-30 01:30"], "does not exist in Europe/London"),
    (["TITLE=Pay", "SLUG=Pay Award"], "slug 'Pay Award' must be lower-case"),
])
def test_make_new_refuses_with_a_message_and_writes_nothing(tmp_path, args, message):
    result = make("new", f"INPUTDIR={tmp_path}", *args)
    assert result.returncode != 0
    assert result.stderr.startswith("new: error: ") and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not any(tmp_path.rglob("*.md"))


def test_make_new_never_overwrites(tmp_path):
    first = make("new", f"INPUTDIR={tmp_path}", "TITLE=Pay award", "DATE=2025-04-02")
    assert first.returncode == 0
    before = tree_hash(tmp_path)
    for date in ("2025-04-02", "2025-05-01"):           # same file, and same slug elsewhere
        again = make("new", f"INPUTDIR={tmp_path}", "TITLE=Pay award", f"DATE={date}")
        assert again.returncode != 0
        assert "already uses the address 'pay-award'" in again.stderr
    assert tree_hash(tmp_path) == before
    other = make("new", f"INPUTDIR={tmp_path}", "TITLE=Pay award", "SLUG=pay-award-may",
                 "DATE=2025-05-01")
    assert other.returncode == 0 and other.stdout.strip().endswith("2025-05-01-pay-award-may.md")


# --- make status ------------------------------------------------------------------------

def test_status_lists_drafts_and_scheduled_posts_with_their_moment(tmp_path):
    news = tmp_path / "news"
    write_post(news, "2026-12-01-a-draft.md", 'title: "A draft"\ndate: 2026-12-01\nstatus: draft')
    write_post(news, "2027-06-01-summer.md", 'title: "Summer"\ndate: 2027-06-01 10:00')
    write_post(news, "2027-01-14-winter.md", 'title: "Winter"\ndate: 2027-01-14 09:00')
    write_post(news, "2025-01-01-live.md", 'title: "Live"\ndate: 2025-01-01')
    write_post(news, "2025-01-02-broken.md", 'title: "Broken"\ndate: 02/01/2025')
    before = tree_hash(tmp_path)
    result = subprocess.run([sys.executable, "tools/status.py", "--at", "2026-11-30 12:00",
                             str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    url = "http://127.0.0.1:8000/drafts"
    assert result.stdout.splitlines() == [
        "As of Mon 30 November 2026 12:00 GMT:",
        "",
        "Drafts (1): never published; seen only in make devserver",
        f'  {news}/2026-12-01-a-draft.md  "A draft"  {url}/a-draft/',
        "",
        "Scheduled (2): each goes live at the first build at or after its time",
        "  Thu 14 January 2027 09:00 GMT",
        f'  {news}/2027-01-14-winter.md  "Winter"  {url}/winter/',
        "  Tue 1 June 2027 10:00 BST",
        f'  {news}/2027-06-01-summer.md  "Summer"  {url}/summer/',
        "",
        "Not published because of errors (1): run make check",
        f"  {news}/2025-01-02-broken.md",
    ]
    via_make = make("status", f"INPUTDIR={tmp_path}", "PORT=8123")
    assert via_make.returncode == 0
    assert "http://127.0.0.1:8123/drafts/a-draft/" in via_make.stdout
    assert tree_hash(tmp_path) == before


def test_check_and_status_never_change_content():
    before = tree_hash(CONTENT)
    assert make("check").returncode == 0
    assert make("status").returncode == 0
    assert tree_hash(CONTENT) == before


# --- make hooks -------------------------------------------------------------------------

def git(repo, *args):
    return subprocess.run(["git", "-c", "user.name=Editor", "-c", "user.email=ed@example.org",
                           *args], cwd=repo, capture_output=True, text=True, timeout=120)


def test_make_hooks_installs_the_check_as_a_pre_commit_hook(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    assert git(repo, "init", "-q").returncode == 0
    assert git(repo, "add", "-A").returncode == 0
    assert git(repo, "commit", "-qm", "start").returncode == 0
    installed = make("hooks", cwd=repo)
    assert installed.returncode == 0, installed.stderr
    hook = pathlib.Path(git(repo, "rev-parse", "--git-path", "hooks/pre-commit").stdout.strip())
    assert (repo / hook).stat().st_mode & 0o111
    assert make("hooks", cwd=repo).returncode == 0            # again: same hook, no error

    bad = write_post(repo / "content/news", "2025-04-02-bad.md", 'title: "Bad"\ndate: April 2025')
    git(repo, "add", str(bad))
    refused = git(repo, "commit", "-m", "bad post")
    assert refused.returncode != 0
    assert ("content/news/2025-04-02-bad.md:3: error: date 'April 2025' is missing a part"
            in refused.stdout + refused.stderr)
    assert git(repo, "log", "--oneline").stdout.count("\n") == 1

    bad.write_text('---\ntitle: "Good"\ndate: 2025-04-02\n---\n\nText.\n', encoding="utf-8")
    git(repo, "add", str(bad))
    assert git(repo, "commit", "-qm", "good post").returncode == 0

    (repo / hook).write_text("#!/bin/sh\necho someone else's hook\n")
    foreign = make("hooks", cwd=repo)
    assert foreign.returncode != 0 and "was not written by make hooks" in foreign.stderr
    assert "someone else" in (repo / hook).read_text()


# --- docs -------------------------------------------------------------------------------

def test_the_editors_guide_explains_every_message_the_fixtures_produce():
    guide = (ROOT / "docs/editing.md").read_text(encoding="utf-8")
    table = guide.split("## What `make check` says")[1]
    starts = [code for row in table.splitlines() if row.startswith("| `")
              for code in re.findall(r"`([^`]+)`", row.split(" | ")[0])]
    patterns = [re.compile(".*?".join(map(re.escape, s.split("\u2026")))) for s in starts]
    for line in expected_lines(BAD) + expected_lines(PASTED):
        message = line.split(": ", 2)[2]
        assert any(p.match(message) for p in patterns), f"not in docs/editing.md: {message}"
    assert "docs/editing.md" in (ROOT / "README.md").read_text(encoding="utf-8")


# --- links to posts that are not live yet -----------------------------------------------

@pytest.mark.parametrize("source_date, source_status, now, error", [
    ("2026-11-01", "published", "2026-11-30 12:00", True),    # live now, target embargoed
    ("2026-11-01", "published", "2027-01-14 09:00", False),   # the embargo has lifted
    ("2027-02-01", "published", "2026-11-30 12:00", False),   # goes live after the target
    ("2026-11-01", "draft", "2026-11-30 12:00", False),       # a draft is checked when published
])
def test_a_link_to_an_embargoed_post_is_an_error_only_while_it_would_lead_nowhere(
        tmp_path, source_date, source_status, now, error):
    write_post(tmp_path / "news", "2027-01-14-target.md", 'title: "T"\ndate: 2027-01-14 09:00')
    source = write_post(tmp_path / "news", "2026-10-01-source.md",
                        f'title: "S"\ndate: {source_date}\nstatus: {source_status}',
                        "See [the target]({filename}2027-01-14-target.md).\n")
    when, _ = front_matter.parse_date(now, LONDON)
    parsed = front_matter.parse_file(str(source), {"PATH": str(tmp_path)}, now=when)
    messages = [p.message for p in parsed.errors]
    assert bool(messages) == error, messages
    if error:
        assert messages == [f"the link {{filename}}2027-01-14-target.md would not work: "
                            f"{tmp_path}/news/2027-01-14-target.md is embargoed until Thu 14 "
                            "January 2027 09:00 GMT, after this post goes live; remove the link "
                            "or give this post a later date"]
        assert parsed.errors[0].line == 7


def test_check_reports_misplaced_files_and_links_and_the_build_refuses_them(tmp_path):
    content = tmp_path / "content"
    good = 'title: "Fine"\ndate: 2025-03-01'
    write_post(content / "news", "2025-03-01-fine.md", good)
    write_post(content / "images", "2025-03-02-in-images.md", good)    # would go out raw
    write_post(content, "2025-03-03-at-the-root.md", good)             # would be ignored
    write_post(content / "pages", "search.md", 'title: "Search"')      # the site's address
    write_post(content / "pages/sub", "deep.md", 'title: "Deep"')
    (content / "images/passwd.jpg").symlink_to("/etc/passwd")         # outside content/
    (content / "news/2025-03-04-gone.md").symlink_to(content / "nowhere.md")
    (content / "news/.#2025-03-01-fine.md").symlink_to("editor@host.1:1")  # Emacs lock file
    result = subprocess.run([sys.executable, str(ROOT / "tools/check_content.py"), str(content)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = result.stdout.splitlines()
    expected = {
        "2025-03-03-at-the-root.md:1: error: a post or page outside news/ and pages/",
        "images/2025-03-02-in-images.md:1: error: a post or page outside news/ and pages/",
        "images/passwd.jpg:1: error: this is a link to a file outside the content folder",
        "news/2025-03-04-gone.md:1: error: this is a link to a file that does not exist",
        "news/.#2025-03-01-fine.md:1: error: this is a link to a file that does not exist",
        "pages/search.md:1: error: /search/ is an address the site itself uses",
        "pages/sub/deep.md:1: error: a page must be directly in pages/",
    }
    for start in expected:
        assert any(line.startswith(f"{content}/{start}") for line in lines), (start, lines)
    assert len(lines) == len(expected), lines
    # Pelican alone (no check first) refuses to copy a post out as a raw file
    (content / "images/passwd.jpg").unlink()
    (content / "news/2025-03-04-gone.md").unlink()
    (content / "news/.#2025-03-01-fine.md").unlink()
    (content / "2025-03-03-at-the-root.md").unlink()
    (content / "pages/search.md").unlink()
    (content / "pages/sub/deep.md").unlink()
    build = subprocess.run([sys.executable, "-m", "pelican", str(content), "-s",
                            str(ROOT / "pelicanconf.py"), "-o", str(tmp_path / "out"),
                            "--fatal", "warnings", "--log-handler", "plain"],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert build.returncode != 0
    assert (build.stdout + build.stderr).splitlines()[0].startswith(
        f"{content}/images/2025-03-02-in-images.md:1: error: a post or page outside")
