"""The security headers every server of the site sends, read from deploy/nginx.conf.

`security_headers()` returns the `add_header NAME "value" always;` lines of deploy/nginx.conf
(Content-Security-Policy, X-Content-Type-Options, Referrer-Policy, X-Frame-Options) as a
dict, so `make serve` (`newsroom.serve`) and `make devserver` (`newsroom.devserver`) send
exactly what production sends, and what works in preview works live. Headers whose value
uses an nginx variable (Cache-Control) are not security headers and are left out.

`preview_headers(script)` is the same with one change for `make devserver`: the CSP's
`script-src` also allows the one inline script livereload injects into each served page,
by its SHA-256 hash (CSP Level 3 hash source), and nothing else. The built files never
contain it (newsroom/devserver.py).

`CONTENT_TYPES` maps the name endings whose media type Debian's mime.types (and Python's
`mimetypes`) lack or get wrong to the type deploy/nginx.conf gives them (its
`location ~ <ending>$ { types { } default_type ...; }` blocks): the web app manifest and
the feeds. `content_type(path)` looks a path up in it (None: not one of them).

Raises `ValueError` if the file has no Content-Security-Policy (a broken config must not
make the preview quietly unprotected).
"""

from __future__ import annotations

import base64
import hashlib
import pathlib
import re

NGINX_CONF = pathlib.Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
ADD_HEADER_RE = re.compile(r'^\s*add_header\s+([A-Za-z-]+)\s+(?:"([^"]*)"|([^\s;"]+))\s+always;',
                           re.M)
CSP = "Content-Security-Policy"
# W3C Web App Manifest ("application/manifest+json"), RFC 4287 (Atom), RSS 2.0's usual type
CONTENT_TYPES = {".webmanifest": "application/manifest+json",
                 ".atom.xml": "application/atom+xml", ".rss.xml": "application/rss+xml"}


def content_type(path: str) -> str | None:
    """The `CONTENT_TYPES` type of a file or URL path by its ending, or None."""
    for ending, media_type in CONTENT_TYPES.items():
        if path.endswith(ending):
            return media_type
    return None


def security_headers(conf: pathlib.Path = NGINX_CONF) -> dict[str, str]:
    """The `always` headers of the nginx config `conf` without variables, by name."""
    headers = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
               for m in ADD_HEADER_RE.finditer(conf.read_text(encoding="utf-8"))}
    headers = {name: value for name, value in headers.items() if "$" not in value}
    if CSP not in headers:
        raise ValueError(f"{conf}: no `add_header {CSP} \"...\" always;` line")
    return headers


def script_hash(script: str | bytes) -> str:
    """The CSP hash source ('sha256-...') of an inline script's text."""
    data = script.encode("utf-8") if isinstance(script, str) else script
    return "'sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode("ascii") + "'"


def preview_headers(inline_script: str | bytes, conf: pathlib.Path = NGINX_CONF) -> dict:
    """`security_headers(conf)` with `inline_script`'s hash added to `script-src`."""
    headers = security_headers(conf)
    directives = [d.strip() for d in headers[CSP].split(";") if d.strip()]
    if not any(d.split()[0] == "script-src" for d in directives):
        directives.append("script-src 'self'")
    headers[CSP] = "; ".join(f"{d} {script_hash(inline_script)}" if d.split()[0] == "script-src"
                             else d for d in directives)
    return headers
