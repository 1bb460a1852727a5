"""The site search index as part of every build: `newsroom.search` as a Pelican plugin.

After the article pages are written (Pelican `article_writer_finalized`, having
`newsroom.writer.finish` write any still queued), indexes every
published article's page with Pagefind into `<output>/pagefind/`. It runs before Pelican's
`finalized` signal, so `newsroom.compress` (production builds) compresses the index's
scripts, styles and JSON with the rest of the site. Drafts and embargoed posts are never
written by the published settings, so never indexed; the preview's drafts are not indexed
either.

Settings read: `NEWS_SEARCH_INDEX` (bool: False skips the index, for test builds that do
not need it), `NEWS_SEARCH_SHARD_SIZE` (int, articles per bundle).
"""

import logging
from pathlib import Path

from pelican import signals

from newsroom.search import build_index
from newsroom.writer import finish

logger = logging.getLogger(__name__)


def index_articles(generator, writer) -> None:
    """Index the published articles' pages (Pelican `article_writer_finalized`). A Pagefind
    failure is logged as an error, so `--fatal` fails the build."""
    if not generator.settings["NEWS_SEARCH_INDEX"]:
        return
    finish(writer)  # the pages queued by newsroom.writer, written first
    pages = [article.save_as for article in generator.articles]
    try:
        counts = build_index(Path(generator.output_path), pages,
                             int(generator.settings["NEWS_SEARCH_SHARD_SIZE"]))
    except RuntimeError as error:
        logger.error("search: error: Pagefind failed (%s); the old index is unchanged", error)
        return
    logger.info("search: indexed %d article pages (%d bundles)", sum(counts), len(counts))


def register():
    signals.article_writer_finalized.connect(index_articles)
