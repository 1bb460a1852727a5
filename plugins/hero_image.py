"""Responsive pictures: `newsroom.images` and `newsroom.pictures` as a Pelican plugin.

For every article and page whose front matter has `image:` (a path under `PATH`, checked by
the reader to be a readable picture), adds `hero`, a `newsroom.images.Picture` (fallback
`src`, `width`, `height`, `alt`, `caption`, `credit`, `sources`, `share`) that
`components/picture.html` shows, plus `image_width` and `image_height` (pixels as shown).
The reader (plugins/news_reader.py) gives each document `body_pictures`, the `Picture`s of
the images in its body (`newsroom.pictures.body_pictures`).

After the articles are written (Pelican `article_writer_finalized`), and after the pages
(`page_writer_finalized`), the variants of every hero and body picture of each document
Pelican writes (published, hidden; drafts only in the preview, which writes them) go into
the output under `thumbs/`, with each hero's 1,200 x 630 share image.

Settings read: `PATH`, `NEWS_IMAGE_WIDTHS` (pixels), `NEWS_CACHE_PATH` (variants are kept
in the content cache, keyed on the picture's bytes: `newsroom.images.make_variants`).
"""

from pelican import signals

from newsroom.pictures import hero_picture, write_pictures


def attach_hero(content, settings: dict) -> None:
    """Set `hero`, `image_width` and `image_height` on one article or page with `image:`."""
    image = getattr(content, "image", None)
    if not image:
        return
    content.hero = hero_picture(
        image, getattr(content, "image_alt", "") or "", getattr(content, "image_caption", "")
        or "", getattr(content, "image_credit", "") or "", settings, share=True)
    content.image_width, content.image_height = content.hero.width, content.hero.height


def attach_article_images(generator) -> None:
    """Pelican `article_generator_finalized`: the hero of every article."""
    for article in generator.articles + generator.hidden_articles + generator.drafts:
        attach_hero(article, generator.settings)


def attach_page_images(generator) -> None:
    """Pelican `page_generator_finalized`: the hero of every page."""
    for page in generator.pages + generator.hidden_pages + generator.draft_pages:
        attach_hero(page, generator.settings)


def write_article_pictures(generator, writer) -> None:
    """Pelican `article_writer_finalized`: the pictures of published and hidden articles,
    and of drafts when they are written (the preview's `DRAFT_SAVE_AS`)."""
    del writer  # unused: images are not templates
    drafts = [d for d in generator.drafts if d.save_as]
    write_pictures(generator.articles + generator.hidden_articles + drafts,
                   generator.settings, generator.output_path)


def write_page_pictures(generator, writer) -> None:
    """Pelican `page_writer_finalized`: the pictures of published and hidden pages, and of
    draft pages when they are written."""
    del writer
    drafts = [d for d in generator.draft_pages if d.save_as]
    write_pictures(generator.pages + generator.hidden_pages + drafts, generator.settings,
                   generator.output_path)


def register():
    signals.article_generator_finalized.connect(attach_article_images)
    signals.page_generator_finalized.connect(attach_page_images)
    signals.article_writer_finalized.connect(write_article_pictures)
    signals.page_writer_finalized.connect(write_page_pictures)
