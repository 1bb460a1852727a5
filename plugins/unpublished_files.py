"""Withhold the static files only unpublished posts use: `newsroom.withheld` as a plugin.

At Pelican `static_generator_finalized` (the static generator runs after the article and
page generators, so every document has been read), removes from the static generator's
file list (its `staticfiles`, which is also the context's) each file that only documents
Pelican does not write use: their hero `image:` and `{static}`/`{attach}` links. The first
build after the embargo publishes the post and the file with it.

Settings read: `PATH` and those of `newsroom.source` (`read_for_pelican`: the check's parse).
"""

import logging
import os

from pelican import signals

from newsroom.layout import Layout
from newsroom.source import read_for_pelican
from newsroom.withheld import withheld_files

logger = logging.getLogger(__name__)
# The context lists of every article and page Pelican read, in any status.
DOCUMENT_LISTS = ("articles", "hidden_articles", "drafts", "pages", "hidden_pages",
                  "draft_pages")


def withhold_unpublished_files(generator) -> None:
    """Drop the withheld files from `generator.staticfiles` (see the module docstring)."""
    settings = generator.settings
    documents = {os.path.abspath(doc.source_path): doc for name in DOCUMENT_LISTS
                 for doc in generator.context.get(name, ())}
    written = [path for path, doc in documents.items() if doc.save_as]
    unwritten = [path for path, doc in documents.items() if not doc.save_as]
    held = withheld_files(written, unwritten, lambda path: read_for_pelican(path, settings),
                          Layout(settings))
    if not held:
        return
    kept = [static for static in generator.staticfiles
            if os.path.abspath(os.path.join(generator.path, static.source_path)) not in held]
    logger.info("Withheld until a post using them is published: %d file(s)",
                len(generator.staticfiles) - len(kept))
    generator.staticfiles[:] = kept


def register():
    signals.static_generator_finalized.connect(withhold_unpublished_files)
