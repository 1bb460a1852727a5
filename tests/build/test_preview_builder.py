"""The preview's builder (`python -m newsroom.preview`, what `make devserver` runs builds in):
a saved post's own page is rebuilt first, from the last build (the fast path), byte for byte
the page the full build that follows writes; an edit other pages depend on (a date), a new
file beside the edit, or an edit with an error gets no fast path, only the full build.

The builder is the real process, driven through its standard input and output as the
devserver drives it; every wait is bounded (`EVENT_SECONDS`).
"""

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT, write_post
from helpers import FIXTURES
from newsroom.preview import EVENT

EVENT_SECONDS = 120
PAY = "news/2025-03-03-pay-award.md"
PAY_PAGE = "news/2025/03/pay-award/index.html"


class BuilderProcess:
    """One `python -m newsroom.preview` on `content`, writing into `output`; a thread reads
    its output into `lines` (so no line waits in a buffer while the test waits)."""

    def __init__(self, content, output):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newsroom.preview", str(content), "--output", str(output),
             "--settings", str(ROOT / "previewconf.py")], cwd=ROOT, text=True, bufsize=1,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.log: list[str] = []
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def next_event(self) -> dict:
        """The next event line (the rest of the output kept in `log`), within the bound."""
        deadline = time.monotonic() + EVENT_SECONDS
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            if line.startswith(EVENT):
                return json.loads(line[len(EVENT):])
            self.log.append(line)
        raise AssertionError("no event from the builder; it printed:\n" + "".join(self.log))

    def send(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def close(self):
        self.proc.stdin.close()  # the builder ends when its input does
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


@pytest.fixture()
def site(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "tiny/content", content)
    write_post(content / "news", "2025-03-10-draft.md",
               'title: "Draft on pensions"\ndate: 2025-03-10\ncategory: Pay\nstatus: draft',
               "The pensions draft is not agreed yet.\n")
    builder = BuilderProcess(content, tmp_path / "preview")
    try:
        assert builder.next_event() == {"event": "built", "status": 0}, "".join(builder.log)
        yield content, tmp_path / "preview", builder
    finally:
        builder.close()


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def first_paragraph(path):
    """A sentence of the post's body, to be edited."""
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2].strip()
    return body.split(".")[0]


@pytest.mark.parametrize("name, page", [(PAY, PAY_PAGE),
                                        ("news/2025-03-10-draft.md", "drafts/draft/index.html")])
def test_a_saved_post_s_page_is_rebuilt_first_as_the_full_build_writes_it(site, name, page):
    content, output, builder = site
    before = os.stat(output / page).st_ino
    sentence = first_paragraph(content / name)
    edit(content / name, sentence, sentence + " (Updated at noon)")
    builder.send("edit")
    assert builder.next_event()["pages"] == [page]
    with open(output / page, "rb") as fh:  # the fast path's file: written in place
        assert os.fstat(fh.fileno()).st_ino == before
        fast = fh.read()
    assert b"(Updated at" in fast
    assert builder.next_event() == {"event": "built", "status": 0}, "".join(builder.log)
    assert os.stat(output / page).st_ino != before  # the full build's folder, swapped in
    assert (output / page).read_bytes() == fast


@pytest.mark.parametrize("change", ["date", "new file", "error"])
def test_edits_other_pages_depend_on_get_only_the_full_build(site, change):
    content, output, builder = site
    post = content / PAY
    sentence = first_paragraph(post)
    edit(post, sentence, sentence + " (Updated at noon)")
    if change == "date":
        edit(post, "date: 2025-03-03 09:30", "date: 2025-03-03 18:00")
    elif change == "new file":
        write_post(content / "news", "2025-03-11-new.md",
                   'title: "New post"\ndate: 2025-03-11\ncategory: Pay')
    else:
        edit(post, "title:", "titel:")
    builder.send("edit")
    event = builder.next_event()
    assert event["event"] == "built", event
    if change == "error":
        assert any(": error: " in line and PAY in line for line in builder.log), builder.log
    else:
        assert event["status"] == 0, "".join(builder.log)
        assert b"(Updated at" in (output / PAY_PAGE).read_bytes()
