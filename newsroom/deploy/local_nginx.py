"""Run nginx on 127.0.0.1 with the repository's site config (deploy/nginx.conf).

Usage: python3 -m newsroom.deploy.local_nginx ROOT [--port 8001]   (`make serve-deployed`)

Serves ROOT/current, where the deploy keeps the live release, in the foreground until
Ctrl-C, with exactly the directives a real server gets: only the `listen` lines, the
`server_name`, the `root` and the folder of the redirect maps of deploy/nginx.conf are
replaced. nginx runs unprivileged
as a normal user's process would: its pid file, logs and temporary files live in a
throwaway prefix folder. The tests use `write_config` and start nginx themselves.
Needs nginx (Debian's package).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from contextlib import suppress
from pathlib import Path

SITE_CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"


def site_config(root: str, port: int) -> str:
    """deploy/nginx.conf with `listen 127.0.0.1:<port>`, `server_name 127.0.0.1` and
    `root <root>/current` (and the redirect maps' `include`s under it; root: an absolute
    folder path). Raises ValueError if a line to
    replace is missing, so a change to nginx.conf cannot silently escape the tests."""
    text = SITE_CONF.read_text()
    replacements = [
        (r"^    listen 80;$", f"    listen 127.0.0.1:{port};"),
        (r"^    listen \[::\]:80;\n", ""),
        (r"^    server_name .*;$", "    server_name 127.0.0.1;"),
        (r"^    root /srv/www/news/current;$", f"    root {root}/current;"),
        *((rf"^    include /srv/www/news/current/_nginx/{name}",
           f"    include {root}/current/_nginx/{name}") for name in ("moved", "gone")),
    ]
    for pattern, new in replacements:
        text, count = re.subn(pattern, new, text, flags=re.MULTILINE)
        if count != 1:
            raise ValueError(f"{SITE_CONF}: expected one line matching {pattern!r}")
    return text


def write_config(prefix: Path, root: str, port: int) -> Path:
    """Write `<prefix>/nginx.conf` (main config: one worker, pid/logs/temp under prefix,
    Debian's mime.types, the site config) and return its path. Start nginx with
    `nginx -p PREFIX -c CONF -e PREFIX/error.log -g 'daemon off;'`."""
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    (prefix / "site.conf").write_text(site_config(root, port))
    temp = "".join(
        f"    {kind}_temp_path {prefix}/tmp/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = prefix / "nginx.conf"
    conf.write_text(
        "worker_processes 1;\n"
        f"pid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log warn;\n"
        "events { worker_connections 512; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        "    access_log off;\n"
        f"{temp}"
        f"    include {prefix}/site.conf;\n"
        "}\n"
    )
    return conf


def nginx_command(prefix: Path, conf: Path) -> list[str]:
    """The command line that runs nginx in the foreground with `conf`."""
    return ["nginx", "-p", str(prefix), "-c", str(conf), "-e", f"{prefix}/error.log",
            "-g", "daemon off;"]


def stop_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent (`make`) ends
    (prctl PR_SET_PDEATHSIG, prctl(2)); elsewhere, do nothing."""
    with suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", help="deploy target folder (holds current/)")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    root = os.path.abspath(args.root)
    if not os.path.isdir(f"{root}/current"):
        print(f"serve: error: {root}/current does not exist; run `make deploy` first",
              file=sys.stderr)
        return 1
    prefix = Path(tempfile.mkdtemp(prefix="news-nginx-"))
    try:
        conf = write_config(prefix, root, args.port)
        print(f"serve: {root}/current at http://127.0.0.1:{args.port}/ (nginx; Ctrl-C stops)")
        nginx = subprocess.Popen(nginx_command(prefix, conf))
        # a SIGTERM to this process (kill PID) stops nginx too, as Ctrl-C does; so does the
        # end of the process that started this one (`kill` of `make serve-deployed`)
        signal.signal(signal.SIGTERM, lambda *_: nginx.terminate())
        stop_with_parent()
        with suppress(KeyboardInterrupt):  # nginx gets the same Ctrl-C and stops
            return nginx.wait()
        nginx.wait(timeout=10)
        return 0
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
