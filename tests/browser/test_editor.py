"""The web editor as an editor uses it (issue 13, "Done when"): `make editor` in a copy of
the repository, driven in Debian's Chromium with Playwright.

A post is written with a hero picture, alt text, tags and a related post; the check's
error for a too-long standfirst appears in the preview pane and goes when it is fixed; the
preview shows the page as the site renders it; Save writes
`content/news/YYYY-MM-DD-slug.md` and commits it; the file passes `make check` and
`make html` publishes it with its headline, date and picture; changing only the
standfirst afterwards changes only its lines. Then the same for a page and for a contact
detail in data/site.yml. No request leaves 127.0.0.1 and nothing of the editor reaches
output/. Ctrl-C stops every process `make editor` started.
"""

from __future__ import annotations

import difflib
import os
import re
import signal
import subprocess
import time

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import free_port
from tests.helpers import ROOT, answers_http, copy_repo, make, soup

HEADLINE = "Branch wins rest-day protection in new rota deal"
STEM = "2026-11-30-branch-wins-rest-day-protection-in-new-rota-deal"
WAIT = 30_000  # ms: the longest a step waits for the editor (a first build may be running)


def git(cwd, *args) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """`make editor` in a git copy of the repository; yields (base URL, copy); on exit sends
    Ctrl-C's SIGINT to its process group and asserts nothing of it is left."""
    copy = copy_repo(tmp_path_factory.mktemp("editor") / "site")
    assert (ROOT / "node_modules" / "decap-cms").is_dir(), "Decap is missing: make test runs npm ci"
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    git(copy, "init", "-q", "-b", "main")
    git(copy, "add", "-A")
    git(copy, "-c", "user.name=Test", "-c", "user.email=test@localhost", "commit", "-qm", "start")
    port, backend = free_port(), free_port()
    log = open(copy / "editor.log", "w")
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "-o", f"{copy}/.venv/.site-installed", "-o",
         "node_modules/.package-lock.json", "editor",
         f"PORT={port}", f"EDITOR_BACKEND_PORT={backend}"], cwd=copy, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while not (answers_http(port) and answers_http(backend)):
        assert proc.poll() is None and time.monotonic() < deadline, (
            (copy / "editor.log").read_text())
        time.sleep(0.2)
    yield f"http://127.0.0.1:{port}", copy
    os.killpg(proc.pid, signal.SIGINT)
    deadline, left = time.monotonic() + 30, "?"
    try:
        proc.wait(timeout=30)
        while left and time.monotonic() < deadline:  # the group's last processes exit
            left = subprocess.run(["ps", "-o", "pid=,args=", "-g", str(proc.pid)],
                                  capture_output=True, text=True).stdout.strip()
            time.sleep(0.2)
    finally:
        if left:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
    assert not left, f"processes left 30 s after Ctrl-C: {left}"
    assert not answers_http(port) and not answers_http(backend)


@pytest.fixture()
def page(browser, editor):
    """A signed-in editor page; every request it makes is recorded in `page.requests`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                  timezone_id="Europe/London")
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.goto(editor[0] + "/admin/")
    tab.get_by_role("button", name="Login").click()
    expect(tab.get_by_text("News posts").first).to_be_visible(timeout=WAIT)
    yield tab
    off = [u for u in tab.requests if not re.match(r"(http://127\.0\.0\.1:\d+/|blob:|data:)", u)]
    context.close()
    assert not off, f"requests that left 127.0.0.1: {off}"


def open_entry(page, base, where):
    """Load the editor afresh at `where` (`collections/...`): a change of the address's
    fragment alone can leave the last entry's state in Decap."""
    page.goto(f"{base}/admin/#/{where}")
    page.reload()
    login = page.get_by_role("button", name="Login")
    if login.is_visible():
        login.click()


def check_panel(page):
    return page.frame_locator("iframe").first.locator("#newsroom-check")


def save(page, copy) -> str:
    """Publish -> Publish now; the status line once the save is committed (a new commit)."""
    head = git(copy, "rev-parse", "HEAD")
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()
    deadline = time.monotonic() + WAIT / 1000
    while git(copy, "rev-parse", "HEAD") == head:
        assert time.monotonic() < deadline, page.locator("body").inner_text()[-2000:]
        time.sleep(0.2)
    status = page.locator("#newsroom-saved")
    expect(status).to_contain_text("committed", timeout=WAIT)
    return status.inner_text()


def choose(page, label, text):
    page.get_by_label(label).click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def edit_field(page, editor, where, file, label, old, new) -> list[str]:
    """Open the entry at `where` afresh, change the field `label` from `old` to `new` and
    save; the lines of `file` that changed (`changed_lines`)."""
    base, copy = editor
    before = file.read_text(encoding="utf-8")
    open_entry(page, base, where)
    field = page.get_by_label(label)
    expect(field).to_have_value(old, timeout=WAIT)
    field.fill(new)
    save(page, copy)
    return changed_lines(before, file.read_text(encoding="utf-8"))


def build(copy):
    done = make("html", cwd=copy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (copy / "output" / "admin").exists()
    assert not [p for p in (copy / "output").rglob("*") if "decap" in p.name.lower()]
    return copy / "output"


def test_write_a_post_with_a_picture_check_preview_save_and_publish(page, editor, tmp_path):
    base, copy = editor
    picture = tmp_path / "rota-talks.jpg"
    Image.new("RGB", (1600, 900), (11, 37, 69)).save(picture, quality=85)
    page.goto(base + "/admin/#/collections/news/new")
    page.get_by_label("Headline").fill(HEADLINE)
    page.get_by_label("Date and time (UK time)").fill("2026-11-30T09:30")
    choose(page, "Category", "Pay")
    page.get_by_label("Tags").fill("rest days, rota")
    page.get_by_label("Standfirst (summary)").fill("Officers " + "x" * 300)
    expect(page.get_by_text("309 of 300 characters: 9 too many")).to_be_visible()
    panel = check_panel(page)
    expect(panel).to_contain_text("Standfirst (summary): the summary is 309 characters",
                                  timeout=WAIT)
    page.get_by_label("Standfirst (summary)").fill(
        "Officers' rest days are protected under a rota agreed with the force.")
    expect(panel).not_to_contain_text("the summary is", timeout=WAIT)
    page.locator("[contenteditable=true]").first.click()
    page.keyboard.type("The agreement starts in January and covers every response team.")
    page.get_by_role("button", name="Choose an image").click()
    page.set_input_files("input[type=file]", str(picture))
    page.get_by_role("button", name="Choose selected").click()
    page.get_by_label("Picture description (alt text)").fill(
        "Navy and gold rota chart on a noticeboard")
    page.get_by_label("Related posts (Read more)").click()
    page.keyboard.type("pay award")
    expect(page.get_by_text("pay award", exact=False).last).to_be_visible(timeout=WAIT)
    page.keyboard.press("Enter")
    choose(page, "Status", "published")
    expect(panel).to_contain_text("Check: no errors", timeout=WAIT)
    expect(page.frame_locator("iframe").first.locator(".newsroom-reason")).to_have_count(
        0, timeout=WAIT)  # the page is shown, not why it is not
    shown = page.frame_locator("iframe").first.frame_locator("iframe.newsroom-page")
    expect(shown.locator("h1")).to_contain_text("rest-day protection", timeout=WAIT)
    save(page, copy)

    post = copy / "content" / "news" / f"{STEM}.md"
    text = post.read_text(encoding="utf-8")
    assert "image: images/rota-talks.jpg" in text and "  - rest days" in text
    assert (copy / "content" / "images" / "rota-talks.jpg").is_file()
    assert HEADLINE in git(copy, "log", "-1", "--format=%s")
    assert git(copy, "status", "--porcelain", "--", "content") == ""
    checked = make("check", cwd=copy)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    article = soup(build(copy) / "news" / "2026" / "11" / STEM[11:] / "index.html")
    assert HEADLINE.split()[0] in article.h1.get_text()
    assert article.find("time")["datetime"].startswith("2026-11-30T09:30")
    assert "30 November 2026" in article.find("time").get_text()
    assert any("rota-talks" in (img.get("src") or "") for img in article.find_all("img"))

    assert edit_field(page, editor, f"collections/news/entries/{STEM}", post,
                      "Standfirst (summary)",
                      "Officers' rest days are protected under a rota agreed with the force.",
                      "Officers' rest days are now protected under a rota agreed with the force."
                      ) == [
        "-summary: Officers' rest days are protected under a rota agreed with the force.",
        "+summary: Officers' rest days are now protected under a rota agreed with the force."]


def test_edit_a_page_and_a_contact_detail(page, editor):
    base, copy = editor
    page.goto(base + "/admin/#/collections/pages/new")
    page.get_by_label("Headline").fill("Meet your reps")
    page.get_by_label("Standfirst (summary)").fill("Who to call at the branch.")
    page.locator("[contenteditable=true]").first.click()
    page.keyboard.type("Every team has a federation rep.")
    choose(page, "Status", "published")
    expect(check_panel(page)).to_contain_text("Check: no errors", timeout=WAIT)
    save(page, copy)
    assert edit_field(page, editor, "collections/pages/entries/meet-your-reps",
                      copy / "content" / "pages" / "meet-your-reps.md", "Standfirst (summary)",
                      "Who to call at the branch.", "Who to call at the branch, and when.") == [
        "-summary: Who to call at the branch.", "+summary: Who to call at the branch, and when."]

    assert edit_field(page, editor, "collections/site/entries/site", copy / "data" / "site.yml",
                      "Telephone", "01632 960 123", "01632 960 999") == [
        "-  phone: 01632 960 123", "+  phone: 01632 960 999"]
    output = build(copy)
    heading = soup(output / "meet-your-reps" / "index.html").h1.get_text()
    assert heading.replace("\xa0", " ") == "Meet your reps"  # typogrify joins the last two words
    assert "01632 960 999" in (output / "index.html").read_text(encoding="utf-8")
