"""The site's layout: where content files live and what their names mean.

The one place that knows the rule file name ⇄ slug ⇄ date ⇄ URL ⇄ output path. A post is
`<ARTICLE_PATHS[0]>/YYYY-MM-DD-slug.md` (content/news/2025-04-02-pay-award.md); its slug
comes from the file name by `FILENAME_METADATA` (so the address survives a new headline),
its date from the front matter, and its address and output file from `ARTICLE_URL` and
`ARTICLE_SAVE_AS` (news/2025/04/pay-award/). A page is `<PAGE_PATHS[0]>/slug.md`
(content/pages/about.md, address about/, `PATH_METADATA`). Everything is read from
Pelican's settings dict; nothing here reads a file's contents.
"""

from __future__ import annotations

import datetime
import fnmatch
import os
import re

from .dates import parse_date

MARKDOWN_EXTENSIONS = (".md", ".markdown")
# A post's file name as editors must write it: the slug in lower-case words and digits.
STRICT_POST_NAME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
PAGE_SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Addresses the site itself uses at its root, so no page may take them.
RESERVED_SLUGS = frozenset({"news", "search", "pagefind", "theme", "images", "extra", "feeds",
                            "drafts", "thumbs", "page", "tag", "category", "404"})


# `Layout.posts_by_slug`'s listings: (layout key) -> (folders, their state, slug -> file).
_slug_indexes: dict[tuple, tuple[list[str], list, dict[str, str]]] = {}


def _folder_state(folders: list[str]) -> list:
    """What tells whether a listing of `folders` is still true: each one's inode and
    modification time (ns), or None for a folder that is gone."""
    state = []
    for folder in folders:
        try:
            info = os.stat(folder)
        except OSError:
            state.append(None)
            continue
        state.append((info.st_ino, info.st_mtime_ns, info.st_ctime_ns))
    return state


class Layout:
    """The layout of one site, from Pelican's `settings` (PATH, ARTICLE_PATHS, PAGE_PATHS,
    FILENAME_METADATA, ARTICLE_URL, ARTICLE_SAVE_AS, IGNORE_FILES).

    Paths given to and returned by its methods are strings as `os.path` builds them under
    `self.root` (the content folder, `PATH`).
    """

    def __init__(self, settings: dict):
        self.root = settings["PATH"]
        self.article_paths = list(settings["ARTICLE_PATHS"])
        self.page_paths = list(settings["PAGE_PATHS"])
        self.news_folder = self.article_paths[0] if self.article_paths else ""
        self.pages_folder = self.page_paths[0] if self.page_paths else "pages"
        self.slug_re = re.compile(settings["FILENAME_METADATA"])
        self.article_url = settings["ARTICLE_URL"]
        self.article_save_as = settings["ARTICLE_SAVE_AS"]
        self.page_url = settings.get("PAGE_URL", "{slug}.html")
        self.ignore_patterns = settings.get("IGNORE_FILES") or [".#*"]
        self.site_files = frozenset(settings.get("EXTRA_PATH_METADATA") or {})  # favicons

    # --- names ---------------------------------------------------------------------------

    def relative(self, path: str) -> str:
        """`path` relative to the content folder, with "/" separators."""
        return os.path.relpath(os.path.abspath(path), os.path.abspath(self.root)).replace(
            os.sep, "/")

    def post_slug(self, path: str) -> str | None:
        """The slug a post's file name gives ("2025-04-02-pay-award.md" -> "pay-award"), or
        None if the name does not follow `FILENAME_METADATA` or that has no `slug` group
        (Pelican's default takes only the date)."""
        stem, ext = os.path.splitext(os.path.basename(path))
        m = self.slug_re.fullmatch(stem)
        return m.groupdict().get("slug") if m and ext in MARKDOWN_EXTENSIONS else None

    def post_file(self, date: datetime.date, slug: str) -> str:
        """The path of the post for `date` and `slug` (content/news/2025-04-02-slug.md)."""
        return os.path.join(self.root, self.news_folder, f"{date:%Y-%m-%d}-{slug}.md")

    @staticmethod
    def post_name_date(path: str) -> tuple[datetime.date | None, str | None]:
        """The date a post's file name starts with ("2025-04-02-pay-award.md" -> 2 April
        2025): `(date, None)`; `(None, message)` if it is no real date ("2025-13-45-x.md");
        `(None, None)` if the name does not start with YYYY-MM-DD-. The rule is
        `newsroom.dates.parse_date`'s, so the file name and `date:` agree on what a date is."""
        m = re.match(r"(\d{4}-\d{2}-\d{2})-", os.path.basename(path))
        if not m:
            return None, None
        when, message = parse_date(m[1], datetime.UTC)
        return (when.date(), None) if when else (None, message)

    def page_address(self, path: str) -> str:
        """The site-relative address of a page (pages/about.md -> about/), `PAGE_URL`."""
        slug = os.path.splitext(os.path.basename(path))[0]
        return self.page_url.format(slug=slug)

    @staticmethod
    def strict_post_name(name: str) -> bool:
        """True if `name` is YYYY-MM-DD-slug.md with a slug of lower-case words and digits."""
        return bool(STRICT_POST_NAME_RE.match(name))

    def article_page(self, date: datetime.datetime, slug: str) -> str:
        """The output path of an article's page (news/2025/04/pay-award/index.html)."""
        return self.article_save_as.format(date=date, slug=slug)

    def article_address(self, date: datetime.datetime, slug: str) -> str:
        """The site-relative address of an article (news/2025/04/pay-award/)."""
        return self.article_url.format(date=date, slug=slug)

    # --- kinds ---------------------------------------------------------------------------

    def in_folders(self, path: str, folders: list[str]) -> bool:
        """True if `path` lies in one of `folders` (relative to the content folder; "" is
        all of it, Pelican's default ARTICLE_PATHS)."""
        rel = self.relative(path)
        return any(f.strip("/.") == "" or rel.startswith(f.rstrip("/") + "/") for f in folders)

    def kind(self, path: str) -> str:
        """"page" if `path` lies under `PAGE_PATHS`, else "article"."""
        return "page" if self.in_folders(path, self.page_paths) else "article"

    def is_text_folder(self, path: str) -> bool:
        """True if `path` lies where Pelican reads posts and pages (ARTICLE_PATHS, PAGE_PATHS)."""
        return self.in_folders(path, self.article_paths + self.page_paths)

    # --- listing -------------------------------------------------------------------------

    def ignored(self, name: str) -> bool:
        """True for files Pelican skips (`IGNORE_FILES`, e.g. Emacs's `.#post.md` lock
        files), hidden files and editor backups (`~`)."""
        return name.startswith(".") or name.endswith("~") or any(
            fnmatch.fnmatch(name, pattern) for pattern in self.ignore_patterns)

    def all_files(self) -> list[str]:
        """Every file under the content folder that Pelican reads or copies, sorted."""
        return self._listing()[0]

    def _listing(self) -> tuple[list[str], list[str]]:
        """`all_files`, and the folders listed to find them (the content folder first)."""
        found, folders = [], []
        for folder, dirs, files in os.walk(self.root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            folders.append(folder)
            found.extend(os.path.join(folder, f) for f in files if not self.ignored(f))
        return sorted(found), folders

    def content_files(self) -> list[str]:
        """The Markdown posts and pages (under ARTICLE_PATHS and PAGE_PATHS), sorted."""
        return [p for p in self.all_files()
                if p.endswith(MARKDOWN_EXTENSIONS) and self.is_text_folder(p)
                and os.path.isfile(p)]

    def post_files(self) -> list[str]:
        """The Markdown posts (content files that are not pages), sorted."""
        return [p for p in self.content_files() if self.kind(p) == "article"]

    def posts_by_slug(self) -> dict[str, str]:
        """Map each post slug to its file. If two files share a slug, the first in path
        order wins (`newsroom.check` reports the clash). Callers must not change it.

        Listed once per content folder, layout and process, and listed again only when a
        folder it listed changed (adding, removing or renaming a file changes its folder's
        modification time), as `newsroom.source.read` reads a file again once it changed:
        the check and the reader look up every post's `related:` in it (issue 11: listing
        the folder for each post made both quadratic)."""
        key = (os.path.abspath(self.root), tuple(self.article_paths), tuple(self.page_paths),
               self.slug_re.pattern, tuple(self.ignore_patterns))
        cached = _slug_indexes.get(key)
        if cached and _folder_state(cached[0]) == cached[1]:
            return cached[2]
        files, folders = self._listing()
        found: dict[str, str] = {}
        for path in files:
            if (path.endswith(MARKDOWN_EXTENSIONS) and self.is_text_folder(path)
                    and self.kind(path) == "article" and os.path.isfile(path)):
                slug = self.post_slug(path)
                if slug:
                    found.setdefault(slug, path)
        _slug_indexes[key] = (folders, _folder_state(folders), found)
        return found

    def display(self, folder: str) -> str:
        """A folder of the content folder as an editor should write it (content/news)."""
        rel = os.path.relpath(os.path.join(self.root, folder))
        return os.path.join(self.root, folder) if rel.startswith("..") else rel
