"""Deploys of the real site to a server over ssh, served by nginx with the repository's
deploy/nginx.conf.

Real components on 127.0.0.1 (tests/deploy/deploy_helpers.py): sshd with throwaway keys,
rsync over it, nginx serving the target's `current`, Debian's Chromium for the
Content-Security-Policy. The real site (a copy of content/, built with publishconf.py by the
tool) is deployed, a post is changed and deployed again, an unchanged build is deployed, and
the site is rolled back. The guards on fresh targets: test_deploy_ssh_guards.py.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS
from deploy_helpers import REPO, nginx, ok, published_pages, run_tool, snapshot
from playwright.sync_api import sync_playwright

from newsroom.deploy.ship import HASHED_ASSET_RE

SITEURL = "https://news.northvale-polfed.example"
CHANGED_POST = "news/2025-07-29-pay-award.md"

from ssh_server import get, live, server  # noqa: F401 (server is a fixture)


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
    # the manifest, the home-screen icons and the feeds with their own types, gzipped too
    for path, media_type in (("/site.webmanifest", "application/manifest+json"),
                             ("/apple-touch-icon.png", "image/png"),
                             ("/icon-192.png", "image/png"),
                             ("/feeds/all.atom.xml", "application/atom+xml"),
                             ("/feeds/all.rss.xml", "application/rss+xml")):
        status, headers, _ = get(port, path, **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers["content-type"].split(";")[0] == media_type, path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
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

    # nothing changed since the second deploy: one line, no build, no new release
    before = snapshot(root)
    unchanged = ok(run_tool(*real["args"], env=env))
    assert unchanged.stdout == (f"deploy: nothing changed since release {second} (live); "
                                "no build\n")
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
