"""The branch's contact details, quick links and follow links, from a YAML data file an
editor can change.

`load_site_data(path)` returns `site_data` (a dict) and the problems found:

- `contact`: {"name", "phone", "phone_href", "email", "address", "hours"}: text; `address`
  and `hours` may be missing; `phone_href` is the `tel:` URL made from `phone`.
- `quick_links`: a list of {"label": text, "url": absolute http(s) URL}, in file order.
- `follow`: {"newsletter": https URL or "", "social": a list of {"label": text, "url":
  https URL}}: the optional `follow:` section, shown as plain links in the footer's "Follow
  us" with the feeds (no embeds, no scripts: nothing is loaded from those sites). Only
  https is accepted there: a reader's browser goes to them straight from the footer.

Every value is read as text (YAML's BaseLoader, as the front-matter reader does). Problems
are `Problem`s (`data/site.yml:LINE: error: what is wrong; what to do`), and `site_data`
then holds whatever was valid. The `site_data` plugin puts it in every page.
"""

from __future__ import annotations

import difflib
import re
from urllib.parse import urlsplit

import yaml

from .fields import HTML_TAG_RE
from .frontmatter import decode, deep_bracket_line, yaml_advice
from .problems import ERROR, Findings, Problem
from .safehtml import plain_text

CONTACT_FIELDS = ("name", "phone", "email", "address", "hours")
CONTACT_REQUIRED = ("name", "phone", "email")
LINK_FIELDS = ("label", "url")
FOLLOW_FIELDS = ("newsletter", "social")
SECTIONS = ("contact", "quick_links", "follow")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{5,}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SiteDataError(ValueError):
    """One problem in the data file; `line` is 1-based."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def phone_href(phone: str) -> str:
    """Return the `tel:` URL of a phone number as written: "01632 960 123" -> "tel:01632960123"."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def _scalar(node, where: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise SiteDataError(node.start_mark.line + 1, f"{where} must be plain text")
    return node.value.strip()


def _mapping(node, where: str, allowed: tuple, required: tuple,
             problems: list[SiteDataError]) -> dict:
    """Return {field: (text, line)} for a YAML mapping node, checking its field names
    (raises SiteDataError). A value with HTML in it adds a problem to `problems` and is
    kept as its plain text (templates escape these values; this is for a build that skips
    the check)."""
    if not isinstance(node, yaml.MappingNode):
        raise SiteDataError(node.start_mark.line + 1,
                            f"{where} must be a list of 'field: value' lines")
    fields = {}
    for key_node, value_node in node.value:
        key, line = str(key_node.value).strip(), key_node.start_mark.line + 1
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
            raise SiteDataError(line, f"unknown field '{key}' in {where}; {hint}")
        value = _scalar(value_node, f"'{key}' in {where}")
        if key != "url" and (tag := HTML_TAG_RE.search(value)):  # urls: _quick_links
            problems.append(SiteDataError(value_node.start_mark.line + 1, (
                f"'{key}' in {where} contains HTML ({tag.group(0)!r}); write plain text "
                "(the site sets how it looks and where it links)")))
            value = plain_text(value).strip()
        fields[key] = (value, line)
    for key in required:
        if not fields.get(key, ("", 0))[0]:
            raise SiteDataError(node.start_mark.line + 1,
                                f"{where} has no '{key}'; add a line '{key}: ...' to it")
    return fields


def _contact(sections: dict, problems: list[SiteDataError]) -> dict:
    """The contact details from the `contact:` section node; raises SiteDataError."""
    if "contact" not in sections:
        raise SiteDataError(1, "there is no 'contact:' section; add one with name, phone and "
                               "email")
    contact = _mapping(sections["contact"], "contact", CONTACT_FIELDS, CONTACT_REQUIRED,
                       problems)
    phone, line = contact["phone"]
    if not PHONE_RE.match(phone):
        raise SiteDataError(line, f"phone {phone!r} is not a phone number; write digits and "
                                  "spaces, e.g. 01632 960 123")
    email, line = contact["email"]
    if not EMAIL_RE.match(email):
        raise SiteDataError(line, f"email {email!r} is not an email address; write it as "
                                  "name@example.org")
    details = {k: v for k, (v, _line) in contact.items() if v}
    details["phone_href"] = phone_href(phone)
    return details


def _quick_links(links, problems: list[SiteDataError]) -> list[dict]:
    """The valid links of the `quick_links:` section node (or None); each invalid one adds a
    problem."""
    if links is not None and not isinstance(links, yaml.SequenceNode):
        problems.append(SiteDataError(links.start_mark.line + 1, "quick_links must be a list "
                                      "of links, each starting with '- label: ...'"))
        return []
    found = []
    for number, node in enumerate(links.value if links else [], start=1):
        try:
            link = _mapping(node, f"quick link {number}", LINK_FIELDS, LINK_FIELDS, problems)
            url, line = link["url"]
            _web_address(url, line, ("https", "http"))
            found.append({"label": link["label"][0], "url": url})
        except SiteDataError as exc:
            problems.append(exc)
    return found


def _web_address(url: str, line: int, schemes: tuple) -> None:
    """Raise SiteDataError unless `url` is an absolute address with one of `schemes`."""
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.netloc:
        secure = " (https only here)" if schemes == ("https",) else ""
        raise SiteDataError(line, f"url {url!r} is not a full web address{secure}; write it "
                                  "with https://, e.g. https://www.polfed.org/")


def _follow(node, problems: list[SiteDataError]) -> dict:
    """The valid parts of the optional `follow:` section node (or None): a newsletter
    sign-up address and social profile links, https only; each invalid part adds a
    problem."""
    follow = {"newsletter": "", "social": []}
    if node is None or (isinstance(node, yaml.ScalarNode) and not node.value.strip()):
        return follow
    if not isinstance(node, yaml.MappingNode):
        problems.append(SiteDataError(node.start_mark.line + 1, "follow must hold "
                                      "'newsletter: https://...' and/or 'social:' lines"))
        return follow
    for key_node, value_node in node.value:
        key, line = str(key_node.value).strip(), key_node.start_mark.line + 1
        try:
            if key == "newsletter":
                url = _scalar(value_node, "'newsletter' in follow")
                _web_address(url, value_node.start_mark.line + 1, ("https",))
                follow["newsletter"] = url
            elif key == "social":
                follow["social"] = _social(value_node, problems)
            else:
                close = difflib.get_close_matches(key, FOLLOW_FIELDS, n=1, cutoff=0.6)
                hint = (f"did you mean '{close[0]}'?" if close
                        else "allowed: " + ", ".join(FOLLOW_FIELDS))
                raise SiteDataError(line, f"unknown field '{key}' in follow; {hint}")
        except SiteDataError as exc:
            problems.append(exc)
    return follow


def _social(node, problems: list[SiteDataError]) -> list[dict]:
    """The valid links of `follow:`'s `social:` list node; each invalid one adds a problem."""
    if not isinstance(node, yaml.SequenceNode):
        raise SiteDataError(node.start_mark.line + 1, "social must be a list of links, each "
                            "starting with '- label: ...' and a 'url: https://...' line")
    found = []
    for number, item in enumerate(node.value, start=1):
        try:
            link = _mapping(item, f"social link {number}", LINK_FIELDS, LINK_FIELDS, problems)
            url, line = link["url"]
            _web_address(url, line, ("https",))
            found.append({"label": link["label"][0], "url": url})
        except SiteDataError as exc:
            problems.append(exc)
    return found


def parse_site_data(text: str) -> tuple[dict, list[SiteDataError]]:
    """Read the data file's `text`; return (site_data, problems).

    `site_data` has the shape given in the module docstring and holds every valid part;
    `problems` lists a `SiteDataError` (line, message) for each part that is not.
    """
    data: dict = _empty()
    problems: list[SiteDataError] = []
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # the advice editors get for front matter: tabs, quotes, colons, lists
        return data, [SiteDataError((mark.line + 1) if mark else 1,
                                    yaml_advice(exc, text, mark))]
    except RecursionError:  # PyYAML composes nested [ { recursively (thousands deep)
        return data, [SiteDataError(deep_bracket_line(text),
                                    "brackets [ or { are nested far too deep here; write the "
                                    "sections as in the example: 'name: value' lines, '- ' "
                                    "before each quick link")]
    if not isinstance(root, yaml.MappingNode):
        return data, [SiteDataError(1, "the file must have a 'contact:' and a "
                                       "'quick_links:' section")]
    sections = {}
    for key_node, value_node in root.value:
        name = str(key_node.value).strip()
        sections[name] = value_node
        if name not in SECTIONS:
            problems.append(SiteDataError(key_node.start_mark.line + 1,
                                          f"unknown section '{name}'; the sections are "
                                          "contact, quick_links and follow"))
    try:
        data["contact"] = _contact(sections, problems)
    except SiteDataError as exc:
        problems.append(exc)
    data["quick_links"] = _quick_links(sections.get("quick_links"), problems)
    data["follow"] = _follow(sections.get("follow"), problems)
    return data, problems


def _empty() -> dict:
    """`site_data` with nothing in it: no contact details, no links."""
    return {"contact": {}, "quick_links": [], "follow": {"newsletter": "", "social": []}}


def load_site_data(path: str) -> tuple[dict, list[Problem]]:
    """Read and check the data file at `path`; return `(site_data, problems)`, the problems
    sorted by line. A missing or unreadable file is one error and gives empty contact
    details and no quick links."""
    found = Findings(path)
    try:
        with open(path, "rb") as fh:
            text = decode(fh.read(), found)  # UTF-8, line endings, control characters
    except OSError as exc:
        return _empty(), [Problem(
            path, 1, ERROR, f"cannot read the site data file ({exc}); it holds the contact "
            "details and quick links (NEWS_SITE_DATA, read from the working directory: run "
            "pelican from the repository root)")]
    data, problems = parse_site_data(text) if text is not None else (_empty(), [])
    return data, sorted([*found, *(Problem(path, p.line, ERROR, str(p)) for p in problems)],
                        key=lambda p: p.line)
