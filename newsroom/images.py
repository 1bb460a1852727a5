"""Picture sizes and thumbnails, with Pillow.

A hero image's size is given to the page so `<img width height>` reserves its space and the
page does not shift while it loads (Lighthouse's CLS audit). News cards show a copy at most
`NEWS_THUMBNAIL_WIDTH` pixels wide, so the index does not download full-size heroes.
"""

from __future__ import annotations

import io
import os
import warnings

from PIL import Image, ImageOps

JPEG_QUALITY = 80
EXIF_ORIENTATION = 0x0112
SWAPPING_ORIENTATIONS = (5, 6, 7, 8)  # EXIF orientations that swap width and height
# What every current browser shows in <img> (MDN, "Image file type and format guide").
WEB_FORMATS = ("JPEG", "PNG", "WEBP", "AVIF", "GIF")
# A phone photo is 12-50 megapixels; past this the thumbnails take seconds and hundreds of
# MB of memory, and from 89 MP Pillow warns of a decompression bomb (from 179 MP it refuses).
MAX_MEGAPIXELS = 50
# Readers download the hero at full size: 2 MB is about 10 s on a slow (1.6 Mbit/s) mobile
# link, while a 2400 px JPEG at quality 80 is usually under 1 MB.
MAX_BYTES = 2_000_000
RESIZE_ADVICE = "resize it to at most 2400 pixels wide and save it as JPEG at quality 80"


def picture_problem(path: str) -> str | None:
    """What stops the image file at `path` from going on the site, or None: it must be a
    whole picture (Pillow's `load()` decodes all of it, so a file cut short is found) in a
    format browsers show (`WEB_FORMATS`) of at most `MAX_MEGAPIXELS`. The header is read
    first, so a 200-megapixel image is refused without decoding it."""
    try:
        with warnings.catch_warnings():  # the size is judged here, not by Pillow's warning
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as picture:
                if picture.format not in WEB_FORMATS:
                    return (f"it is a {picture.format} file, which browsers do not show; save "
                            "it as JPEG (photos) or PNG (drawings, screenshots)")
                width, height = picture.size
                if width * height > MAX_MEGAPIXELS * 1_000_000:
                    return (f"it is {width} x {height} pixels ({width * height / 1e6:.0f} "
                            f"megapixels, more than {MAX_MEGAPIXELS}); {RESIZE_ADVICE}")
                picture.load()
    except Image.DecompressionBombError:  # more than twice Image.MAX_IMAGE_PIXELS
        return (f"it has more than {2 * Image.MAX_IMAGE_PIXELS / 1e6:.0f} megapixels, far "
                f"too many for a web page; {RESIZE_ADVICE}")
    except (OSError, SyntaxError, ValueError):  # Pillow's errors for unreadable files
        return ("it is not a picture Pillow can read whole (cut short or damaged?); save it "
                "again as JPEG, PNG or WebP")
    return None


def size_warning(path: str) -> str | None:
    """A warning for an image file over `MAX_BYTES`, or None."""
    size = os.path.getsize(path)
    if size <= MAX_BYTES:
        return None
    return (f"it is {size / 1e6:.1f} MB (more than {MAX_BYTES // 1_000_000}), which readers "
            f"on phones download in full; {RESIZE_ADVICE}")


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


def write_thumbnail(source: str, target: str, width: int, height: int, store=None) -> None:
    """Write `thumbnail_bytes(source, width, height, store)` to `target` (folders made)."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    data = thumbnail_bytes(source, width, height, store)
    with open(target, "wb") as fh:
        fh.write(data)


def thumbnail_bytes(source: str, width: int, height: int, store=None) -> bytes:
    """The bytes of a `width` x `height` copy of the image `source`, in the source's format
    (JPEG at quality 80, progressive).

    With a `store` (a `newsroom.cache.ContentCache`: versioned on this code and Pillow's
    version, checksummed, written atomically), the copy's bytes are kept under the source's
    path, bytes and the size, and a later call returns those bytes instead of resizing
    again (the same bytes: Pillow's output is deterministic)."""
    key = None
    if store is not None:
        with open(source, "rb") as fh:
            key = store.key(source, fh.read() + f"\0{width}x{height}".encode())
        kept = store.load(key, "thumbnail")
        if isinstance(kept, bytes):
            return kept
    data = _resize(source, width, height)
    if key is not None:
        store.save(key, "thumbnail", data)
    return data


def keep_thumbnail(source: str, image: str, max_width: int, store) -> None:
    """Make and keep in `store` the news-card thumbnail of the hero image `source` (its
    site-relative path `image`) that a build will write (`thumbnail_plan`), so the build
    finds it kept; for `newsroom.render.prepare`'s workers. An unreadable image is left to
    the check, which reports it."""
    try:
        size = image_size(source)
    except OSError:
        return
    thumb, width, height = thumbnail_plan(image, size, max_width)
    if thumb != image:
        thumbnail_bytes(source, width, height, store)


def _resize(source: str, width: int, height: int) -> bytes:
    """`thumbnail_bytes` without the cache: resize with Pillow and encode."""
    with Image.open(source) as im:
        fmt = im.format
        small = ImageOps.exif_transpose(im).resize((width, height), Image.Resampling.LANCZOS)
    options = {"optimize": True}
    if fmt == "JPEG":
        small = small.convert("RGB")
        options.update(quality=JPEG_QUALITY, progressive=True)
    out = io.BytesIO()
    small.save(out, format=fmt, **options)
    return out.getvalue()
