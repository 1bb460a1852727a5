"""The Pagefind search index over a built site's article pages.

`build_index(site, pages)` writes the search bundle to `site/pagefind/` with Pagefind's
Python API (PyPI `pagefind[extended]`, whose wheel carries the binary). Only the article
pages given are indexed (the `search_index` plugin passes every published article's page:
home, category, tag and archive pages never are, nor drafts or embargoed posts, which are
never written), and within an article only the element the theme marks
`data-pagefind-body`, with the title, date and category it marks `data-pagefind-meta` and
the category and year it marks `data-pagefind-filter`.

Memory: Pagefind holds a whole index in memory; measured on generated 600-word posts it
peaked at about 700 MiB for 5,000 articles, whether the pages were added at once or in
several `add_directory` calls, and at 145 MiB for 800, 179 MiB for 1,000 and 349 MiB
for 2,000 (see `make bench`). So articles are split, oldest first, into
shards of at most `shard_size` pages, each indexed in its own Pagefind session (one at a
time) into its own bundle: the first in `pagefind/`, the others in `pagefind/shard-N/`.
`pagefind/shards.json` lists the extra bundles, and the search page merges them with
Pagefind's `mergeIndex`. A site of fewer than `shard_size` articles has one bundle. The
bundle's scripts, styles and JSON are compressed with the rest of the site
(`newsroom.compress`, production builds), which runs after the index.
"""

import asyncio
import hashlib
import importlib.metadata
import json
import os
import shutil
import tempfile
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from . import kept

SHARD_SIZE = 800  # pelicanconf.py's NEWS_SEARCH_SHARD_SIZE
PAGE_GLOB = "**/*.html"


def link_tree(site: Path, pages: list, folder: Path) -> None:
    """Mirror `pages` (relative paths in `site`) into `folder` as hard links (copies across
    file systems), so Pagefind sees the same relative paths and so the same URLs."""
    for rel in pages:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site / rel, folder / rel)
        except OSError:
            shutil.copy2(site / rel, folder / rel)


async def index_shard(source: Path, bundle: Path) -> int:
    """Index every article page under `source` into the bundle folder `bundle`; return the
    number of pages. Raises RuntimeError (Pagefind's) on failure, writing nothing then."""
    config = IndexConfig(output_path=str(bundle), force_language="en")
    async with PagefindIndex(config) as index:
        added = await index.add_directory(str(source), glob=PAGE_GLOB)
    return added["page_count"]


def build_index(site: Path, pages: list[str], shard_size: int = SHARD_SIZE,
                previous: Path | None = None, record: Path | None = None) -> list[int]:
    """Index the article `pages` (paths relative to `site`) into `site/pagefind/` (see the
    module docstring) and return the page count of each bundle. The new index replaces the
    old one only when complete; raises RuntimeError (Pagefind's) if Pagefind fails. With no
    pages there is nothing to search and no index is written.

    With `previous` (the last build's output folder) and `record` (a JSON file where each
    build notes its bundles), a bundle whose pages are byte for byte the pages the last
    build indexed into it (same paths, same bytes, same Pagefind) is that build's bundle,
    hard-linked, if its files are untouched (inode, size, modification time): an edit
    re-indexes only its own shard."""
    if not pages:
        return []
    pages = sorted(pages)
    shards = [pages[i:i + shard_size] for i in range(0, len(pages), shard_size)]
    last = kept.read_record(str(record)) if previous and record else {}
    staging = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site))
    try:
        counts, digests = [], []
        for number, shard in enumerate(shards, start=1):
            bundle = staging / "pagefind" if number == 1 else staging / f"pagefind/shard-{number}"
            digests.append(_shard_digest(site, shard, number) if record else "")
            entry = last.get(str(number))
            if entry and entry["digest"] == digests[-1] and kept.link_unchanged(
                    previous, staging, entry["files"]):
                counts.append(entry["count"])
                continue
            source = staging / f"source-{number}"
            link_tree(site, shard, source)
            counts.append(asyncio.run(index_shard(source, bundle)))
            shutil.rmtree(source)
        extra = [f"shard-{n}/" for n in range(2, len(shards) + 1)]
        (staging / "pagefind/shards.json").write_text(json.dumps(extra) + "\n")
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        os.replace(staging / "pagefind", site / "pagefind")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if record:
        _write_record(record, site, digests, counts)
    return counts


def _shard_digest(site: Path, shard: list[str], number: int) -> str:
    """SHA-256 of what a bundle is made from: Pagefind's version and options, the shard's
    number, and each page's path and bytes."""
    digest = hashlib.sha256(f"{importlib.metadata.version('pagefind')}\0{PAGE_GLOB}\0en\0"
                            f"{number}\0".encode())
    for rel in shard:
        digest.update(f"{rel}\0".encode() + (site / rel).read_bytes() + b"\0")
    return digest.hexdigest()


def _bundle_files(pagefind: Path, number: int) -> list[Path]:
    """The files of bundle `number` under the `pagefind` folder (the first is the folder
    itself but for the other bundles' folders and shards.json)."""
    if number > 1:
        return [p for p in (pagefind / f"shard-{number}").rglob("*") if p.is_file()]
    return [p for p in pagefind.rglob("*") if p.is_file() and p.name != "shards.json"
            and not p.relative_to(pagefind).parts[0].startswith("shard-")]


def _write_record(record: Path, site: Path, digests: list[str], counts: list[int]) -> None:
    """Note each bundle's digest, page count and files (with their identity)."""
    found = {}
    for number, (digest, count) in enumerate(zip(digests, counts), start=1):
        files = {str(path.relative_to(site)): kept.identity(path)
                 for path in _bundle_files(site / "pagefind", number)}
        found[str(number)] = {"digest": digest, "count": count, "files": files}
    kept.write_record(str(record), found)
