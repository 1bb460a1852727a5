"""Deploys to a server over ssh, served by nginx with the repository's deploy/nginx.conf.

Real components on 127.0.0.1 (tests/deploy/deploy_helpers.py): sshd with throwaway keys,
rsync over it, nginx serving the target's `current`, Debian's Chromium for the
Content-Security-Policy. The real site (a copy of content/, built with publishconf.py by the
tool) is deployed, a post is changed and deployed again, an unchanged build is deployed, and
the site is rolled back; the guards are tried on fresh targets with fake or tiny builds.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS
from deploy_helpers import (
    REPO,
    TOOL,
    empty_site,
    fake_build,
    nginx,
    ok,
    published_pages,
    run_tool,
    scratch,
    snapshot,
    sshd,
)
from playwright.sync_api import sync_playwright

from newsroom.deploy.ship import HASHED_ASSET_RE
from newsroom.deploy.switch import deploy_lock
from newsroom.deploy.targets import SshTarget

SITEURL = "https://news.northvale-polfed.example"
CHANGED_POST = "news/2025-07-29-pay-award.md"


@pytest.fixture(scope="module")
def server():
    """A throwaway sshd, and a scratch folder (mode 755) for targets and builds."""
    with scratch("deploy-ssh-") as work, sshd(work / "ssh") as ssh:
        yield ssh, work


def get(port: int, path: str, **headers) -> tuple[int, dict, bytes]:
    """GET `path` from nginx: (status, headers with lower-case names, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def live(root: Path) -> str:
    return os.readlink(root / "current").removeprefix("releases/")


# --- the real site --------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(server):
    """The real site (a copy of content/) deployed with publishconf.py over ssh, and served."""
    ssh, work = server
    content = work / "real" / "content"
    shutil.copytree(REPO / "content", content)
    root = work / "real" / "srv"
    target = ssh.target(root)
    ok(run_tool("setup", "--target", target, env=ssh.env))
    args = ["deploy", "--target", target, "--input", content,
            "--settings", REPO / "publishconf.py", "--build-root", work / "real" / "builds"]
    published = published_pages(content, datetime.now(UTC))
    first = ok(run_tool(*args, env=ssh.env))
    with nginx(root, work / "real" / "nginx") as port:
        yield {"root": root, "port": port, "args": args, "env": ssh.env, "target": target,
               "content": content, "first": first, "work": work, "published": published}


def test_first_deploy_of_the_real_site(real):
    root = real["root"]
    release = root / "releases" / live(root)
    assert re.search(rf"^deploy: release {live(root)} is live at {real['target']}/current ",
                     real["first"].stdout, re.M)
    assert not list((real["work"] / "real" / "builds").iterdir())  # build folder removed
    assert len(real["published"]) >= 10
    for page in real["published"]:
        status, _, body = get(real["port"], "/" + page.removesuffix("index.html"))
        assert status == 200 and (release / page).read_bytes() == body, page
    # production builds are precompressed (pelican-precompress): .gz beside text files
    for name in ("index.html", "feeds/all.atom.xml", "404.html"):
        assert gzip.decompress((release / f"{name}.gz").read_bytes()) == (
            release / name).read_bytes()
    assert not list(release.rglob("*.br"))


def test_nginx_headers_compression_404_and_clean_urls(real):
    port, root = real["port"], real["root"]
    status, headers, body = get(port, "/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["cache-control"] == "public, max-age=300"
    # the stylesheet is named by its content hash and cached for a year
    css = re.search(rf'<link rel="stylesheet" href="{SITEURL}(/[^"]+)"', body.decode())[1]
    assert HASHED_ASSET_RE.search(css), css
    status, headers, css_body = get(port, css)
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
    # precompressed files are sent to clients that accept them, and decode to the page
    _, headers, gz = get(port, "/", **{"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip" and gzip.decompress(gz) == body
    assert headers["vary"] == "Accept-Encoding"
    _, headers, gz = get(port, css, **{"Accept-Encoding": "br, gzip"})
    assert headers["content-encoding"] == "gzip" and gzip.decompress(gz) == css_body
    # our 404 page, with the security headers, and never cached for a year
    status, headers, body = get(port, "/no/such/page/")
    assert status == 404 and body == (root / "current" / "404.html").read_bytes()
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "cache-control" not in headers
    status, *_ = get(port, "/theme/css/site.0123456789.css")
    assert status == 404
    # clean URLs: a folder is its index.html; without the slash, a relative redirect
    assert get(port, "/about/")[0] == 200
    status, headers, _ = get(port, "/about")
    assert status == 301 and headers["location"] == "/about/"
    # symlinks inside a release are refused (disable_symlinks ... from=$document_root)
    link = root / "current" / "passwd.html"
    link.symlink_to("/etc/passwd")
    try:
        assert get(port, "/passwd.html")[0] in (403, 404)
    finally:
        link.unlink()


def test_nginx_conf_caches_what_deploy_carries():
    """deploy/nginx.conf's long-cache pattern is the one the deploy carries over."""
    conf = (REPO / "deploy" / "nginx.conf").read_text()
    pattern = re.search(r'"~(.+)" "public, max-age=31536000, immutable";', conf)[1]
    assert HASHED_ASSET_RE.pattern == pattern.removesuffix("$") + r"(\.gz|\.br)?$"
    assert "\n    open_file_cache" not in conf


def test_pages_satisfy_the_content_security_policy_in_chromium(real):
    """Chromium loads real pages with nginx's headers and reports no CSP violation; a probe
    page with an inline style, under the same header, does report one."""
    port = real["port"]
    csp = get(port, "/")[1]["content-security-policy"]

    def from_nginx(route):
        path = route.request.url.removeprefix(SITEURL)
        if path == "/csp-probe/":
            route.fulfill(status=200, content_type="text/html",
                          headers={"Content-Security-Policy": csp},
                          body='<!doctype html><title>p</title><p style="color:red">x</p>')
        else:
            route.fulfill(response=route.fetch(url=f"http://127.0.0.1:{port}{path}"))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.route(re.compile(r"^(?!https://news\.northvale-polfed\.example/).*"),
                      lambda route: route.abort())
        context.route(f"{SITEURL}/**", from_nginx)
        context.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation',"
            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
        page = context.new_page()
        console = []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        for path in ("/", "/news/2025/07/pay-award/", "/about/", "/no/such/page/",
                     "/csp-probe/"):
            console.clear()
            page.goto(SITEURL + path)
            page.wait_for_load_state("load")
            violations = page.evaluate("window.__csp")
            reported = [m for m in console if "Content Security Policy" in m]
            if path == "/csp-probe/":  # proves a violation would be seen
                assert violations and violations[0].startswith("style-src"), violations
                assert reported, console
            else:
                assert violations == [] and reported == [], (path, violations, reported)
                assert page.evaluate("document.styleSheets.length") == 1  # loaded, not blocked
                assert page.evaluate("document.styleSheets[0].cssRules.length") > 0
        # the search page: Pagefind's UI, its WebAssembly and worker, under the same policy
        console.clear()
        page.goto(SITEURL + "/search/?q=pay+award")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
        reported = [m for m in console if "Content Security Policy" in m]
        assert page.evaluate("window.__csp") == [] and reported == [], reported
        browser.close()


def test_second_deploy_sends_only_the_changed_post_then_nothing_then_rollback(real):
    root, port, env = real["root"], real["port"], real["env"]
    first = live(root)
    post = real["content"] / CHANGED_POST
    page = "/news/2025/07/pay-award/"
    sentence = "The branch will publish its response to the pay review body in full."
    marker = "its response to the pay review body"  # typogrify joins the last two words
    assert marker not in get(port, page)[2].decode()
    post.write_text(post.read_text() + f"\n{sentence}\n")

    result = ok(run_tool(*real["args"], env=env))
    second = live(root)
    assert second != first and os.readlink(root / "previous") == f"releases/{first}"
    found = re.search(r"^deploy: uploaded (\d+) of (\d+) files \((\d+) bytes of file data, "
                      r"(\d+) bytes sent\)", result.stdout, re.M)
    copied, files, data_bytes, sent_bytes = map(int, found.groups())
    old, new = root / "releases" / first, root / "releases" / second
    not_linked = [p for p in new.rglob("*") if p.is_file() and p.stat().st_nlink == 1]
    print(f"second deploy: {copied} of {files} files, {data_bytes} bytes of file data, "
          f"{sent_bytes} bytes sent: {sorted(str(p.relative_to(new)) for p in not_linked)}")
    assert len(not_linked) == copied  # every other file is a hard link to the first release
    assert 3 <= copied <= files // 4
    assert {p.relative_to(new).as_posix() for p in not_linked} >= {
        "news/2025/07/pay-award/index.html", "news/2025/07/pay-award/index.html.gz"}
    for path in not_linked:
        before = old / path.relative_to(new)
        assert not before.exists() or before.read_bytes() != path.read_bytes()
    assert marker in get(port, page)[2].decode()

    # a build identical to the live release: one line, no new release
    before = snapshot(root)
    unchanged = ok(run_tool(*real["args"], env=env))
    assert unchanged.stdout == f"deploy: nothing changed; release {second} stays live\n"
    assert unchanged.stderr == ""
    assert snapshot(root) == before

    ok(run_tool("rollback", "--target", real["target"], env=env))
    assert live(root) == first and marker not in get(port, page)[2].decode()
    listing = ok(run_tool("releases", "--target", real["target"], env=env)).stdout.splitlines()
    assert listing[0].startswith(second) and listing[0].endswith("previous")
    assert listing[1].startswith(first) and listing[1].endswith("current")
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short=7", "HEAD"],
                            capture_output=True, text=True, check=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert f"  {commit}{'-dirty' if dirty else ''}  " in listing[0]


# --- guards, dry run, interruptions on fresh targets ------------------------------------


@pytest.fixture
def remote(server, request):
    """A fresh, set-up remote target holding one release of fake build v1."""
    ssh, work = server
    folder = work / request.node.name
    content, settings = empty_site(folder / "site")
    root = folder / "srv"
    target = ssh.target(root)
    ok(run_tool("setup", "--target", target, env=ssh.env))
    common = ["--target", target, "--input", content, "--settings", settings]
    builds = {v: fake_build(folder / v, v, 20) for v in ("v1", "v2")}
    ok(run_tool("deploy", *common, "--build-dir", builds["v1"], env=ssh.env))
    return {"root": root, "target": target, "common": common, "env": ssh.env,
            "builds": builds, "folder": folder, "ssh": ssh}


@pytest.mark.parametrize("path, message", [
    ("", "names no folder (rsync would use the login's home folder)"),
    ("/", "deploy target is /"),
    ("srv/news", "is not an absolute path"),
    ("/root", "is a home folder"),
    ("/home/deploy", "is a home folder"),
    ("/srv/news site", "may hold only letters"),
])
def test_unsafe_remote_targets_are_refused(server, path, message):
    ssh, work = server
    content, settings = empty_site(work / "unsafe")
    for command in (["setup"], ["deploy", "--input", content, "--settings", settings]):
        result = run_tool(*command, "--target", f"root@127.0.0.1:{path}", env=ssh.env)
        assert result.returncode == 1 and message in result.stderr, result.stderr


def test_remote_target_without_marker_is_refused_until_setup(server):
    ssh, work = server
    content, settings = empty_site(work / "marker")
    fresh, foreign = work / "marker" / "fresh", work / "marker" / "foreign"
    fresh.mkdir()
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me\n")
    args = ["--input", content, "--settings", settings,
            "--build-dir", fake_build(work / "marker" / "b", "v1", 5)]
    result = run_tool("deploy", "--target", ssh.target(fresh), *args, env=ssh.env)
    assert result.returncode == 1
    assert "has no .deploy-target marker" in result.stderr and "make deploy-setup" in result.stderr
    assert list(fresh.iterdir()) == []  # nothing written, not even a lock
    result = run_tool("setup", "--target", ssh.target(foreign), env=ssh.env)
    assert result.returncode == 1 and "not empty and has no .deploy-target" in result.stderr
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    assert "set up new deploy target" in ok(run_tool("setup", "--target", ssh.target(fresh),
                                                     env=ssh.env)).stdout
    ok(run_tool("deploy", "--target", ssh.target(fresh), *args, env=ssh.env))
    assert (fresh / "current" / "index.html").is_file()


def test_wrong_ssh_port_is_reported(remote):
    result = run_tool("releases", "--target", remote["target"],
                      env={**remote["env"], "DEPLOY_SSH_PORT": "1"})
    assert result.returncode == 1 and "cannot reach root@127.0.0.1 with ssh" in result.stderr


def test_bad_builds_are_refused_and_change_nothing(remote):
    root, env, folder = remote["root"], remote["env"], remote["folder"]
    before = snapshot(root)
    empty = folder / "empty-build"
    empty.mkdir()
    result = run_tool("deploy", *remote["common"], "--build-dir", empty, env=env)
    assert result.returncode == 1 and "the build has no index.html" in result.stderr
    # a broken article: the build's content check names the file and line
    content = folder / "broken" / "content"
    (content / "news").mkdir(parents=True)
    (content / "news" / "2025-04-02-pay.md").write_text(
        "---\ntitle: Pay\ndate: 02/04/2025\n---\n\nText.\n")
    broken = ["--input", content, "--settings", folder / "site" / "settings.py"]
    result = run_tool("deploy", "--target", remote["target"], *broken,
                      "--build-root", folder / "broken" / "builds", env=env)
    assert result.returncode == 1
    assert re.search(r"2025-04-02-pay\.md:3: error: .*'02/04/2025'", result.stderr)
    assert result.stderr.strip().endswith("the live release is unchanged")
    # a failed build: a template error
    site = folder / "failing"
    (site / "content" / "news").mkdir(parents=True)
    (site / "overrides").mkdir()
    (site / "overrides" / "index.html").write_text("{{ no_such_thing.attribute.deeper }}\n")
    (site / "settings.py").write_text(
        'SITENAME = "F"\nSITEURL = "https://f.example"\nPATH = "content"\n'
        'TIMEZONE = "Europe/London"\nTHEME = "simple"\n'
        f'THEME_TEMPLATES_OVERRIDES = ["{site}/overrides"]\nPLUGINS = []\n')
    result = run_tool("deploy", "--target", remote["target"], "--input", site / "content",
                      "--settings", site / "settings.py", "--build-root", site / "builds",
                      env=env)
    assert result.returncode == 1 and "no_such_thing" in result.stderr
    assert result.stderr.strip().endswith("the live release is unchanged")
    assert list((site / "builds").iterdir()) == []
    assert snapshot(root) == before


def test_concurrent_deploy_is_refused(remote):
    root, env = remote["root"], remote["env"]
    holder = SshTarget("root@127.0.0.1", str(root), remote["ssh"].port,
                       str(remote["ssh"].ssh_config))
    with closing(holder), deploy_lock(holder, "deploy"):
        before = snapshot(root)
        for args in (["deploy", *remote["common"], "--build-dir", remote["builds"]["v2"]],
                     ["rollback", "--target", remote["target"]]):
            result = run_tool(*args, env=env)
            assert result.returncode == 1
            assert f"another deploy is running (lock {remote['target']}/.deploy.lock" in \
                result.stderr
            assert f"held by: deploy by pid {os.getpid()}" in result.stderr
        assert snapshot(root) == before
    ok(run_tool("deploy", *remote["common"], "--build-dir", remote["builds"]["v2"], env=env))


def test_dry_run_shows_the_upload_and_changes_nothing(remote):
    root = remote["root"]
    before = snapshot(root)
    result = ok(run_tool("deploy", *remote["common"], "--build-dir", remote["builds"]["v2"],
                         "--dry-run", env=remote["env"]))
    assert "would copy 23 of 23 files" in result.stdout
    assert re.search(r"^  <f\S* theme/css/site\.[0-9a-f]{10}\.css$", result.stdout, re.M)
    assert snapshot(root) == before


def test_interrupted_upload_leaves_the_live_site_and_is_cleaned_up(remote):
    """A deploy killed (SIGKILL, with its rsync and ssh) half-way through the upload."""
    root, env, folder = remote["root"], remote["env"], remote["folder"]
    slow = folder / "slow-bin"
    slow.mkdir()
    (slow / "rsync").write_text('#!/bin/sh\nexec /usr/bin/rsync --bwlimit=200 "$@"\n')
    (slow / "rsync").chmod(0o755)
    big = fake_build(folder / "big", "v3", 20)
    for n in range(10):  # 1 MB of incompressible data: 5 s at 200 KB/s
        (big / f"data-{n}.bin").write_bytes(hashlib.sha512(bytes([n])).digest() * 1600)
    first = live(root)
    tmp = Path(tempfile.mkdtemp(prefix="dk-"))  # where the deploy keeps its ssh socket
    deploying = subprocess.Popen(
        [*TOOL, "deploy", *map(str, remote["common"]), "--build-dir", str(big)], cwd=REPO,
        env={**os.environ, **env, "PATH": f"{slow}:{os.environ['PATH']}", "TMPDIR": str(tmp)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        partial = []
        while time.monotonic() < deadline and not any(p.is_file() for p in partial):
            partial = list((root / "releases").glob(".*.partial/**/*"))
            time.sleep(0.05)
        assert partial, "the upload never started"
        os.killpg(deploying.pid, signal.SIGKILL)  # the deploy's own process group
    finally:
        deploying.wait(timeout=10)
        deploying.stdout.close()
        deploying.stderr.close()
        for socket_path in tmp.glob("deploy-ctl-*/ssh"):  # the orphaned ssh master: stop it
            subprocess.run(["ssh", "-O", "exit", "-o", f"ControlPath={socket_path}", "x"],
                           capture_output=True, check=False)
        shutil.rmtree(tmp)
    assert live(root) == first
    leftovers = [p.name for p in (root / "releases").iterdir() if p.name.endswith(".partial")]
    assert len(leftovers) == 1
    with nginx(root, folder / "nginx") as port:
        status, _, body = get(port, "/a/1/")
        assert status == 200 and b"VERSION=v1" in body
    # the lock died with the deploy; the next deploy removes the partial upload
    result = ok(run_tool("deploy", *remote["common"], "--build-dir", remote["builds"]["v2"],
                         env=env))
    assert f"removed stale partial upload releases/{leftovers[0]}" in result.stdout
    assert not [p for p in (root / "releases").iterdir() if p.name.endswith(".partial")]
    assert (root / "current" / "a" / "1" / "index.html").read_text().endswith(
        "<!-- VERSION=v2 --></body></html>\n")
