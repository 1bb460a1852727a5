"""Write, check, preview and save posts in a browser: what `make editor` runs.

Usage: python -m newsroom.editor [--port 8000] [--backend-port 8081]
       [--settings previewconf.py] [CONTENT_DIR]

Starts, on 127.0.0.1 only:
- Decap CMS's local backend, `decap-server` (npm, node_modules/), on `--backend-port`,
  reading and writing this repository's files. It has NO authentication: any program on
  this computer can use it while it runs, so it listens on 127.0.0.1 and must never be
  exposed (docs/editing.md).
- the preview, `newsroom.devserver` (the site with drafts, rebuilt on every save), on
  `--port`, which also serves the editor at /admin/ (`admin_handlers`): Decap's bundle
  from node_modules/decap-cms/dist/, its configuration made from the settings
  (`newsroom.cms`), editor/editor.js and editor/editor.css, with their own headers
  (`ADMIN_HEADERS`: a CSP Decap can run under, `noindex`); and the editor's API:
  `POST /admin/api/check` (the check on the entry being edited, `newsroom.editor_check`),
  `POST /admin/api/preview` (the check, and the page as the site renders it, from the
  preview's builder), `POST /admin/api/media` (a copy of a picture Decap holds until the
  save, for the check: Decap uploads pictures with the post) and `POST /admin/api/saved` (after Decap saved: the check of the file
  on disk, and a git commit of what the save changed under content/ and the data file,
  `newsroom.editor_git`). The API answers only same-origin JSON requests.

Prints the address to open. Ctrl-C (or SIGTERM) stops everything it started.
"""

from __future__ import annotations

import argparse
import base64
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid

from pelican.settings import read_settings
from tornado.web import HTTPError, RequestHandler, StaticFileHandler

from . import devserver, editor_check, editor_git
from .cms import admin_page, editor_config, local_backend

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DECAP_DIST = os.path.join("node_modules", "decap-cms", "dist")
DECAP_SERVER = os.path.join("node_modules", "decap-server", "dist", "index.js")
EDITOR_FILES = os.path.join(ROOT, "editor")
MAX_MEDIA_BYTES = 20 * 1024 * 1024  # a picture staged for the check (bytes)
RENDER_SECONDS = 30  # a render waits at most this long (a full build may be running)


def admin_headers(backend_port: int) -> dict[str, str]:
    """The headers of every /admin/ response. Decap needs `'unsafe-eval'` and inline styles
    (it does not start under the site's CSP, web-editing.md); it talks to decap-server on
    `backend_port` and to nothing else; no other site may frame the editor."""
    csp = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' "
           "'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
           f"connect-src 'self' blob: http://127.0.0.1:{backend_port}; worker-src 'self' blob:; "
           "frame-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
           "frame-ancestors 'none'")
    return {"Content-Security-Policy": csp, "X-Robots-Tag": "noindex, nofollow",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store"}


class AdminMixin:
    """Sends `admin_headers` with every response. `options` (tornado handler arguments):
    `site_settings` (the settings file), `backend_port`, `preview` (the devserver's
    `Preview`) and `scratch` (a temporary folder for the texts sent to the builder)."""

    def initialize(self, options: dict, **kwargs) -> None:
        self.options = options
        super().initialize(**kwargs)
        for name, value in admin_headers(options["backend_port"]).items():
            self.set_header(name, value)


class AdminPage(AdminMixin, RequestHandler):
    """/admin/ (the page) and /admin/config.yml (Decap's configuration, as JSON)."""

    def get(self, name: str) -> None:
        site = read_settings(self.options["site_settings"])
        if name == "config.yml":
            self.set_header("Content-Type", "text/yaml; charset=utf-8")
            self.finish(json.dumps(editor_config(
                site, local_backend(self.options["backend_port"])), indent=1))
        else:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(admin_page(site))


class AdminFiles(AdminMixin, StaticFileHandler):
    """editor/ and Decap's bundle."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")


class Api(AdminMixin, RequestHandler):
    """The editor's JSON API (module docstring): same-origin POSTs of JSON only."""

    def prepare(self) -> None:
        origin = self.request.headers.get("Origin")
        if (origin and origin != f"{self.request.protocol}://{self.request.host}"
                or not self.request.headers.get("Content-Type", "").startswith(
                    "application/json")):
            raise HTTPError(403)
        try:
            self.entry = json.loads(self.request.body or b"{}")
        except ValueError:
            raise HTTPError(400) from None
        if self.entry.get("collection") not in ("news", "pages", "site"):
            raise HTTPError(400)
        self.pending_folder = os.path.join(self.options["scratch"], "pending")

    def site(self) -> dict:
        return read_settings(self.options["site_settings"])

    async def post(self, action: str) -> None:
        site, entry = self.site(), self.entry
        data = entry.get("data") or {}
        if action == "saved":
            self.finish(editor_git.saved(site, entry["collection"], entry.get("path"), data))
            return
        if action == "media":
            self.finish({"staged": self.stage(entry.get("path") or "", entry.get("data64"))})
            return
        result = editor_check.check_entry(site, entry["collection"], entry.get("path"), data,
                                          pending=self.pending(entry.get("pending") or []))
        if action == "preview" and entry["collection"] != "site":
            result.update(await self.render(result, data))
        self.finish(result)

    def stage(self, path: str, data64) -> str:
        """Keep a copy of a picture Decap holds until the save (`path`, e.g.
        content/images/x.jpg; its bytes base64-encoded) for the check; its name."""
        name = os.path.basename(path)
        if not name or name.startswith(".") or not isinstance(data64, str) or len(
                data64) > MAX_MEDIA_BYTES * 4 // 3 + 4:
            raise HTTPError(400)
        os.makedirs(self.pending_folder, exist_ok=True)
        with open(os.path.join(self.pending_folder, name), "wb") as fh:
            fh.write(base64.b64decode(data64))
        return name

    def pending(self, paths: list) -> dict[str, str]:
        """`images/<name>` -> the staged copy, for each of `paths` staged."""
        found = {}
        for path in paths:
            copy = os.path.join(self.pending_folder, os.path.basename(str(path)))
            if os.path.isfile(copy):
                found["images/" + os.path.basename(copy)] = copy
        return found

    async def render(self, result: dict, data: dict) -> dict:
        """The page for the entry from the preview's builder, or why there is none."""
        if result["errors"]:
            return {"html": None, "reason": None}
        kind = editor_check.KINDS[self.entry["collection"]]
        text, _ = editor_check.entry_text(kind, data)
        folder = self.options["scratch"]
        request_id = uuid.uuid4().hex
        text_file = os.path.join(folder, request_id + ".md")
        request_file = os.path.join(folder, request_id + ".json")
        with open(text_file, "w", encoding="utf-8") as fh:
            fh.write(text)
        with open(request_file, "w", encoding="utf-8") as fh:
            json.dump({"id": request_id, "path": os.path.abspath(result["path"]),
                       "text_file": text_file,
                       "pending": self.pending(self.entry.get("pending") or [])}, fh)
        preview = self.options["preview"]
        try:
            event = await asyncio.wait_for(preview.render(request_file, request_id),
                                           RENDER_SECONDS)
        except asyncio.TimeoutError:
            event = None
        finally:
            for name in (text_file, request_file):
                if os.path.exists(name):
                    os.unlink(name)
        if event is None:
            return {"html": None, "reason": "The preview is busy rebuilding the site; it "
                    "shows the page again in a moment."}
        return {"html": event.get("html"), "reason": event.get("reason")}


def admin_handlers(options: dict) -> list:
    """The tornado handlers of /admin/ (module docstring), for `devserver.main`; `options`
    as `AdminMixin`'s."""
    given = {"options": options}
    return [
        (r"/admin/()", AdminPage, given),
        (r"/admin/(config\.yml)", AdminPage, given),
        (r"/admin/(editor\.(?:js|css))", AdminFiles, {**given, "path": EDITOR_FILES}),
        (r"/admin/decap/(.*)", AdminFiles, {**given, "path": os.path.abspath(DECAP_DIST)}),
        (r"/admin/api/(check|preview|saved|media)", Api, given),
    ]


def start_backend(port: int) -> subprocess.Popen:
    """decap-server on 127.0.0.1:`port`, on this repository, writing files only (the
    commits are `newsroom.editor_git`'s: decap-server's git mode commits everything)."""
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1",
           "GIT_REPO_DIRECTORY": os.getcwd(), "MODE": "fs", "LOG_LEVEL": "warn"}
    return subprocess.Popen(["node", DECAP_SERVER], env=env)


def _interrupt(signum, frame) -> None:
    """SIGTERM stops the editor as Ctrl-C does."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """`make editor`: see the module docstring. Returns the exit status."""
    parser = argparse.ArgumentParser(prog="editor", description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", default="content")
    parser.add_argument("--settings", default="previewconf.py")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--backend-port", type=int, default=8081)
    args = parser.parse_args(argv)
    missing = [p for p in (DECAP_DIST, DECAP_SERVER) if not os.path.exists(p)]
    if missing or not shutil.which("node"):
        print("editor: error: Decap CMS is not installed (node_modules/); run make editor, "
              "which installs it with npm ci", file=sys.stderr)
        return 1
    backend = start_backend(args.backend_port)
    scratch = tempfile.mkdtemp(prefix="newsroom-editor-")
    signal.signal(signal.SIGTERM, _interrupt)

    def editor(preview, port: int) -> list:
        preview.banner = (f"\nWeb editor at http://127.0.0.1:{port}/admin/ (the preview at "
                          f"http://127.0.0.1:{port}/). Ctrl-C stops both.")
        print(preview.banner, flush=True)
        return admin_handlers({"site_settings": args.settings, "preview": preview,
                               "backend_port": args.backend_port, "scratch": scratch})

    try:
        return devserver.main([args.content, "--settings", args.settings, "--output",
                               ".preview", "--port", str(args.port)], editor=editor)
    except KeyboardInterrupt:
        return 0
    finally:
        backend.terminate()
        try:
            backend.wait(timeout=5)
        except subprocess.TimeoutExpired:
            backend.kill()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
