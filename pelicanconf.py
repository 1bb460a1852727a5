"""Site settings for the Northvale Police Federation news site (development defaults).

`publishconf.py` imports these and overrides what production needs (absolute SITEURL,
feeds). Settings only: logic lives in `newsroom/` (used by `plugins/`). Site-specific
settings start with NEWS_.
"""

# --- Identity -------------------------------------------------------------------------
AUTHOR = "Northvale Police Federation"  # default byline when a post names no author
SITENAME = "Northvale Police Federation"
# Meta and Open Graph description of pages without one of their own (home page, 404)
NEWS_DESCRIPTION = ("News from Northvale Police Federation, the staff association for police "
                    "officers in Northvale.")
SITEURL = ""
DEFAULT_LANG = "en-GB"
TIMEZONE = "Europe/London"
# The C locale always exists and has English month names, so dates read "2 April 2025"
# on every machine (pelican-facts: month names otherwise follow the machine's locale).
LOCALE = ("C.UTF-8", "C")
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# --- Paths ----------------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
# Hidden files (macOS's ._post.md twins, Emacs's .#post.md locks) and editor backups (post.md~)
# are never read or published; newsroom.layout skips the same names.
IGNORE_FILES = [".*", "*~"]
EXTRA_PATH_METADATA = {
    "extra/favicon.svg": {"path": "favicon.svg"},
    "extra/favicon.ico": {"path": "favicon.ico"},
    # home-screen icons, made from the mark by tools/make_icons.py (site.webmanifest)
    "extra/apple-touch-icon.png": {"path": "apple-touch-icon.png"},
    "extra/icon-192.png": {"path": "icon-192.png"},
    "extra/icon-512.png": {"path": "icon-512.png"},
}
# The slug comes from the file name (news/2025-04-02-pay-award.md -> pay-award), so a
# post's URL stays stable when its headline is edited. The date comes from front matter.
FILENAME_METADATA = r"\d{4}-\d{2}-\d{2}-(?P<slug>.+)"
PATH_METADATA = r"pages/(?P<slug>[^/.]+)\.md"  # pages/about.md -> about/
DELETE_OUTPUT_DIRECTORY = False  # a failed build must never leave an empty output/
CACHE_CONTENT = False

# --- URLs -----------------------------------------------------------------------------
ARTICLE_URL = "news/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "news/{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "news/category/{slug}/"
CATEGORY_SAVE_AS = "news/category/{slug}/index.html"
TAG_URL = "news/tag/{slug}/"
TAG_SAVE_AS = "news/tag/{slug}/index.html"
ARCHIVES_URL = "news/archives/"
ARCHIVES_SAVE_AS = "news/archives/index.html"
YEAR_ARCHIVE_URL = "news/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "news/{date:%Y}/index.html"
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
# Author pages are not used: every post is by the branch unless it names a person.
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "archives", "404", "search"]
# The web app manifest (theme/templates/site.webmanifest); publishconf.py adds the sitemap.
TEMPLATE_PAGES = {"site.webmanifest": "site.webmanifest"}
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
# Drafts and embargoed (future-dated) posts are never written (pelican-facts: drafts
# are otherwise written to drafts/ and go out with every upload).
WITH_FUTURE_DATES = False
DRAFT_URL = ""
DRAFT_SAVE_AS = ""
DRAFT_LANG_URL = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_URL = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_URL = ""
DRAFT_PAGE_LANG_SAVE_AS = ""

DEFAULT_PAGINATION = 8
# Page 2 of the home page is page/2/; of a category, news/category/pay/page/2/.
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# --- Feeds (development builds have none; publishconf.py turns them on) ---------------
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# --- Theme ----------------------------------------------------------------------------
THEME = "theme"
# theme/static/ is published only under content-hashed names by plugins/asset_hashes.py
# (theme/css/site.3f2a9c1b.css), so Pelican's plain copy of it is turned off.
THEME_STATIC_PATHS = []
NEWS_ASSET_PATHS = ["static"]
# Header menu, in order: (label, URL relative to SITEURL); "" is the home page (news index).
MENUITEMS = (("News", ""), ("About", "about/"), ("Contact", "contact/"))
# Footer "About this site" links, in order, as MENUITEMS; the theme adds "News archive".
NEWS_FOOTER_LINKS = (
    ("Contact us", "contact/"),
    ("Accessibility statement", "accessibility/"),
    ("Privacy and cookies", "privacy/"),
    ("About the branch", "about/"),
)
# Browser and home-screen colours: theme-color per colour scheme (the header's
# --color-brand, and the dark --color-bg), the manifest's background (--color-bg); the
# tests compare them with theme/static/css/site.css.
NEWS_THEME_COLOR = {"light": "#0b2545", "dark": "#0e1621"}
NEWS_BACKGROUND_COLOR = "#ffffff"
NEWS_SHORT_NAME = "Northvale PF"  # under a home-screen icon (12 characters or fewer)
# Open Graph / JSON-LD image of pages without a hero: a theme asset and its size in pixels.
NEWS_LOGO = {"asset": "images/logo.png", "width": 512, "height": 512}
# Typography (typogrify) is applied by our reader (newsroom/render.py), once per text and
# inside the content cache, with Pelican's TYPOGRIFY_* settings below; Pelican's own
# TYPOGRIFY would run it again, after the reader, on every build.
TYPOGRIFY = False
NEWS_TYPOGRIFY = True
# <pre> and <code> are always skipped by typogrify; <style> and <script> too, so the
# caps filter never rewrites a hex colour (mintchaos/typogrify#54).
TYPOGRIFY_IGNORE_TAGS = ["style", "script", "kbd", "samp"]
TYPOGRIFY_DASHES = "oldschool"  # "--" is an en dash, "---" an em dash (UK usage)
# newsroom.markdown_habits: Markdown as editors type it (its docstring lists the habits);
# newsroom.markdown_quotes: a quote's "--- Name" last line is its attribution (<figcaption>),
# and a quote ending with a `{: .pull-quote}` line is a pull-quote;
# pymdownx.magiclink: bare web and email addresses become links (Python-Markdown#678);
# markdown.extensions.sane_lists: a numbered list after a bulleted one is a numbered list
# (Python-Markdown would make its items more bullets), and one starting at 3 starts at 3;
# pymdownx.saneheaders: `#PayRise` at the start of a line is a hashtag, not a heading (a
# heading needs a space after its #s, as in CommonMark 0.31 §4.2; Python-Markdown#513).
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {},
        "markdown.extensions.sane_lists": {},
        "newsroom.markdown_habits": {},
        "newsroom.markdown_quotes": {},
        "pymdownx.magiclink": {},
        "pymdownx.saneheaders": {},
    },
    "output_format": "html5",
}

# --- Plugins --------------------------------------------------------------------------
# The site's own plugins (plugins/) are thin adapters over the newsroom package: the
# front-matter reader, the HTML sanitiser (newsroom/safehtml.py), build_date, previous/next
# post (pelican-neighbors), related posts, responsive pictures and share images
# (hero_image), the data file for contact details and quick links,
# hashed assets, the search index (after the article pages are written), holding back the
# images and documents only unpublished posts use (plugins/unpublished_files.py), and
# absolute footnote links in feed entries (feed_fragments), old addresses (redirects), and the
# article pages written on every core (parallel_writer).
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["news_reader", "safe_html", "site_context", "pelican.plugins.neighbors",
           "related_posts", "hero_image", "site_data", "asset_hashes", "search_index",
           "unpublished_files", "feed_fragments", "redirects", "parallel_writer"]

# --- Site-specific ----------------------------------------------------------------------
# Bylines that are organisations, not people (JSON-LD Organization): besides SITENAME and
# any name ending in "Federation" (newsroom/metatext.py); compared ignoring case.
NEWS_ORGANISATION_BYLINES = ["Police Federation of England and Wales", "PFEW"]
# Categories an editor may use in a post's `category:` field; anything else is an error.
NEWS_CATEGORIES = ["News", "Pay", "Welfare", "Awards", "Events", "Campaigns"]
DEFAULT_CATEGORY = "News"
USE_FOLDER_AS_CATEGORY = False  # else a post without category: files under "news"
NEWS_SUMMARY_MAX_LENGTH = 300  # characters of plain text in a standfirst
# A post without summary: has its first paragraph, whole, as its standfirst in cards, feeds
# and meta descriptions (Pelican would cut its first 50 words with "…"); the article page
# shows that paragraph once, in the body (theme/templates/article.html).
SUMMARY_MAX_PARAGRAPHS = 1
SUMMARY_MAX_LENGTH = None
NEWS_RELATED_MAX = 3  # "Read more" links under an article (plugins/related_posts.py)
# Widths in pixels of the copies of every picture (hero, news card, body), each in AVIF (when
# Pillow encodes it), WebP and JPEG/PNG, never wider than the original (newsroom/images.py);
# chosen so a 375 px phone at DPR 2 gets at most 1.5x the pixels it shows: a card's picture
# (about 100 CSS px) takes 240, a hero (343 CSS px) 800; 640 serves 320 px phones.
NEWS_IMAGE_WIDTHS = (240, 480, 640, 800, 1200)
# `sizes` of the pictures in the text column: heroes and pictures in a post's body. The
# column is at most --measure (36em of 1.125rem text: 40.5rem), else the page less the
# container's padding (1rem each side, 1.5rem from 40rem); measured in Chromium.
NEWS_COLUMN_IMAGE_SIZES = ("(min-width: 43.5rem) 40.5rem, (min-width: 40rem) calc(100vw - 3rem), "
                           "calc(100vw - 2rem)")
# Open Graph / Twitter image of pages without a picture: a 1,200 x 630 branded card (the
# logo, the site name and address in DejaVu Sans, made once with Pillow and committed).
NEWS_SHARE_CARD = {"asset": "images/share-card.png", "width": 1200, "height": 630}
NEWS_SITE_DATA = "data/site.yml"  # contact details and quick links, edited by editors
# Old addresses of moved posts (a 301 to the new one) and of posts removed on purpose (410),
# edited by editors (newsroom/redirects.py, plugins/redirects.py)
NEWS_REDIRECTS = "data/redirects.yml"
# Each content file's parse and HTML, kept between builds (newsroom/cache.py), relative to
# the working folder as CACHE_PATH is; "" turns it off. `make clean` removes it.
NEWS_CACHE_PATH = ".cache/newsroom"
# Processes that read the files the cache lacks before Pelican runs (newsroom/render.py);
# None: one per core.
NEWS_READ_WORKERS = None
# Processes that write the article generator's pages (newsroom/writer.py); None: one per core.
NEWS_WRITE_WORKERS = None
NEWS_SEARCH_INDEX = True  # index the article pages with Pagefind (plugins/search_index.py)
# Articles per Pagefind bundle (newsroom/search.py): Pagefind's memory grows with the pages
# indexed at once (measured: 145 MiB for 800, 179 MiB for 1,000, 349 MiB for 2,000), while
# each bundle adds a few small requests to a reader's first search (7 bundles at 5,000).
NEWS_SEARCH_SHARD_SIZE = 800
