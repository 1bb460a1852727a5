"""The web editor's configuration: Decap CMS's `config.yml`, made from the settings and the
field table (`newsroom.fields.FIELDS`), so the form can never offer what the check refuses.

`editor_config(settings, backend)` returns the configuration as a dict (written as JSON,
which is YAML, by `newsroom.editor` and by the production build): three collections,
posts (`news`, a folder collection writing `content/news/YYYY-MM-DD-slug.md`), pages
(`pages`) and the site data (`site`, the one file `NEWS_SITE_DATA`), each field a widget
from `WIDGETS` in the table's order, which is also the order Decap writes the keys in
(the canonical front-matter form, README "Fields"). Every field of `FIELDS` must have a
widget: `editor_config` raises `KeyError` naming one that has none.

`backend` is Decap's `backend:` mapping: for `make editor`, `local_backend(port)`, the
proxy backend of `decap-server` on 127.0.0.1 (no authentication: never expose it); in
production the setting `NEWS_EDITOR_BACKEND` (docs/editing.md, "Editing on the web").

Settings read: `SITENAME`, `SITEURL`, `PATH`, `NEWS_CATEGORIES`, `DEFAULT_CATEGORY`,
`NEWS_SUMMARY_MAX_LENGTH`, `NEWS_SITE_DATA`, `NEWS_EDITOR_WORKFLOW` (Decap's editorial
workflow: draft, in review, ready).
"""

from __future__ import annotations

import html
import os

from .fields import ARTICLE, FIELDS, MAX_TITLE, PAGE, STATUSES
from .sitedata import CONTACT_REQUIRED

# Decap stores dates as typed, in the site's time zone (Europe/London): `picker_utc: false`
DATE = {"widget": "datetime", "format": "YYYY-MM-DD HH:mm", "date_format": "D MMMM YYYY",
        "time_format": "HH:mm", "picker_utc": False}
# Each field's widget, label and hint: plain words for editors who are not programmers.
WIDGETS = {
    "title": {"label": "Headline", "widget": "string",
              "hint": f"One line, at most {MAX_TITLE} characters."},
    "date": {"label": "Date and time (UK time)", **DATE, "default": "{{now}}",
             "hint": "When the post is dated. A time in the future schedules it (an "
                     "embargo): it goes live at the first build after that time."},
    "category": {"label": "Category", "widget": "select"},
    "tags": {"label": "Tags", "widget": "list", "required": False,
             "hint": "Topics, separated by commas, e.g. pay, PRB."},
    "summary": {"label": "Standfirst (summary)", "widget": "counted", "required": False,
                "hint": "One or two sentences under the headline, plain text."},
    "author": {"label": "Byline (author)", "widget": "string", "required": False,
               "hint": "Leave empty for a post by the branch."},
    "image": {"label": "Picture at the top (hero image)", "widget": "image",
              "required": False, "choose_url": False,
              "hint": "A JPEG, PNG or WebP photo, ideally 1,200 pixels wide or more."},
    "image_alt": {"label": "Picture description (alt text)", "widget": "string",
                  "required": False,
                  "hint": "Required with a picture: what it shows, for someone who cannot "
                          "see it (WCAG 2.2 success criterion 1.1.1)."},
    "image_caption": {"label": "Picture caption", "widget": "string", "required": False},
    "image_credit": {"label": "Picture credit", "widget": "string", "required": False,
                     "hint": "Who took it; shown as \"Photo: ...\"."},
    "related": {"label": "Related posts (Read more)", "widget": "relation",
                "collection": "news", "search_fields": ["title"], "value_field": "{{slug}}",
                "display_fields": ["{{title}}"], "multiple": True, "required": False,
                "hint": "Type part of a headline. Posts sharing tags fill the rest."},
    "featured": {"label": "Lead story on the home page", "widget": "boolean",
                 "required": False},
    "status": {"label": "Status", "widget": "select", "default": "draft",
               "hint": "A draft is never on the site. Published: live at the next build."},
    "modified": {"label": "Updated (date and time)", **DATE, "required": False,
                 "hint": "Only when a published story changed in substance."},
    "correction": {"label": "Correction", "widget": "text", "required": False,
                   "hint": "What was wrong and what is right, in plain words. Correct the "
                           "story too."},
    "correction_date": {"label": "Correction date", **DATE, "required": False},
}
BODY = {"name": "body", "label": "Story", "widget": "markdown", "modes": ["raw"],
        "buttons": [], "editor_components": [],
        "hint": "Markdown: a blank line between paragraphs, - for a bulleted list, > for a "
                "quote. The preview shows it as the site will."}
BODY_AFTER = "summary"  # the story comes after the standfirst in the form (not in the file)
COMMIT = "{{collection}}: {{slug}} (web editor)"  # what a commit message says when Decap commits


def local_backend(port: int) -> dict:
    """Decap's `backend:` for `decap-server` listening on 127.0.0.1:`port` (an int)."""
    return {"name": "proxy", "proxy_url": f"http://127.0.0.1:{port}/api/v1", "branch": "main"}


def _fields(kind: str, settings: dict) -> list[dict]:
    """The widgets of the fields a file of `kind` takes, in `FIELDS` order, with the body."""
    out = []
    for rule in FIELDS:
        if kind not in rule.kinds:
            continue
        field = {"name": rule.name, **WIDGETS[rule.name]}  # KeyError: a field with no widget
        if rule.name == "category":
            field["options"] = list(settings.get("NEWS_CATEGORIES") or [])
            if settings.get("DEFAULT_CATEGORY") in field["options"]:
                field["default"] = settings["DEFAULT_CATEGORY"]
        elif rule.name == "status":
            field["options"] = list(reversed(STATUSES[kind]))  # draft first
        elif rule.name == "summary":
            field["maximum"] = settings.get("NEWS_SUMMARY_MAX_LENGTH")
        out.append(field)
        if rule.name == BODY_AFTER:
            out.append(dict(BODY))
    return out


def _link_fields() -> list[dict]:
    return [{"name": "label", "label": "Text of the link", "widget": "string"},
            {"name": "url", "label": "Address (https://...)", "widget": "string"}]


def site_data_fields() -> list[dict]:
    """The widgets of `data/site.yml`: contact details, quick links and follow links, in
    the order `newsroom.sitedata` reads them (the file has no comments: Decap drops them)."""
    contact = [{"name": n, "label": label, "widget": "string",
                "required": n in CONTACT_REQUIRED}
               for n, label in (("name", "Office name"), ("address", "Postal address"),
                                ("phone", "Telephone"), ("email", "Email"),
                                ("hours", "Opening hours"))]
    return [
        {"name": "contact", "label": "Contact details", "widget": "object",
         "fields": contact},
        {"name": "quick_links", "label": "Quick links", "widget": "list",
         "fields": _link_fields()},
        {"name": "follow", "label": "Follow us (optional)", "widget": "object",
         "required": False, "fields": [
             {"name": "newsletter", "label": "Newsletter sign-up page (https://...)",
              "widget": "string", "required": False},
             {"name": "social", "label": "Social media profiles", "widget": "list",
              "required": False, "fields": _link_fields()}]},
    ]


def editor_config(settings: dict, backend: dict) -> dict:
    """Decap's configuration for this site (module docstring); `backend` as Decap's."""
    content = os.path.relpath(settings["PATH"]).replace(os.sep, "/")
    config = {
        "backend": {**backend, "commit_messages": {
            "create": "Create " + COMMIT, "update": "Update " + COMMIT,
            "delete": "Delete " + COMMIT, "uploadMedia": "Upload {{path}} (web editor)",
            "deleteMedia": "Delete {{path}} (web editor)"}},
        "locale": "en",
        "site_url": settings.get("SITEURL") or None,
        "media_folder": f"{content}/images", "public_folder": "images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            {"name": "news", "label": "News posts", "label_singular": "post",
             "folder": f"{content}/news", "create": True, "extension": "md",
             "format": "frontmatter", "slug": "{{year}}-{{month}}-{{day}}-{{slug}}",
             "identifier_field": "title", "summary": "{{title}} ({{status}}, {{date}})",
             "sortable_fields": ["date", "title"],
             "view_filters": [{"label": "Drafts", "field": "status", "pattern": "draft"}],
             "fields": _fields(ARTICLE, settings)},
            {"name": "pages", "label": "Pages", "label_singular": "page",
             "folder": f"{content}/pages", "create": True, "extension": "md",
             "format": "frontmatter", "slug": "{{slug}}", "identifier_field": "title",
             "fields": _fields(PAGE, settings)},
            {"name": "site", "label": "Contact details and links", "files": [
                {"name": "site", "label": "Contact details, quick links, follow links",
                 "file": settings["NEWS_SITE_DATA"], "format": "yml",
                 "fields": site_data_fields()}]},
        ],
    }
    if not config["site_url"]:
        del config["site_url"]
    if settings.get("NEWS_EDITOR_WORKFLOW"):
        config["publish_mode"] = "editorial_workflow"
    return config


def admin_page(settings: dict) -> str:
    """The editor's page, /admin/: Decap's bundle (decap/), then editor/editor.js (our
    widgets, preview and check). `noindex`; not linked from the site. It has no `</head>`
    (optional in HTML): livereload adds its reload script before one, and the editor must
    not reload while an editor types."""
    name = html.escape(settings.get("SITENAME") or "the site")
    return ("<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
            f"<title>Web editor: {name}</title>\n"
            "<link rel=\"stylesheet\" href=\"editor.css\">\n"
            "<body>\n<script src=\"decap/decap-cms.js\"></script>\n"
            "<script src=\"editor.js\"></script>\n</body>\n</html>\n")
