"""Helpers shared by every test layer (fixtures stay in conftest.py).

- The sample content read independently of the site's code (PyYAML and strptime, so a bug
  in newsroom/ cannot hide in its own oracle): `POSTS`, `PUBLISHED`, `HIDDEN`.
- A build read back: `soup`, `plain`, `html_files`, `article_path`, `local_file`,
  `resolve`, `stylesheet`, `output_bytes`, `tree_hash`.
- The editors' commands: `make`, `run_module`, `copy_repo`, `expected_lines`, and
  `make devserver` (`start_devserver`, `answers_http`, `stop`, `get`).
- Pelican's settings for plain function calls: `site_settings`.
- A build that skips the check and our reader: `forced_build` (the hostile fixture).
"""

import datetime
import gzip
import hashlib
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import unquote, urlsplit

import yaml
from bs4 import BeautifulSoup
from pelican.settings import read_settings

from conftest import CONTENT, LONDON, ROOT, TEST_NOW

VENV = ROOT / ".venv"
FIXTURES = ROOT / "tests/fixtures"
BAD = FIXTURES / "bad_posts"      # one problem per post; expected.txt: `make check`'s output
HOSTILE = FIXTURES / "hostile"  # XSS and page-hijack payloads in posts and site.yml
PASTED = FIXTURES / "pasted"      # text pasted from a word processor and a web page
TYPED = FIXTURES / "typed"        # Markdown as editors type it (newsroom.markdown_habits)
TINY = FIXTURES / "tiny"          # 2 posts and 1 page, for the snapshot tests
UNPUBLISHED = FIXTURES / "unpublished"   # an embargoed post, a draft and the files they use
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DRAFT_PHRASE = "Marmalade Protocol"         # only in the sample draft
EMBARGO_PHRASE = "Quillfeather Agreement"   # only in the sample post embargoed at TEST_NOW
# A valid data file (NEWS_SITE_DATA): contact details and one quick link.
SITE_DATA_EXAMPLE = """contact:
  name: "Office"
  phone: "01632 960 999"
  email: "hello@example.org"
quick_links:
  - label: "National site"
    url: "https://www.polfed.org/"
"""


# --- the sample content ----------------------------------------------------------------------

def read_post(path):
    """Return the front matter of `path` as a dict of text, plus `when` (aware datetime),
    `slug` (from the file name) and `text` (the whole file)."""
    text = path.read_text(encoding="utf-8")
    fm = yaml.load(text.split("---\n")[1], Loader=yaml.BaseLoader)
    fmt = "%Y-%m-%d %H:%M" if " " in fm["date"] else "%Y-%m-%d"
    fm["when"] = datetime.datetime.strptime(fm["date"], fmt).replace(tzinfo=LONDON)
    fm["slug"] = path.stem[11:]
    fm["text"] = text
    return fm


POSTS = [read_post(p) for p in sorted((CONTENT / "news").glob("*.md"))]
PUBLISHED = [p for p in POSTS if p.get("status", "published") == "published"
             and p["when"] <= TEST_NOW]
HIDDEN = [p for p in POSTS if p not in PUBLISHED]   # the draft and the embargoed post


# --- a build read back ---------------------------------------------------------------------

def plain(text):
    """Undo typography so a headline can be compared with the title an editor wrote."""
    for fancy, simple in {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'",
                          "\u00a0": " ", "\u2014": "---", "\u2013": "--"}.items():
        text = text.replace(fancy, simple)
    return " ".join(text.split())


def soup(path):
    """The HTML file at `path`, parsed as a browser would (html5lib)."""
    return BeautifulSoup(pathlib.Path(path).read_bytes(), "html5lib")


def html_files(output):
    return sorted(pathlib.Path(output).rglob("*.html"))


def article_path(output, post):
    """The page of the sample `post` (a `read_post` dict) in the build `output`."""
    return output / f"news/{post['when']:%Y}/{post['when']:%m}/{post['slug']}/index.html"


def local_file(output, url):
    """The output file an absolute site URL (or root-relative path) points to."""
    path = urlsplit(url).path
    target = output / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


def resolve(output, page_path, href):
    """The output file an internal `href` on `page_path` points to, or None if external."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:", "#")):
        return None
    path = unquote(parts.path)
    target = (output / path.lstrip("/")) if path.startswith("/") else (page_path.parent / path)
    return target / "index.html" if (path.endswith("/") or target.is_dir()) else target


def stylesheet(output, page):
    """The stylesheet file the parsed `page` links to."""
    return local_file(output, page.find("link", rel="stylesheet")["href"])


def output_bytes(folder):
    """Yield (path, bytes) for every file under `folder`, gzip files (.gz twins, Pagefind's
    files) decompressed so a phrase inside them can be found."""
    for path in sorted(pathlib.Path(folder).rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            yield path, gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def tree_hash(folder) -> dict:
    """Map every file under `folder` (relative path) to the SHA-256 of its bytes."""
    folder = pathlib.Path(folder)
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the editors' commands -------------------------------------------------------------------

def make(*args, cwd=ROOT, timeout=300, env=None):
    """Run `make --no-print-directory ARGS` in `cwd`; return the CompletedProcess (text).

    The venv's install marker is marked as up to date (`-o`), so a test never runs pip.
    """
    cmd = ["make", "--no-print-directory", "-o", f"{pathlib.Path(cwd) / '.venv'}/.site-installed",
           *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def run_module(module, *args, timeout=300, cwd=ROOT):
    """Run `python -m MODULE ARGS` in `cwd` (the repository root, as `make` does); return
    the CompletedProcess (text). The repository root is on PYTHONPATH (publishconf.py
    imports pelicanconf)."""
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def copy_repo(dest):
    """Copy the working tree (tracked and untracked files, not ignored ones) to `dest`, with
    `.venv` a link to this repository's venv; return `dest`.

    pyproject.toml gets an old modification time so the copy's Makefile never reinstalls
    the shared venv. The real content/ is never touched by tests that work in the copy.
    """
    dest = pathlib.Path(dest)
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    (dest / ".venv").symlink_to(VENV)
    os.utime(dest / "pyproject.toml", (0, 0))
    return dest


def start_devserver(cwd, port, log, *args, timeout=90):
    """Start `make devserver` in `cwd` in its own process group, its output to the open file
    `log`; return the Popen as soon as anything answers HTTP on `port`, whatever the status:
    the devserver listens only after its first build, and when that build has errors every
    page is the error page, with status 500 (newsroom/devserver.py). If make exits first, or
    nothing answers within `timeout` s, stop it and fail with what it printed."""
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "-o", f"{cwd}/.venv/.site-installed", "devserver",
         f"PORT={port}", *args], cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    deadline = time.monotonic() + timeout
    while not answers_http(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            why = (f"exited with status {proc.returncode}" if proc.poll() is not None
                   else f"did not answer on 127.0.0.1:{port} within {timeout} s")
            stop(proc)
            log.flush()
            output = pathlib.Path(log.name).read_text(encoding="utf-8", errors="replace")
            raise AssertionError(f"make devserver {why}; its output:\n{output}")
        time.sleep(0.1)
    return proc


def answers_http(port):
    """True if an HTTP server answers GET / on 127.0.0.1:`port` with any status."""
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
    except urllib.error.HTTPError as error:  # a response all the same (404, 500)
        error.close()
    except OSError:  # refused, reset or timed out: nothing answers yet
        return False
    return True


def stop(proc):
    """Stop a server started by `start_devserver` (its whole process group, by its id)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def get(url) -> str:
    """The body of `url` as text."""
    return urllib.request.urlopen(url, timeout=10).read().decode("utf-8")


def expected_lines(folder):
    """The lines `make check` must print for a fixture folder (its expected.txt)."""
    return (pathlib.Path(folder) / "expected.txt").read_text(encoding="utf-8").splitlines()


# --- settings for plain function calls ------------------------------------------------------

def site_settings(content=CONTENT, conf="pelicanconf.py", **override):
    """Pelican's settings from `conf` with `PATH` set to the folder `content`, as a build
    reads them (`read_settings(..., override=...)`)."""
    return read_settings(str(ROOT / conf), override={"PATH": str(content), **override})


def hostile_site(dest):
    """Lay out the hostile fixture as a site's working folder `dest` would be: its posts and
    images in `dest/content/`, its site.yml as `dest/data/site.yml` (NEWS_SITE_DATA is read
    from the working folder); return `dest`."""
    dest = pathlib.Path(dest)
    for folder in ("news", "images"):
        shutil.copytree(HOSTILE / folder, dest / "content" / folder)
    (dest / "data").mkdir(parents=True)
    shutil.copy(HOSTILE / "site.yml", dest / "data/site.yml")
    return dest


def forced_build(output, content=HOSTILE, conf="publishconf.py", leave_out=("news_reader",),
                 cwd=ROOT):
    """Build `content` with plain `python -m pelican`, run in `cwd`, and the site's settings
    `conf`, minus the plugins in `leave_out`: without news_reader, Pelican's own Markdown
    reader reads the posts, so files the check and our reader refuse are built anyway (as
    if the check had missed them). Returns the CompletedProcess; the search index is built
    too."""
    plugins = [p for p in read_settings(str(ROOT / conf))["PLUGINS"] if p not in leave_out]
    return run_module("pelican", content, "-s", ROOT / conf, "-o", output, "--log-handler",
                      "plain", "-e", f"PLUGINS={json.dumps(plugins)}", cwd=cwd)
