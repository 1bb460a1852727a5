"""`make serve` (newsroom.serve) sends deploy/nginx.conf's security headers, and the
development build works under them in Chromium: no Content-Security-Policy violation on
the home page, an article or the search page (Pagefind's WebAssembly); a missing page is
the site's 404 page with status 404, as nginx answers."""

import contextlib
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT, free_port
from newsroom.headers import security_headers


@contextlib.contextmanager
def served(folder):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "newsroom.serve", "--port", str(port),
                             str(folder)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_sends_production_headers_and_the_site_obeys_them(dev_site, browser):
    assert dev_site.returncode == 0, dev_site.log
    with served(dev_site.output) as url:
        for path in ("/", "/search/", "/no-such-page/"):
            try:
                response = urllib.request.urlopen(url + path, timeout=10)
            except urllib.error.HTTPError as error:
                response = error
            for name, value in security_headers().items():
                assert response.headers[name] == value, (path, name)
            assert response.status == (404 if path == "/no-such-page/" else 200), path
        for path, media_type in (("/site.webmanifest", "application/manifest+json"),
                                 ("/apple-touch-icon.png", "image/png"),
                                 ("/icon-512.png", "image/png")):
            response = urllib.request.urlopen(url + path, timeout=10)
            assert response.headers["Content-Type"].split(";")[0] == media_type, path
        article = next(dev_site.output.glob("news/*/*/*/index.html")).parent
        page = browser.new_page()
        violations = []
        page.on("console", lambda m: violations.append(m.text)
                if "Content Security Policy" in m.text else None)
        for path in ("/", "/" + article.relative_to(dev_site.output).as_posix() + "/"):
            page.goto(url + path)
        page.goto(url + "/search/?q=pay")
        page.wait_for_selector(".pagefind-ui__result", timeout=15_000)
        page.close()
        assert violations == []
