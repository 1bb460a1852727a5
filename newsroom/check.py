"""Check every content file against the newsroom's rules, without building: `make check`.

Usage: python -m newsroom.check [--settings pelicanconf.py] [CONTENT_DIR]

Prints one line per problem, `path:line: error|warning: message; what to do`, and exits 1
if there is any error, 0 otherwise (warnings alone do not fail). Each file's own rules are
`newsroom.source` (the same code the Pelican reader runs during a build); the rules here
need the whole folder: two posts may not share a slug; a page's file name is its address;
Markdown outside news/ and pages/, other files inside them, broken links and links to files
outside content/ are errors (Pelican would skip, or publish, them silently); and the site
data file (`NEWS_SITE_DATA`, data/site.yml) and the redirects file (`NEWS_REDIRECTS`,
data/redirects.yml, `newsroom.redirects`) are checked too. Reads files
only; never writes anything. `make html` runs it first; `make hooks` installs it as a git
pre-commit hook.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys

from pelican.settings import read_settings

from .layout import PAGE_SLUG_RE, RESERVED_SLUGS, Layout
from . import redirects
from .problems import ERROR, Findings, Problem, display_path, format_problem
from .sitedata import load_site_data
from .source import parse_file


def placement_problems(layout: Layout) -> list[Problem]:
    """Problems no single file shows: Markdown outside the post and page folders (Pelican
    would copy it as a raw file, draft or embargo included), other files in those folders
    (never published), broken links (symlinks) and links to files outside content/ (which
    would be published)."""
    problems: list[Problem] = []
    root = os.path.realpath(layout.root)
    for folder, _dirs, files in os.walk(layout.root):
        for name in files:  # Pelican stops on a broken link even where it ignores the name
            path = os.path.join(folder, name)
            if os.path.islink(path) and not os.path.exists(path):
                problems.append(Problem(path, 1, ERROR, "this is a link to a file that does "
                                        "not exist (an editor's lock file?); save and close "
                                        "the file, or delete the link"))
    for path in layout.all_files():
        found = Findings(path)
        markdown, inside = path.endswith((".md", ".markdown")), layout.is_text_folder(path)
        target = os.path.realpath(path)
        if os.path.islink(path) and not os.path.exists(target):
            continue
        if os.path.islink(path) and not target.startswith(root + os.sep):
            found.error(1, "this is a link to a file outside the content folder, which would be "
                        "published; copy the file in instead of linking to it")
        elif markdown and not inside:
            found.error(1, f"a post or page outside {layout.news_folder}/ and pages/ is never "
                        "published as one (a copy in images/ or extra/ would go out as a raw "
                        f"file); move it to {layout.display(layout.news_folder)}/ or "
                        f"{layout.display('pages')}/")
        elif inside and not markdown:
            found.error(1, "this file is not a .md file, so it would not be published; save "
                        "the text as a .md file (Markdown), or move the file to content/images/")
        elif not inside and (message := static_type_problem(path, layout)):
            found.error(1, message)
        problems += found
    return problems


# Files editors may publish from content/images/ and the other static folders: pictures
# browsers show and documents. Anything else would be served from the site's own address
# without the theme or the checks: an .svg or .html file can run a script there.
STATIC_TYPES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".pdf", ".doc",
                          ".docx", ".odt", ".rtf", ".txt", ".csv", ".xls", ".xlsx", ".ods",
                          ".ppt", ".pptx", ".odp"})


def static_type_problem(path: str, layout: Layout) -> str | None:
    """The message for a static file of a type editors may not publish, else None. The
    site's own files named in `EXTRA_PATH_METADATA` (favicons) are allowed."""
    extension = os.path.splitext(path)[1].lower()
    if extension in STATIC_TYPES or layout.relative(path) in layout.site_files:
        return None
    if extension == ".svg":
        return ("an SVG file can hold a script that would run on the site's own address; "
                "export the picture as PNG or JPEG instead")
    if extension in (".tif", ".tiff", ".bmp", ".heic", ".psd"):
        return (f"browsers do not show {extension} pictures; save it as JPEG (photos) or "
                "PNG (graphics)")
    return (f"a {extension or 'file without an extension'} file is not published from here: "
            "the folder holds pictures (JPEG, PNG, GIF, WebP) and documents (PDF, Word, "
            "Excel, text); for a page of the site write content/pages/<name>.md")


def page_problems(path: str, layout: Layout) -> list[Problem]:
    """A page is `pages/<slug>.md`: its name is its address (`/about/`), so it must be
    lower-case words joined by hyphens, directly in pages/, and not an address the site
    itself uses (search/, news/, pagefind/...)."""
    folder, _, name = layout.relative(path).rpartition("/")
    slug = name.rsplit(".", 1)[0]
    found = Findings(path)
    if folder not in layout.page_paths:
        found.error(1, f"a page must be directly in {folder.split('/')[0]}/, not in a folder "
                    "below")
    elif not PAGE_SLUG_RE.fullmatch(slug):
        found.error(1, f"page file name {name!r} is not lower-case words joined by hyphens; "
                    "rename it, e.g. about-us.md (the name is the page's address)")
    elif slug in RESERVED_SLUGS:
        found.error(1, f"/{slug}/ is an address the site itself uses; rename the page, "
                    f"e.g. {slug}-page.md")
    return list(found)


def check(content_dir: str, settings: dict, now: datetime.datetime | None = None) -> list:
    """Return every `Problem` in `content_dir`, sorted by file and line.

    `settings` is Pelican's settings dict (its `PATH` is replaced by `content_dir`); `now`
    (aware, default the current time) decides which linked posts are embargoed.
    """
    settings = {**settings, "PATH": content_dir}
    layout = Layout(settings)
    problems, slugs = placement_problems(layout), {}
    if settings.get("NEWS_SITE_DATA"):  # contact details and quick links (data/site.yml)
        problems += load_site_data(settings["NEWS_SITE_DATA"])[1]
    if settings.get("NEWS_REDIRECTS"):  # old addresses of moved and removed posts
        problems += redirects.check_file(settings, now)
    for path in layout.content_files():
        parsed = parse_file(path, settings, now=now)
        problems.extend(parsed.problems)
        if parsed.kind == "page":
            problems.extend(page_problems(path, layout))
            continue
        slug = layout.post_slug(path)
        if slug is None:
            continue
        if slug in slugs:
            problems.append(Problem(parsed.path, 1, ERROR, f"slug {slug!r} is also used by "
                                    f"{display_path(slugs[slug])}; give one post another name"))
        slugs.setdefault(slug, parsed.path)
    return sorted(problems, key=lambda p: (os.path.abspath(p.path), p.line))


def report(problems: list, count: int, out=sys.stdout, err=sys.stderr) -> int:
    """Print `problems` one per line to `out` and a summary (of `count` files when there is
    no problem) to `err`; return the exit status: 1 if any is an error, else 0."""
    for problem in problems:
        print(format_problem(problem), file=out)
    n_errors = sum(p.level == ERROR for p in problems)
    if problems:
        print(f"check: {n_errors} error(s), {len(problems) - n_errors} warning(s)"
              + ("; fix the errors before publishing" if n_errors else ""), file=err)
    else:
        print(f"check: {count} posts and pages, no problems", file=err)
    return 1 if n_errors else 0


def main(argv: list[str] | None = None) -> int:
    """`make check`: see the module docstring. Returns the exit status."""
    parser = argparse.ArgumentParser(prog="check", description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", default="content")
    parser.add_argument("--settings", default="pelicanconf.py")
    args = parser.parse_args(argv)
    settings = read_settings(args.settings)
    problems = check(args.content, settings)
    return report(problems, len(Layout({**settings, "PATH": args.content}).content_files()))


if __name__ == "__main__":
    sys.exit(main())
