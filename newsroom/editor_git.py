"""After the web editor saved: check the saved files and commit them, one commit per save.

`saved(settings, collection, path, data)` is called by `newsroom.editor` when Decap has
written an entry (through decap-server, in its `fs` mode: its `git` mode runs `git add .`,
which would commit whatever else is changed in the working tree). It finds the files under
the content folder (`PATH`) and the site data file (`NEWS_SITE_DATA`) that differ from the
last commit (`git status`), runs the content check on each saved post or page as on disk
(`newsroom.source.parse_file`), and commits exactly those files with a message naming the
entry, e.g. `News post: Pay award announced (content/news/2025-04-02-pay-award.md)`; the
commit runs the repository's hooks (`make hooks`). Without git, or a git identity, it
says so and commits nothing (the files stay saved).

Returns a dict for the editor's panel: `commit` (the one-line log entry, or None), `note`
(plain words on what happened) and `problems` (as `newsroom.editor_check` gives them).
"""

from __future__ import annotations

import os
import subprocess

from .problems import display_path
from .source import parse_file

KIND_NAMES = {"news": "News post", "pages": "Page", "site": "Contact details and links"}
DEFAULT_IDENTITY = ("-c", "user.name=Web editor", "-c", "user.email=web-editor@localhost")


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False)


def changed_files(settings: dict) -> list[str]:
    """The files (repository-relative) under `PATH` and the site data file that are new,
    changed or deleted since the last commit."""
    folders = [os.path.relpath(settings["PATH"]), settings.get("NEWS_SITE_DATA") or ""]
    status = _git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--",
                  *[f for f in folders if f])
    if status.returncode:
        return []
    entries = [e for e in status.stdout.split("\0") if e]
    return sorted({e[3:] for e in entries})


def saved(settings: dict, collection: str, path: str | None, data: dict) -> dict:
    """See the module docstring."""
    files = changed_files(settings)
    problems = []
    for name in files:
        if name.endswith(".md") and os.path.isfile(name):
            for problem in parse_file(name, settings).problems:
                problems.append({"field": "file", "label": display_path(name),
                                 "level": problem.level,
                                 "message": f"line {problem.line}: {problem.message}"})
    if _git("rev-parse", "--is-inside-work-tree").returncode:
        return {"commit": None, "problems": problems,
                "note": "Saved. This folder is not a git repository, so nothing was committed."}
    if not files:
        return {"commit": None, "problems": problems, "note": "Saved; nothing had changed."}
    title = str(data.get("title") or (path and os.path.basename(path)) or "")
    entry = next((f for f in files if f.endswith(".md")), files[0])
    message = f"{KIND_NAMES.get(collection, collection)}: {title or entry} ({entry})"
    if len(files) > 1:
        message += "\n\nFiles: " + ", ".join(files)
    identity = () if _git("config", "user.email").stdout.strip() else DEFAULT_IDENTITY
    _git("add", "-A", "--", *files)
    commit = _git(*identity, "commit", "--quiet", "-m", message + "\n\n(web editor)",
                  "--", *files)
    if commit.returncode:
        return {"commit": None, "problems": problems,
                "note": "Saved, but git did not commit it: " + (commit.stderr or
                                                                 commit.stdout).strip()}
    head = _git("log", "-1", "--format=%h %s").stdout.strip()
    return {"commit": head, "problems": problems,
            "note": f"Saved and committed ({head}). It goes live when the site is next "
                    "published (docs/editing.md)."}

