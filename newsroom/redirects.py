"""Addresses that keep working: the redirects file editors keep (data/redirects.yml).

A published post's address (news/2025/07/pay-award/) follows its date and file name, so an
edit can move it. The file says where old addresses went, and which were removed on purpose::

    moved:
      news/2025/07/pay-award/: news/2025/08/pay-award/
    gone:
      - news/2025/06/withdrawn-story/

`load_redirects(path)` returns `(Redirects, problems)`; a missing file is no redirects.
Addresses are site-relative (a leading `/` or a full https:// address is taken by its path)
and must be lower-case words, digits, `.`, `_` and `-` between slashes, ending in `/`, at
most 200 characters: they
go into nginx's configuration, so nothing else is accepted. Rules, each a `Problem` at the
file's line (`data/redirects.yml:3: error: ...; what to do`): only `moved:` and `gone:`; an
address once; no address both moved and gone; no redirect to itself, to a gone address, or
to an address that is itself moved (a chain, or a loop when it comes back).
`address_problems(redirects, live)` adds what needs the site: every new address is live,
and no old or gone address is (it would hide a live page). `live_addresses` gives the live
addresses of a content folder for `make check`; the build uses Pelican's own (plugins/
redirects.py, which writes the pages and nginx maps this module makes: `moved_map`,
`gone_map`, `page_of`). Reads only; never writes.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
from urllib.parse import urlsplit

import yaml

from .layout import Layout
from .problems import ERROR, Problem
from .source import read

ADDRESS_RE = re.compile(r"^(?:[a-z0-9][a-z0-9._-]*/)+$")
MAX_ADDRESS = 200  # characters; deploy/nginx.conf's map_hash_bucket_size fits them
SECTIONS = ("moved", "gone")
ADVICE = "write a site address such as news/2025/07/pay-award/"


@dataclasses.dataclass
class Redirects:
    """A redirects file: `moved` {old address: (new address, line)}, `gone` {address:
    line}, and the file's `path` (for messages)."""

    path: str
    moved: dict = dataclasses.field(default_factory=dict)
    gone: dict = dataclasses.field(default_factory=dict)


def normalise(text: str) -> str | None:
    """The site-relative address `text` names ("/news/2025/07/x" -> "news/2025/07/x/"), or
    None if it is not one ADDRESS_RE accepts."""
    path = urlsplit(text.strip()).path if "://" in text else text.strip()
    path = path.lstrip("/")
    if path and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return path if ADDRESS_RE.match(path) and len(path) <= MAX_ADDRESS else None


def page_of(address: str) -> str:
    """The file that serves `address`: "news/2025/07/x/" -> "news/2025/07/x/index.html"
    (nginx's `index index.html`, deploy/nginx.conf)."""
    return address + "index.html"


def address_of(page: str) -> str:
    """The address a page file is served at (the reverse of `page_of`)."""
    return page.removesuffix("index.html")


def _address(node, path: str, problems: list) -> str | None:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.ScalarNode) or not normalise(node.value):
        shown = node.value if isinstance(node, yaml.ScalarNode) else "this"
        problems.append(Problem(path, line, ERROR, f"{shown!r} is not a site address; "
                                f"{ADVICE} (lower-case, ending in /)"))
        return None
    return normalise(node.value)


def _read_sections(path: str, root, problems: list) -> Redirects:
    """The `moved:` and `gone:` entries of the YAML node `root`, with their lines."""
    found = Redirects(path)
    seen: dict[str, int] = {}

    def note(address: str, line: int) -> bool:
        if address in seen:
            problems.append(Problem(path, line, ERROR, f"{address} is already listed on line "
                                    f"{seen[address]}; keep one line for each old address"))
            return False
        seen[address] = line
        return True

    for key, value in root.value:
        line = key.start_mark.line + 1
        if key.value not in SECTIONS:
            problems.append(Problem(path, line, ERROR, f"unknown section {key.value!r}; the "
                                    "file has 'moved:' (old: new) and 'gone:' (a list)"))
        elif key.value == "moved" and isinstance(value, yaml.MappingNode):
            for old_node, new_node in value.value:
                old, new = _address(old_node, path, problems), _address(new_node, path, problems)
                if old and new and note(old, old_node.start_mark.line + 1):
                    found.moved[old] = (new, old_node.start_mark.line + 1)
        elif key.value == "gone" and isinstance(value, yaml.SequenceNode):
            for node in value.value:
                address = _address(node, path, problems)
                if address and note(address, node.start_mark.line + 1):
                    found.gone[address] = node.start_mark.line + 1
        elif not (isinstance(value, yaml.ScalarNode) and value.value == ""):
            shape = "'old: new' lines" if key.value == "moved" else "'- address' lines"
            problems.append(Problem(path, line, ERROR, f"{key.value}: must be followed by "
                                    f"{shape}, indented by two spaces"))
    return found


def _chain_problems(found: Redirects) -> list[Problem]:
    problems = []
    for old, (new, line) in found.moved.items():
        if new == old:
            problems.append(Problem(found.path, line, ERROR, f"{old} redirects to itself; "
                                    "remove the line"))
        elif new in found.gone:
            problems.append(Problem(found.path, line, ERROR, f"{old} redirects to {new}, which "
                                    f"is listed as gone (line {found.gone[new]}); point it at "
                                    "a live address or list it as gone too"))
        elif new in found.moved:
            end, hops = new, {old}
            while end in found.moved and end not in hops:
                hops.add(end)
                end = found.moved[end][0]
            advice = (f"a loop: the addresses lead back to {end}; keep the line that points "
                      "at the live address" if end in hops else
                      f"a chain; point it straight at {end}")
            problems.append(Problem(found.path, line, ERROR, f"{old} redirects to {new}, which "
                                    f"is itself moved (line {found.moved[new][1]}): {advice}"))
    return problems


def load_redirects(path: str) -> tuple[Redirects, list[Problem]]:
    """Read the redirects file at `path` (see the module docstring): `(Redirects,
    problems)`. Entries with a problem are left out; a missing file is empty."""
    if not os.path.isfile(path):
        return Redirects(path), []
    try:
        with open(path, encoding="utf-8") as handle:
            root = yaml.compose(handle, Loader=yaml.BaseLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return Redirects(path), [Problem(path, line, ERROR, "this line cannot be read as "
                                         "'old address: new address' or '- address'; keep "
                                         "two spaces before each line under moved: and gone:")]
    if root is None:
        return Redirects(path), []
    if not isinstance(root, yaml.MappingNode):
        return Redirects(path), [Problem(path, root.start_mark.line + 1, ERROR, "the file "
                                         "must have the sections 'moved:' and 'gone:'")]
    problems: list[Problem] = []
    found = _read_sections(path, root, problems)
    chains = _chain_problems(found)
    for problem in chains:
        found.moved = {o: v for o, v in found.moved.items() if v[1] != problem.line}
    return found, sorted(problems + chains, key=lambda p: p.line)


def address_problems(found: Redirects, live: set[str]) -> list[Problem]:
    """What is wrong with `found` against the `live` addresses of a build: a new address
    that is not live, an old or gone address that still is."""
    problems = []
    for old, (new, line) in found.moved.items():
        if old in live:
            problems.append(Problem(found.path, line, ERROR, f"{old} is still the address of "
                                    "a published post or page, so it cannot redirect; remove "
                                    "the line"))
        elif new not in live:
            problems.append(Problem(found.path, line, ERROR, f"{old} redirects to {new}, which "
                                    "no published post or page has; write the post's address "
                                    "as the site shows it now"))
    for address, line in found.gone.items():
        if address in live:
            problems.append(Problem(found.path, line, ERROR, f"{address} is listed as gone but "
                                    "a published post or page has it; remove the line"))
    return sorted(problems, key=lambda p: p.line)


def live_addresses(settings: dict, now: datetime.datetime) -> set[str]:
    """The addresses a build of `settings["PATH"]` at the aware `now` publishes: published
    posts dated up to `now` and published or hidden pages (their files read through
    `newsroom.source`, with no problem of their own)."""
    layout, live = Layout(settings), set()
    for path in layout.content_files():
        parsed = read(path, settings)
        if parsed.errors or parsed.status == "draft":
            continue
        if parsed.kind == "page":
            live.add(layout.page_address(path))
        elif parsed.metadata["date"] <= now and layout.post_slug(path):
            live.add(layout.article_address(parsed.metadata["date"], layout.post_slug(path)))
    return live


def moved_map(found: Redirects) -> str:
    """nginx `map` lines for `map $uri $news_moved`: each old address, without its slash
    and with index.html too, to "/<new address>" (deploy/nginx.conf returns 301)."""
    lines = []
    for old, (new, _line) in sorted(found.moved.items()):
        for key in (f"/{old}", f"/{old.rstrip('/')}", f"/{page_of(old)}"):
            lines.append(f"{key} /{new};\n")
    return "".join(lines)


def gone_map(found: Redirects) -> str:
    """nginx `map` lines for `map $uri $news_gone`: each gone address (three spellings, as
    `moved_map`) to 1 (deploy/nginx.conf returns 410)."""
    return "".join(f"{key} 1;\n" for address in sorted(found.gone)
                   for key in (f"/{address}", f"/{address.rstrip('/')}", f"/{page_of(address)}"))


def check_file(settings: dict, now: datetime.datetime | None = None) -> list[Problem]:
    """Every problem of the redirects file `settings["NEWS_REDIRECTS"]` against the content
    in `settings["PATH"]` at `now` (aware; default the current time): `make check`'s."""
    found, problems = load_redirects(settings["NEWS_REDIRECTS"])
    live = live_addresses(settings, now or datetime.datetime.now(datetime.UTC))
    return sorted(problems + address_problems(found, live), key=lambda p: p.line)
