"""The test suite's own rules, set in conftest.py: `make test` (plain `pytest`, testpaths
"tests") collects every layer, tests/build/ included; under CI=true (.ci/run) a skipped
test fails and an expected failure (xfail) does not. Each is checked by running pytest."""

import os
import subprocess
import sys

import pytest

from conftest import ROOT

SCRATCH = '''
import pytest

def test_skips():
    pytest.skip("no browser here")

@pytest.mark.xfail(strict=True, reason="a known bug")
def test_known_bug():
    assert False

def test_passes():
    assert True
'''


@pytest.mark.parametrize("ci, outcome", [("true", "1 failed, 1 passed, 1 xfailed"),
                                         ("", "1 passed, 1 skipped, 1 xfailed")])
def test_a_skip_fails_only_under_ci(tmp_path, ci, outcome):
    (tmp_path / "test_scratch.py").write_text(SCRATCH)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "-q",
                           "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CI": ci, "PYTHONPATH": str(ROOT / "tests")})
    assert proc.stdout.splitlines()[-1].startswith(outcome), proc.stdout
    if ci:
        assert "skipped under CI=true, where nothing may skip" in proc.stdout


def test_make_test_collects_every_layer():
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                           "-p", "no:cacheprovider"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    files = {line.split("::")[0] for line in proc.stdout.splitlines() if "::" in line}
    for layer in ("unit", "build", "browser"):
        expected = {str(p.relative_to(ROOT)) for p in (ROOT / "tests" / layer).glob("test_*.py")}
        assert expected and expected <= files, (layer, sorted(expected - files))
