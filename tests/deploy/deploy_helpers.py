"""Helpers for the deploy tests: run `python -m newsroom.deploy`, throwaway sshd and nginx,
fake builds, and the article pages a build of the content must hold.

Servers follow the shared guide deploy-harness.md: each listens on 127.0.0.1 on a free port,
has its own config, keys, pid and logs in a temporary folder, is started by the test and
stopped by PID. The sshd lets root log in with a throwaway key; clients get an ssh config
file (`ssh -F`, the tool's DEPLOY_SSH_CONFIG) that pins the host key and never reads
~/.ssh. nginx serves `<root>/current` with the repository's deploy/nginx.conf
(newsroom/deploy/local_nginx.py). Nothing here talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml
from conftest import LONDON, free_port

from newsroom.deploy.local_nginx import nginx_command, write_config

REPO = Path(__file__).resolve().parents[2]
TOOL = [sys.executable, "-m", "newsroom.deploy"]  # run with cwd=REPO

# A content folder without posts and a settings file, for deploys of fake builds: with
# --build-dir the deploy ships the folder as it is and builds nothing.
EMPTY_SETTINGS = 'SITENAME = "Fake"\nPATH = "content"\nTIMEZONE = "Europe/London"\n'


def wait_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 10) -> None:
    """Wait until 127.0.0.1:`port` accepts connections; fail with `log` if `proc` dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s: {log.read_text()}")


def stop(proc: subprocess.Popen) -> None:
    """Stop a server we started, by its PID."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A temporary folder with mode 755 (nginx workers run as `nobody` and must traverse it;
    pytest's tmp_path is 0700), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Sshd:
    """A running throwaway sshd: `port`, and `env` for the tool (DEPLOY_SSH_CONFIG/PORT)."""

    port: int
    ssh_config: Path

    @property
    def env(self) -> dict:
        return {"DEPLOY_SSH_CONFIG": str(self.ssh_config), "DEPLOY_SSH_PORT": str(self.port)}

    def target(self, path: Path | str) -> str:
        return f"root@127.0.0.1:{path}"


@contextmanager
def sshd(folder: Path) -> Iterator[Sshd]:
    """Start sshd on a free 127.0.0.1 port with throwaway keys in `folder`; stop it after."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name,
                        "-f", str(folder / name)], check=True)
    shutil.copy(folder / "client_key.pub", folder / "authorized_keys")
    port = free_port()
    host_key = (folder / "host_key.pub").read_text().split()[:2]
    (folder / "known_hosts").write_text(f"[127.0.0.1]:{port} {' '.join(host_key)}\n")
    (folder / "sshd_config").write_text(
        f"ListenAddress 127.0.0.1:{port}\n"
        f"HostKey {folder}/host_key\n"
        f"PidFile {folder}/sshd.pid\n"
        f"AuthorizedKeysFile {folder}/authorized_keys\n"
        "StrictModes no\n"  # keys under /tmp (mode 1777) would be refused otherwise
        "PubkeyAuthentication yes\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PermitRootLogin prohibit-password\nUsePAM no\nMaxSessions 100\nMaxStartups 100\n"
        "Subsystem sftp internal-sftp\n"
    )
    (folder / "ssh_config").write_text(
        "Host *\n"
        f"  IdentityFile {folder}/client_key\n  IdentitiesOnly yes\n"
        f"  UserKnownHostsFile {folder}/known_hosts\n  GlobalKnownHostsFile /dev/null\n"
        "  StrictHostKeyChecking yes\n  LogLevel ERROR\n"
    )
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation folder
    log = folder / "sshd.log"
    with open(log, "w") as err:
        proc = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(folder / "sshd_config")],
                                stderr=err)
    try:
        wait_port(port, proc, log)
        yield Sshd(port, folder / "ssh_config")
    finally:
        stop(proc)


@contextmanager
def nginx(root: Path, folder: Path) -> Iterator[int]:
    """Serve `root`/current with deploy/nginx.conf on a free 127.0.0.1 port; yield the port."""
    port = free_port()
    conf = write_config(folder, str(root), port)
    log = folder / "error.log"
    log.touch()
    proc = subprocess.Popen(nginx_command(folder, conf), stderr=subprocess.DEVNULL)
    try:
        wait_port(port, proc, log)
        yield port
    finally:
        stop(proc)


def run_tool(*args, env: dict | None = None, **popen) -> subprocess.CompletedProcess:
    """Run `python -m newsroom.deploy` with `args` from the repository root (no DEPLOY_* from
    the caller's environment)."""
    return subprocess.run([*TOOL, *map(str, args)], cwd=REPO, env=tool_env(env),
                          capture_output=True, text=True, check=False, **popen)


def tool_env(env: dict | None = None) -> dict:
    """This process's environment without DEPLOY_* settings, then `env`."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DEPLOY_")}
    environ.update(env or {})
    return environ


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def snapshot(folder: Path) -> dict:
    """Everything about a folder a deploy could change: names, kinds, inodes, bytes, links;
    except the lock file, which each deploy, even a refused one, rewrites with its holder."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            if name == ".deploy.lock":
                continue
            path = Path(dirpath, name)
            info = path.lstat()
            if path.is_symlink():
                state[str(path)] = ("link", os.readlink(path))
            elif path.is_dir():
                state[str(path)] = ("dir", info.st_ino)
            else:
                state[str(path)] = ("file", info.st_ino, info.st_mtime_ns, path.read_bytes())
    return state


def empty_site(folder: Path) -> tuple[Path, Path]:
    """A content folder without posts and its settings file: (content, settings)."""
    (folder / "content" / "news").mkdir(parents=True, exist_ok=True)
    (folder / "settings.py").write_text(EMPTY_SETTINGS)
    return folder / "content", folder / "settings.py"


def fake_build(folder: Path, version: str, pages: int = 100) -> Path:
    """Write a fake site for `version` into `folder` and return it.

    Pages `index.html`, `404.html` and `a/<n>/index.html` (n < pages), each about 8 KB,
    carry the version at the start (`<meta name=site-version content=V>`) and at the end
    (`<!-- VERSION=V -->`), so a torn read shows, and link one stylesheet whose name carries
    the hash of its content (`theme/css/site.<10 hex>.css`), as the theme does.
    """
    css = f"/* {version} */ body {{ margin: 0 }}\n".encode()
    css_name = f"theme/css/site.{hashlib.sha256(css).hexdigest()[:10]}.css"
    (folder / "theme" / "css").mkdir(parents=True)
    (folder / css_name).write_bytes(css)
    page = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<meta name=site-version content={version}><title>{version}</title>"
        f'<link rel=stylesheet href="/{css_name}"></head><body><p>{"news " * 1600}</p>'
        f"<!-- VERSION={version} --></body></html>\n"
    )
    for name in ["index.html", "404.html", *(f"a/{n}/index.html" for n in range(pages))]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(page)
    return folder


def published_pages(content: Path, now: datetime) -> set[str]:
    """The article pages a build of `content` made at `now` must hold: one for each post of
    news/ whose status is published (the default) and whose date is not after `now`, at
    the site's ARTICLE_SAVE_AS (news/YYYY/MM/<slug>/index.html, the slug being the file
    name without its date). The front matter is read here with PyYAML, not by the site's
    reader, so that the build is checked against an independent reading."""
    pages = set()
    for path in sorted((content / "news").glob("*.md")):
        meta = yaml.load(path.read_text(encoding="utf-8").split("---\n")[1],
                         Loader=yaml.BaseLoader)
        when = datetime.strptime(meta["date"], "%Y-%m-%d %H:%M" if " " in meta["date"]
                                 else "%Y-%m-%d").replace(tzinfo=LONDON)
        if meta.get("status", "published") == "published" and when <= now:
            pages.add(f"news/{when:%Y}/{when:%m}/{path.stem[11:]}/index.html")
    return pages


def article_pages(site: Path) -> set[str]:
    """The article pages in a built site or release (news/YYYY/MM/<slug>/index.html)."""
    return {p.relative_to(site).as_posix()
            for p in site.glob("news/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html")}
