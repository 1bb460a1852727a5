"""The site build, one pipeline for every command: check, Pelican (with the search index),
verification. What `make html`, `make publish`, `make devserver` and `make deploy` run.

Usage: python -m newsroom.build [PELICAN OPTIONS] CONTENT_DIR
       (the options of the `pelican` command: -s SETTINGS, -o OUTPUT, --fatal warnings,
       --delete-output-directory, --relative-urls, -D, -e NAME=VALUE...)

1. Every content file the content cache lacks is parsed and rendered in a process pool
   (`newsroom.render.prepare`). The content check (`newsroom.check`) prints its problems.
   With `--fatal`, an error stops here: nothing is built.
2. Pelican builds the site in this process (as `pelican.main` does, so every option means
   what it means to `pelican`) into a fresh folder beside the output folder, reading each
   file through the parse the check already made (`newsroom.source`) and the HTML from
   the content cache (`newsroom.render`). The `search_index` plugin indexes the article pages.
3. With `--fatal`, the build is verified: every published article's page was written and
   every post file was read by Pelican (Pelican can skip a file and exit 0,
   pelican-facts.md); otherwise that is an error.
4. Only then does the new folder replace the output folder (renames): a failed build leaves
   the previous output/ as it was. A failure inside Pelican is one line (its traceback only
   with -D, DEBUG=1).

Exit status 0 when built, 1 when refused or failed (`build: error: ...`).
`build_site` is the same for callers in Python (the deploy).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import sys
import traceback
from pathlib import Path

import pelican
from pelican import LOG_HANDLERS
from pelican.log import console
from pelican.log import init as init_logging
from pelican.plugins import signals
from pelican.settings import read_settings

from . import source
from .check import check, report
from .layout import Layout
from .problems import display_path, errors
from .render import SettingsError, prepare
from .writer import WritingFailed


FATAL_WARNING = "Warning or error encountered"  # pelican/log.py, FatalLogger._log


class BuildFailed(Exception):
    """The content check or the build failed; its report has been written to stderr."""


@dataclasses.dataclass
class Build:
    """A finished build: the `output` folder; `articles`, the output-relative paths of the
    pages of every published article (e.g. "news/2025/07/pay-award/index.html"); `sources`,
    the absolute paths of every file Pelican read as an article or page, any status."""

    output: Path
    articles: list[str]
    sources: set[str]


class _Collector:
    """Receives Pelican's generator signals during one build and notes what was read."""

    def __init__(self):
        self.articles: list[str] = []
        self.sources: set[str] = set()

    def articles_read(self, generator) -> None:
        self.articles = [a.save_as for a in generator.articles]
        for a in (generator.articles + generator.translations + generator.hidden_articles
                  + generator.hidden_translations + generator.drafts
                  + generator.drafts_translations):
            self.sources.add(os.path.abspath(a.source_path))

    def pages_read(self, generator) -> None:
        for p in (generator.pages + generator.translations + generator.hidden_pages
                  + generator.hidden_translations + generator.draft_pages
                  + generator.draft_translations):
            self.sources.add(os.path.abspath(p.source_path))


def _run_pelican(args, settings: dict, quiet: bool) -> _Collector:
    """Build once as `pelican.main` does (its logging, `--fatal`), with the parsed `args` and
    the `settings` already read from them (not read a second time); return what was read.
    Raises BuildFailed with Pelican's error as one line; the traceback is logged only with
    `-D` (DEBUG=1), since pelican.main logs it for every failure."""
    collector = _Collector()
    init_logging(level=args.verbosity, fatal=args.fatal, name="pelican",
                 handler=LOG_HANDLERS[args.log_handler],
                 logs_dedup_min_level=getattr(logging, args.logs_dedup_min_level))
    signals.article_generator_finalized.connect(collector.articles_read)
    signals.page_generator_finalized.connect(collector.pages_read)
    was_quiet, console.quiet = console.quiet, quiet or console.quiet
    try:
        pelican.Pelican(settings).run()
    except Exception as exc:  # anything Pelican, a plugin or a template raises
        if args.verbosity == logging.DEBUG:
            logging.getLogger(__name__).critical("Pelican's traceback:", exc_info=True)
        raise BuildFailed(pelican_error(exc)) from None
    finally:
        console.quiet = was_quiet
        signals.article_generator_finalized.disconnect(collector.articles_read)
        signals.page_generator_finalized.disconnect(collector.pages_read)
    return collector


def pelican_error(exc: Exception) -> str:
    """One line for an exception raised inside Pelican. Under `--fatal warnings` Pelican's
    logger raises RuntimeError("Warning or error encountered") after printing the warning
    (pelican/log.py, FatalLogger), so that warning, above, is the message."""
    if isinstance(exc, WritingFailed):  # already this one line, from a writing process
        return str(exc)
    if isinstance(exc, RuntimeError) and str(exc) == FATAL_WARNING:
        return ("Pelican stopped at the warning or error above (--fatal warnings); fix what "
                "it names (DEBUG=1, e.g. make html DEBUG=1, shows more)")
    text = " ".join(str(exc).split()) or "no message"
    templates = [f for f in traceback.extract_tb(exc.__traceback__)
                 if f.filename.endswith((".html", ".xml"))]  # Jinja's frames name the template
    where = (f" in {display_path(templates[-1].filename)}:{templates[-1].lineno}"
             if templates else "")
    return (f"Pelican stopped{where}: {type(exc).__name__}: {text}; run the command again with "
            "DEBUG=1 (e.g. make html DEBUG=1) for Pelican's traceback")


def _staging_folder(final: Path) -> Path:
    """A fresh, empty sibling of the output folder `final` to build into."""
    staging = final.parent / f".{final.name}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    final.parent.mkdir(parents=True, exist_ok=True)
    return staging


def _swap_in(staging: Path, final: Path) -> None:
    """Put the finished build `staging` in place of `final` by renames (the previous folder
    is renamed aside, then deleted): a build that fails never touches `final`."""
    old = final.parent / f".{final.name}.previous-{os.getpid()}"
    if final.exists() or final.is_symlink():
        os.rename(final, old)
    os.rename(staging, final)
    shutil.rmtree(old, ignore_errors=True)


def verify(build: Build, settings: dict) -> list[str]:
    """What is wrong with a finished `build` of the content in `settings["PATH"]`: pages of
    published articles that were not written, post files Pelican did not read."""
    found = [f"the page {page} of a published article was not written; check the Pelican "
             "messages above" for page in build.articles if not (build.output / page).is_file()]
    for path in Layout(settings).post_files():
        if os.path.abspath(path) not in build.sources:
            found.append(f"{display_path(path)}: Pelican did not read this post; check its "
                         "file name and front matter with make check")
    return found


def run(argv: list[str], quiet: bool = False) -> Build:
    """Check, build and verify as the module docstring says; `argv` are `pelican`'s
    arguments. With `quiet`, nothing is printed unless something fails. Raises BuildFailed.

    Pelican writes into a fresh sibling of the output folder, which replaces the output
    folder (renames only) once the build is verified: a failed build leaves the previous
    output exactly as it was, and every build starts empty (as --delete-output-directory)."""
    args = pelican.parse_arguments(argv)
    settings = read_settings(args.settings, override=pelican.get_config(args))
    try:
        prepare(settings)  # parse and render what the content cache lacks, on every core
    except SettingsError as exc:
        raise BuildFailed(f"{exc}") from None
    problems = check(settings["PATH"], settings)
    if problems and (not quiet or errors(problems)):
        report(problems, 0, out=sys.stderr if quiet else sys.stdout)
    elif not quiet:
        report([], len(Layout(settings).content_files()))
    if args.fatal and errors(problems):
        raise BuildFailed(f"the content check found {len(errors(problems))} error(s) (listed "
                          "above); nothing was built")
    source.forget(settings)  # Pelican's side reads the content cache's (read_for_pelican)
    final = Path(settings["OUTPUT_PATH"])
    staging = _staging_folder(final)
    try:
        # the folder it replaces: what newsroom/pagememo.py and newsroom/search.py keep from
        collector = _run_pelican(args, {**settings, "OUTPUT_PATH": str(staging),
                                        "NEWS_PREVIOUS_OUTPUT": str(final),
                                        "NEWS_CHECKED": True}, quiet)
        build = Build(staging, collector.articles, collector.sources)
        wrong = verify(build, settings) if args.fatal else []
        if wrong:
            raise BuildFailed("; ".join(wrong))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, final)
    return dataclasses.replace(build, output=final)


def build_site(settings_file: Path, output: Path, *, content: Path,
               siteurl: str | None = None, quiet: bool = True) -> Build:
    """Build `content` with `settings_file` into the folder `output` with `--fatal warnings`
    (see `run`); `siteurl` (e.g. "http://127.0.0.1:8001") overrides `SITEURL` and
    `FEED_DOMAIN`. Raises BuildFailed."""
    argv = [str(content), "-s", str(settings_file), "-o", str(output), "--fatal", "warnings",
            "--log-handler", "plain"]
    if siteurl:
        argv += ["-e", f"SITEURL={json.dumps(siteurl)}", f"FEED_DOMAIN={json.dumps(siteurl)}"]
    return run(argv, quiet=quiet)


def main(argv: list[str] | None = None) -> int:
    """`python -m newsroom.build`: see the module docstring. Returns the exit status."""
    try:
        run(sys.argv[1:] if argv is None else argv)
    except BuildFailed as failure:
        print(f"build: error: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
