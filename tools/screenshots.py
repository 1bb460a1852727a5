"""Take full-page PNGs of the built site, so anyone can look at it without a server.

Usage: python tools/screenshots.py [OUTPUT_DIR] [SCREENSHOT_DIR]
(defaults: output/ and screenshots/, both relative to the repository root).

Serves OUTPUT_DIR with Python's http.server on 127.0.0.1 (a free port, stopped at the end),
opens it in Debian's Chromium through Playwright, and writes `{page}-{375,1280}-{light,dark}.png`
for each page of `pick_pages`: the home page, the newest article with a hero image and the
newest without one, the first category, the search page with the results for "pay", and
the 404 page. Exits 1 with a message if the site is not built or Chromium is missing.
"""

import functools
import http.server
import pathlib
import sys
import threading

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
WIDTHS = (375, 1280)
SCHEMES = ("light", "dark")


SEARCH_QUERY = "pay"


def url_path(page: pathlib.Path, output: pathlib.Path) -> str:
    """The URL path of `page` (a folder's index.html) in `output`."""
    return "/" + page.parent.relative_to(output).as_posix() + "/"


def pick_pages(output: pathlib.Path) -> dict[str, str]:
    """Return {name: URL path} of the pages to photograph (see the module docstring); an
    article with (or without) a picture stands in for the other kind if the site has none."""
    pages = [p for p in sorted(output.glob("news/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"),
                               reverse=True) if "data-pagefind-body" in p.read_text("utf-8")]
    if not pages:
        raise SystemExit(f"screenshots: error: no article in {output}; run `make html` first")
    with_hero = [p for p in pages if 'class="hero"' in p.read_text(encoding="utf-8")]
    without = [p for p in pages if p not in with_hero]
    categories = sorted(output.glob("news/category/*/index.html"))
    return {
        "index": "/",
        "article-picture": url_path((with_hero or pages)[0], output),
        "article-plain": url_path((without or pages)[0], output),
        "category": url_path(categories[0], output) if categories else "/",
        "search": f"/search/?q={SEARCH_QUERY}",
        "404": "/404.html",
    }


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """http.server's file handler without a log line per request."""

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        pass


def serve(output: pathlib.Path) -> http.server.ThreadingHTTPServer:
    """Start http.server for `output` on 127.0.0.1 and a free port, in a daemon thread."""
    handler = functools.partial(QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str]) -> int:
    output = pathlib.Path(argv[0]) if argv else ROOT / "output"
    target = pathlib.Path(argv[1]) if len(argv) > 1 else ROOT / "screenshots"
    if not (output / "index.html").is_file():
        print(f"screenshots: error: {output}/index.html is missing; run `make html` first",
              file=sys.stderr)
        return 1
    if not pathlib.Path(CHROMIUM).is_file():
        print(f"screenshots: error: {CHROMIUM} is missing; install Debian's chromium",
              file=sys.stderr)
        return 1
    target.mkdir(parents=True, exist_ok=True)
    pages = pick_pages(output)
    server = serve(output)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width in WIDTHS:
                for scheme in SCHEMES:
                    ctx = browser.new_context(viewport={"width": width, "height": 800},
                                              color_scheme=scheme)
                    page = ctx.new_page()
                    for name, path in pages.items():
                        # networkidle: the search page has fetched its index and results
                        page.goto(base + path, wait_until="networkidle", timeout=15000)
                        png = target / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=str(png), full_page=True)
                        print(png.relative_to(ROOT) if png.is_relative_to(ROOT) else png)
                    ctx.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
