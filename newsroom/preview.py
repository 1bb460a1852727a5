"""The preview's builder: `make devserver`'s builds, in one long-lived process that keeps
the last build's articles so that a saved post's own page is rebuilt in a fraction of a
second, before the rest of the site (issue 11: "the edited page in 1 s at 5,000 posts").

Usage: python -m newsroom.preview --output DIR --settings FILE CONTENT_DIR
       (started by `newsroom.devserver`; commands on standard input, one a line)

Commands: `build` (the whole site, as `newsroom.build` without `--fatal`), `edit` (some
content file was saved: the fast path below, then the whole site) and `render FILE` (the
web editor's preview of unsaved text, `newsroom.draft_preview`; FILE is JSON: `id`, `path`
of the content file, `text_file` holding the text). Builds print to standard output; after
each step a line starting with `EVENT` (U+001E) and a JSON object says what was done:
`{"event": "fast", "pages": [...], "seconds": s}`, `{"event": "built", "status": 0 or 1}`,
`{"event": "rendered", "id": ..., "html": page or null, "reason": null or why not}`.

The fast path, `Snapshot.fast_edit`: when exactly one file changed in the content folder
since the last build, that build succeeded, and the file is a post whose new version keeps
everything other pages derive from it (address, status, date, category, tags, hero image
and its alt text, caption and credit, `related:`), its one article page is rendered again
with Pelican's own reader, template and writer, from the last build's context
(`pelican/generators.py`, `ArticlesGenerator.generate_articles` / `generate_drafts`). The
page is byte for byte what the full build that follows writes
(tests/browser/test_preview.py). Anything else (a new file, a deleted one, a changed
title's other pages, the theme) waits for the full build.

Code and settings are imported once: the devserver starts a new builder when they change.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import select
import sys
import tempfile
import time
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.log import LimitFilter
from pelican.writers import Writer

from . import build
from .draft_preview import documents, render_draft
from .problems import errors
from .source import parse_file

EVENT = "\x1e"
# What other pages and the article's own neighbours are computed from: an edit that changes
# one of these waits for the full build.
KEPT = ("save_as", "url", "status", "date", "category", "tags", "image", "image_alt",
        "image_caption", "image_credit", "related", "lang", "template", "slug")


def content_state(folder: str) -> dict[str, tuple[int, int]]:
    """Every file under `folder` (absolute path) with its (mtime in ns, size in bytes)."""
    state = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            state[path] = (info.st_mtime_ns, info.st_size)
    return state


class Snapshot:
    """What a successful build left for the fast path: its ArticlesGenerator `generator`
    (articles, context, templates), the folder the site was moved to (`output`), and
    `before`, the content folder's `content_state` as the build began."""

    def __init__(self, generator, output: str, before: dict, pages=None):
        self.generator, self.output, self.before = generator, output, before
        self.pages = pages  # the PagesGenerator, for the web editor's previews of pages

    def changed(self) -> list[str]:
        """The files added, removed or changed in the content folder since the build."""
        now = content_state(self.generator.path)
        return sorted(p for p in now.keys() | self.before.keys()
                      if now.get(p) != self.before.get(p))

    def fast_edit(self) -> list[str]:
        """Render again the page of the one post changed since the build, if the module
        docstring's conditions hold; return the output-relative paths written ([] if not)."""
        changed = self.changed()
        if len(changed) != 1:
            return []
        gen = self.generator
        old = next((a for a in documents(gen, Article)
                    if os.path.abspath(a.source_path) == changed[0]), None)
        if old is None or errors(parse_file(changed[0], gen.settings).problems):
            return []
        new = gen.readers.read_file(
            base_path=gen.path, path=os.path.relpath(changed[0], gen.path),
            content_class=Article, context=gen.context,
            preread_signal=signals.article_generator_preread, preread_sender=gen,
            context_signal=signals.article_generator_context, context_sender=gen)
        if not isinstance(new, Article) or any(
                getattr(new, name, None) != getattr(old, name, None) for name in KEPT):
            return []
        for name, value in vars(old).items():  # neighbours, related, image sizes, embargo
            if name not in vars(new):
                setattr(new, name, value)
        _replace(gen, old, new)
        self.before[changed[0]] = content_state_of(changed[0])
        write = Writer(self.output, settings=gen.settings).write_file
        extra = {"all_articles": gen.articles} if new.status == "draft" else {}
        write(new.save_as, gen.get_template(new.template), gen.context,
              relative_urls=gen.settings["RELATIVE_URLS"], article=new,
              category=getattr(new, "category", None),
              override_output=hasattr(new, "override_save_as"), blog=True, url=new.url,
              **extra)
        return [new.save_as]


def content_state_of(path: str) -> tuple[int, int]:
    """`content_state`'s entry for one file."""
    info = os.stat(path)
    return (info.st_mtime_ns, info.st_size)


def _replace(gen, old, new) -> None:
    """Put `new` wherever the generator and its context hold `old`: its lists, the
    (category, articles) pairs, the tag and author lists, `generated_content`."""
    holders = [vars(gen), gen.context]
    for holder in holders:
        for value in holder.values():
            for inner in _lists_in(value):
                for i, item in enumerate(inner):
                    if item is old:
                        inner[i] = new
    for key, item in gen.context.get("generated_content", {}).items():
        if item is old:
            gen.context["generated_content"][key] = new


def _lists_in(value) -> list[list]:
    """`value` if it is a list, and the lists one level inside it (in pairs or a dict)."""
    found = []
    if isinstance(value, list):
        found.append(value)
        found += [part for item in value if isinstance(item, tuple)
                  for part in item if isinstance(part, list)]
    elif isinstance(value, dict):
        found += [v for v in value.values() if isinstance(v, list)]
    return found


class Builder:
    """The builds of one preview: `argv` as `newsroom.build`'s, the output folder `output`."""

    def __init__(self, content: str, output: str, settings_file: str):
        self.output = output
        self.argv = [content, "-o", output, "-s", settings_file, "--delete-output-directory",
                     "--log-handler", "plain"]
        self.snapshot: Snapshot | None = None
        self._generator = self._pages = None

    def _keep(self, generator, writer) -> None:  # Pelican article_writer_finalized
        del writer
        self._generator = generator

    def _keep_pages(self, generator, writer) -> None:  # Pelican page_writer_finalized
        del writer
        self._pages = generator

    def build(self) -> int:
        """The whole site (`newsroom.build.run`); keeps a Snapshot if it succeeded."""
        self.snapshot, self._generator = None, None
        before = content_state(os.path.abspath(self.argv[0]))
        # Pelican's log filter drops a warning it has logged before, in this process
        LimitFilter._ignore.clear()
        LimitFilter._raised_messages.clear()
        LimitFilter._group_count.clear()
        signals.article_writer_finalized.connect(self._keep)
        signals.page_writer_finalized.connect(self._keep_pages)
        try:
            build.run(self.argv)
            status = 0
        except build.BuildFailed as failure:
            print(f"build: error: {failure}", flush=True)
            status = 1
        except Exception as exc:  # a bug of ours: say so, keep the preview running
            print(f"build: error: {build.pelican_error(exc)}", flush=True)
            status = 1
        finally:
            signals.article_writer_finalized.disconnect(self._keep)
            signals.page_writer_finalized.disconnect(self._keep_pages)
        if status == 0 and self._generator is not None:
            self.snapshot = Snapshot(self._generator, os.path.abspath(self.output), before,
                                     self._pages)
        self._generator = self._pages = None
        return status

    def render(self, request_file: str, scratch: str) -> dict:
        """The `render` command (module docstring): the web editor's preview of text not
        saved yet (`newsroom.draft_preview`), as the `rendered` event's fields."""
        with open(request_file, encoding="utf-8") as fh:
            request = json.load(fh)
        with open(request["text_file"], encoding="utf-8") as fh:
            text = fh.read()
        try:
            page = render_draft(self.snapshot, request["path"], text, scratch,
                                datetime.datetime.now(datetime.UTC), request.get("pending"))
        except Exception as exc:  # a bug of ours: say so, keep the preview running
            page = {"html": None, "reason": f"the preview failed: {build.pelican_error(exc)}"}
        return {"id": request["id"], **page}

    def edit(self) -> list[str]:
        """The fast path (`Snapshot.fast_edit`), if a snapshot is kept; the paths written."""
        if self.snapshot is None:
            return []
        try:
            return self.snapshot.fast_edit()
        except Exception:  # the full build that follows reports what is wrong
            self.snapshot = None
            return []


def emit(**event) -> None:
    """One event line (module docstring) on standard output."""
    sys.stdout.flush()
    print(EVENT + json.dumps(event), flush=True)


class Commands:
    """The command lines on the file descriptor `fd` (standard input), read unbuffered so
    that `pending` sees every line already sent."""

    def __init__(self, fd: int):
        self.fd, self.buffer, self.ended = fd, b"", False

    def _read(self, wait: bool) -> bool:
        if self.ended or (not wait and not select.select([self.fd], [], [], 0)[0]):
            return False
        data = os.read(self.fd, 65536)
        self.ended = not data
        self.buffer += data
        return bool(data)

    def _take(self) -> str:
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("utf-8", "replace").strip()

    def next(self) -> str | None:
        """The next command, waiting for it; None once the input has ended."""
        while b"\n" not in self.buffer:
            if not self._read(wait=True):
                return None
        return self._take()

    def pending(self) -> list[str]:
        """The commands already sent, without waiting."""
        while self._read(wait=False):
            pass
        found = []
        while b"\n" in self.buffer:
            found.append(self._take())
        return found


def main(argv: list[str] | None = None) -> int:
    """Build once, then follow the commands until standard input closes."""
    parser = argparse.ArgumentParser(prog="preview", description=__doc__.splitlines()[0])
    parser.add_argument("content")
    parser.add_argument("--output", required=True)
    parser.add_argument("--settings", required=True)
    args = parser.parse_args(argv)
    builder = Builder(args.content, args.output, args.settings)
    scratch = tempfile.mkdtemp(prefix="newsroom-render-")  # pages rendered for the editor
    emit(event="built", status=builder.build())
    commands_in = Commands(sys.stdin.fileno())
    while (line := commands_in.next()) is not None:
        commands = [line, *commands_in.pending()]  # saves made during a build: one build
        for command in commands:
            if command.startswith("render "):
                emit(event="rendered", **builder.render(command[7:], scratch))
        commands = [c for c in commands if not c.startswith("render ")]
        if "edit" in commands:
            started = time.monotonic()
            pages = builder.edit()
            if pages:
                emit(event="fast", pages=pages, seconds=round(time.monotonic() - started, 3))
        if any(c in ("build", "edit") for c in commands):
            emit(event="built", status=builder.build())
    return 0


if __name__ == "__main__":
    sys.exit(main())
