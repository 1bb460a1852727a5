"""The ssh deploy tests' server: a throwaway sshd on 127.0.0.1 (deploy_helpers.sshd) and a
scratch folder, one per test module (the fixture `server`), and small readers of a target.
"""

from __future__ import annotations

import http.client
import os
from pathlib import Path

import pytest
from deploy_helpers import scratch, sshd


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
