"""Preview, publish and schedule: `make devserver` shows drafts (marked) and reloads the
open page on save; `make publish` output never holds a draft, an embargoed post or any
live-reload code; an embargoed post appears at the first build after its moment with no
edit; and the whole editor's flow works end to end in a copy of the repository.

Real clients: `make`, Pelican's CLI, the devserver over HTTP, Debian's Chromium through
Playwright. Every server listens on 127.0.0.1 and is stopped by its process group id.
"""

import concurrent.futures
import datetime
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright

from conftest import (CHROMIUM, CHROMIUM_ARGS, CONTENT, LONDON, ROOT, build, free_port,
                      write_post)
from editorial_helpers import copy_repo, make, output_bytes, tree_hash

DRAFT_PHRASE = b"Xylophone Settlement"
EMBARGO_PHRASE = b"Zeppelin Accord"
LIVERELOAD = (b"livereload", b"LiveReload")
SEARCH_INDEX_TOOL = ROOT / "tools/search_index.py"


def start_devserver(cwd, port, log, *args):
    """Start `make devserver` in its own process group; wait (at most 90 s) until it serves."""
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "-o", f"{cwd}/.venv/.site-installed", "devserver",
         f"PORT={port}", *args], cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, "devserver exited"
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise AssertionError("devserver did not start within 90 s")


def stop(proc):
    """Stop a server started by `start_devserver` (its whole process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def get(url) -> str:
    return urllib.request.urlopen(url, timeout=10).read().decode("utf-8")


def wait_for_text(path, text, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in path.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not in {path} within {seconds} s")


def leaks(folder, phrases):
    """Return (file, phrase) for each phrase found in any file under `folder`, compressed
    files included."""
    return [(str(path), phrase) for path, data in output_bytes(folder)
            for phrase in phrases if phrase in data]


def content_with_hidden_posts(folder):
    """The real content plus a draft and a post embargoed until 2099, each with a unique
    phrase in its title, tags, summary and body."""
    shutil.copytree(CONTENT, folder)
    write_post(folder / "news", "2025-05-01-secret-draft.md",
               'title: "Xylophone Settlement draft"\ndate: 2025-05-01 10:00\ncategory: Pay\n'
               'tags: [xylophone settlement]\nsummary: "The Xylophone Settlement."\nstatus: draft',
               "The Xylophone Settlement is not agreed yet, the chair said.\n")
    write_post(folder / "news", "2099-01-01-embargoed.md",
               'title: "Zeppelin Accord signed"\ndate: 2099-01-01 09:00\ncategory: Awards\n'
               'tags: [zeppelin accord]\nsummary: "The Zeppelin Accord."',
               "The Zeppelin Accord is embargoed.\n")
    return folder


def edit_while_watching(base, draft, log):
    """Open the draft in Chromium, check the banners, save an edit to `draft` and wait (at
    most 60 s) for the open page to show it without the test navigating."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/drafts/embargoed/")
        assert page.inner_text(".draft-banner") == (
            "Embargoed until Thu 1 January 2099 09:00 GMT: not published")
        page.goto(f"{base}/drafts/secret-draft/")
        assert page.inner_text(".draft-banner") == "Draft: not published"
        assert page.get_attribute(".draft-banner", "role") == "note"
        assert "is not agreed yet" in page.inner_text(".prose")
        wait_for_text(log, "Browser Connected")
        text = draft.read_text(encoding="utf-8")
        draft.write_text(text.replace("is not agreed yet", "was signed today"), encoding="utf-8")
        page.wait_for_function(
            "document.querySelector('.prose').innerText.includes('was signed today')",
            timeout=60_000)
        browser.close()


def test_devserver_shows_marked_drafts_and_reloads_the_open_page_on_save(tmp_path):
    content = content_with_hidden_posts(tmp_path / "content")
    draft = content / "news/2025-05-01-secret-draft.md"
    preview = tmp_path / "preview"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(tmp_path / "devserver.log", "w") as log:
        proc = start_devserver(ROOT, port, log, f"INPUTDIR={content}", f"PREVIEWDIR={preview}")
    try:
        served = get(f"{base}/drafts/secret-draft/")
        assert "livereload.js" in served                        # added as it is served ...
        on_disk = (preview / "drafts/secret-draft/index.html").read_bytes()
        assert not any(word in on_disk for word in LIVERELOAD)    # ... never written
        assert DRAFT_PHRASE not in get(f"{base}/").encode()      # listed nowhere published
        # in a thread of its own: another test module may hold a Playwright session open in
        # this one, and the sync API refuses to start inside a running event loop
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(edit_while_watching, base, draft, tmp_path / "devserver.log").result()
        edited = tree_hash(content)
    finally:
        stop(proc)
    assert tree_hash(content) == edited          # the devserver never writes to content/


def test_publish_output_has_no_draft_embargoed_post_or_live_reload(tmp_path):
    content = content_with_hidden_posts(tmp_path / "content")
    before = tree_hash(content)
    for target, out in (("publish", tmp_path / "publish"), ("html", tmp_path / "html")):
        result = make(target, f"INPUTDIR={content}", f"OUTPUTDIR={out}")
        assert result.returncode == 0, result.stdout + result.stderr
        files = [p for p in out.rglob("*") if p.is_file()]
        assert len(files) > 20
        assert not leaks(out, [DRAFT_PHRASE, EMBARGO_PHRASE, b'class="draft-banner"', *LIVERELOAD])
        assert not (out / "drafts").exists()
    assert (tmp_path / "publish/feeds/all.atom.xml").is_file()
    assert tree_hash(content) == before


def test_embargoed_post_appears_at_the_first_build_after_its_moment_with_no_edit(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    moment = datetime.datetime(2027, 3, 28, 9, 0, tzinfo=LONDON)   # clocks went forward at 01:00
    write_post(content / "news", "2027-03-28-zeppelin.md",
               'title: "Zeppelin Accord signed"\ndate: 2027-03-28 09:00\ncategory: Awards\n'
               'tags: [zeppelin accord]\nsummary: "The Zeppelin Accord."',
               "The Zeppelin Accord is embargoed.\n")
    before = tree_hash(content)
    early = build(tmp_path / "early", content, "publishconf.py",
                  now=moment - datetime.timedelta(minutes=1))
    late = build(tmp_path / "late", content, "publishconf.py", now=moment)
    assert early.returncode == 0 and late.returncode == 0, early.log + late.log
    for out in (early.output, late.output):       # the search index, built over the output
        subprocess.run([sys.executable, str(SEARCH_INDEX_TOOL), str(out)], check=True,
                       capture_output=True, timeout=120)
    assert not leaks(early.output, [EMBARGO_PHRASE, b"zeppelin-accord", b"zeppelin"])
    found = {str(path.relative_to(late.output)) for path, _ in output_bytes(late.output)
             if EMBARGO_PHRASE in _}
    for expected in ("news/2027/03/zeppelin/index.html", "index.html", "feeds/all.atom.xml",
                     "news/category/awards/index.html", "news/tag/zeppelin-accord/index.html"):
        assert expected in found, (expected, sorted(found))
    sitemap = late.output / "sitemap.xml"
    if sitemap.exists():
        assert b"/news/2027/03/zeppelin/" in sitemap.read_bytes()
        assert b"zeppelin" not in (early.output / "sitemap.xml").read_bytes()
    assert any(p.startswith("pagefind/") for p in found), sorted(found)
    page = BeautifulSoup((late.output / "news/2027/03/zeppelin/index.html").read_bytes(),
                         "html5lib")
    assert page.find("time", datetime="2027-03-28T09:00:00+01:00")
    assert not page.find(class_="draft-banner")
    assert tree_hash(content) == before


def test_editor_flow_end_to_end_in_a_copy_of_the_repository(tmp_path):
    real_content = tree_hash(CONTENT)
    repo = copy_repo(tmp_path / "repo")
    content = repo / "content"

    def run(*args):
        before = tree_hash(content)
        result = make(*args, cwd=repo)
        assert tree_hash(content) == before, f"make {args[0]} changed content/"
        return result

    # 1. make new: the only command that writes to content/, one new file
    before = tree_hash(content)
    new = make("new", "TITLE=Pay award: \u00a31,000 for every officer", "CATEGORY=Pay",
               "DATE=2025-04-02 09:30", cwd=repo)
    assert new.returncode == 0, new.stderr
    assert new.stdout == "content/news/2025-04-02-pay-award-1000-for-every-officer.md\n"
    post = repo / new.stdout.strip()
    after = tree_hash(content)
    assert set(after) - set(before) == {"news/2025-04-02-pay-award-1000-for-every-officer.md"}
    assert {k: v for k, v in after.items() if k in before} == before

    # 2. the editor writes the story and a standfirst
    text = post.read_text(encoding="utf-8")
    text = text.replace("Write the story here. Leave a blank line between paragraphs.",
                        "The Quokka Clause gives every officer \u00a31,000.\n\n"
                        "Members will see it in their May pay.")
    text = text.replace('# summary: "The standfirst: one or two sentences under the headline, '
                        'at most 300 characters."', 'summary: "A one-off payment for all."')
    post.write_text(text, encoding="utf-8")

    # 3. make check: clean
    check = run("check")
    assert check.returncode == 0 and check.stdout == "", check.stdout + check.stderr

    # 4. make devserver: the draft is visible, marked, and not on the home page
    port = free_port()
    before = tree_hash(content)
    with open(tmp_path / "devserver.log", "w") as log:
        proc = start_devserver(repo, port, log)
    try:
        page = get(f"http://127.0.0.1:{port}/drafts/pay-award-1000-for-every-officer/")
        home = get(f"http://127.0.0.1:{port}/")
    finally:
        stop(proc)
    assert tree_hash(content) == before
    assert not (repo / "output").exists()               # the preview has its own folder
    soup = BeautifulSoup(page, "html5lib")
    assert soup.find(class_="draft-banner").get_text() == "Draft: not published"
    assert "Quokka Clause" in soup.find(class_="prose").get_text()
    assert "Quokka" not in home
    status = run("status")
    assert "content/news/2025-04-02-pay-award-1000-for-every-officer.md" in status.stdout

    # 5. status: published, then make publish
    post.write_text(post.read_text(encoding="utf-8").replace("status: draft", "status: published"),
                    encoding="utf-8")
    assert "pay-award-1000" not in run("status").stdout
    published = run("publish")
    assert published.returncode == 0, published.stdout + published.stderr
    out = repo / "output"
    article = out / "news/2025/04/pay-award-1000-for-every-officer/index.html"
    soup = BeautifulSoup(article.read_bytes(), "html5lib")
    assert "Quokka Clause" in soup.find(class_="prose").get_text()
    assert not soup.find(class_="draft-banner")
    assert b"Quokka Clause gives every officer" in (out / "feeds/all.atom.xml").read_bytes()
    assert not leaks(out, list(LIVERELOAD))
    assert tree_hash(CONTENT) == real_content          # the real content/ was never touched
