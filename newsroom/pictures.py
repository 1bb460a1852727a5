"""Responsive pictures for heroes and for images in bodies (issue 12).

- `hero_picture(image, alt, caption, credit, settings)`: the `newsroom.images.Picture` of a
  post's or page's `image:` (its variants and, for a post, its share image), which
  plugins/hero_image.py attaches as `.hero`.
- `body_pictures(html, source_path, settings)`: a body's HTML (Markdown's, before the
  sanitiser) with each `<img src="{static}...">` of a picture in the content folder's
  `images/` as a `<picture>`: an AVIF and a WebP `<source>` and the `<img>` with a JPEG or PNG
  `srcset`, `sizes` (`NEWS_COLUMN_IMAGE_SIZES`), `width` and `height`, `loading="lazy"`. An
  image alone in its paragraph becomes a `<figure>`, its Markdown title (`![alt](path
  "Caption")`) its `<figcaption>`. Other images (remote, missing, unreadable: the check
  reports those) are left as they are.

The `<img src>` keeps the `{static}` link (Pelican makes it absolute, so feeds keep a working
picture, and plugins/unpublished_files.py still sees which file a post uses); the
`srcset` paths are the site's own, from the root (`SITEURL`'s path + "/thumbs/..."),
because Pelican resolves `{static}` only in `src`/`href`-like attributes
(pelican/contents.py `_get_intrasite_link_regex`) and the sanitiser keeps only relative
image addresses. So `RELATIVE_URLS` must stay False (pelicanconf.py).

Settings read: `PATH`, `SITEURL`, `NEWS_IMAGE_WIDTHS` (pixels), `NEWS_COLUMN_IMAGE_SIZES`.
"""

from __future__ import annotations

import html
import os
import re
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urlsplit

from .cache import open_cache
from .images import Picture, picture_info, picture_plan, write_variants
from .markdown_habits import apostrophes

IMG_RE = re.compile(r"(?P<open><p>\s*)?(?P<img><img\b[^<>]*>)(?P<close>\s*</p>)?", re.I)
STATIC_RE = re.compile(r"^[{|]static[}|](?P<target>.+)$")


class _Attributes(HTMLParser):
    """The attributes of the one start tag fed to it, as a browser reads them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        self.found = {k: v or "" for k, v in attrs}

    handle_startendtag = handle_starttag


def _attributes(tag: str) -> dict[str, str] | None:
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    return parser.found


def hero_picture(image: str, alt: str, caption: str, credit: str, settings: dict, *,
                 share: bool) -> Picture:
    """The `Picture` of the site-relative hero `image` (under `PATH`), with its plain-text
    `alt`, `caption` and `credit`; `share` adds the 1,200 x 630 share image. Raises
    `OSError` if the file cannot be read (the check has reported it)."""
    width, height, fallback = picture_info(os.path.join(settings["PATH"], image))
    return picture_plan(image, (width, height), fallback, settings["NEWS_IMAGE_WIDTHS"],
                        share=share, alt=alt, caption=caption, credit=credit)


def site_root(settings: dict) -> str:
    """`SITEURL`'s path, without a trailing slash: "" for "https://news.example"."""
    return urlsplit(settings.get("SITEURL") or "").path.rstrip("/")


def static_image(src: str, source_path: str, settings: dict) -> str | None:
    """The site-relative path (under `PATH`, in `images/`) of a body image's `{static}`
    link `src` written in the file `source_path`, or None if it is not such a link to an
    existing file (Pelican's rule: from `PATH` with a leading "/", else from the file's
    folder)."""
    m = STATIC_RE.match(src)
    if not m:
        return None
    target = unquote(urlsplit(m.group("target")).path)
    root = os.path.abspath(settings["PATH"])
    base = root if target.startswith("/") else os.path.dirname(os.path.abspath(source_path))
    resolved = os.path.normpath(os.path.join(base, target.lstrip("/")))
    relative = os.path.relpath(resolved, root).replace(os.sep, "/")
    if not relative.startswith("images/") or not os.path.isfile(resolved):
        return None
    return relative


def picture_markup(picture: Picture, attrs: dict[str, str], sizes: str, root: str) -> str:
    """`<picture>` HTML for a body image: a `<source>` per modern format, then the `<img>`
    with the original `attrs` (its `{static}` `src`, `alt`; `title` dropped when it is the
    caption) and the fallback's `srcset`, `sizes`, `width`, `height`, `loading="lazy"`,
    `decoding="async"`. `root` is `site_root`."""
    def srcset(mime):
        return ", ".join(f"{root}/{quote(path)} {w}w" for path, w in dict(picture.sources)[mime])
    mimes = [mime for mime, _ in picture.sources]
    parts = [f'<source type="{mime}" srcset="{html.escape(srcset(mime))}" '
             f'sizes="{html.escape(sizes)}">' for mime in mimes[:-1]]
    img = {"src": attrs["src"], "alt": attrs.get("alt", "")}
    if attrs.get("title") and not picture.caption:
        img["title"] = attrs["title"]
    img.update(srcset=srcset(mimes[-1]), sizes=sizes, width=str(picture.width),
               height=str(picture.height), loading="lazy", decoding="async")
    tag = " ".join(f'{k}="{html.escape(v)}"' for k, v in img.items())
    return f"<picture>{''.join(parts)}<img {tag}></picture>"


def body_pictures(body: str, source_path: str, settings: dict,
                  typography=None) -> tuple[str, tuple]:
    """(`body` with its pictures made responsive, the `Picture`s used, in order); see the
    module docstring. `typography` (HTML -> HTML: `render.Renderer.typography`) is applied
    to each `<figcaption>` made here, as it was to the rest of the body, so a caption reads
    like the story (curly quotes) whether typogrify runs in our reader or in Pelican's.
    Never raises for a bad image: it is left as written."""
    widths, sizes = settings.get("NEWS_IMAGE_WIDTHS"), settings.get("NEWS_COLUMN_IMAGE_SIZES")
    if not widths or sizes is None:  # a site without the settings: images as written
        return body, ()
    root, used = site_root(settings), []

    def replace(m: re.Match) -> str:
        attrs = _attributes(m.group("img"))
        image = static_image(attrs.get("src", ""), source_path, settings) if attrs else None
        if image is None:
            return m.group(0)
        try:
            width, height, fallback = picture_info(os.path.join(settings["PATH"], image))
        except OSError:
            return m.group(0)
        alone = bool(m.group("open") and m.group("close"))
        caption = attrs.get("title", "").strip() if alone else ""
        picture = picture_plan(image, (width, height), fallback, widths,
                               alt=attrs.get("alt", ""), caption=caption)
        used.append(picture)
        markup = picture_markup(picture, attrs, sizes, root)
        if not alone:
            return (m.group("open") or "") + markup + (m.group("close") or "")
        figcaption = ""
        if caption:
            text = html.escape(apostrophes(caption), quote=False)
            figcaption = f"<figcaption>{text}</figcaption>"
            figcaption = typography(figcaption) if typography else figcaption
        return f'<figure class="figure">{markup}{figcaption}</figure>'

    return IMG_RE.sub(replace, body), tuple(used)


def write_pictures(documents, settings: dict, output: str) -> None:
    """Write the variants of the heroes (`hero`) and body pictures (`body_pictures`) of
    `documents` (Pelican articles or pages) into the folder `output`, each file once, from
    the content cache when it has them. Raises `OSError` if a picture cannot be read."""
    wanted: dict[str, dict] = {}  # original -> {variant: None}, in order
    for document in documents:
        hero = getattr(document, "hero", None)
        for picture in ([hero] if hero else []) + list(getattr(document, "body_pictures", ())):
            wanted.setdefault(picture.image, {}).update(dict.fromkeys(picture.variants))
    store = open_cache(settings)
    for image, variants in wanted.items():
        write_variants(os.path.join(settings["PATH"], image), list(variants), output, store)
