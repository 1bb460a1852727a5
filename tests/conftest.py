"""Shared fixtures: real builds of the site, made once per test session.

Each build runs Pelican's CLI with `--fatal warnings` in a subprocess, with the clock set to
TEST_NOW (see build_at.py). `dev_site` uses pelicanconf.py, `publish_site` publishconf.py.
"""

import dataclasses
import datetime
import os
import pathlib
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
LONDON = ZoneInfo("Europe/London")
# The moment the test builds happen "at": after every sample post but the embargoed one.
TEST_NOW = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=LONDON)
PUBLISH_SITEURL = "https://news.northvale-polfed.example"

sys.path.insert(0, str(ROOT / "plugins"))


@dataclasses.dataclass
class Build:
    """A finished build: `output` folder, Pelican's exit `returncode` and its `log` text."""

    output: pathlib.Path
    returncode: int
    log: str


def build(output, content=CONTENT, conf="pelicanconf.py", now=TEST_NOW, extra=()):
    """Build `content` into `output` with `conf` at the moment `now`; return a `Build`."""
    cmd = [sys.executable, str(ROOT / "tests" / "build_at.py"), now.isoformat(),
           str(content), "-s", str(ROOT / conf), "-o", str(output),
           "--fatal", "warnings", "--log-handler", "plain", *extra]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "200"})
    return Build(pathlib.Path(output), proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture(scope="session")
def dev_site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("dev") / "output")


@pytest.fixture(scope="session")
def publish_site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("publish") / "output", conf="publishconf.py")


def write_post(folder, name, front_matter, body="A paragraph of body text.\n"):
    """Write a post file `name` into `folder` (created) and return its path."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\n{front_matter.strip()}\n---\n\n{body}", encoding="utf-8")
    return path
