"""Hero image sizes and news-card thumbnails: `newsroom.images` as a Pelican plugin.

For every article and page whose front matter has `image:` (a path under `PATH`, checked by
the reader to be a readable picture), adds `image_width` and `image_height` (CSS pixels);
articles also get `thumbnail` (site-relative path), `thumbnail_width` and
`thumbnail_height`. Thumbnails of published articles are written into the output after the
articles (Pelican `article_writer_finalized`); drafts are never listed in cards, so get none.

Settings read: `PATH`, `NEWS_THUMBNAIL_WIDTH` (int, pixels), `NEWS_CACHE_PATH` (thumbnails
are kept in the content cache, keyed on the image's bytes: `newsroom.images`).
"""

import os

from pelican import signals

from newsroom.cache import open_cache
from newsroom.images import image_size, thumbnail_plan, write_thumbnail


def attach_size(content, settings: dict, with_thumbnail: bool) -> None:
    """Set the attributes listed in the module docstring on one article or page."""
    image = getattr(content, "image", None)
    if not image:
        return
    size = image_size(os.path.join(settings["PATH"], image))
    content.image_width, content.image_height = size
    if with_thumbnail:
        (content.thumbnail, content.thumbnail_width, content.thumbnail_height) = thumbnail_plan(
            image, size, int(settings["NEWS_THUMBNAIL_WIDTH"]))


def attach_article_images(generator) -> None:
    """Pelican `article_generator_finalized`: sizes and thumbnail plans for articles."""
    for article in generator.articles + generator.hidden_articles + generator.drafts:
        attach_size(article, generator.settings, with_thumbnail=True)


def attach_page_images(generator) -> None:
    """Pelican `page_generator_finalized`: sizes for pages."""
    for page in generator.pages + generator.hidden_pages + generator.draft_pages:
        attach_size(page, generator.settings, with_thumbnail=False)


def write_thumbnails(generator, writer) -> None:
    """Pelican `article_writer_finalized`: write the thumbnails of published articles."""
    del writer  # unused: images are not templates
    done = set()
    store = open_cache(generator.settings)
    for article in generator.articles + generator.hidden_articles:
        thumb = getattr(article, "thumbnail", None)
        if not thumb or thumb == article.image or thumb in done:
            continue
        done.add(thumb)
        write_thumbnail(os.path.join(generator.settings["PATH"], article.image),
                        os.path.join(generator.output_path, thumb),
                        article.thumbnail_width, article.thumbnail_height, store)


def register():
    signals.article_generator_finalized.connect(attach_article_images)
    signals.page_generator_finalized.connect(attach_page_images)
    signals.article_writer_finalized.connect(write_thumbnails)
