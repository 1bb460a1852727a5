"""Preview the site while editing: what `make devserver` runs.

Usage: python -m newsroom.devserver [--port 8000] [--output .preview]
       [--settings previewconf.py] [CONTENT_DIR]

Builds the site with the preview settings (previewconf.py: drafts and embargoed posts are
written under drafts/ and marked by the theme's draft banner) into its own folder, never
output/, serves it at http://127.0.0.1:PORT/, and on every saved change to the content,
theme, plugins, data or settings rebuilds and reloads the open browser page.

Live reload is the `livereload` package (PyPI, what pelican-quickstart's tasks.py uses):
its server adds the reload script to each HTML response as it is served, so no built file
ever contains it; `make html`, `make publish` and `make deploy` do not use this tool.
Every file is served with deploy/nginx.conf's security headers; the preview's CSP differs
only in allowing that one injected script, by its hash (`newsroom.headers`).
Each build is `newsroom.build` in a fresh process, without `--fatal`: the check's problems
are printed and the preview is built anyway; while the last build had errors, every page
the browser asks for is a page listing them (file, line, what to do), and it reloads by
itself when a save fixes them. After each build the drafts and scheduled posts are listed
with their addresses.
Stop with Ctrl-C.
"""

from __future__ import annotations

import argparse
import datetime
import html
import os
import re
import subprocess
import sys

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from pelican.settings import read_settings

from . import status
from .dates import site_timezone
from .headers import preview_headers

# What a rebuild follows besides the content folder, relative to the working directory (the
# repository root).
WATCHED = ("theme", "plugins", "newsroom", "data", "pelicanconf.py", "previewconf.py")
# What stops a build: a problem line `path:line: error: ...` (check, reader), `build: error:`
ERROR_LINE_RE = re.compile(r"^(?:\S.*?:\d+: error: |build: error: )")
BUILD_ERRORS: list[str] = []  # the last build's error lines; the browser shows them


def build(content: str, output: str, settings_file: str, base_url: str) -> int:
    """Check and build the preview once; print its messages, then the drafts and scheduled
    posts; note its errors for the browser (`BUILD_ERRORS`). Returns the build's exit status."""
    proc = subprocess.run([sys.executable, "-m", "newsroom.build", content, "-o", output,
                           "-s", settings_file, "--delete-output-directory",
                           "--log-handler", "plain"], check=False, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    print(proc.stdout, end="", flush=True)
    BUILD_ERRORS[:] = error_lines(proc.stdout, proc.returncode)
    settings = read_settings(settings_file)
    now = datetime.datetime.now(site_timezone(settings))
    for line in status.report(content, settings, now, settings.get("DRAFT_URL", ""), base_url):
        print(line)
    print(f"\nPreview at {base_url} (Ctrl-C to stop)", flush=True)
    return proc.returncode


class SecureServer(Server):
    """livereload's server serving files with `ErrorPageHandler` and sending
    deploy/nginx.conf's security headers with every file,
    its CSP allowing exactly the one inline script livereload injects (by its hash:
    `newsroom.headers.preview_headers`); livereload hands that script to
    `get_web_handlers` before it serves anything."""

    def get_web_handlers(self, script):
        text = script.decode("utf-8") if isinstance(script, bytes) else script
        inline = text[text.index(">") + 1:text.rindex("</script>")]
        for name, value in preview_headers(inline).items():
            self.setHeader(name, value)  # livereload's setHeader resets SFH: set ours after
        self.SFH = ErrorPageHandler
        return super().get_web_handlers(script)


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
    reload script to it as to any page, so it reloads when the next build is done."""

    async def get(self, path: str, include_body: bool = True) -> None:
        if BUILD_ERRORS and (not path or path.endswith(("/", ".html"))
                             or "." not in path.rsplit("/", 1)[-1]):
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(error_page(BUILD_ERRORS))
            return
        await super().get(path, include_body)


def compiled_python(path: str) -> bool:
    """True for files Python writes itself (plugins/__pycache__/*.pyc on the first build):
    watching them made every start rebuild and reload the open page once more."""
    return "__pycache__" in path or path.endswith(".pyc")


def main(argv: list[str] | None = None) -> int:
    """`make devserver`: see the module docstring. Returns the exit status."""
    parser = argparse.ArgumentParser(prog="devserver", description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", default="content")
    parser.add_argument("--settings", default="previewconf.py")
    parser.add_argument("--output", default=".preview")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    content, output = os.path.abspath(args.content), os.path.abspath(args.output)
    base_url = f"http://127.0.0.1:{args.port}/"

    def rebuild() -> None:
        build(content, output, args.settings, base_url)

    rebuild()
    # livereload drops (not delays) a change seen within DEFAULT_RELOAD_TIME (3 s) of the last
    # reload, so a second save soon after the first never reached the open page.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = SecureServer()
    for path in (content, *WATCHED):
        if os.path.exists(path):
            server.watch(path, rebuild, ignore=compiled_python)
    try:
        server.serve(host="127.0.0.1", port=args.port, root=output, restart_delay=0)
    except OSError as exc:
        print(f"devserver: error: cannot listen on 127.0.0.1:{args.port} ({exc.strerror}); "
              "stop the other server or use make devserver PORT=8001", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
