"""Theme components rendered alone, from example parameters (the GOV.UK component discipline).

Each macro in theme/templates/components/ takes explicit parameters and reads nothing from
Pelican's context, so it renders here with a bare Jinja environment set up as Pelican sets
it up (trim_blocks, lstrip_blocks, no autoescaping).
"""

import datetime
import types
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import jinja2
import pytest
from bs4 import BeautifulSoup
from pelican.paginator import PaginationRule, Paginator

from conftest import ROOT

ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "theme/templates"),
                         trim_blocks=True, lstrip_blocks=True)
WHEN = datetime.datetime(2025, 4, 2, 9, 30, tzinfo=ZoneInfo("Europe/London"))


def render(component, *args, **kwargs):
    macro = getattr(ENV.get_template(f"components/{component}.html").module, component)
    return BeautifulSoup(str(macro(*args, **kwargs)), "html5lib")


def post(slug, title, **extra):
    return types.SimpleNamespace(**{
        "url": f"news/2025/04/{slug}/", "title": title, "summary": "<p>The standfirst.</p>",
        "date": WHEN, "locale_date": "2 April 2025", "thumbnail": None,
        "category": types.SimpleNamespace(name="Pay & conditions", url="news/category/pay/"),
        **extra})


def test_article_card():
    html = render("article_card", post("pay", "Pay <span class=\"caps\">PRB</span>"), "")
    card = html.find("article", class_="article-card")
    link = card.find("h2").find("a")
    assert link["href"] == "/news/2025/04/pay/" and link.get_text() == "Pay PRB"
    assert card.find("time")["datetime"] == "2025-04-02T09:30:00+01:00"
    assert "Pay & conditions" in card.get_text() and "&amp;" not in card.get_text()
    assert card.find("img") is None and "article-card--with-image" not in card["class"]

    pictured = post("pic", "Pictured", thumbnail="thumbs/images/a-400w.jpg", thumbnail_width=400,
                    thumbnail_height=225, image_alt='A "camera" & strap')
    card = render("article_card", pictured, "https://x.example", heading_level=3).article
    img = card.find("img")
    assert img["src"] == "https://x.example/thumbs/images/a-400w.jpg"
    assert (img["width"], img["height"], img["alt"]) == ("400", "225", 'A "camera" & strap')
    assert card.find("h3") and "article-card--with-image" in card["class"]


@pytest.mark.parametrize("number, expected", [
    (1, ["1", "2", "…", "5", "Next page"]),
    (3, ["Previous page", "1", "2", "3", "4", "5", "Next page"]),
    (5, ["Previous page", "1", "…", "4", "5"]),
])
def test_pagination(number, expected):
    settings = {"DEFAULT_ORPHANS": 0, "PAGINATION_PATTERNS": [
        PaginationRule(1, "{url}", "{save_as}"),
        PaginationRule(2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html")]}
    paginator = Paginator("news/category/pay/index.html", "news/category/pay/",
                          list(range(40)), settings, per_page=8)
    nav = render("pagination", paginator, paginator.page(number), "news/category/pay/index",
                 "").find("nav")
    assert nav["aria-label"] == "Pagination"
    assert [li.get_text(" ", strip=True) for li in nav.find_all("li")] == expected
    current = nav.find(attrs={"aria-current": "page"})
    assert current.get_text() == str(number) and current["aria-label"] == f"Page {number}"
    hrefs = {a.get_text(): a["href"] for a in nav.find_all("a")}
    assert hrefs["1"] == "/news/category/pay/" and hrefs["5"] == "/news/category/pay/page/5/"
    if number > 1:
        assert nav.find("a", rel="prev")["href"] == hrefs[str(number - 1)]


def test_pagination_renders_nothing_for_one_page():
    paginator = Paginator("index.html", "", [1, 2], {"DEFAULT_ORPHANS": 0}, per_page=8)
    assert render("pagination", paginator, paginator.page(1), "index", "").find("nav") is None


def test_breadcrumbs():
    nav = render("breadcrumbs", [("Home", "/"), ("Pay & <b>conditions</b>", "/pay/"),
                                 ("A headline", None)]).find("nav")
    assert nav["aria-label"] == "Breadcrumb"
    items = nav.find_all("li")
    assert items[1].a.get_text() == "Pay & <b>conditions</b>"  # escaped, shown as text
    assert items[-1].find("a") is None
    assert items[-1].find(attrs={"aria-current": "page"}).get_text() == "A headline"


def test_share_links():
    url = "https://news.example/news/2025/04/pay/"
    section = render("share_links", 'Pay & "rises" now', url).find("section")
    links = section.find_all("a")
    assert [a.get_text() for a in links] == ["Email", "WhatsApp", "Facebook", "X", "LinkedIn"]
    assert section.find("script") is None and section.find("img") is None
    email = urlsplit(links[0]["href"])
    assert email.scheme == "mailto"
    assert parse_qs(email.query) == {"subject": ['Pay & "rises" now'], "body": [url]}
    assert parse_qs(urlsplit(links[2]["href"]).query) == {"u": [url]}
    assert parse_qs(urlsplit(links[3]["href"]).query)["text"] == ['Pay & "rises" now']
    for a in links[1:]:
        assert urlsplit(a["href"]).scheme == "https"


def test_related_posts():
    assert render("related_posts", [], "").find("section") is None
    posts = [post("a", "First &amp; best"), post("b", "Second")]
    section = render("related_posts", posts, "").find("section")
    assert section.find("h2").get_text() == "Read more"
    links = section.find_all("a")
    assert [a.get_text() for a in links] == ["First & best", "Second"]
    assert [a["href"] for a in links] == ["/news/2025/04/a/", "/news/2025/04/b/"]


def test_article_nav():
    assert render("article_nav", None, None, "").find("nav") is None
    nav = render("article_nav", post("old", "Older one"), None, "").find("nav")
    assert nav.find("a", rel="next") is None
    assert nav.find("a", rel="prev").get_text(" ", strip=True) == "Previous story Older one"
    nav = render("article_nav", post("old", "Older"), post("new", "Newer"), "").find("nav")
    assert nav.find("a", rel="next")["href"] == "/news/2025/04/new/"
    assert nav["aria-label"] == "Previous and next stories"
