"""The newsroom: the rules and commands of the federation's news site.

Pelican builds the site; this package is what makes it ours. Each concern has one module:

- `layout`: file name ⇄ slug ⇄ date ⇄ URL ⇄ output path, read from the settings;
- `problems`: the `path:line: level: message; what to do` type editors see;
- `frontmatter`, `dates`, `fields`, `body`, `paste`, `links`: one file's rules;
- `markdown_habits`: the Python-Markdown extension for Markdown as editors type it;
- `safehtml`: the one allowlist of HTML readers get (nh3), and `rawhtml`, the check's
  report of what it would remove;
- `source`: one parse per file per process, shared by the check and the Pelican reader;
- `cache`, `render`: each file's parse and HTML (Markdown, typography) kept between builds
  in the content cache, and made for the files it lacks in a process pool;
- `check`, `new`, `status`, `build`, `devserver`: the editors' commands (`python -m
  newsroom.<name>`, wrapped by `make`);
- `related`, `images`, `sitedata`, `assets`, `search`, `withheld`, `feeds`: what the plugins
  in `plugins/` compute;
- `redirects`: the moved and gone addresses of data/redirects.yml (checked, and made into
  pages and nginx maps by plugins/redirects.py);
- `deploy`: releases on a target, switch, rollback.

docs/architecture.md follows one post through them.
"""
