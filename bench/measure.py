"""One command in its own process: wall seconds, CPU seconds and peak memory.

CPU seconds (user + system) and peak resident memory come from the rusage that `os.wait4`
returns for the child, which counts the child and every descendant it waited for (Pagefind,
pelican-precompress's pool, rsync). Linux's `ru_maxrss` there is the largest single process
of that tree, not their sum. CPU / wall is the number of cores used on average.
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import subprocess
import time
from pathlib import Path


class CommandFailed(SystemExit):
    """A measured command exited non-zero; its output's last lines are the message."""


@dataclasses.dataclass
class Run:
    """What one measured run cost; `output` is its stdout and stderr."""

    wall: float
    cpu: float
    rss_mib: float
    output: str = ""

    @property
    def cores(self) -> float:
        return self.cpu / self.wall if self.wall else 0.0


def run(cmd: list, cwd: Path, env: dict | None = None) -> Run:
    """Run `cmd` in `cwd` and measure it (see the module docstring). Raises CommandFailed."""
    started = time.monotonic()
    proc = subprocess.Popen([str(part) for part in cmd], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read().decode("utf-8", "replace")
    proc.stdout.close()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise CommandFailed(f"bench: {' '.join(map(str, cmd))} (in {cwd}) exited "
                            f"{proc.returncode}:\n{output[-3000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def median(values) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def median_run(runs: list[Run]) -> Run:
    """The medians of wall, CPU and peak memory of `runs` (each taken separately)."""
    return Run(median(r.wall for r in runs), median(r.cpu for r in runs),
               median(r.rss_mib for r in runs))


def ratio(a: list[Run], b: list[Run], what: str) -> float:
    """The median of the pairwise ratios a[i].what / b[i].what (runs i taken in turn)."""
    return median(getattr(x, what) / getattr(y, what) for x, y in zip(a, b, strict=True)
                  if getattr(y, what))
