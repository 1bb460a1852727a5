"""Shared fixtures: real builds of the site, made once per test session, and the browser.

`build(...)` runs the real pipeline (`python -m newsroom.build`: check, Pelican with
`--fatal warnings`, verification) in a fresh process with the clock set to TEST_NOW (see
build_at.py). `dev_site` uses pelicanconf.py, `publish_site` publishconf.py; both keep the
search index, as `make html` and `make publish` do, and both have a moved and a removed
post (`site_redirects`), so the redirect and removed-story pages are among the pages
tested. Helpers that are not fixtures are in helpers.py.

`--update-snapshots` rewrites the snapshot files of the tiny fixture site
(tests/build/test_snapshots.py, `make snapshots`). Under CI=true a skipped test fails: a
missing browser or server must never pass unnoticed. (tests/build/ is collected because
pyproject.toml's `norecursedirs` leaves `build` out of pytest's default list.)
"""

import contextlib
import dataclasses
import datetime
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request
from zoneinfo import ZoneInfo

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
LONDON = ZoneInfo("Europe/London")
# The moment the test builds happen "at": after every sample post but the embargoed one.
TEST_NOW = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=LONDON)
PUBLISH_SITEURL = "https://news.northvale-polfed.example"


def pytest_addoption(parser):
    parser.addoption("--update-snapshots", action="store_true", default=False,
                     help="rewrite tests/fixtures/tiny/snapshots/ from the current build")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true, a skip (not an expected failure) is a failure."""
    report = yield
    if (os.environ.get("CI") == "true" and report.skipped
            and not hasattr(report, "wasxfail")):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where nothing may skip: {report.longrepr}"
    return report


@dataclasses.dataclass
class Build:
    """A finished build: its `output` folder, the pipeline's exit `returncode`, and its `log`
    (stdout, then stderr)."""

    output: pathlib.Path
    returncode: int
    log: str


def build(output, content=CONTENT, conf="pelicanconf.py", now=TEST_NOW, extra=(), index=False):
    """Build `content` into `output` with `conf` at the moment `now`, through the real
    pipeline (`newsroom.build`: check, Pelican with --fatal warnings, verification); with
    `index`, the search index plugin runs too, as in `make html`. Return a `Build`."""
    extra = list(extra)
    if not index:  # Pelican keeps only the last -e option: add to it
        extra = ([*extra[:extra.index("-e") + 1], "NEWS_SEARCH_INDEX=false",
                  *extra[extra.index("-e") + 1:]] if "-e" in extra
                 else [*extra, "-e", "NEWS_SEARCH_INDEX=false"])
    cmd = [sys.executable, str(ROOT / "tests" / "build_at.py"), now.isoformat(),
           str(content), "-s", str(ROOT / conf), "-o", str(output),
           "--fatal", "warnings", "--log-handler", "plain", *extra]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "200", "PYTHONPATH": str(ROOT)})
    return Build(pathlib.Path(output), proc.returncode, proc.stdout + proc.stderr)


# The sample builds' redirects: one moved post and one removed one of the tests' own, so that
# every site-wide test (vnu, axe, links, one h1...) covers the pages plugins/redirects.py
# writes, added to what data/redirects.yml holds (nothing, in the sample).
MOVED_FROM, MOVED_TO = "news/2025/06/pay-award/", "news/2025/07/pay-award/"
GONE = "news/2025/05/withdrawn-story/"
REDIRECT_PAGES = [f"{MOVED_FROM}index.html", f"{GONE}index.html", "410.html"]


def site_redirects(folder):
    """Write `folder`/redirects.yml: data/redirects.yml's entries plus MOVED_FROM -> MOVED_TO
    and GONE; return the `-e` option that makes a build use it (NEWS_REDIRECTS)."""
    sample = yaml.safe_load((ROOT / "data/redirects.yml").read_text(encoding="utf-8")) or {}
    moved = {**(sample.get("moved") or {}), MOVED_FROM: MOVED_TO}
    gone = [*(sample.get("gone") or []), GONE]
    path = folder / "redirects.yml"
    path.write_text(yaml.safe_dump({"moved": moved, "gone": gone}), encoding="utf-8")
    return ["-e", f'NEWS_REDIRECTS="{path}"']


@pytest.fixture(scope="session")
def dev_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dev")
    return build(folder / "output", index=True, extra=site_redirects(folder))


@pytest.fixture(scope="session")
def publish_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("publish")
    return build(folder / "output", conf="publishconf.py", index=True,
                 extra=site_redirects(folder))


def write_post(folder, name, front_matter, body="A paragraph of body text.\n"):
    """Write a post file `name` into `folder` (created) and return its path."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\n{front_matter.strip()}\n---\n\n{body}", encoding="utf-8")
    return path


# --- the browser: Debian's Chromium driven by Playwright (toolchain.md) -----------------------
CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
AXE_JS = ROOT / "node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# One browser for this module. Module scope, not session: Playwright's sync API cannot run
# two instances in one thread, and other test modules start their own.
@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: `make test` installs Debian's chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    assert AXE_JS.is_file(), "axe-core is missing: `make test` runs npm ci"
    return Axe.from_file(str(AXE_JS))



@pytest.fixture(scope="session")
def site_url(dev_site):
    """The development build served on 127.0.0.1 and a free port (no trailing slash), for the
    browser tests."""
    assert dev_site.returncode == 0, dev_site.log
    with serve_folder(dev_site.output) as url:
        yield url


@contextlib.contextmanager
def serve_folder(folder):
    """Serve `folder` with Python's http.server on 127.0.0.1 and a free port; yield the base
    URL (no trailing slash); stop the server by PID on exit."""
    proc = subprocess.Popen([sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1",
                             "--directory", str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()  # "Serving HTTP on 127.0.0.1 port 43121 (...)"
        url = f"http://127.0.0.1:{int(line.split(' port ')[1].split()[0])}"
        for _ in range(50):  # at most 5 s
            try:
                urllib.request.urlopen(url + "/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError(f"http.server did not answer at {url} within 5 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listened on a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
