"""Benchmark the production build (check, Pelican, search index) on the sample site and on
generated sites.

Usage: python tools/bench.py [--sizes 1000,5000] [--out bench-results.json]

For the sample content and for generated sites of each size (synthetic posts of about 600
words, seeded so every run generates the same text), it measures, each step in its own
process:

- `build`: what `make publish` runs, `python -m newsroom.build --fatal warnings` with
  publishconf.py (the content check, Pelican, the search index plugin and
  pelican-precompress): wall time (seconds) and peak resident memory (MiB, the process and
  its children, from `wait4`'s rusage);
- `index_bytes`: the bytes of the search index written under `pagefind/`.

Prints a table and writes the figures as JSON. Timings belong here, never in tests
(conventions.md, "Tests" 6). Generated sites live in a temporary folder that is removed.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv/bin/python"
WORDS = (
    "officer officers federation branch pay award welfare support investigation investigators "
    "inspection report body-worn video camera evidence training course rep reps conference "
    "members survey workload rest days overtime allowance pension health wellbeing fund "
    "counselling helpline family assault campaign emergency workers court custody response "
    "neighbourhood patrol sergeant inspector constable chair secretary committee meeting "
    "government review body recommendation inflation cost living morale recruitment retention "
    "the a of to and in for on with that this was were has have is are said will would "
    "national local county force community public safety standards conduct misconduct "
    "recognition bravery award ceremony long service retirement volunteers charity partnership"
).split()
CATEGORIES = ["News", "Pay", "Welfare", "Awards", "Events", "Campaigns"]


def generate_site(folder: Path, posts: int, seed: int = 2025) -> Path:
    """Write a content folder with `posts` synthetic posts plus the real pages and images.

    Returns the content folder. Posts are dated one day apart backwards from 2026-11-01 so
    every one is published; words, tags and categories come from a seeded generator.
    """
    rng = random.Random(seed)
    content = folder / "content"
    shutil.copytree(ROOT / "content/pages", content / "pages")
    shutil.copytree(ROOT / "content/images", content / "images")
    shutil.copytree(ROOT / "content/extra", content / "extra")
    news = content / "news"
    news.mkdir(parents=True)
    start = time.mktime((2026, 11, 1, 9, 0, 0, 0, 0, -1))
    for n in range(posts):
        when = time.localtime(start - n * 86400)
        date = time.strftime("%Y-%m-%d", when)
        title = " ".join(rng.choice(WORDS) for _ in range(7)).capitalize()
        paragraphs = []
        for _ in range(6):
            sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 22)))
                         .capitalize() + "." for _ in range(5)]
            paragraphs.append(" ".join(sentences))
        tags = sorted({rng.choice(WORDS[:40]) for _ in range(3)})
        (news / f"{date}-post-{n}.md").write_text(
            "---\n"
            f'title: "{title} {n}"\n'
            f"date: {date} 09:00\n"
            f"category: {rng.choice(CATEGORIES)}\n"
            f"tags: [{', '.join(tags)}]\n"
            f'summary: "{paragraphs[0][:200].rsplit(" ", 1)[0]}."\n'
            "---\n\n" + "\n\n".join(paragraphs) + "\n",
            encoding="utf-8",
        )
    return content


def measure(cmd: list) -> dict:
    """Run `cmd` in a child process; return wall seconds and peak RSS in MiB (with children)."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench: {' '.join(map(str, cmd))} failed:\n{output.decode()[-2000:]}")
    return {"seconds": round(seconds, 2), "peak_mib": round(usage.ru_maxrss / 1024, 1)}


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def bench_site(name: str, content: Path, work: Path) -> dict:
    """Build `content` with publishconf.py, index it, and return the figures for `name`."""
    output = work / f"output-{name}"
    build = measure([PYTHON, "-m", "newsroom.build", content, "-s", ROOT / "publishconf.py",
                     "-o", output, "--fatal", "warnings", "--log-handler", "plain"])
    result = {"site": name, "posts": len(list((content / "news").glob("*.md"))),
              "html_pages": len(list(output.rglob("*.html"))), "build": build,
              "index_bytes": folder_bytes(output / "pagefind")}
    shutil.rmtree(output)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000",
                        help="comma-separated numbers of generated posts (default 1000,5000)")
    parser.add_argument("--out", default=str(ROOT / "bench-results.json"))
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        results.append(bench_site("sample", ROOT / "content", work))
        for size in [int(s) for s in args.sizes.split(",") if s]:
            results.append(bench_site(f"generated-{size}", generate_site(work / str(size), size),
                                      work))
            print(json.dumps(results[-1]), flush=True)
    print(f"{'site':16} {'posts':>6} {'pages':>6} {'build s':>8} {'build MiB':>10} "
          f"{'index KB':>9}")
    for r in results:
        print(f"{r['site']:16} {r['posts']:6} {r['html_pages']:6} {r['build']['seconds']:8} "
              f"{r['build']['peak_mib']:10} {round(r['index_bytes'] / 1024):>9}")
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
