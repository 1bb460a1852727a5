"""The article generator's pages written on every core: `newsroom.writer` as a plugin.

Pelican `get_writer` returns its `PoolWriter`; at `article_writer_finalized` the queued
pages are written (`newsroom.writer.finish`, also called by plugins/search_index.py before
it reads them). Settings read: `NEWS_WRITE_WORKERS`.
"""

from pelican import signals

from newsroom.writer import PoolWriter, finish


def get_writer(pelican_object):
    """Pelican `get_writer`: the Writer class of every build."""
    del pelican_object
    return PoolWriter


def write_queued(generator, writer) -> None:
    """Pelican `article_writer_finalized`: write the queued pages."""
    del generator
    finish(writer)


def register():
    signals.get_writer.connect(get_writer)
    signals.article_writer_finalized.connect(write_queued)
