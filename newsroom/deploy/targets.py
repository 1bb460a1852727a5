"""Deploy targets: where releases go, and the one interface every operation uses.

`open_target(raw)` turns "/abs/folder" into a `LocalTarget` and "[user@]host:/abs/folder"
into an `SshTarget`, after refusing what must never be a target (`refuse_special_folder`).

What a target provides (the `Target` protocol; a new kind, such as object storage, joins
by providing the same):

    root                  the target folder's absolute path, as the target sees it
    str(target)           how messages name it ("/srv/www/news", "news:/srv/www/news")
    run(script, stdin)    run a POSIX `sh -c` script on the target with `stdin` (text or
                          None); return its stdout; raise DeployError(failure(...)) on a
                          non-zero exit
    command(script)       the argv that runs `script` there, for a process that must stay
                          running (the deploy lock's holder)
    rsync_dest(path)      the rsync destination for `path`, relative to root
    rsync_options()       the extra rsync options that reach it (e.g. `-e "ssh ..."`)
    failure(status, err)  the message for a script that exited with `status` and `err`
    close()               end what the target keeps open (use `contextlib.closing`)

Every other module talks to a target only through these.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from typing import Protocol

from newsroom.deploy import DeployError

REMOTE_RE = re.compile(r"^(?P<host>[A-Za-z0-9_.@-]+):(?P<path>.*)$")
REMOTE_PATH_RE = re.compile(r"^[A-Za-z0-9_./-]+$")


class Target(Protocol):
    """The target interface (see the module docstring)."""

    root: str

    def run(self, script: str, stdin: str | None = None) -> str: ...
    def command(self, script: str) -> list[str]: ...
    def rsync_dest(self, path: str) -> str: ...
    def rsync_options(self) -> list[str]: ...
    def failure(self, status: int, stderr: str) -> str: ...
    def close(self) -> None: ...


class LocalTarget:
    """A deploy target folder on this machine; `root` is its absolute path."""

    def __init__(self, root: str) -> None:
        self.root = root

    def __str__(self) -> str:
        return self.root

    def close(self) -> None:
        """Nothing to release for a local folder."""

    def command(self, script: str) -> list[str]:
        return ["sh", "-c", script]

    def rsync_options(self) -> list[str]:
        return []

    def rsync_dest(self, path: str) -> str:
        return f"{self.root}/{path}"

    def run(self, script: str, stdin: str | None = None) -> str:
        proc = subprocess.run(
            self.command(script), input=stdin, capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            raise DeployError(self.failure(proc.returncode, proc.stderr))
        return proc.stdout

    def failure(self, status: int, stderr: str) -> str:
        """The message for a script that exited with `status`."""
        return f"command on {self} failed: {stderr.strip() or f'exit status {status}'}"


class SshTarget(LocalTarget):
    """A deploy target folder `root` on `host` (`[user@]host`), reached with ssh.

    Every script and rsync run shares one connection (OpenSSH ControlMaster, socket in a
    private temporary folder); `close()` ends it, and if this process is killed it ends by
    itself 15 s after its last session (the lock's lasts the whole deploy). `port` and
    `config` (a file for `ssh -F`) are optional; BatchMode means a missing key fails at once
    instead of prompting.
    """

    def __init__(self, host: str, root: str, port: int | None, config: str | None) -> None:
        super().__init__(root)
        self.host = host
        self.control = tempfile.mkdtemp(prefix="deploy-ctl-")
        options = {"BatchMode": "yes", "ConnectTimeout": "20", "ControlMaster": "auto",
                   "ControlPath": f"{self.control}/ssh", "ControlPersist": "15"}
        self.ssh = ["ssh", *(["-F", config] if config else [])]
        self.ssh += ["-p", str(port)] if port else []
        self.ssh += [arg for key, value in options.items() for arg in ("-o", f"{key}={value}")]

    def __str__(self) -> str:
        return f"{self.host}:{self.root}"

    def close(self) -> None:
        subprocess.run([*self.ssh, "-O", "exit", self.host], capture_output=True, check=False)
        shutil.rmtree(self.control, ignore_errors=True)

    def command(self, script: str) -> list[str]:
        return [*self.ssh, self.host, f"sh -c {shlex.quote(script)}"]

    def rsync_options(self) -> list[str]:
        return ["-e", shlex.join(self.ssh)]

    def rsync_dest(self, path: str) -> str:
        return f"{self.host}:{self.root}/{path}"

    def failure(self, status: int, stderr: str) -> str:
        if status == 255:  # ssh's own failure: no connection, or the key was refused
            return (
                f"cannot reach {self.host} with ssh ({stderr.strip()}); check DEPLOY_TARGET "
                f"and DEPLOY_SSH_PORT, and that `ssh {self.host}` logs in without a prompt"
            )
        return super().failure(status, stderr)


def open_target(raw: str | None, ssh_port: int | None = None,
                ssh_config: str | None = None) -> Target:
    """A LocalTarget or SshTarget for `raw` ("/abs/path" or "[user@]host:/abs/path").

    Refuses (DeployError) an unset or empty target, a remote one without a folder (rsync
    would use the login's home folder), a relative path, `/` and home folders (checked again
    on the target by `releases.probe`, through symlinks), and remote paths with characters
    other than letters, digits and `_./-`.
    """
    if raw is None or not raw.strip():
        raise DeployError(
            "no deploy target set; set DEPLOY_TARGET (in deploy.env or on the command line) "
            "to /absolute/path or user@host:/absolute/path"
        )
    remote = REMOTE_RE.match(raw) if not raw.startswith("/") else None
    path = remote["path"] if remote else raw
    if remote and not path:
        raise DeployError(
            f"deploy target {raw!r} names no folder (rsync would use the login's home folder); "
            f"give an absolute path, such as {raw}/srv/www/news"
        )
    if not path.startswith("/"):
        raise DeployError(f"deploy target {raw!r} is not an absolute path; pass an absolute path")
    path = "/" + os.path.normpath(path).lstrip("/")
    refuse_special_folder(path, os.environ.get("HOME", "") if not remote else "")
    if not remote:
        return LocalTarget(path)
    if not REMOTE_PATH_RE.match(path):
        raise DeployError(f"remote folder {path!r} may hold only letters, digits and _./-")
    return SshTarget(remote["host"], path, ssh_port, ssh_config)


def refuse_special_folder(path: str, home: str) -> None:
    """Raise DeployError if `path` is `/` or a home folder (`home`, `/root`, `/home`,
    `/home/<name>`): the guard of `open_target` and `releases.probe`."""
    if path == "/":
        raise DeployError("deploy target is /; pass a folder of its own, such as /srv/www/news")
    homes = {"/root", "/home"}
    if home.startswith("/"):
        homes.add("/" + os.path.normpath(home).lstrip("/"))
    if path in homes or re.fullmatch(r"/home/[^/]+", path):
        raise DeployError(
            f"deploy target {path} is a home folder; pass a folder of its own, such as "
            f"{path.rstrip('/')}/site"
        )
