"""One cProfile of our publish build, summarised by area.

`profile_publish` runs `make publish`'s command under `python -m cProfile` in its own
process. cProfile times the main process on the wall clock, so Pagefind's process and
pelican-precompress's pool show as the time spent waiting for them.

`summarise` groups the profile by area: each area's time is the largest cumulative time of
any function in it (its outermost entry; a lower bound when an area is entered from several
unrelated places), except the file system, which is the sum of the own time of the
operating system's file calls (open, read, write, stat, mkdir, rename, unlink, ...).
Cumulative times overlap (an area called inside another counts in both).
"""

from __future__ import annotations

import os
import pstats
import shutil
from pathlib import Path

from bench.measure import run

AREAS = {
    "YAML": ("/yaml/",),
    "Markdown": ("/markdown/", "/pymdownx/", "markdown_habits"),
    "typogrify": ("/typogrify/", "/smartypants"),
    "nh3": ("nh3.", "newsroom/safehtml.py"),
    "Jinja": ("/jinja2/", "/templates/"),
    "Pagefind": ("/pagefind/", "newsroom/search.py"),
    "gzip": ("gzip", "zlib", "/precompress/"),
}
FILE_CALLS = ("posix.stat", "posix.lstat", "posix.mkdir", "posix.rename", "posix.unlink",
              "posix.rmdir", "posix.scandir", "posix.listdir", "posix.open", "posix.utime",
              "posix.chmod", "posix.link", "posix.replace", "posix.sendfile", "io.open",
              "'_io.", "_fcopyfile", "posix.fstat", "posix.write", "posix.close")
OUR_CODE = ("/newsroom/", "/plugins/", "/pelican/")


def name(func: tuple) -> str:
    filename, line, function = func
    return function if filename == "~" else f"{filename}:{line}({function})"


def area_of(func: tuple) -> str | None:
    text = name(func)
    if func[0] == "~" and any(call in text for call in FILE_CALLS):
        return "file system"
    for area, marks in AREAS.items():
        if any(mark in text for mark in marks):
            return area
    return None


def short(text: str) -> str:
    """A function's name without the site-packages or repository prefix."""
    for mark in ("site-packages/", "wt-perf-bench/", "/work/main/", "lib/python3.11/"):
        if mark in text:
            text = text.split(mark, 1)[1]
    return text


def summarise(path: Path, top: int = 12) -> list[str]:
    """Markdown lines: the areas (seconds and share) and the `top` cumulative entries."""
    stats = pstats.Stats(str(path)).stats  # {func: (cc, nc, tottime, cumtime, callers)}
    total = max(entry[3] for entry in stats.values())
    areas: dict[str, tuple[float, str]] = {}
    own: dict[str, float] = {}
    for func, (_cc, _nc, tottime, cumtime, _callers) in stats.items():
        area = area_of(func)
        own[area] = own.get(area, 0.0) + tottime
        if area and area != "file system" and cumtime > areas.get(area, (0.0, ""))[0]:
            areas[area] = (cumtime, short(name(func)))
    areas["file system"] = (own.get("file system", 0.0), "own time of the file calls")
    lines = [f"Profiled wall time of the main process: {total:.1f} s.", "",
             "| area | outermost cumulative s | share | own s (sum of tottime) | share "
             "| outermost entry |", "|---|---|---|---|---|---|"]
    for area in [*AREAS, "file system"]:
        seconds, entry = areas.get(area, (0.0, "not called"))
        mine = own.get(area, 0.0)
        lines.append(f"| {area} | {seconds:.2f} | {seconds / total:.0%} | {mine:.2f} | "
                     f"{mine / total:.0%} | `{entry}` |")
    inner = [(entry[3], func) for func, entry in stats.items()
             if entry[3] < 0.6 * total and (area_of(func) or any(
                 mark in func[0] for mark in OUR_CODE))]
    lines += ["", f"Top {top} cumulative entries below the pipeline itself (under 60 % of the "
              "total; a frame within 1 % of the one above it left out), in named areas or in "
              "Pelican, newsroom/ and plugins/:", "",
              "| cumulative s | share | area | function |", "|---|---|---|---|"]
    kept = []
    for cumtime, func in sorted(inner, reverse=True):
        if len(kept) == top:
            break
        if kept and kept[-1] - cumtime < 0.01 * total:
            continue  # a wrapper of the entry above (the same time, one frame deeper)
        kept.append(cumtime)
        lines.append(f"| {cumtime:.2f} | {cumtime / total:.0%} | {area_of(func) or 'ours/Pelican'}"
                     f" | `{short(name(func))}` |")
    return lines


def profile_publish(python: Path, content: Path, work: Path, root: Path,
                    cwd: Path) -> list[str]:
    """Profile one cold publish build of `content`, run in the working folder `cwd` with no
    content cache and one reading worker (so all the reading is in the profiled process);
    return `summarise`'s lines."""
    out, prof = work / "out-profile", work / "publish.prof"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cwd / ".cache", ignore_errors=True)
    run([python, "-m", "cProfile", "-o", prof, "-m", "newsroom.build", content, "-o", out,
         "-s", root / "publishconf.py", "--delete-output-directory", "--fatal", "warnings",
         "--log-handler", "plain", "-e", "NEWS_READ_WORKERS=1"], cwd,
        env={**os.environ, "PYTHONPATH": str(root)})
    shutil.rmtree(out, ignore_errors=True)
    return summarise(prof)
