"""Build the Pagefind search index over a built site's article pages.

Usage: python tools/search_index.py OUTPUT_DIR [--shard-size 2000]

Writes the search bundle to OUTPUT_DIR/pagefind/ with Pagefind's Python API (PyPI
`pagefind[extended]`, whose wheel carries the binary). Only article pages are indexed
(`news/YYYY/MM/slug/index.html`): home, category, tag and archive pages never are, and
within an article only the element the theme marks `data-pagefind-body`, with the title,
date and category it marks `data-pagefind-meta` and the category and year it marks
`data-pagefind-filter`.

Memory: Pagefind holds a whole index in memory; measured on generated 600-word posts it
peaked at about 700 MiB for 5,000 articles, whether the pages were added at once or in
several `add_directory` calls (see `make bench`). So articles are split, oldest first, into
shards of at most `--shard-size` pages, each indexed in its own Pagefind session (one at a
time) into its own bundle: the first in `pagefind/`, the others in `pagefind/shard-N/`.
`pagefind/shards.json` lists the extra bundles, and the search page merges them with
Pagefind's `mergeIndex`. A site of fewer than `--shard-size` articles has one bundle.
Scripts, styles and JSON in the bundle get a `.gz` twin for nginx's `gzip_static`.

Drafts and embargoed posts are never in the output, so they cannot be indexed. Exit status
0 on success; 1 with a message on stderr if the folder has no article pages or Pagefind
fails (the old index is then left as it was).
"""

import argparse
import asyncio
import gzip
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

ARTICLE_GLOB = "news/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"
SHARD_SIZE = 2000
# Pagefind's own index, fragment and filter chunks are gzip already; its scripts, styles
# and JSON are not, and Pelican's precompress step has run before the index exists.
COMPRESSIBLE = (".js", ".css", ".json")


def article_pages(site: Path) -> list:
    """The article pages of `site`, as paths relative to it, oldest first (by path)."""
    return sorted(p.relative_to(site) for p in site.glob(ARTICLE_GLOB))


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
        added = await index.add_directory(str(source), glob=ARTICLE_GLOB)
    return added["page_count"]


def precompress(bundle: Path) -> None:
    """Write `name.gz` beside each script, stylesheet and JSON file of `bundle` (gzip level 9,
    no timestamp, so identical input gives identical bytes) for nginx's `gzip_static`."""
    for path in bundle.rglob("*"):
        if path.suffix in COMPRESSIBLE and path.is_file():
            data = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
            path.with_name(path.name + ".gz").write_bytes(data)


def build_index(site: Path, shard_size: int = SHARD_SIZE) -> list:
    """Index `site`'s articles into `site/pagefind/` (see the module docstring) and return
    the page count of each bundle. The new index replaces the old one only when complete."""
    pages = article_pages(site)
    shards = [pages[i:i + shard_size] for i in range(0, len(pages), shard_size)]
    staging = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site))
    try:
        counts = []
        for number, shard in enumerate(shards, start=1):
            bundle = staging / "pagefind" if number == 1 else staging / f"pagefind/shard-{number}"
            source = staging / f"source-{number}"
            link_tree(site, shard, source)
            counts.append(asyncio.run(index_shard(source, bundle)))
            shutil.rmtree(source)
        extra = [f"shard-{n}/" for n in range(2, len(shards) + 1)]
        (staging / "pagefind/shards.json").write_text(json.dumps(extra) + "\n")
        precompress(staging / "pagefind")
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        os.replace(staging / "pagefind", site / "pagefind")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder (output/)")
    parser.add_argument("--shard-size", type=int, default=SHARD_SIZE,
                        help=f"most article pages per bundle (default {SHARD_SIZE})")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not article_pages(site):
        print(f"search: error: {site} has no article pages; build the site first",
              file=sys.stderr)
        return 1
    try:
        counts = build_index(site, args.shard_size)
    except RuntimeError as error:
        print(f"search: error: Pagefind failed ({error}); the old index is unchanged",
              file=sys.stderr)
        return 1
    print(f"search: indexed {sum(counts)} article pages into {site / 'pagefind'} "
          f"({len(counts)} bundle{'s' if len(counts) > 1 else ''})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
