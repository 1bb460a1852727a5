"""Preview the site while editing: what `make devserver` runs.

Usage: python -m newsroom.devserver [--port 8000] [--output .preview]
       [--settings previewconf.py] [CONTENT_DIR]

Builds the site with the preview settings (previewconf.py: drafts and embargoed posts are
written under drafts/ and marked by the theme's draft banner) into its own folder, never
output/, serves it at http://127.0.0.1:PORT/, and on every saved change to the content,
theme, plugins, data or settings rebuilds and reloads the open browser page.

Live reload is the `livereload` package (what pelican-quickstart's tasks.py uses): its
server adds the reload script to each HTML response, so no built file contains it. Files
are served with deploy/nginx.conf's security headers, the CSP also allowing that script by
its hash (`newsroom.headers`). Builds run in `newsroom.preview`, one process kept between
builds (a new one when code or settings change), without `--fatal`: while the last build
had errors, every page asked for lists them (file, line, what to do) and reloads when a
save fixes them. A saved post's own page is rebuilt first (the fast path) and the open
page reloads at once; while the rest of the site follows, pages carry a note saying so.
After each build the drafts and scheduled posts are listed. `make editor`
(`newsroom.editor`) serves the web editor's /admin/ from this server.
Stop with Ctrl-C.
"""

from __future__ import annotations

import argparse
import datetime
import html
import json
import os
import re
import subprocess
import sys
import threading

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher
from pelican.settings import read_settings
from tornado.concurrent import Future
from tornado.ioloop import IOLoop, PeriodicCallback

from . import status
from .dates import site_timezone
from .headers import preview_headers
from .preview import EVENT

# What else a rebuild follows, relative to the working directory (the repository root):
# a change to the theme or the site data rebuilds in the same builder; to code or settings,
# which a process imports once, in a new builder.
REBUILT = ("theme", "data")
RESTARTED = ("plugins", "newsroom", "pelicanconf.py", "previewconf.py")
POLL_SECONDS = 0.2  # how often the watched files are looked at (livereload's default: 0.8)
# What stops a build: a problem line `path:line: error: ...` (check, reader), `build: error:`
ERROR_LINE_RE = re.compile(r"^(?:\S.*?:\d+: error: |build: error: )")
BUILD_ERRORS: list[str] = []  # the last build's error lines; the browser shows them
UPDATING: list[bool] = []  # not empty while the rest of the site follows a fast path
UPDATING_NOTE = ('<p class="draft-banner" role="status" id="preview-updating">Preview: this '
                 "page has your last save; the rest of the site is being rebuilt and this "
                 "page reloads when it is done.</p>")


class Preview:
    """The builder process of one preview (`newsroom.preview`) and what its builds print:
    its output is echoed, its events handled on the server's IOLoop `loop` (the open pages
    reloaded, `BUILD_ERRORS` and `UPDATING` set, the drafts listed)."""

    def __init__(self, content: str, output: str, settings_file: str, base_url: str):
        self.content, self.output, self.settings_file = content, output, settings_file
        self.base_url = base_url
        self.banner = f"\nPreview at {base_url} (Ctrl-C to stop)"  # after every build
        self.loop: IOLoop | None = None
        self.proc: subprocess.Popen | None = None
        self.log: list[str] = []
        self.renders: dict[str, Future] = {}  # the web editor's previews being rendered

    def start(self) -> None:
        """Start a builder, which builds the whole site first."""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newsroom.preview", self.content, "--output", self.output,
             "--settings", self.settings_file], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, bufsize=1)

    def first_build(self) -> int:
        """Wait for the builder's first build (before the server listens); its status."""
        for line in self.proc.stdout:
            event = self._line(line)
            if event and event["event"] == "built":
                self._built(event)
                return event["status"]
        return 1

    def follow(self, loop: IOLoop) -> None:
        """Handle the builder's events on `loop` from now on (a thread reads its output)."""
        self.loop = loop
        threading.Thread(target=self._read, args=(self.proc,), daemon=True).start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            event = self._line(line)
            if event and proc is self.proc:
                self.loop.add_callback(self._handle, event)

    def _line(self, line: str) -> dict | None:
        if line.startswith(EVENT):
            return json.loads(line[len(EVENT):])
        print(line, end="", flush=True)
        self.log.append(line)
        return None

    def render(self, request_file: str, request_id: str) -> Future:
        """Ask the builder to render the unsaved text described by `request_file` (JSON,
        `newsroom.preview`'s `render` command); resolved with its `rendered` event."""
        self.renders[request_id] = Future()
        self._send(f"render {request_file}")
        return self.renders[request_id]

    def _handle(self, event: dict) -> None:
        if event["event"] == "rendered":
            waiting = self.renders.pop(event.get("id"), None)
            if waiting is not None and not waiting.done():
                waiting.set_result(event)
            return
        if event["event"] == "fast":
            UPDATING[:] = [True]
            print(f"devserver: {', '.join(event['pages'])} rebuilt in {event['seconds']:.2f} s; "
                  "rebuilding the rest of the preview", flush=True)
        else:
            self._built(event)
        LiveReloadHandler.reload_waiters()

    def _built(self, event: dict) -> None:
        BUILD_ERRORS[:] = error_lines("".join(self.log), event["status"])
        UPDATING.clear()
        self.log.clear()
        settings = read_settings(self.settings_file)
        now = datetime.datetime.now(site_timezone(settings))
        for line in status.report(self.content, settings, now, settings.get("DRAFT_URL", ""),
                                  self.base_url):
            print(line)
        print(self.banner, flush=True)

    def saved(self) -> None:
        """A content file was saved: the fast path first unless the last build had errors."""
        self._send("build" if BUILD_ERRORS else "edit")

    def rebuild(self) -> None:
        """The theme or site data changed: build the whole site."""
        self._send("build")

    def restart(self) -> None:
        """Code or settings changed: a new builder (which builds the whole site)."""
        old = self.proc
        self.start()
        self.follow(self.loop)
        UPDATING[:] = [True]
        old.terminate()

    def _send(self, command: str) -> None:
        try:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        except OSError:  # the builder died: a new one
            self.restart()

    def stop(self) -> None:
        self.proc.terminate()


class SecureServer(Server):
    """livereload's server: files by `ErrorPageHandler` with deploy/nginx.conf's headers,
    the CSP allowing the one script livereload injects (`newsroom.headers.preview_headers`;
    livereload hands it to `get_web_handlers` before it serves anything)."""

    extra_handlers: list = []  # handlers served before the files (the web editor's /admin/)

    def get_web_handlers(self, script):
        text = script.decode("utf-8") if isinstance(script, bytes) else script
        inline = text[text.index(">") + 1:text.rindex("</script>")]
        for name, value in preview_headers(inline).items():
            self.setHeader(name, value)  # livereload's setHeader resets SFH: set ours after
        self.SFH = ErrorPageHandler
        return self.extra_handlers + super().get_web_handlers(script)


def error_lines(log: str, returncode: int) -> list[str]:
    """The lines of a build's `log` that say what stops it: the check's and the reader's
    `path:line: error: ...` lines (once each) and `build: error: ...`; the last lines of the
    log if the build failed without one."""
    found = list(dict.fromkeys(line for line in log.splitlines()
                               if ERROR_LINE_RE.match(line)))
    if returncode and not found:
        found = log.strip().splitlines()[-5:] or [f"the build failed (exit status {returncode})"]
    return found


def error_page(lines: list[str]) -> str:
    """The HTML page shown instead of every page of the preview while the last build had
    errors: each message, its file and line first, and that the page reloads itself."""
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Preview: the build has errors</title></head>\n<body>"
            "<h1>The preview cannot be built</h1>\n<p>Fix what these lines say (file:line: "
            "what is wrong; what to do) and save: this page reloads by itself.</p>\n"
            f"<ul id=\"build-errors\">\n{items}\n</ul>\n</body></html>\n")


class ErrorPageHandler(StaticFileHandler):
    """livereload's file handler, but while `BUILD_ERRORS` is not empty every page (an
    address ending in / or .html) is the error page, with status 500; livereload adds its
    reload script to it as to any page, so it reloads when the next build is done. While
    `UPDATING`, every HTML file is served with `UPDATING_NOTE` after its `<body>` tag."""

    async def get(self, path: str, include_body: bool = True) -> None:
        if BUILD_ERRORS and (not path or path.endswith(("/", ".html"))
                             or "." not in path.rsplit("/", 1)[-1]):
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(error_page(BUILD_ERRORS))
            return
        await super().get(path, include_body)

    @classmethod
    def get_content(cls, abspath, start=None, end=None):
        if UPDATING and abspath.endswith(".html") and start is None and end is None:
            return with_note(b"".join(super().get_content(abspath)))
        return super().get_content(abspath, start, end)

    def get_content_size(self) -> int:
        if UPDATING and self.absolute_path.endswith(".html"):
            return len(self.get_content(self.absolute_path))
        return super().get_content_size()


def with_note(page: bytes) -> bytes:
    """`page` with `UPDATING_NOTE` just after its `<body ...>` tag (unchanged without one)."""
    body = page.find(b"<body")
    close = page.find(b">", body)
    if body < 0 or close < 0:
        return page
    return page[:close + 1] + UPDATING_NOTE.encode() + page[close + 1:]


class QuickWatcher(Watcher):
    """livereload's polling watcher, looking every `POLL_SECONDS` instead of 0.8 s and
    running the tasks only: livereload's own reload after them (`callback`,
    LiveReloadHandler.poll_tasks) is left out, since `Preview` reloads the open pages when
    each step of a build is done, not when it is asked for."""

    def start(self, callback) -> bool:
        del callback
        PeriodicCallback(self.examine, POLL_SECONDS * 1000).start()
        return True


def compiled_python(path: str) -> bool:
    """True for files Python writes (__pycache__/*.pyc): watched, each start rebuilt twice."""
    return "__pycache__" in path or path.endswith(".pyc")


def main(argv: list[str] | None = None, editor=None) -> int:
    """`make devserver`: see the module docstring. Returns the exit status. `editor`, if
    given, is called with the `Preview` and the port before the server listens and returns
    the tornado handlers of the web editor (`newsroom.editor`), served before the files."""
    parser = argparse.ArgumentParser(prog="devserver", description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", default="content")
    parser.add_argument("--settings", default="previewconf.py")
    parser.add_argument("--output", default=".preview")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    content, output = os.path.abspath(args.content), os.path.abspath(args.output)
    base_url = f"http://127.0.0.1:{args.port}/"

    preview = Preview(content, output, args.settings, base_url)
    preview.start()
    preview.first_build()
    # livereload drops (not delays) a change seen within DEFAULT_RELOAD_TIME (3 s) of the last
    # reload, so a second save soon after the first never reached the open page.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = SecureServer(watcher=QuickWatcher())
    server.extra_handlers = editor(preview, args.port) if editor else []
    for path, task in ((content, preview.saved), *((p, preview.rebuild) for p in REBUILT),
                       *((p, preview.restart) for p in RESTARTED)):
        if os.path.exists(path):
            server.watch(path, task, ignore=compiled_python)
    preview.follow(IOLoop.current())
    try:
        server.serve(host="127.0.0.1", port=args.port, root=output, restart_delay=0)
    except OSError as exc:
        print(f"devserver: error: cannot listen on 127.0.0.1:{args.port} ({exc.strerror}); "
              "stop the other server or use make devserver PORT=8001", file=sys.stderr)
        return 1
    finally:
        preview.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
