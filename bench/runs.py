"""The measured commands and the alternated rounds.

- `cold_rounds`: per round, in turn (reversed every other round, so drift hits A and B
  alike): bare Pelican, bare Pelican + typogrify, our cold `make publish`, Hugo, and our
  warm edit-rebuild (one post edited, then `make html`'s command on the previous output).
  Each cold run starts with no output folder and, for ours, no content cache (each of
  our commands runs in its own working folder, `working_folder`, whose `.cache/newsroom`
  is its own); the edit-rebuild and the devserver keep theirs warm.
- `devserver_edits`: `make devserver`'s command on the generated site; per edit, the
  seconds from saving the post to the article page served on 127.0.0.1 containing the edit.
- `deploy_pairs`: `python -m newsroom.deploy deploy` to a fresh local folder target (after
  `setup`, which `make deploy-setup` runs), then again with nothing changed.
- `flat_runs`: our cold publish of the variant with `related:` and a hero on every post.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import posts as gen
from bench.measure import CommandFailed, Run, run

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv/bin/python"
BUILD_OPTS = ["--delete-output-directory", "--fatal", "warnings", "--log-handler", "plain"]
VARIANTS = ("bare", "bare_typo", "publish", "hugo", "html_edit")
BARE_CONF = '''"""Bare Pelican for make bench: its defaults, no plugins."""
AUTHOR = "Bench"
SITENAME = "Bench"
SITEURL = "https://bench.example"
FEED_DOMAIN = SITEURL
PATH = "content"
ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages"]
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
PLUGINS = []  # unset, every installed namespace plugin would load
TYPOGRIFY = {typo}
'''
HUGO_LAYOUTS = Path(__file__).resolve().parent / "hugo"


@dataclasses.dataclass
class Site:
    """The generated posts of one size in our format (`content`), for bare Pelican
    (`bare`, with its two settings files) and for Hugo (`hugo`), and a scratch `work`."""

    work: Path
    posts: list
    content: Path
    bare: Path
    hugo: Path

    @property
    def edited(self):
        """The post the edit measures edit: one in the middle of the archive."""
        return self.posts[len(self.posts) // 2]


def make_site(work: Path, count: int, every: bool = False) -> Site:
    """Generate the posts of `count` into `work` in the three forms (bench/posts.py)."""
    posts = gen.write_site(work / "ours", count, every=every)
    content = work / "ours/content"
    gen.write_bare(content, work / "bare", posts)
    for typo in (False, True):
        name = "typo.py" if typo else "bare.py"
        (work / "bare" / name).write_text(BARE_CONF.format(typo=typo), encoding="utf-8")
    gen.write_hugo(content, work / "hugo", posts)
    shutil.copytree(HUGO_LAYOUTS, work / "hugo", dirs_exist_ok=True)
    return Site(work, posts, content, work / "bare", work / "hugo")


def ours(content: Path, out: Path, settings: str = "publishconf.py") -> list:
    """`make publish`'s command (or, with pelicanconf.py, `make html`'s)."""
    return [PYTHON, "-m", "newsroom.build", content, "-o", out, "-s", ROOT / settings,
            *BUILD_OPTS]


def working_folder(folder: Path) -> Path:
    """A working folder for our commands, as the repository root is for `make`: its `data`
    is the repository's, and its `.cache/newsroom` (NEWS_CACHE_PATH) its own, so a cold
    run can start without a content cache and a warm one keeps its own. Returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "data").exists():
        (folder / "data").symlink_to(ROOT / "data")
    return folder


def run_ours(cmd: list, cwd: Path) -> Run:
    """Run one of our commands in the working folder `cwd` (publishconf.py imports
    pelicanconf from the repository root, so it goes on PYTHONPATH)."""
    return run(cmd, working_folder(cwd), env={**os.environ, "PYTHONPATH": str(ROOT)})


def cold(cmd: list, out: Path, cwd: Path, ours_: bool = False) -> Run:
    """Run `cmd` with no output folder `out` and, for ours, no content cache in `cwd`."""
    shutil.rmtree(out, ignore_errors=True)
    if not ours_:
        return run(cmd, cwd)
    shutil.rmtree(cwd / ".cache", ignore_errors=True)
    return run_ours(cmd, cwd)


def variant_run(name: str, site: Site, venv: Path, hugo: Path, token: str) -> Run:
    """One run of the variant `name` (VARIANTS) on `site`."""
    out = site.work / f"out-{name}"
    if name in ("bare", "bare_typo"):
        conf = site.bare / ("typo.py" if name == "bare_typo" else "bare.py")
        return cold([venv / "bin/python", "-m", "pelican", site.bare / "content", "-o", out,
                     "-s", conf], out, site.bare)
    if name == "publish":
        return cold(ours(site.content, out), out, site.work / "cold", ours_=True)
    if name == "hugo":
        return cold([hugo, "--source", site.hugo, "--destination", out, "--quiet",
                     "--cacheDir", site.work / "hugo-cache"], out, site.hugo)
    gen.edit_post(site.content, site.edited, token)
    result = run_ours(ours(site.content, out, "pelicanconf.py"), site.work / "warm")
    page = out / site.edited.url / "index.html"
    if token not in page.read_text(encoding="utf-8"):
        raise CommandFailed(f"bench: the edit {token} is not in {page} after make html")
    return result


def cold_rounds(site: Site, venv: Path, hugo: Path, pairs: int) -> dict[str, list[Run]]:
    """`pairs` alternated rounds of VARIANTS (see the module docstring)."""
    run_ours(ours(site.content, site.work / "out-html_edit", "pelicanconf.py"),
             site.work / "warm")  # warm-up: the output and the content cache
    runs: dict[str, list[Run]] = {name: [] for name in VARIANTS}
    for r in range(pairs):
        for name in VARIANTS if r % 2 == 0 else reversed(VARIANTS):
            runs[name].append(variant_run(name, site, venv, hugo, f"html-{r}"))
            print(f"  {name:10} wall {runs[name][-1].wall:7.2f} s  cpu {runs[name][-1].cpu:7.2f}"
                  f" s  peak {runs[name][-1].rss_mib:6.0f} MiB", flush=True)
    return runs


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None  # not up yet, or the error page (HTTP 500) while a build fails


def wait_for(check, proc: subprocess.Popen, timeout: float, what: str, log: Path) -> None:
    """Poll `check()` every 0.1 s until true, at most `timeout` seconds (so a bounded number
    of requests); fail if the devserver exits or the time runs out."""
    deadline = time.monotonic() + timeout
    for _ in range(int(timeout / 0.1) + 1):
        if check():
            return
        if proc.poll() is not None or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
    raise CommandFailed(f"bench: devserver: {what} not seen within {timeout:.0f} s:\n{tail}")


def stop(proc: subprocess.Popen) -> None:
    """End the devserver we started and its builds (its own session: its process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def devserver_edits(site: Site, edits: int) -> list[float]:
    """Seconds from each saved edit to the edited article served with it (module doc)."""
    port, log = free_port(), site.work / "devserver.log"
    url = f"http://127.0.0.1:{port}/{site.edited.url}"
    timeout = 120 + 0.1 * len(site.posts)

    def builds() -> int:  # the devserver prints "Preview at" once each build is done
        return log.read_text(encoding="utf-8", errors="replace").count("Preview at")

    with log.open("w") as out:
        proc = subprocess.Popen([PYTHON, "-m", "newsroom.devserver", "--port", str(port),
                                 "--settings", ROOT / "previewconf.py", "--output",
                                 site.work / "preview", site.content],
                                cwd=working_folder(site.work / "devserver"), stdout=out,
                                env={**os.environ, "PYTHONPATH": str(ROOT)},
                                stderr=subprocess.STDOUT, start_new_session=True)
    times = []
    try:
        wait_for(lambda: fetch(url) is not None and builds() >= 1, proc, timeout, "the first "
                 "build", log)
        for k in range(edits):
            done, token = builds(), f"devserver-{k}"
            started = time.monotonic()
            gen.edit_post(site.content, site.edited, token)
            wait_for(lambda: token in (fetch(url) or ""), proc, timeout, f"edit {token}", log)
            times.append(time.monotonic() - started)
            print(f"  devserver edit {k}: {times[-1]:.2f} s", flush=True)
            wait_for(lambda: builds() > done, proc, timeout, "the end of the rebuild", log)
    finally:
        stop(proc)
    return times


def deploy_pairs(site: Site, pairs: int) -> tuple[list[Run], list[Run], list[str]]:
    """Per pair: a first deploy to a fresh local target, then a no-change deploy; returns
    both lists of runs and the no-change deploys' last output lines."""
    first, second, said = [], [], []
    for k in range(pairs):
        target = site.work / f"deployed-{k}"
        where = site.work / f"deploy-{k}"  # its own, empty content cache
        run_ours([PYTHON, "-m", "newsroom.deploy", "setup", "--target", target], where)
        cmd = [PYTHON, "-m", "newsroom.deploy", "deploy", "--target", target, "--input",
               site.content, "--settings", ROOT / "publishconf.py", "--build-root",
               site.work / "deploy-build"]
        first.append(run_ours(cmd, where))
        second.append(run_ours(cmd, where))
        said.append((second[-1].output.strip().splitlines() or [""])[-1])
        print(f"  deploy {k}: first {first[-1].wall:.2f} s, again {second[-1].wall:.2f} s: "
              f"{said[-1]}", flush=True)
        shutil.rmtree(target)
    return first, second, said


def flat_runs(work: Path, count: int, pairs: int) -> list[Run]:
    """Our cold publish of `count` posts, each with `related:` and a hero image."""
    gen.write_site(work, count, every=True)
    out = work / "out-flat"
    runs = [cold(ours(work / "content", out), out, work / "cold", ours_=True)
            for _ in range(pairs)]
    print(f"  flat N={count}: cpu {runs[-1].cpu:.2f} s", flush=True)
    return runs
