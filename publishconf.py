"""Production settings: everything in pelicanconf.py, plus an absolute SITEURL and feeds.

Used by `make publish` and `make deploy` (the pelican-quickstart idiom).
"""

# Run from the repository root (`python -m ...` puts it first on the module path), as
# pelican-quickstart's publishconf.py is.
from pelicanconf import *  # noqa: F403

# --- URLs -----------------------------------------------------------------------------
SITEURL = "https://news.northvale-polfed.example"
RELATIVE_URLS = False

# --- Feeds ----------------------------------------------------------------------------
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
# Per category, on paths of their own (the default feeds/{slug}.atom.xml would collide with
# author feeds of the same slug: pelican-facts.md, "Feeds").
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{slug}.rss.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{slug}.rss.xml"
FEED_MAX_ITEMS = 50

# --- Sitemap and robots.txt (templates in theme/templates; they need the absolute SITEURL)
TEMPLATE_PAGES = {**TEMPLATE_PAGES, "sitemap.xml": "sitemap.xml",  # noqa: F405
                  "robots.txt": "robots.txt"}

# --- Plugins --------------------------------------------------------------------------
# pelican-precompress's compressors write a .gz beside each text file for nginx's
# gzip_static (deploy/nginx.conf), driven by newsroom/compress.py (plugins/compressed_copies:
# the plugin's own driver holds every file's bytes at once). No .br: nginx's brotli_static
# ignores them under the `disable_symlinks ... from=$document_root` the releases need
# (google/ngx_brotli#134).
PLUGINS = PLUGINS + ["compressed_copies"]  # noqa: F405
PRECOMPRESS_BROTLI = False
# An article page kept from the last build (newsroom/pagememo.py) keeps its .gz too; with
# OVERWRITE, pelican-precompress compares it with the page and leaves it if equal.
PRECOMPRESS_OVERWRITE = True
PRECOMPRESS_TEXT_EXTENSIONS = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".atom",
                               ".rss", ".webmanifest"}
