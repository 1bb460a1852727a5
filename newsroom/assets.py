"""The theme's static files under names carrying their content hash.

`theme/static/css/site.css` is written to the output as `theme/css/site.3f2a9c1b.css` (the
first 8 hex digits of its SHA-256), and only under that name: a release's HTML names the
exact assets it was built with, so a server can cache them for a year (`immutable`), and
readers who load a page from the old release during a deploy still get the old assets
(the deploy issue's rule: assets hashed, HTML names plain). No written HTML is rewritten:
templates ask for the URL.

Adds the template function `asset_url(name)`: `name` is a path under a static folder of the
theme ("css/site.css"); it returns the hashed path relative to SITEURL
("theme/css/site.3f2a9c1b.css"). An unknown name raises `UnknownAssetError`, so a typo fails
the build instead of writing a broken link. The `asset_hashes` plugin hands each asset to
Pelican's static generator.

Settings read: `THEME`, `THEME_STATIC_DIR` (output folder, "theme"), `NEWS_ASSET_PATHS`
(folders under THEME holding the assets, default ["static"]). Pelican's own copy of the
theme's static files is turned off with `THEME_STATIC_PATHS = []` in pelicanconf.py, so no
unhashed copy is published.
"""

from __future__ import annotations

import hashlib
import os

DEFAULT_ASSET_PATHS = ("static",)
HASH_LENGTH = 8


class UnknownAssetError(LookupError):
    """A template asked `asset_url` for a file that is not among the theme's assets."""


def hashed_name(name: str, data: bytes) -> str:
    """Return `name` with the content hash of `data` before its extension.

    "css/site.css" -> "css/site.3f2a9c1b.css"; a name without an extension gets the hash
    at its end ("LICENSE" -> "LICENSE.3f2a9c1b").
    """
    stem, ext = os.path.splitext(name)
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:HASH_LENGTH]}{ext}"


def find_assets(settings: dict) -> dict[str, tuple[str, str]]:
    """Return {name: (source file, output path relative to the output folder)}.

    `name` is the file's path under its asset folder, with "/" separators. Files and folders
    whose names start with "." are skipped.
    """
    assets = {}
    out_dir = settings.get("THEME_STATIC_DIR", "theme")
    for folder in settings.get("NEWS_ASSET_PATHS") or DEFAULT_ASSET_PATHS:
        root = os.path.join(settings["THEME"], folder)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in sorted(f for f in filenames if not f.startswith(".")):
                source = os.path.join(dirpath, filename)
                name = os.path.relpath(source, root).replace(os.sep, "/")
                with open(source, "rb") as fh:
                    data = fh.read()
                assets[name] = (source, f"{out_dir}/{hashed_name(name, data)}")
    return assets


class AssetUrls:
    """The `asset_url` template function: `asset_url("css/site.css")` -> hashed path."""

    def __init__(self, assets: dict[str, tuple[str, str]]):
        self.paths = {name: path for name, (_source, path) in assets.items()}

    def __call__(self, name: str) -> str:
        try:
            return self.paths[name]
        except KeyError:
            raise UnknownAssetError(
                f"asset_url({name!r}): no such file in the theme's asset folders; "
                f"known: {', '.join(sorted(self.paths))}") from None
