"""Check every content file against the newsroom's rules, without building the site.

Usage: python tools/check_content.py [--settings pelicanconf.py] [CONTENT_DIR]

Prints one line per problem, `path:line: error|warning: message; what to do`, and exits
1 if there is any error, 0 otherwise (warnings alone do not fail). The rules are those of
`plugins/front_matter.py` (the same code Pelican's reader runs during a build), plus those
that need the whole folder: two posts may not share a slug; a page's file name is its
address; Markdown outside news/ and pages/, other files inside them, broken links and links
to files outside content/ are errors (Pelican would skip, or publish, them silently). Reads files
only; never writes anything. `make check` runs it; `make hooks` installs it as a git
pre-commit hook.
"""

import argparse
import fnmatch
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "plugins"))

from pelican.settings import read_settings  # noqa: E402

import front_matter  # noqa: E402


def ignored(name: str, settings: dict) -> bool:
    """True for files Pelican skips (`IGNORE_FILES`, e.g. Emacs's `.#post.md` lock files),
    hidden files and editor backups (`~`)."""
    patterns = settings.get("IGNORE_FILES") or [".#*"]
    return name.startswith(".") or name.endswith("~") or any(
        fnmatch.fnmatch(name, pattern) for pattern in patterns)


def all_files(content_dir: str, settings: dict) -> list[str]:
    """Every file under `content_dir` that Pelican reads or copies, sorted."""
    found = []
    for folder, dirs, files in os.walk(content_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(os.path.join(folder, f) for f in files if not ignored(f, settings))
    return sorted(found)


def in_folders(path: str, content_dir: str, folders: list) -> bool:
    """True if `path` lies in one of `folders` (relative to `content_dir`; "" is all of it,
    Pelican's default ARTICLE_PATHS)."""
    rel = os.path.relpath(path, content_dir).replace(os.sep, "/")
    return any(folder.strip("/.") == "" or rel.startswith(folder.rstrip("/") + "/")
               for folder in folders)


def content_files(content_dir: str, settings: dict) -> list[str]:
    """Return the sorted paths of the Markdown posts and pages (under ARTICLE_PATHS and
    PAGE_PATHS) in `content_dir`."""
    folders = [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", [])]
    return [p for p in all_files(content_dir, settings)
            if p.endswith((".md", ".markdown")) and in_folders(p, content_dir, folders)
            and os.path.isfile(p)]


def placement_problems(content_dir: str, settings: dict) -> list:
    """Problems no single file shows: Markdown outside news/ and pages/ (Pelican would copy
    it as a raw file, or skip it), other files in those folders (never published), broken
    links (symlinks) and links to files outside content/ (which would be published)."""
    problems = []
    text_folders = [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", [])]
    news = settings.get("ARTICLE_PATHS", ["news"])[0]
    root = os.path.realpath(content_dir)
    for folder, _dirs, files in os.walk(content_dir):
        for name in files:  # Pelican stops on a broken link even where it ignores the name
            path = os.path.join(folder, name)
            if os.path.islink(path) and not os.path.exists(path):
                problems.append(front_matter.Problem(
                    path, 1, "error", "this is a link to a file that does not exist (an "
                    "editor's lock file?); save and close the file, or delete the link"))
    for path in all_files(content_dir, settings):
        def error(message):
            problems.append(front_matter.Problem(path, 1, "error", message))
        if os.path.islink(path):
            target = os.path.realpath(path)
            if not os.path.exists(target):
                continue
            if not target.startswith(root + os.sep):
                error("this is a link to a file outside the content folder, which would be "
                      "published; copy the file in instead of linking to it")
                continue
        markdown = path.endswith((".md", ".markdown"))
        inside = in_folders(path, content_dir, text_folders)
        if markdown and not inside:
            error(f"a post or page outside {news}/ and pages/ is never published as one (a "
                  f"copy in images/ or extra/ would go out as a raw file); move it to "
                  f"{display(content_dir, news)}/ or {display(content_dir, 'pages')}/")
        elif inside and not markdown:
            error("this file is not a .md file, so it would not be published; save the "
                  "text as a .md file (Markdown), or move the file to content/images/")
    return problems


def display(content_dir: str, folder: str) -> str:
    return front_matter.display_path(os.path.join(content_dir, folder))


def page_problems(path: str, content_dir: str, settings: dict) -> list:
    """A page is `pages/<slug>.md`: its name is its address (`/about/`), so it must be
    lower-case words joined by hyphens, directly in pages/, and not an address the site
    itself uses (search/, news/, pagefind/...)."""
    rel = os.path.relpath(path, content_dir).replace(os.sep, "/")
    folder, _, name = rel.rpartition("/")
    slug = name.rsplit(".", 1)[0]
    message = None
    if folder not in settings.get("PAGE_PATHS", ["pages"]):
        message = f"a page must be directly in {folder.split('/')[0]}/, not in a folder below"
    elif not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        message = (f"page file name {name!r} is not lower-case words joined by hyphens; "
                   "rename it, e.g. about-us.md (the name is the page's address)")
    elif slug in RESERVED_SLUGS:
        message = (f"/{slug}/ is an address the site itself uses; rename the page, "
                   f"e.g. {slug}-page.md")
    return [front_matter.Problem(path, 1, "error", message)] if message else []


RESERVED_SLUGS = {"news", "search", "pagefind", "theme", "images", "extra", "feeds", "drafts",
                  "thumbs", "page", "tag", "category", "404"}


def check(content_dir: str, settings: dict, now=None) -> list:
    """Return every `front_matter.Problem` in `content_dir`, in file order.

    `now` (aware datetime, default the current time) decides which posts are embargoed.
    """
    settings = {**settings, "PATH": content_dir}
    problems, slugs = placement_problems(content_dir, settings), {}
    for path in content_files(content_dir, settings):
        parsed = front_matter.parse_file(path, settings, now=now)
        problems.extend(parsed.problems)
        if parsed.kind == "page":
            problems.extend(page_problems(path, content_dir, settings))
        if parsed.kind == "article":
            slug = os.path.basename(path)[11:-3]
            if slug in slugs:
                problems.append(front_matter.Problem(
                    path, 1, "error", f"slug {slug!r} is also used by "
                    f"{front_matter.display_path(slugs[slug])}; give one post another name"))
            slugs.setdefault(slug, path)
    return sorted(problems, key=lambda p: (p.path, p.line))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", default=os.path.join(ROOT, "content"))
    parser.add_argument("--settings", default=os.path.join(ROOT, "pelicanconf.py"))
    args = parser.parse_args(argv)
    settings = read_settings(args.settings)
    problems = check(args.content, settings)
    for problem in problems:
        print(front_matter.format_problem(problem))
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    if problems:
        print(f"check: {errors} error(s), {warnings} warning(s)"
              + ("; fix the errors before publishing" if errors else ""), file=sys.stderr)
    else:
        count = len(content_files(args.content, settings))
        print(f"check: {count} posts and pages, no problems", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
