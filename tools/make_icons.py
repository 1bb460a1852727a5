"""Make the home-screen icons from the branch mark, once; the PNGs are committed.

Usage: python tools/make_icons.py (from the repository root)

Reads theme/static/images/logo.png (512 x 512, the shield on a transparent ground), puts
it on white (the site's light background, --color-bg) and
writes into content/extra/ (published at the site root by EXTRA_PATH_METADATA):
- apple-touch-icon.png, 180 x 180 (iOS's home-screen size; opaque, as iOS fills
  transparency with black);
- icon-192.png and icon-512.png, for site.webmanifest (the sizes Chromium asks a web app
  manifest for).
Run it again only when the mark changes, and commit the PNGs. Pillow's LANCZOS filter;
PNGs written optimised, as RGB (no alpha channel).
"""

import pathlib
import sys

from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "theme/static/images/logo.png"
ICONS = {"apple-touch-icon.png": 180, "icon-192.png": 192, "icon-512.png": 512}


def main() -> int:
    """Write the icons; return the exit status (1 with a message if the mark is missing)."""
    if not SOURCE.is_file():
        print(f"make_icons: error: {SOURCE} is missing", file=sys.stderr)
        return 1
    with Image.open(SOURCE) as mark:
        ground = Image.new("RGBA", mark.size, "#ffffff")
        mark = Image.alpha_composite(ground, mark.convert("RGBA")).convert("RGB")
        for name, size in ICONS.items():
            icon = mark if mark.size == (size, size) else mark.resize((size, size),
                                                                      Image.LANCZOS)
            icon.save(ROOT / "content/extra" / name, optimize=True)
            print(f"content/extra/{name}: {size} x {size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
