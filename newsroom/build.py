"""INTERIM (being rewritten in the newsroom refactor): the site build as one call.

`build_site(settings_file, output, content=..., siteurl=None, quiet=True)` checks the
content, builds it with Pelican into `output` (which must be an empty folder) and indexes
it for search; returns a `Build`; raises `BuildFailed` after writing the failing step's
report to stderr.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class BuildFailed(Exception):
    """The content check or the build failed; its report has been written to stderr."""


@dataclass
class Build:
    """A finished build: `output` folder and `articles`, the output-relative paths of the
    pages of every published article (e.g. "news/2025/07/pay-award/index.html")."""

    output: Path
    articles: list[str]


def _run(command: list[str], cwd: Path, what: str) -> None:
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise BuildFailed(f"{what} ({shlex.join(command)}) failed (its output is above)")


def build_site(settings_file: Path, output: Path, *, content: Path,
               siteurl: str | None = None, quiet: bool = True) -> Build:
    """Check `content`, build it with `settings_file` into `output`, index it; see module."""
    del quiet
    _run([sys.executable, str(REPO / "tools/check_content.py"), "--settings",
          str(settings_file), str(content)], settings_file.parent, "the content check")
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(settings_file),
               "-o", str(output), "--fatal", "warnings", "--log-handler", "plain"]
    if siteurl:
        command += ["-e", f"SITEURL={json.dumps(siteurl)}", f"FEED_DOMAIN={json.dumps(siteurl)}"]
    _run(command, settings_file.parent, "the build")
    _run([sys.executable, str(REPO / "tools/search_index.py"), str(output)], REPO,
         "the search index")
    articles = sorted(p.relative_to(output).as_posix()
                      for p in output.glob("news/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))
    return Build(output, articles)
