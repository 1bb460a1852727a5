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
from newsroom import images
from newsroom.images import modern_formats, picture_plan

ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "theme/templates"),
                         trim_blocks=True, lstrip_blocks=True)
WHEN = datetime.datetime(2025, 4, 2, 9, 30, tzinfo=ZoneInfo("Europe/London"))
PAGINATION_SETTINGS = {"DEFAULT_ORPHANS": 0, "PAGINATION_PATTERNS": [  # as in pelicanconf.py
    PaginationRule(1, "{url}", "{save_as}"),
    PaginationRule(2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html")]}


def macro(component):
    return getattr(ENV.get_template(f"components/{component}.html").module, component)


def render(component, *args, **kwargs):
    return BeautifulSoup(str(macro(component)(*args, **kwargs)), "html5lib")


def post(slug, title, **extra):
    return types.SimpleNamespace(**{
        "url": f"news/2025/04/{slug}/", "title": title, "summary": "<p>The standfirst.</p>",
        "date": WHEN, "locale_date": "2 April 2025", "hero": None,
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

    hero = picture_plan("images/a.jpg", (1000, 500), "JPEG", (240, 480), alt='A "camera" & strap')
    pictured = post("pic", "Pictured", hero=hero)
    card = render("article_card", pictured, "https://x.example", heading_level=3).article
    img = card.find("img")
    assert img["src"] == "https://x.example/thumbs/images/a-480w.jpg"
    assert img["srcset"] == ("https://x.example/thumbs/images/a-240w.jpg 240w, "
                             "https://x.example/thumbs/images/a-480w.jpg 480w")
    assert (img["width"], img["height"], img["alt"]) == ("1000", "500", 'A "camera" & strap')
    assert img["loading"] == "lazy" and img["class"] == ["article-card__image"]
    assert card.find("h3") and "article-card--with-image" in card["class"]


def test_lead_story():
    story = render("lead_story", post("pay", "Pay <span class=\"caps\">PRB</span>", image=None),
                   "https://x.example").find("article")
    assert story["class"] == ["lead-story"]  # no picture: no image, no empty box
    assert story.find("img") is None and story.find("figure") is None
    link = story.find("h2").find("a")
    assert link["href"] == "https://x.example/news/2025/04/pay/" and link.get_text() == "Pay PRB"
    assert story.find(class_="lead-story__standfirst").get_text() == "The standfirst."
    assert story.find(class_="lead-story__category").a["href"] == (
        "https://x.example/news/category/pay/")
    assert story.find("time")["datetime"] == "2025-04-02T09:30:00+01:00"

    hero = picture_plan("images/a.jpg", (1200, 675), "JPEG", (240, 480),
                        alt='A "camera" & strap')
    pictured = post("pic", "Pictured", image="images/a.jpg", hero=hero)
    story = render("lead_story", pictured, "", heading_level=3).article
    assert "lead-story--with-image" in story["class"] and story.find("h3")
    img = story.find("picture").find("img")
    assert (img["src"], img["width"], img["height"], img["alt"]) == (
        "/thumbs/images/a-480w.jpg", "1200", "675", 'A "camera" & strap')
    assert "lead-story__image" in img["class"]
    assert img["fetchpriority"] == "high" and not img.get("loading")


def test_picture():
    hero = picture_plan("images/a b.png", (1000, 500), "PNG", (240, 480), alt="x & y")
    html = render("picture", hero, "", "(min-width: 40rem) 50vw, 100vw", loading="eager",
                  fetchpriority="high")
    sources = html.find_all("source")
    assert [s["type"] for s in sources] == [images.MIME_TYPES[f] for f in modern_formats()]
    assert sources[-1]["srcset"] == ("/thumbs/images/a%20b-240w.webp 240w, "
                                     "/thumbs/images/a%20b-480w.webp 480w")
    assert all(s["sizes"] == "(min-width: 40rem) 50vw, 100vw" for s in sources)
    img = html.find("picture").find("img")
    assert img["src"] == "/thumbs/images/a%20b-480w.png" and img["alt"] == "x & y"
    assert img["fetchpriority"] == "high" and not img.has_attr("loading")
    assert (img["width"], img["height"]) == ("1000", "500")


@pytest.mark.parametrize("number, expected", [
    (1, ["1", "2", "…", "5", "Next page"]),
    (3, ["Previous page", "1", "2", "3", "4", "5", "Next page"]),
    (5, ["Previous page", "1", "…", "4", "5"]),
])
def test_pagination(number, expected):
    paginator = Paginator("news/category/pay/index.html", "news/category/pay/",
                          list(range(40)), PAGINATION_SETTINGS, per_page=8)
    nav = render("pagination", paginator, paginator.page(number), "").find("nav")
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
    assert render("pagination", paginator, paginator.page(1), "").find("nav") is None


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


def test_article_list():
    posts = [post("a", "First"), post("b", "Second", category=None)]
    body = render("article_list", posts, "https://x.example").body
    (listing,) = body.find_all(recursive=False)
    assert listing.name == "div" and listing["class"] == ["article-list"]
    cards = listing.find_all("article", recursive=False)
    assert [c["class"] for c in cards] == [["article-card"], ["article-card"]]
    assert [c.h2.a["href"] for c in cards] == ["https://x.example/news/2025/04/a/",
                                               "https://x.example/news/2025/04/b/"]
    assert render("article_list", [], "").find("div", class_="article-list").find("article") is None

    paginator = Paginator("news/tag/pay/index.html", "news/tag/pay/", list(range(20)),
                          PAGINATION_SETTINGS, per_page=8)
    body = render("article_list", posts, "", paginator, paginator.page(2)).body
    listing, nav = body.find_all(recursive=False)
    assert listing["class"] == ["article-list"] and nav["class"] == ["pagination"]
    assert nav.find(attrs={"aria-current": "page"})["href"] == "/news/tag/pay/page/2/"
    one_page = Paginator("index.html", "", posts, PAGINATION_SETTINGS, per_page=8)
    body = render("article_list", posts, "", one_page, one_page.page(1)).body
    assert [tag.name for tag in body.find_all(recursive=False)] == ["div"]


def test_archive_list():
    posts = [post("new", "Newer &amp; <em>better</em>", date=WHEN.replace(month=5),
                  locale_date="2 May 2025"), post("old", "Older")]
    archive = render("archive_list", posts, "https://x.example").find("ol")
    assert archive["class"] == ["archive-list"]
    items = archive.find_all("li", recursive=False)
    assert [li.a.get_text() for li in items] == ["Newer & better", "Older"]  # as given
    assert items[0].find("em")  # the headline's HTML is kept
    assert [li.a["href"] for li in items] == ["https://x.example/news/2025/04/new/",
                                              "https://x.example/news/2025/04/old/"]
    assert [(li.time["datetime"], li.time.get_text()) for li in items] == [
        ("2025-05-02T09:30:00+01:00", "2 May 2025"), ("2025-04-02T09:30:00+01:00", "2 April 2025")]
    assert render("archive_list", [], "").find("ol").find("li") is None


@pytest.mark.parametrize("path, expected", [
    ("index.html", ""),
    ("news/archives/index.html", "news/archives/"),
    ("page/2/index.html", "page/2/"),
    ("news/category/pay/", "news/category/pay/"),
    ("404.html", "404.html"),
    ("news/index.html/x.html", "news/index.html/x.html"),  # only a trailing index.html
])
def test_strip_index(path, expected):
    assert macro("strip_index")(path) == expected


def test_feed_links():
    page = render("feed_links", "Pay & conditions", "https://x.example/pay.atom.xml",
                  "https://x.example/pay.rss.xml")
    [line] = page.select("p.feed-links")
    assert " ".join(line.get_text().split()) == (
        "Follow Pay & conditions in a feed reader: Atom feed or RSS feed")
    assert [(a["href"], a["type"]) for a in line.find_all("a")] == [
        ("https://x.example/pay.atom.xml", "application/atom+xml"),
        ("https://x.example/pay.rss.xml", "application/rss+xml")]
    assert "&amp; conditions" in str(macro("feed_links")("Pay & conditions", "a", ""))
    only_rss = render("feed_links", "Pay", "", "https://x.example/pay.rss.xml")
    assert [a.get_text() for a in only_rss.find_all("a")] == ["RSS feed"]
    assert not render("feed_links", "Pay", "", "").find("p")
