"""Serve a built site locally with production's security headers: what `make serve` runs.

Usage: python -m newsroom.serve [--port 8000] [--bind 127.0.0.1] [OUTPUT_DIR]

Pelican's own server (`pelican --listen`: clean URLs, web-font types) with every response
also carrying the headers deploy/nginx.conf sends (`newsroom.headers.security_headers`),
so a page that breaks under the live Content-Security-Policy breaks here too. Stop with
Ctrl-C. Returns 1 with a message if the port is taken.
"""

from __future__ import annotations

import argparse
import os
import sys

from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

from .headers import content_type, security_headers


def handler_class(headers: dict[str, str]) -> type:
    """Pelican's request handler that adds `headers` to every response and answers a
    missing page with the site's 404.html and status 404, as deploy/nginx.conf does
    (Pelican's own closes the connection without a response). The manifest and the feeds
    get deploy/nginx.conf's types (`newsroom.headers.CONTENT_TYPES`)."""

    class SecureHandler(ComplexHTTPRequestHandler):
        def guess_type(self, path):
            return content_type(str(path)) or super().guess_type(path)

        def end_headers(self):
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

        def do_GET(self):
            if self.get_path_that_exists(self.path.split("?", 1)[0]) is None:
                page = os.path.join(self.base_path, "404.html")
                body = open(page, "rb").read() if os.path.isfile(page) else b"Not found\n"
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

    return SecureHandler


def main(argv: list[str] | None = None) -> int:
    """`make serve`: see the module docstring. Returns the exit status."""
    parser = argparse.ArgumentParser(prog="serve", description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="output")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1")
    args = parser.parse_args(argv)
    RootedHTTPServer.allow_reuse_address = True
    try:
        httpd = RootedHTTPServer(os.path.abspath(args.output), (args.bind, args.port),
                                 handler_class(security_headers()))
    except OSError as exc:
        print(f"serve: error: cannot listen on {args.bind}:{args.port} ({exc.strerror}); "
              "stop the other server or use make serve PORT=8001", file=sys.stderr)
        return 1
    print(f"Serving {args.output} at http://{args.bind}:{args.port}/ (Ctrl-C to stop)",
          flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
