"""Preview while editing: `make devserver` shows drafts and embargoed posts, marked, adds its
live-reload script only as it serves a page (never to a built file), sends deploy/nginx.conf's
security headers with a CSP that allows only that script, and reloads the open page in
Debian's Chromium when the post is saved, with no CSP violation; a save that breaks the build
puts the check's messages on the open page, and the fix brings the page back. Started on
broken content, it serves the messages at once; a devserver that cannot start fails the
test helper (`start_devserver`) at once, with its output.

The server listens on 127.0.0.1 and is stopped by its process group id. What `make publish`
writes (no draft, no live reload) is asserted over the real builds in tests/build/.
"""

import concurrent.futures
import re
import socket
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import sync_playwright

from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, write_post
from helpers import get, start_devserver, stop, tree_hash
from newsroom.headers import preview_headers

DRAFT_PHRASE = b"Xylophone Settlement"
LIVERELOAD = (b"livereload", b"LiveReload")


def wait_for_text(path, text, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in path.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not in {path} within {seconds} s")


def content_with_hidden_posts(folder):
    """A published post, a draft and a post embargoed until 2099, the hidden two each with
    a unique phrase in its title, tags, summary and body."""
    write_post(folder / "news", "2025-04-01-live.md", 'title: "Live"\ndate: 2025-04-01\n'
               "category: Pay\ntags: [pay]")
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
    most 60 s) for the open page to show it without the test navigating, its page rebuilt
    on its own first (the devserver's log says so)."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        violations = []
        page.on("console", lambda m: violations.append(m.text)
                if "Content Security Policy" in m.text else None)
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
        # null-safe: the page reloads twice (its own page first, then the whole preview), and
        # the check may run on a document still loading
        page.wait_for_function(
            "() => document.querySelector('.prose')?.innerText.includes('was signed today')",
            timeout=60_000)
        browser.close()
    # the saved draft's page came first, before the rest (newsroom/preview.py)
    wait_for_text(log, "drafts/secret-draft/index.html rebuilt in")
    assert violations == []  # the reload script ran under the preview's CSP, nothing else


def test_devserver_shows_marked_drafts_and_reloads_the_open_page_on_save(tmp_path):
    content = content_with_hidden_posts(tmp_path / "content")
    draft = content / "news/2025-05-01-secret-draft.md"
    preview = tmp_path / "preview"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(tmp_path / "devserver.log", "w") as log:
        proc = start_devserver(ROOT, port, log, f"INPUTDIR={content}", f"PREVIEWDIR={preview}")
    try:
        response = urllib.request.urlopen(f"{base}/drafts/secret-draft/", timeout=10)
        served = response.read().decode("utf-8")
        assert "livereload.js" in served                        # added as it is served ...
        inline = re.search(r"<script type=\"text/javascript\">(\(function\(\).*?)</script>",
                           served, re.S).group(1)              # livereload's loader
        assert dict(response.headers) | preview_headers(inline) == dict(response.headers)
        on_disk = (preview / "drafts/secret-draft/index.html").read_bytes()
        assert not any(word in on_disk for word in LIVERELOAD)    # ... never written
        home = get(f"{base}/")
        assert "/news/2025/04/live/" in home                      # the published post is listed,
        assert DRAFT_PHRASE not in home.encode()                  # the draft is not
        # in a thread of its own: another test module may hold a Playwright session open in
        # this one, and the sync API refuses to start inside a running event loop
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(edit_while_watching, base, draft, tmp_path / "devserver.log").result()
        edited = tree_hash(content)
    finally:
        stop(proc)
    assert tree_hash(content) == edited          # the devserver never writes to content/


def break_and_fix_while_watching(base, post, log):
    """Open the post in Chromium, save it without its title, wait for the open page to list
    the check's message (file, line, what to do), restore the file and wait for the story
    to come back, the test never navigating."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/news/2025/04/live/")
        assert "The chair spoke at" in page.inner_text(".prose")
        wait_for_text(log, "Browser Connected")
        good = post.read_text(encoding="utf-8")
        post.write_text(good.replace('title: "Live"\n', ""), encoding="utf-8")
        page.wait_for_selector("#build-errors", timeout=60_000)
        assert page.title() == "Preview: the build has errors"
        assert page.inner_text("#build-errors").splitlines()[0] == (
            f"{post}:2: error: the title is missing or empty; add a line like: "
            'title: "Pay award announced"')
        wait_for_text(log, "Browser Connected")
        post.write_text(good, encoding="utf-8")
        page.wait_for_selector(".prose", timeout=60_000)
        assert "The chair spoke at" in page.inner_text(".prose")
        assert page.query_selector("#build-errors") is None
        browser.close()


def test_devserver_shows_the_errors_on_the_open_page_and_recovers(tmp_path):
    content = tmp_path / "content"
    post = write_post(content / "news", "2025-04-01-live.md",
                      'title: "Live"\ndate: 2025-04-01\ncategory: Pay',
                      "The chair spoke at the annual conference today.\n")
    port = free_port()
    with open(tmp_path / "devserver.log", "w") as log:
        proc = start_devserver(ROOT, port, log, f"INPUTDIR={content}",
                               f"PREVIEWDIR={tmp_path / 'preview'}")
    try:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(break_and_fix_while_watching, f"http://127.0.0.1:{port}", post,
                        tmp_path / "devserver.log").result()
    finally:
        stop(proc)


def test_devserver_started_on_broken_content_shows_the_errors_then_the_fixed_post(tmp_path):
    # start_devserver returns as soon as the error page (status 500) answers, not after its
    # timeout; the fix brings the post back without a restart
    content = tmp_path / "content"
    post = write_post(content / "news", "2025-04-01-live.md", "date: 2025-04-01\ncategory: Pay",
                      "The chair spoke at the annual conference today.\n")
    port = free_port()
    url = f"http://127.0.0.1:{port}/news/2025/04/live/"
    with open(tmp_path / "devserver.log", "w") as log:
        proc = start_devserver(ROOT, port, log, f"INPUTDIR={content}",
                               f"PREVIEWDIR={tmp_path / 'preview'}", timeout=30)
    try:
        with pytest.raises(urllib.error.HTTPError) as broken:
            urllib.request.urlopen(url, timeout=10)
        assert broken.value.code == 500
        assert (f"{post}:2: error: the title is missing or empty; add a line like: title: "
                "&quot;Pay award announced&quot;") in broken.value.read().decode("utf-8")
        post.write_text(post.read_text(encoding="utf-8").replace(
            "---\n", '---\ntitle: "Live"\n', 1), encoding="utf-8")
        wait_for_text_at(url, "The chair spoke at", seconds=60)
    finally:
        stop(proc)


def wait_for_text_at(url, text, seconds):
    """Wait until `url` answers 200 with `text` in its body (errors meanwhile are retried)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if text in get(url):
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not served at {url} within {seconds} s")


def test_a_devserver_that_cannot_start_fails_at_once_with_its_output(tmp_path):
    # the port is taken by a socket that never answers: make devserver exits with its error
    # line, and start_devserver says so with the output instead of waiting for its timeout
    (tmp_path / "content/news").mkdir(parents=True)
    with socket.socket() as blocker, open(tmp_path / "devserver.log", "w") as log:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        with pytest.raises(AssertionError) as failed:
            start_devserver(ROOT, port, log, f"INPUTDIR={tmp_path / 'content'}",
                            f"PREVIEWDIR={tmp_path / 'preview'}", timeout=60)
    message = str(failed.value)
    assert message.startswith("make devserver exited with status "), message
    assert (f"devserver: error: cannot listen on 127.0.0.1:{port} (Address already in use); "
            "stop the other server or use make devserver PORT=8001") in message
