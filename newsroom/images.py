"""Picture sizes and thumbnails, with Pillow.

A hero image's size is given to the page so `<img width height>` reserves its space and the
page does not shift while it loads (Lighthouse's CLS audit). News cards show a copy at most
`NEWS_THUMBNAIL_WIDTH` pixels wide, so the index does not download full-size heroes.
"""

from __future__ import annotations

import os

from PIL import Image, ImageOps

JPEG_QUALITY = 80
EXIF_ORIENTATION = 0x0112
SWAPPING_ORIENTATIONS = (5, 6, 7, 8)  # EXIF orientations that swap width and height


def image_size(path: str) -> tuple[int, int]:
    """Return (width, height) in pixels of the image file at `path` as a browser shows it
    (after the EXIF orientation). Raises `OSError` (Pillow's `UnidentifiedImageError`
    included) if it cannot be read."""
    with Image.open(path) as im:
        orientation = im.getexif().get(EXIF_ORIENTATION, 1)
        width, height = im.size
    return (height, width) if orientation in SWAPPING_ORIENTATIONS else (width, height)


def thumbnail_plan(image: str, size: tuple[int, int], max_width: int) -> tuple[str, int, int]:
    """Return (thumbnail path, width, height) for the site-relative `image` of `size`:
    `thumbs/<image path>-<W>w.<ext>`, the height keeping the aspect ratio (rounded, at least
    1). An image no wider than `max_width` is its own thumbnail."""
    width, height = size
    if width <= max_width:
        return image, width, height
    stem, ext = os.path.splitext(image)
    return f"thumbs/{stem}-{max_width}w{ext.lower()}", max_width, max(
        1, round(height * max_width / width))


def write_thumbnail(source: str, target: str, width: int, height: int) -> None:
    """Write a `width` x `height` copy of the image `source` to `target` (folders made), in
    the source's format (JPEG at quality 80, progressive)."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with Image.open(source) as im:
        fmt = im.format
        small = ImageOps.exif_transpose(im).resize((width, height), Image.Resampling.LANCZOS)
    options = {"optimize": True}
    if fmt == "JPEG":
        small = small.convert("RGB")
        options.update(quality=JPEG_QUALITY, progressive=True)
    small.save(target, format=fmt, **options)
