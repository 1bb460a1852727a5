"""Check every content file against the newsroom's rules, without building the site.

Usage: python tools/check_content.py [--settings pelicanconf.py] [CONTENT_DIR]

Prints one line per problem, `path:line: error|warning: message; what to do`, and exits
1 if there is any error, 0 otherwise (warnings alone do not fail). The rules are those of
`plugins/front_matter.py` (the same code Pelican's reader runs during a build), plus two
that need every file at once: two posts may not share a slug, and a file in a post or page
folder that is not `.md` (which Pelican would silently ignore) is an error. Reads files
only; never writes anything. `make check` runs it; `make hooks` installs it as a git
pre-commit hook.
"""

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "plugins"))

from pelican.settings import read_settings  # noqa: E402

import front_matter  # noqa: E402


def content_files(content_dir: str) -> list[str]:
    """Return the sorted paths of the Markdown files under `content_dir`."""
    found = []
    for folder, _dirs, files in os.walk(content_dir):
        found.extend(os.path.join(folder, f) for f in files if f.endswith((".md", ".markdown")))
    return sorted(found)


def stray_files(content_dir: str, settings: dict) -> list:
    """Return a `Problem` for each file in a post or page folder that Pelican would ignore.

    A story saved as `.txt` or `.docx` in content/news/ would silently not be published.
    Hidden files and editor backups (`~`) are skipped.
    """
    problems = []
    for sub in [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", [])]:
        for folder, _dirs, files in os.walk(os.path.join(content_dir, sub)):
            for name in files:
                if name.startswith(".") or name.endswith(("~", ".md", ".markdown")):
                    continue
                problems.append(front_matter.Problem(
                    os.path.join(folder, name), 1, "error",
                    "this file is not a .md file, so it would not be published; save the "
                    "text as a .md file (Markdown), or move the file to content/images/"))
    return problems


def check(content_dir: str, settings: dict, now=None) -> list:
    """Return every `front_matter.Problem` in `content_dir`, in file order.

    `now` (aware datetime, default the current time) decides which posts are embargoed.
    """
    settings = {**settings, "PATH": content_dir}
    problems, slugs = stray_files(content_dir, settings), {}
    for path in content_files(content_dir):
        parsed = front_matter.parse_file(path, settings, now=now)
        problems.extend(parsed.problems)
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
    problems = check(args.content, read_settings(args.settings))
    for problem in problems:
        print(front_matter.format_problem(problem))
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    if problems:
        print(f"check: {errors} error(s), {warnings} warning(s)"
              + ("; fix the errors before publishing" if errors else ""), file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
