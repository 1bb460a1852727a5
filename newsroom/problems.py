"""What is wrong with a content or data file, and how an editor is told.

A `Problem` is one finding: the file, a 1-based line, a level ("error" stops publishing,
"warning" does not) and a message that says what is wrong and what to do about it, joined
by "; ". `format_problem` gives the one-line form editors see everywhere (the GNU error
format, `path:line: level: message`), e.g.
`content/news/2025-04-02-pay.md:3: error: the date is missing; add a line like: ...`.
"""

from __future__ import annotations

import dataclasses
import os

ERROR = "error"
WARNING = "warning"


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with a file. `line` is 1-based; `level` is ERROR or WARNING."""

    path: str
    line: int
    level: str
    message: str


def display_path(path: str) -> str:
    """Return `path` relative to the working directory when it lies inside it, else as given."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def format_problem(problem: Problem) -> str:
    """Return the editor-facing line `path:line: level: message`."""
    return f"{display_path(problem.path)}:{problem.line}: {problem.level}: {problem.message}"


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems of level ERROR, in their order."""
    return [p for p in problems if p.level == ERROR]


class Findings(list):
    """A list of `Problem`s for one file, with shorthands that add to it."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def error(self, line: int, message: str) -> None:
        """Add an ERROR at `line`."""
        self.append(Problem(self.path, line, ERROR, message))

    def warning(self, line: int, message: str) -> None:
        """Add a WARNING at `line`."""
        self.append(Problem(self.path, line, WARNING, message))
