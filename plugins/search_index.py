"""The site search index as part of every build: `newsroom.search` as a Pelican plugin.

After the article pages are written (Pelican `article_writer_finalized`, having
`newsroom.writer.finish` write any still queued), indexes every
published article's page with Pagefind into `<output>/pagefind/`. It runs before Pelican's
`finalized` signal, so `newsroom.compress` (production builds) compresses the index's
scripts, styles and JSON with the rest of the site. Drafts and embargoed posts are never
written by the published settings, so never indexed; the preview's drafts are not indexed
either.

A bundle whose pages the last build into the same folder indexed, byte for byte, is that
build's (`build_index`'s `previous` and `record`, the record kept in the content cache).

Settings read: `NEWS_SEARCH_INDEX` (bool: False skips the index, for test builds that do
not need it), `NEWS_SEARCH_SHARD_SIZE` (int, articles per bundle), `NEWS_PREVIOUS_OUTPUT`
and `NEWS_CACHE_PATH`.
"""

import logging
from pathlib import Path

from pelican import signals

from newsroom.cache import open_cache
from newsroom.kept import record_file
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
    previous = generator.settings.get("NEWS_PREVIOUS_OUTPUT")
    store = open_cache(generator.settings)
    record = Path(record_file(store, "index", previous)) if previous and store else None
    try:
        counts = build_index(Path(generator.output_path), pages,
                             int(generator.settings["NEWS_SEARCH_SHARD_SIZE"]),
                             Path(previous) if record else None, record)
    except RuntimeError as error:
        logger.error("search: error: Pagefind failed (%s); the old index is unchanged", error)
        return
    logger.info("search: indexed %d article pages (%d bundles)", sum(counts), len(counts))


def register():
    signals.article_writer_finalized.connect(index_articles)
