"""Addresses that keep working: the pages and nginx maps of `newsroom.redirects`.

A generator (Pelican `get_generators`) that, after the articles and pages are read, checks
the redirects file against the addresses Pelican will write (each problem logged as
`data/redirects.yml:LINE: error: ...`, so `--fatal` fails the build; entries with a problem
are skipped, so a live page is never overwritten) and writes:

- at each moved post's old address, `redirect.html` (a page that leads to the new one);
- at each gone address, and as `410.html`, `gone.html` ("this story has been removed");
- `_nginx/moved.map` and `_nginx/gone.map`, the `map` lines deploy/nginx.conf includes for
  a real 301 and 410 (the folder is not served).

Settings read: `NEWS_REDIRECTS` (the file's path, relative to the working directory, as
`NEWS_SITE_DATA`; unset: nothing is written), `RELATIVE_URLS`.
"""

import logging
import os

from pelican import signals
from pelican.generators import Generator

from newsroom.problems import format_problem
from newsroom.redirects import address_problems, gone_map, load_redirects, moved_map, page_of

logger = logging.getLogger(__name__)
MAP_FOLDER = "_nginx"


class RedirectsGenerator(Generator):
    """Writes the redirect and removed-story pages and the nginx maps (module docstring)."""

    def generate_output(self, writer) -> None:
        if not self.settings.get("NEWS_REDIRECTS"):
            return
        found, problems = load_redirects(self.settings["NEWS_REDIRECTS"])
        pages = self.context.get("pages", []) + self.context.get("hidden_pages", [])
        titles = {a.url: a.title for a in self.context.get("articles", [])}
        titles.update({p.url: p.title for p in pages})
        wrong = address_problems(found, set(titles))
        for problem in problems + wrong:
            logger.error("%s", format_problem(problem))
        bad = {p.line for p in wrong}
        found.moved = {o: v for o, v in found.moved.items() if v[1] not in bad}
        found.gone = {a: line for a, line in found.gone.items() if line not in bad}
        relative = self.settings.get("RELATIVE_URLS", False)
        for old, (new, _line) in found.moved.items():
            writer.write_file(page_of(old), self.get_template("redirect"), self.context,
                              relative_urls=relative, new_address=new, new_title=titles[new])
        for address in [*found.gone, *(["410.html"] if found.gone else [])]:
            name = address if address.endswith(".html") else page_of(address)
            writer.write_file(name, self.get_template("gone"), self.context,
                              relative_urls=relative)
        folder = os.path.join(self.output_path, MAP_FOLDER)
        os.makedirs(folder, exist_ok=True)
        for name, text in (("moved.map", moved_map(found)), ("gone.map", gone_map(found))):
            with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
                handle.write(text)


def get_generators(pelican_object):
    """Pelican `get_generators`: add RedirectsGenerator after the article and page ones."""
    del pelican_object
    return RedirectsGenerator


def register():
    signals.get_generators.connect(get_generators)
