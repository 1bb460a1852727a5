"""Pictures for the site, with Pillow: checks, sizes, responsive variants, share images.

A picture's size is given to the page so `<img width height>` reserves its space and the
page does not shift while it loads (Lighthouse's CLS audit). Every picture a page shows
(hero, news card, an image in a body) is offered in several widths (`NEWS_IMAGE_WIDTHS`,
never wider than the original) in AVIF (when this Pillow encodes it), WebP and a JPEG or
PNG fallback, so a phone downloads about the pixels it shows (`<picture>`, `srcset`,
`sizes`: HTML Living Standard, "Images"). A post with a picture also gets a 1,200 x 630
JPEG, cover-cropped from it, for Open Graph and Twitter cards (the size Facebook's and
LinkedIn's sharing guides ask for, 1.91:1).

`picture_plan` says which files a picture needs (`Picture`, `Variant`), `make_variants`
makes their bytes, kept in the content cache keyed on the picture's bytes (so a second build,
or the reading pool's `keep_variants`, never encodes the same file twice), and
`write_variants` writes them into the output. Every variant goes under `thumbs/` with the
picture's own path: `thumbs/images/x-800w.webp`, `thumbs/images/x-share.jpg`.
"""

from __future__ import annotations

import dataclasses
import io
import os
import warnings

from PIL import Image, ImageOps, features

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


# Encoders for the variants: Pillow's name, the MIME type a <source type> gives, the file
# extension, and the options. Qualities give about the same look as JPEG at 80 (AVIF 55 and
# WebP 75 measured here at a third of the JPEG's bytes for the sample hero).
MIME_TYPES = {"AVIF": "image/avif", "WEBP": "image/webp", "JPEG": "image/jpeg",
              "PNG": "image/png"}
EXTENSIONS = {"AVIF": ".avif", "WEBP": ".webp", "JPEG": ".jpg", "PNG": ".png"}
ENCODER_OPTIONS = {
    "AVIF": {"quality": 55, "speed": 6},
    "WEBP": {"quality": 75, "method": 4},
    "JPEG": {"quality": JPEG_QUALITY, "progressive": True, "optimize": True},
    "PNG": {"optimize": True},
}
SHARE_SIZE = (1200, 630)  # Open Graph / Twitter summary_large_image, 1.91:1
VARIANTS_FOLDER = "thumbs"


def modern_formats() -> tuple[str, ...]:
    """The modern formats offered before the fallback, best first: AVIF when this Pillow
    can encode it (`PIL.features.check("avif")`, Pillow 11.2+ built with libavif), WebP."""
    return ("AVIF", "WEBP") if features.check("avif") else ("WEBP",)


@dataclasses.dataclass(frozen=True)
class Variant:
    """One file made from a picture: site-relative `path`, `width` x `height` pixels, in the
    Pillow `format`; `crop` True when cover-cropped to that size (the share image) rather
    than scaled."""

    path: str
    width: int
    height: int
    format: str
    crop: bool = False


@dataclasses.dataclass(frozen=True)
class Picture:
    """What a template needs to show a picture (`components/picture.html`), and the files
    to write. `src`: site-relative path of the fallback file; `width` x `height`: the
    picture's pixels as shown (the original's, so `<img width height>` gives its aspect
    and the largest size it is shown at); `image`: the original's site-relative path;
    `alt`, `caption`, `credit`: plain text ("" for none); `sources`: ((MIME type,
    ((site-relative path, pixel width), ...)), ...), the modern formats first and the
    fallback's last; `share`: the 1,200 x 630 share image (a `Variant`) or None;
    `variants`: every `Variant` to write."""

    src: str
    width: int
    height: int
    image: str = ""
    alt: str = ""
    caption: str = ""
    credit: str = ""
    sources: tuple = ()
    share: Variant | None = None
    variants: tuple = ()

    def srcset(self, mime: str) -> str:
        """The `srcset` text of the `sources` entry of type `mime` ("" if none), paths
        site-relative: "thumbs/images/a-240w.webp 240w, ..."."""
        for kind, candidates in self.sources:
            if kind == mime:
                return ", ".join(f"{path} {width}w" for path, width in candidates)
        return ""


def picture_info(path: str) -> tuple[int, int, str]:
    """(width, height, fallback format) of the image file at `path`: the size as a browser
    shows it (`image_size`), and "PNG" for a PNG, a GIF or a picture with transparency
    (JPEG has none), else "JPEG". Raises `OSError` if it cannot be read."""
    width, height = image_size(path)
    with Image.open(path) as im:
        alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
        fmt = "PNG" if im.format in ("PNG", "GIF") or alpha else "JPEG"
    return width, height, fmt


def variant_widths(width: int, widths) -> list[int]:
    """The widths, in pixels, to offer a picture `width` pixels wide: each of `widths`
    narrower than it, then the picture's own width if it is narrower than the largest of
    `widths` (never upscaled), e.g. 1000 with (240, 480, 800, 1200) -> [240, 480, 800,
    1000]."""
    largest = max(widths)
    chosen = sorted({w for w in widths if w < width and w <= largest})
    top = min(width, largest)
    return chosen if top in chosen else [*chosen, top]


def picture_plan(image: str, size: tuple[int, int], fallback: str, widths, *,
                 share: bool = False, fallback_width: int = 800, alt: str = "",
                 caption: str = "", credit: str = "") -> Picture:
    """The `Picture` for the site-relative `image` of `size` (width, height) whose
    fallback format is `fallback` ("JPEG" or "PNG", from `picture_info`): `variant_widths`
    in `modern_formats()` and the fallback, heights keeping the aspect ratio (rounded, at
    least 1 pixel); `src` is the fallback of the largest width not above `fallback_width`
    (for browsers without srcset); with `share`, the 1,200 x 630 JPEG too."""
    width, height = size
    stem = f"{VARIANTS_FOLDER}/{os.path.splitext(image)[0]}"
    variants, sources = [], []
    for fmt in (*modern_formats(), fallback):
        candidates = []
        for w in variant_widths(width, widths):
            h = max(1, round(height * w / width))
            variants.append(Variant(f"{stem}-{w}w{EXTENSIONS[fmt]}", w, h, fmt))
            candidates.append((variants[-1].path, w))
        sources.append((MIME_TYPES[fmt], tuple(candidates)))
    fallbacks = [v for v in variants if v.format == fallback]
    main = ([v for v in fallbacks if v.width <= fallback_width] or fallbacks)[-1]
    share_variant = Variant(f"{stem}-share.jpg", *SHARE_SIZE, "JPEG", crop=True) if share else None
    if share_variant:
        variants.append(share_variant)
    return Picture(main.path, width, height, image, alt, caption, credit, tuple(sources),
                   share_variant, tuple(variants))


def make_variants(source: str, variants, store=None) -> dict[str, bytes]:
    """{variant path: bytes} of each `Variant` of the image file `source`.

    With a `store` (a `newsroom.cache.ContentCache`: versioned on this code and Pillow's
    version, checksummed, written atomically), each variant's bytes are kept under the
    source's path and bytes, the variant's size, format and crop; a later call returns
    those instead of encoding again (the same bytes: Pillow's encoders are deterministic
    for the same input and options). The source is decoded once, only if a variant is
    missing. Raises `OSError` if it cannot be read."""
    with open(source, "rb") as fh:
        data = fh.read()
    found, missing, keys = {}, [], {}
    for variant in variants:
        if store is not None:
            keys[variant] = store.key(source, data + (
                f"\0{variant.format}\0{variant.width}x{variant.height}"
                f"\0{variant.crop}").encode())
            kept = store.load(keys[variant], "variant")
            if isinstance(kept, bytes):
                found[variant.path] = kept
                continue
        missing.append(variant)
    if missing:
        with Image.open(io.BytesIO(data)) as im:
            shown = ImageOps.exif_transpose(im)
            shown.load()
        for variant in missing:
            found[variant.path] = encode(shown, variant)
            if store is not None:
                store.save(keys[variant], "variant", found[variant.path])
    return found


def encode(picture: Image.Image, variant: Variant) -> bytes:
    """The bytes of `variant` made from the decoded, upright `picture`: scaled (Lanczos)
    or, with `crop`, cover-cropped about the centre (`ImageOps.fit`), then encoded with
    `ENCODER_OPTIONS`; metadata (EXIF, GPS) is not copied. JPEG gets RGB, others keep
    transparency."""
    size = (variant.width, variant.height)
    if variant.crop:
        small = ImageOps.fit(picture, size, Image.Resampling.LANCZOS)
    else:
        small = picture.resize(size, Image.Resampling.LANCZOS)
    if variant.format == "JPEG":
        small = small.convert("RGB")
    elif small.mode not in ("RGB", "RGBA", "L", "LA"):
        small = small.convert("RGBA")
    out = io.BytesIO()
    small.save(out, format=variant.format, **ENCODER_OPTIONS[variant.format])
    return out.getvalue()


def write_variants(source: str, variants, output: str, store=None) -> int:
    """Write each `Variant` of the image file `source` under the folder `output` (folders
    made, each file replaced whole; one already there with the same bytes is left alone);
    return how many were written. Raises `OSError` if the source cannot be read or a file
    cannot be written."""
    written = 0
    for path, data in make_variants(source, variants, store).items():
        target = os.path.join(output, path)
        try:
            with open(target, "rb") as fh:
                if fh.read() == data:
                    continue
        except OSError:
            pass
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target + ".tmp", "wb") as fh:  # a new file: never into a linked one
            fh.write(data)
        os.replace(target + ".tmp", target)
        written += 1
    return written


def keep_variants(source: str, image: str, widths, store) -> None:
    """Make and keep in `store` the variants and share image of the hero picture `source`
    (site-relative path `image`) that a build will write, so the build finds them kept;
    for `newsroom.render.prepare`'s workers. An unreadable image is left to the check."""
    try:
        width, height, fallback = picture_info(source)
        plan = picture_plan(image, (width, height), fallback, widths, share=True)
        make_variants(source, plan.variants, store)
    except OSError:
        return
