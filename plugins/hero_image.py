"""Read hero images' sizes at build time and make the thumbnails news cards show.

For every article and page whose front matter has `image:` (a path under `PATH`, already
checked to exist by the front_matter plugin), adds:

- `image_width`, `image_height`: the image's size in CSS pixels (ints) as a browser shows
  it (after the EXIF orientation), so `<img width height>` reserves its space and the page
  does not shift while it loads (WCAG 2.2 2.4.11's neighbour, Lighthouse's CLS audit);
- articles only: `thumbnail` (site-relative path, `thumbs/<image path>-<W>w.<ext>`),
  `thumbnail_width`, `thumbnail_height`: a copy at most `NEWS_THUMBNAIL_WIDTH` pixels wide,
  written into the output after the articles (Pelican `article_writer_finalized`), so the
  index does not download full-size heroes. An image already that narrow is its own
  thumbnail.

An image Pillow cannot read is an error logged as `path:line: error: ...` (the `image:`
line), so `pelican --fatal warnings` fails the build.

Settings read: `PATH`, `NEWS_THUMBNAIL_WIDTH` (int, default 400).
"""

from __future__ import annotations

import logging
import os

from PIL import Image, ImageOps
from pelican import signals

logger = logging.getLogger(__name__)

DEFAULT_THUMBNAIL_WIDTH = 400
JPEG_QUALITY = 80


def image_size(path: str) -> tuple[int, int]:
    """Return (width, height) of the image file at `path` as displayed (EXIF-rotated).

    Raises `OSError` (Pillow's `UnidentifiedImageError` included) if it cannot be read.
    """
    with Image.open(path) as im:
        orientation = im.getexif().get(0x0112, 1)  # 5 to 8 swap width and height
        width, height = im.size
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def thumbnail_plan(image: str, size: tuple[int, int], max_width: int):
    """Return (thumbnail path, width, height) for the site-relative `image` of `size`.

    The height keeps the aspect ratio (rounded, at least 1). An image no wider than
    `max_width` is its own thumbnail.
    """
    width, height = size
    if width <= max_width:
        return image, width, height
    stem, ext = os.path.splitext(image)
    return f"thumbs/{stem}-{max_width}w{ext.lower()}", max_width, max(
        1, round(height * max_width / width))


def write_thumbnail(source: str, target: str, width: int, height: int) -> None:
    """Write a `width` x `height` copy of the image `source` to `target` (folders made)."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with Image.open(source) as im:
        fmt = im.format
        small = ImageOps.exif_transpose(im).resize((width, height), Image.Resampling.LANCZOS)
    options = {"optimize": True}
    if fmt == "JPEG":
        small = small.convert("RGB")
        options.update(quality=JPEG_QUALITY, progressive=True)
    small.save(target, format=fmt, **options)


def image_line(source_path: str) -> int:
    """Return the 1-based line of the `image:` field in `source_path` (1 if not found)."""
    try:
        with open(source_path, encoding="utf-8-sig") as fh:
            for number, line in enumerate(fh, start=1):
                if line.startswith("image:"):
                    return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1


def attach_size(content, settings: dict, with_thumbnail: bool) -> None:
    """Set the attributes listed in the module docstring on one article or page."""
    image = getattr(content, "image", None)
    if not image:
        return
    try:
        size = image_size(os.path.join(settings["PATH"], image))
    except OSError as exc:
        rel = os.path.relpath(content.source_path)
        logger.error("%s:%d: error: the image %r cannot be read (%s); save it as JPEG, PNG "
                     "or WebP", rel if not rel.startswith("..") else content.source_path,
                     image_line(content.source_path), image, exc)
        return
    content.image_width, content.image_height = size
    if with_thumbnail:
        max_width = int(settings.get("NEWS_THUMBNAIL_WIDTH", DEFAULT_THUMBNAIL_WIDTH))
        (content.thumbnail, content.thumbnail_width,
         content.thumbnail_height) = thumbnail_plan(image, size, max_width)


def attach_article_images(generator) -> None:
    """Pelican `article_generator_finalized`: sizes and thumbnail plans for articles."""
    for article in generator.articles + generator.hidden_articles + generator.drafts:
        attach_size(article, generator.settings, with_thumbnail=True)


def attach_page_images(generator) -> None:
    """Pelican `page_generator_finalized`: sizes for pages."""
    for page in generator.pages + generator.hidden_pages + generator.draft_pages:
        attach_size(page, generator.settings, with_thumbnail=False)


def write_thumbnails(generator, writer) -> None:
    """Pelican `article_writer_finalized`: write the thumbnails of published articles.

    Drafts get no thumbnail file: they are never listed in news cards.
    """
    del writer  # unused: images are not templates
    done = set()
    for article in generator.articles + generator.hidden_articles:
        thumb = getattr(article, "thumbnail", None)
        if not thumb or thumb == article.image or thumb in done:
            continue
        done.add(thumb)
        write_thumbnail(os.path.join(generator.settings["PATH"], article.image),
                        os.path.join(generator.output_path, thumb),
                        article.thumbnail_width, article.thumbnail_height)


def register():
    signals.article_generator_finalized.connect(attach_article_images)
    signals.page_generator_finalized.connect(attach_page_images)
    signals.article_writer_finalized.connect(write_thumbnails)
