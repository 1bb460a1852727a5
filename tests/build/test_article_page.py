"""The readers' pages as built: article parts, cards, navigation, footer, pages.

Read from the real development build of content/ (`dev_site`) with an HTML parser;
expectations come from the content files (helpers.PUBLISHED) and data/site.yml.
"""

import re
import runpy

import pytest
import yaml
from PIL import Image

from conftest import CONTENT, ROOT, TEST_NOW
from helpers import PUBLISHED, article_path, local_file, plain, soup

SITE_DATA = yaml.safe_load((ROOT / "data/site.yml").read_text(encoding="utf-8"))


# --- Article page --------------------------------------------------------------------------

@pytest.mark.parametrize("post", PUBLISHED, ids=lambda p: p["slug"])
def test_article_page_parts(dev_site, post):
    page = soup(article_path(dev_site.output, post))
    main = page.find("main")
    crumbs = main.find("nav", attrs={"aria-label": "Breadcrumb"})
    assert [li.get_text(strip=True) for li in crumbs.find_all("li")][:2] == [
        "Home", post.get("category", "News")]
    assert main.find(class_="article__category").get_text(strip=True) == post.get(
        "category", "News")
    assert main.find(class_="standfirst").get_text(strip=True)
    byline = main.find(class_="byline")
    assert (byline.get_text(strip=True) if byline else None) == (
        f"By {post['author']}" if "author" in post else None)
    tags = [a.get_text() for a in main.select(".tag-list a")]
    assert tags == post.get("tags", [])
    shares = main.select(".share-links a")
    assert [a.get_text() for a in shares] == ["Email", "WhatsApp", "Facebook", "X", "LinkedIn"]
    nav = main.find("nav", class_="article-nav")
    assert nav.find("a", rel="prev") or nav.find("a", rel="next")


def test_hero_image_has_alt_and_its_real_size(dev_site):
    posts = [p for p in PUBLISHED if p.get("image")]
    assert posts
    for post in posts:
        img = soup(article_path(dev_site.output, post)).select_one("figure.hero img")
        assert img["alt"] == post["image_alt"]
        with Image.open(CONTENT / post["image"]) as im:
            assert (int(img["width"]), int(img["height"])) == im.size
        caption = img.find_parent("figure").find("figcaption")
        if post.get("image_caption") or post.get("image_credit"):
            text = caption.get_text(" ", strip=True).replace("\xa0", " ")
            assert text.startswith(post.get("image_caption", ""))
            if post.get("image_credit"):
                assert caption.select_one(".hero__credit").get_text() == (
                    f"Photo: {post['image_credit']}")
        else:
            assert caption is None


def test_cards_offer_pictures_in_every_width_and_format(dev_site):
    index = soup(dev_site.output / "index.html")
    pictures = index.select(".article-card picture")
    assert pictures, "a sample post has an image, so a card on the first page should too"
    for picture in pictures:
        img = picture.img
        assert img["alt"] and img["loading"] == "lazy" and img["sizes"]
        for srcset in [img["srcset"], *(s["srcset"] for s in picture.select("source"))]:
            for candidate in srcset.split(", "):
                url, width = candidate.split()
                with Image.open(local_file(dev_site.output, url)) as im:
                    assert f"{im.width}w" == width
                    assert im.width * int(img["height"]) == pytest.approx(
                        im.height * int(img["width"]), rel=0.01)  # the picture's shape
        smallest = local_file(dev_site.output, img["srcset"].split()[0])
        assert smallest.stat().st_size < 30_000


def test_prev_and_next_follow_publication_order(dev_site):
    ordered = sorted(PUBLISHED, key=lambda p: p["when"])
    for older, post, newer in zip([None] + ordered, ordered, ordered[1:] + [None]):
        nav = soup(article_path(dev_site.output, post)).find("nav", class_="article-nav")
        for rel, other in (("prev", older), ("next", newer)):
            link = nav.find("a", rel=rel)
            assert (link is None) == (other is None)
            if other:
                assert link["href"].rstrip("/").endswith(other["slug"])
                assert plain(other["title"]) in plain(link.get_text())


def test_related_posts_from_shared_tags_link_headlines(dev_site):
    seen = 0
    for post in PUBLISHED:
        page = soup(article_path(dev_site.output, post))
        links = page.select(".related-posts a")
        assert len(links) <= 3
        for a in links:
            target = local_file(dev_site.output, a["href"])
            assert a.get_text(strip=True) == soup(target).find("h1").get_text(strip=True)
            seen += 1
    assert seen


def test_navigation_marks_the_current_section(dev_site):
    out = dev_site.output

    def current(path):
        nav = soup(out / path).find("nav", attrs={"aria-label": "Main"})
        return [(a.get_text(), a["aria-current"]) for a in nav.find_all("a", attrs={
            "aria-current": True})]

    assert current("index.html") == [("News", "page")]
    assert current("about/index.html") == [("About", "page")]
    assert current(article_path(out, PUBLISHED[0]).relative_to(out)) == [("News", "true")]


def test_footer_same_on_every_page_with_data_file_contents(dev_site):
    # WCAG 2.2 3.2.6 Consistent Help: the contact link is in the same place on every page.
    first_links = set()
    for path in dev_site.output.rglob("*.html"):
        footer = soup(path).find("footer", class_="site-footer")
        links = [(a.get_text(), a["href"]) for a in footer.find_all("a")]
        first_links.add(links[0])
        for link in SITE_DATA["quick_links"]:
            assert (link["label"], link["url"]) in links, path
        assert ("Accessibility statement", "/accessibility/") in links
        assert SITE_DATA["contact"]["phone"] in footer.get_text()
        assert f"mailto:{SITE_DATA['contact']['email']}" in {href for _, href in links}
        assert f"\u00a9 {TEST_NOW.year}" in footer.get_text()
    assert first_links == {("Contact us", "/contact/")}


def test_pages_render_with_breadcrumb_and_one_heading(dev_site):
    for name in ("about", "contact", "accessibility", "privacy"):
        page = soup(dev_site.output / name / "index.html")
        assert len(page.find_all("h1")) == 1
        assert page.find("nav", attrs={"aria-label": "Breadcrumb"})
    privacy = soup(dev_site.output / "privacy/index.html").get_text()
    assert "does not set any cookies" in privacy


def test_only_the_search_page_runs_javascript(dev_site):
    for path in dev_site.output.rglob("*.html"):
        scripts = soup(path).find_all("script")
        if path == dev_site.output / "search/index.html":
            srcs = [s["src"] for s in scripts]
            assert srcs[0] == "/pagefind/pagefind-ui.js"
            assert re.fullmatch(r"/theme/js/search\.[0-9a-f]{8}\.js", srcs[1])
            assert all(s.has_attr("defer") for s in scripts) and len(scripts) == 2
            continue
        for script in scripts:
            assert script.get("type") == "application/ld+json", path


def test_menu_footer_links_and_description_come_from_the_settings(dev_site):
    settings = runpy.run_path(str(ROOT / "pelicanconf.py"))
    for path in ("index.html", "about/index.html", "news/archives/index.html"):
        page = soup(dev_site.output / path)
        menu = page.find("nav", attrs={"aria-label": "Main"}).find_all("a")
        assert [(a.get_text(), a["href"]) for a in menu] == [
            (label, f"/{url}") for label, url in settings["MENUITEMS"]] + [
            ("Search", "/search/")]  # the form's place on a narrow screen (issue 12)
        about = page.find("nav", attrs={"aria-labelledby": "footer-about-heading"}).find_all("a")
        assert [(a.get_text(), a["href"]) for a in about] == [
            (label, f"/{url}") for label, url in settings["NEWS_FOOTER_LINKS"]] + [
            ("News archive", f"/{settings['ARCHIVES_URL']}")]
    meta = {m.get("name") or m.get("property"): m["content"]
            for m in soup(dev_site.output / "index.html").find_all("meta", content=True)}
    assert meta["description"] == meta["og:description"] == settings["NEWS_DESCRIPTION"]

