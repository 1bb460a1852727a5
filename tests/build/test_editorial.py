"""The editors' commands as editors run them: `make check` (`python -m newsroom.check`),
`make new` (`newsroom.new`), `make status`, `make hooks`, and the build refusing what the
check refuses. Each runs the real command line (`make`, git) and compares exact output.

The bad-posts fixture has a module of its own (test_bad_posts.py); the rules themselves
are unit-tested in tests/unit/. Fixture here: tests/fixtures/pasted/ (text pasted from a
word processor and a web page, which must render correctly or warn).
"""

import datetime
import pathlib
import re
import subprocess
import sys

from conftest import CONTENT, LONDON, ROOT, write_post
from helpers import (BAD, HOSTILE, PASTED, copy_repo, expected_lines, make, run_module,
                     site_settings, soup, tree_hash)
from newsroom.body import PLACEHOLDER
from newsroom.source import parse_file


def test_pasted_text_renders_correctly_and_only_single_line_breaks_warn(tmp_path):
    before = tree_hash(PASTED)
    check = make("check", f"INPUTDIR={PASTED}")
    assert check.returncode == 0
    assert check.stdout.splitlines() == expected_lines(PASTED)
    html = make("html", f"INPUTDIR={PASTED}", f"OUTPUTDIR={tmp_path / 'out'}")
    # make html runs the check first: the warning is shown, and the build still succeeds
    assert html.returncode == 0, html.stdout + html.stderr
    assert expected_lines(PASTED)[0] in html.stdout.splitlines()
    page = soup(tmp_path / "out/news/2025/03/word-paste/index.html")
    prose = page.find(class_="prose")
    lists = prose.find_all("ul")
    assert [len(ul.find_all("li")) for ul in lists] == [3, 2]          # bullets, en-dash list
    assert lists[0].find("li").get_text().startswith("overtime is")
    assert not any(c in prose.get_text() for c in "\u2022\u25aa\ufeff\r")
    quote = next(p for p in prose.find_all("p") if "chair said" in p.get_text())
    assert '"' not in quote.get_text() and "'" not in quote.get_text()  # all curly
    # the attribution is kept, under the quote (newsroom.markdown_quotes)
    assert "\u2013 Si\u00e2n Pritchard" in prose.find("figure").figcaption.get_text()
    assert page.h1.get_text().replace("\u00a0", " ") == "Pay talks: what members told us"
    # Word's second and third levels (o, then a tab; \u00a7, then a tab) nest
    levels = soup(tmp_path / "out/news/2025/03/word-levels/index.html").find(class_="prose")
    top = levels.find("ul").find_all("li", recursive=False)
    assert [li.contents[0].strip().replace("\xa0", " ") for li in top] == [
        "Overtime is paid late.", "Rest days are cancelled at short notice.",
        "Court warnings come late."]
    second = top[0].find("ul").find_all("li", recursive=False)
    assert [li.contents[0].strip().replace("\xa0", " ") for li in second] == [
        "By two months, often.", "Claims go missing."]
    assert second[0].find("ul").get_text(strip=True).replace("\xa0", " ") == (
        "Sometimes by three.")
    assert levels.find_all("p")[-1].get_text().replace("\xa0", " ") == (
        "The branch will raise each point.")
    web = soup(tmp_path / "out/news/2025/03/web-paste/index.html")
    assert len(web.find(class_="prose").find_all("p")) == 1   # what the warning says
    assert tree_hash(PASTED) == before                         # normalised in memory only


def test_hidden_files_and_backups_are_neither_checked_nor_built(tmp_path):
    """macOS's ._post.md twins and editor backups (post.md~) are skipped by the check and by
    Pelican alike (IGNORE_FILES), so the check's "no problems" means the build works."""
    content = tmp_path / "content"
    good = 'title: "Fine"\ndate: 2025-03-01'
    write_post(content / "news", "2025-03-01-fine.md", good)
    (content / "news/._2025-03-01-fine.md").write_bytes(b"\x00\x05\x16\x07Mac OS X")
    (content / "news/2025-03-01-fine.md~").write_text("---\nold copy")
    assert run_module("newsroom.check", content).returncode == 0
    built = run_module("newsroom.build", content, "-s", ROOT / "pelicanconf.py", "-o",
                       tmp_path / "out", "--fatal", "warnings", "--log-handler", "plain")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (tmp_path / "out/news/2025/03/fine/index.html").is_file()


def test_check_and_status_pass_on_the_sample_content_and_change_nothing():
    before = tree_hash(CONTENT)
    check = make("check")
    assert (check.returncode, check.stdout) == (0, "")
    assert re.fullmatch(r"check: \d+ posts and pages, no problems\n", check.stderr), check.stderr
    assert make("status").returncode == 0
    assert tree_hash(CONTENT) == before


# --- make new ---------------------------------------------------------------------------

def test_make_new_creates_a_complete_draft_and_prints_its_path(tmp_path):
    title = 'It\'s "\u00a31,000" for Si\u00e2n $5 $(x) `y` \\ done'
    result = make("new", f"INPUTDIR={tmp_path}", f"TITLE={title}", "CATEGORY=pay",
                  "DATE=2025-04-02 09:30")
    assert result.returncode == 0, result.stderr
    path = tmp_path / "news/2025-04-02-its-1000-for-sian-5-x-y-done.md"
    assert result.stdout == f"{path}\n"
    assert result.stderr == ("new: a draft; write the story, then run make check and make "
                             "devserver to see it\n")
    parsed = parse_file(str(path), site_settings(tmp_path))
    assert parsed.metadata["title"] == title
    assert parsed.metadata["category"] == "Pay" and parsed.status == "draft"
    assert parsed.metadata["date"] == datetime.datetime(2025, 4, 2, 9, 30, tzinfo=LONDON)
    # a new draft passes the check with one warning: the placeholder text
    check = make("check", f"INPUTDIR={tmp_path}")
    assert check.returncode == 0
    line = path.read_text(encoding="utf-8").splitlines().index(
        f"{PLACEHOLDER} Leave a blank line between paragraphs.") + 1
    assert line == 18  # after the front matter: 4 fields, 10 optional ones commented out
    assert check.stdout == (f"{path}:{line}: warning: '{PLACEHOLDER}' is still here from make new; "
                            "replace it with the story\n")


def test_make_new_refuses_with_a_message_and_writes_nothing(tmp_path):
    result = make("new", f"INPUTDIR={tmp_path}", "TITLE=Pay", "DATE=02/04/2025")
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        "new: error: DATE: ambiguous date '02/04/2025': it could be 2 April or 4 February; "
        "write it as 2025-04-02 (year-month-day) for 2 April")
    assert "Traceback" not in result.stderr
    assert not any(tmp_path.rglob("*"))


# --- make status ------------------------------------------------------------------------

def test_status_lists_drafts_and_scheduled_posts_with_their_moment(tmp_path):
    news = tmp_path / "news"
    write_post(news, "2026-12-01-a-draft.md", 'title: "A draft"\ndate: 2026-12-01\nstatus: draft')
    write_post(news, "2027-06-01-summer.md", 'title: "Summer"\ndate: 2027-06-01 10:00')
    write_post(news, "2027-01-14-winter.md", 'title: "Winter"\ndate: 2027-01-14 09:00')
    write_post(news, "2025-01-01-live.md", 'title: "Live"\ndate: 2025-01-01')
    write_post(news, "2025-01-02-broken.md", 'title: "Broken"\ndate: 02/01/2025')
    before = tree_hash(tmp_path)
    result = run_module("newsroom.status", "--at", "2026-11-30 12:00", tmp_path)
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
    for line in expected_lines(BAD) + expected_lines(PASTED) + expected_lines(HOSTILE):
        message = line.split(": ", 2)[2]
        assert any(p.match(message) for p in patterns), f"not in docs/editing.md: {message}"
    assert "docs/editing.md" in (ROOT / "README.md").read_text(encoding="utf-8")


# --- files in the wrong place -------------------------------------------------------------

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
    (content / "images/logo.svg").write_text("<svg onload='x()'/>")    # a script on our host
    (content / "images/notice.html").write_text("<script>x()</script>")
    (content / "images/scan.tiff").write_bytes(b"II*\x00")
    (content / "images/minutes.pdf").write_bytes(b"%PDF-1.4\n")       # a document: fine
    result = run_module("newsroom.check", content)
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
        "images/logo.svg:1: error: an SVG file can hold a script that would run on the site's",
        "images/notice.html:1: error: a .html file is not published from here",
        "images/scan.tiff:1: error: browsers do not show .tiff pictures",
    }
    for start in expected:
        assert any(line.startswith(f"{content}/{start}") for line in lines), (start, lines)
    assert len(lines) == len(expected), lines
    # The folder rules live once, in newsroom.check, which the build pipeline runs first:
    # `make html` (python -m newsroom.build ... --fatal warnings) prints the same lines and
    # builds nothing. (Plain `pelican` no longer checks them.)
    built = subprocess.run([sys.executable, "-m", "newsroom.build", str(content), "-s",
                            str(ROOT / "pelicanconf.py"), "-o", str(tmp_path / "out"),
                            "--fatal", "warnings", "--log-handler", "plain"],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert built.returncode == 1 and "Traceback" not in built.stderr, built.stderr
    assert built.stdout.splitlines() == lines
    assert built.stderr.splitlines()[-1] == (f"build: error: the content check found "
                                             f"{len(expected)} error(s) (listed above); "
                                             "nothing was built")
    assert not (tmp_path / "out").exists()
