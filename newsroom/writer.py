"""The article generator's pages written on every core (issue 11: "both cores"): Pelican's
Writer, with the pages of `ArticlesGenerator.generate_output` (articles, drafts, the
paginated lists, categories, tags, archives) queued instead of written, then written by
`NEWS_WRITE_WORKERS` processes (None: one per core) when that generator is done.

The processes are forks of the build (`os.fork`): each starts with Pelican's finished
context, templates and content in memory, as they are, with nothing copied or pickled, and
renders its share of the queued pages with Pelican's own `Writer.write_file`; a page is
in one share only (by its output name), so Pelican's rule against writing one file twice
still holds within that share. A page depends only on the context, never on the pages
written before it, so the output is byte for byte the one-process output
(tests/build/test_incremental.py builds both). Feeds are written at once, as Pelican
writes them; so are the pages written after the article generator (pages, redirects),
since they are few.

`finish(writer)` writes what is queued: the plugin (plugins/parallel_writer.py) calls it
at `article_writer_finalized`, and so does every receiver of that signal that reads the
written pages (plugins/search_index.py), since receivers run in no set order. A page that
fails in a process stops the build: its one-line message (`newsroom.build.pelican_error`,
template and line included) is raised in the build as `WritingFailed`.

Settings read: `NEWS_WRITE_WORKERS` (int or None).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import zlib

from pelican.utils import sanitised_join
from pelican.writers import Writer

from .pagememo import PageMemo


class WritingFailed(RuntimeError):
    """A page could not be written in a writing process; the message says which and why."""


class PoolWriter(Writer):
    """Pelican's Writer, queueing `write_file` calls until `finish` (module docstring)."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.workers = (self.settings.get("NEWS_WRITE_WORKERS") or os.cpu_count() or 1)
        self.queue: list[tuple] | None = [] if self.workers > 1 else None
        self.memo = PageMemo(output_path, self.settings)

    def write_file(self, name, template, context, *args, **kwargs):
        if not name:
            return super().write_file(name, template, context, *args, **kwargs)
        key = self.memo.key(name, template, context, args, kwargs)
        if self.memo.reuse(name, key):  # the last build's file, linked
            self._written_files.add(sanitised_join(self.output_path, name))
            return None
        self.memo.record(name, key)
        if self.queue is None:
            return super().write_file(name, template, context, *args, **kwargs)
        self.queue.append((name, template, context, args, kwargs))
        return None

    def _open_w(self, filename, encoding, override=False):
        # a linked file is the last build's: a second write (override) must not go into it
        if os.path.isfile(filename) and os.stat(filename).st_nlink > 1:
            os.unlink(filename)
        return super()._open_w(filename, encoding, override)

    def finish(self) -> None:
        """Write every queued page, in `workers` processes; from now on, write at once.
        Raises WritingFailed (or the exception of this process's own share)."""
        queue, self.queue = self.queue, None
        if not queue:
            self.memo.save()
            return
        shares: list[list[tuple]] = [[] for _ in range(self.workers)]
        for item in queue:
            shares[zlib.crc32(item[0].encode()) % self.workers].append(item)
        sys.stdout.flush()
        sys.stderr.flush()
        gc.freeze()  # the collector would touch, so copy, every object in every fork
        try:
            children = [self._fork(share) for share in shares[1:] if share]
        finally:
            gc.unfreeze()
        error: BaseException | None = None
        try:
            self._write(shares[0])
        except Exception as exc:  # noqa: BLE001 - raised below, once the others are done
            error = exc
        for pid, reader in children:
            with os.fdopen(reader, "rb") as pipe:
                message = pipe.read().decode("utf-8", "replace").strip()
            _, status = os.waitpid(pid, 0)
            if status and error is None:
                error = WritingFailed(message or f"a writing process ended with status "
                                      f"{os.waitstatus_to_exitcode(status)}")
        for name, *_ in queue:
            self._written_files.add(sanitised_join(self.output_path, name))
        if error is not None:
            raise error
        self.memo.save()

    def _write(self, share: list[tuple]) -> None:
        for name, template, context, args, kwargs in share:
            Writer.write_file(self, name, template, context, *args, **kwargs)

    def _fork(self, share: list[tuple]) -> tuple[int, int]:
        """Write `share` in a forked process; return its pid and the read end of the pipe
        on which it says why it failed (nothing when it did not)."""
        reader, writer = os.pipe()
        pid = os.fork()
        if pid:
            os.close(writer)
            return pid, reader
        os.close(reader)
        gc.disable()  # a short-lived process: nothing to collect that exit does not
        status = 0
        try:
            self._write(share)
        except BaseException as exc:  # noqa: BLE001 - said to the build, which stops
            from .build import pelican_error  # the build's own one-line form
            logging.getLogger(__name__).debug("writing process %d:", os.getpid(),
                                              exc_info=True)  # -D (DEBUG=1) shows it
            os.write(writer, pelican_error(exc).encode("utf-8"))
            status = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)


def finish(writer) -> None:
    """Write what `writer` has queued, if it is a PoolWriter (else nothing to do)."""
    if isinstance(writer, PoolWriter):
        writer.finish()
