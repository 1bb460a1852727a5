"""The fingerprint of a deploy's inputs: computed before building, it tells that a build
would only make the live release again (issue 11: with nothing changed, the scheduled
deploy rebuilt the whole site every 15 minutes). `deploy` stores it in each release's
manifest (`inputs_sha256`) and builds only when it differs.

`fingerprint(content, settings_file, siteurl, now)` is the sha256 of:

- every file under the content folder: its path and the sha256 of its bytes;
- the settings file and the other `.py` files beside it (publishconf.py imports
  pelicanconf.py), and the settings as Pelican reads them with the deploy's overrides (the
  content folder, `--siteurl`; the output folder, new for every deploy, left out);
- the `data/` folder beside the settings file and every file a `NEWS_*` setting names
  (data/site.yml, data/redirects.yml);
- the theme (`THEME`), the plugin folders (`PLUGIN_PATHS`), the newsroom package's own
  files, pyproject.toml (the pins), the installed distributions' versions, Python's;
- the next embargo time: the earliest `date:` after `now` of a post that is not a draft (once
  it has passed, that post goes live: a rebuild is due), and the current year in `TIMEZONE`
  (the footer's copyright year, plugins/site_context.py).

Files are hashed, never parsed, except to find the next embargo time: there only the
`date:` and `status:` lines of each post's front matter are read (`front_matter_lines`),
dates by `newsroom.dates.parse_date`, the rule the check uses. A post whose lines that
cannot settle (a quoted key, a comment, a value continued on the next line, no date) is
read by `newsroom.source.read` instead. Parsing every post's YAML would cost about what the
content check costs (front matter is 81 % of it), and `make deploy` would pay it every 15
minutes. `__pycache__` folders and `.pyc` files are left out: Python writes them on import.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import json
import os
import re
import sys
from pathlib import Path

import newsroom

REPO = Path(newsroom.__file__).resolve().parent.parent
# A top-level `date:` or `status:` line of a front matter, and its value (quotes removed)
KEY_LINE_RE = re.compile(r"^(?P<key>date|status):[ \t]*(?P<q>[\"']?)(?P<value>[^\"'#]*?)"
                         r"(?P=q)[ \t]*$")


def tree_digest(root: Path, digest, label: str) -> None:
    """Feed `digest` with `label`, then each file under `root` (sorted, symlinks followed
    to their target's bytes, a broken one by its link text): its path relative to `root`
    and the sha256 of its bytes. A missing `root` counts as empty."""
    digest.update(f"\0tree {label}\n".encode())
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name.endswith(".pyc"):
                continue
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            digest.update(f"{rel}\0{file_sha256(path)}\n".encode())


def file_sha256(path: str) -> str:
    """The sha256 of the file's bytes; for a broken symlink, "->" and its link text."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        return "->" + os.readlink(path) if os.path.islink(path) else "missing"


def stable(value):
    """`value` (Pelican settings) as JSON-able data that is the same in every process: sets
    sorted, patterns by their text, functions and other objects by their qualified name
    (never a repr with a memory address)."""
    if isinstance(value, dict):
        return {str(k): stable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [stable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(stable(v), sort_keys=True) for v in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, re.Pattern):
        return {"pattern": value.pattern, "flags": value.flags}
    kind = value if callable(value) and hasattr(value, "__qualname__") else type(value)
    return f"{getattr(kind, '__module__', '?')}.{kind.__qualname__}"


def front_matter_lines(text: str) -> dict[str, str] | None:
    """The values (text) of the `date:` and `status:` lines of a post's front matter
    (between the `---` line that opens it and the `---` or `...` that closes it), or None
    when lines cannot settle them: a key given twice, a value continued on the next line, a
    value `KEY_LINE_RE` does not read (a comment), a quoted key, no front matter."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    found: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):  # newsroom.frontmatter.split's closing lines
            return found
        stripped = line.lstrip("\"'")
        if not stripped.startswith(("date", "status")) or line[:1] in " \t":
            continue
        m = KEY_LINE_RE.match(line)
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if not m or m["key"] in found or following[:1] in (" ", "\t"):
            return None
        found[m["key"]] = m["value"]
    return None


def post_live_moment(path: str, settings: dict, tz) -> tuple[str, datetime.datetime | None]:
    """`(status, date)` of the post at `path` (date aware in `tz`, or None), from its
    front-matter lines, else from `newsroom.source.read` (see the module docstring)."""
    from newsroom.dates import parse_date
    from newsroom.fields import DEFAULT_STATUS

    with open(path, "rb") as handle:
        text = handle.read().decode("utf-8", errors="replace")
    values = front_matter_lines(text)
    if values is not None and "date" in values:
        when, _message = parse_date(values["date"], tz)
        if when is not None:
            return values.get("status", DEFAULT_STATUS), when
    from newsroom.source import read

    parsed = read(path, settings)
    return parsed.status, parsed.metadata.get("date")


def next_embargo(settings: dict, now: datetime.datetime) -> datetime.datetime | None:
    """The earliest `date:` after the aware `now` of a post under `settings["PATH"]` that is
    not a draft (`newsroom.fields.is_embargoed`), or None."""
    from newsroom.dates import site_timezone
    from newsroom.fields import is_embargoed
    from newsroom.layout import Layout

    tz, earliest = site_timezone(settings), None
    for path in Layout(settings).post_files():
        status, when = post_live_moment(path, settings, tz)
        if is_embargoed(status, when, now) and (earliest is None or when < earliest):
            earliest = when
    return earliest


def fingerprint(content: Path, settings_file: Path, siteurl: str | None,
                now: datetime.datetime) -> str:
    """The sha256 (hex) of the deploy's inputs at the aware moment `now` (module
    docstring). Reads files only."""
    from pelican.settings import read_settings

    from newsroom.dates import site_timezone

    override = {"PATH": str(content)}
    if siteurl:
        override |= {"SITEURL": siteurl, "FEED_DOMAIN": siteurl}
    settings = read_settings(str(settings_file), override=override)
    digest = hashlib.sha256(b"newsroom deploy inputs 1\n")
    tree_digest(content, digest, "content")
    for path in sorted(settings_file.parent.glob("*.py")):
        digest.update(f"\0settings file {path.name} {file_sha256(str(path))}\n".encode())
    effective = {k: v for k, v in settings.items() if k != "OUTPUT_PATH"}
    digest.update(json.dumps(stable(effective), sort_keys=True).encode())
    tree_digest(settings_file.parent / "data", digest, "data")
    for key in sorted(k for k, v in settings.items() if k.startswith("NEWS_")
                      and isinstance(v, str) and os.path.isfile(v)):
        digest.update(f"\0{key} {file_sha256(settings[key])}\n".encode())
    tree_digest(Path(settings["THEME"]), digest, "theme")
    for folder in settings.get("PLUGIN_PATHS") or []:
        tree_digest(Path(folder), digest, f"plugins {folder}")
    tree_digest(Path(newsroom.__file__).parent, digest, "newsroom")
    digest.update(f"\0pyproject {file_sha256(str(REPO / 'pyproject.toml'))}\n".encode())
    versions = sorted(f"{d.metadata['Name']}=={d.version}"
                      for d in importlib.metadata.distributions())
    digest.update(f"\0python {sys.version}\n{versions}\n".encode())
    embargo = next_embargo(settings, now)
    year = now.astimezone(site_timezone(settings)).year
    digest.update(f"\0next embargo {embargo and embargo.isoformat()}\nyear {year}\n".encode())
    return digest.hexdigest()
