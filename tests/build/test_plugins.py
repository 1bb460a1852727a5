"""The site's plugins (plugins/), one small real build each.

Their logic is unit-tested in tests/unit/ (newsroom.related, images, sitedata, assets,
source); here each plugin runs inside Pelican on fixture content in a temporary folder,
through the pipeline (`conftest.build`), except the reader's, which runs plain Pelican, as
`make regenerate` does, to show it refuses a bad file without the check in front of it.
"""

import datetime
import hashlib
import json
import os
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from PIL import Image

from conftest import LONDON, ROOT, build, write_post
from helpers import SITE_DATA_EXAMPLE, soup


def test_news_reader_refuses_a_bad_post_without_the_check(tmp_path):
    news = tmp_path / "content/news"
    write_post(news, "2025-04-01-good.md", 'title: "Good"\ndate: 2025-04-01')
    bad = write_post(news, "2025-04-02-bad.md", 'title: "Bad"\ndate: 02/04/2025')
    write_post(news, "2025-04-03-draft.md", 'title: "Draft"\ndate: 2025-04-03\nstatus: draft')
    write_post(news, "2099-01-01-later.md", 'title: "Later"\ndate: 2099-01-01 09:00')
    # previewconf.py writes drafts and embargoed posts, marked, under drafts/
    proc = subprocess.run([sys.executable, "-m", "pelican", str(tmp_path / "content"), "-s",
                           "previewconf.py", "-o", str(tmp_path / "out"), "--log-handler",
                           "plain", "-e", "NEWS_SEARCH_INDEX=false"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"})
    assert proc.stderr.splitlines()[0] == (
        f"{bad}:3: error: ambiguous date '02/04/2025': it could be 2 April or 4 February; "
        "write it as 2025-04-02 (year-month-day) for 2 April")
    out = tmp_path / "out"
    assert (out / "news/2025/04/good/index.html").is_file()
    assert not any(b"Bad" in p.read_bytes() for p in out.rglob("*.html"))
    banners = {name: soup(out / f"drafts/{name}/index.html").find(class_="draft-banner")
               for name in ("draft", "later")}
    assert banners["draft"].get_text() == "Draft: not published"
    assert banners["draft"]["role"] == "note"
    assert banners["later"].get_text() == ("Embargoed until Thu 1 January 2099 09:00 GMT: "
                                           "not published")
    assert not soup(out / "news/2025/04/good/index.html").find(class_="draft-banner")


def test_related_posts_in_a_build(tmp_path):
    posts = {
        "2025-01-01-alpha.md": "tags: [pay, welfare]\nrelated: [gamma, beta, eta]",
        "2025-01-02-beta.md": "tags: [other]",
        "2025-01-03-gamma.md": "tags: [other]",
        "2025-01-04-delta.md": "tags: [pay, welfare]",
        "2025-01-05-epsilon.md": "tags: [pay]",
        "2025-01-06-eta.md": "tags: [pay, welfare]\nstatus: draft",
    }
    for name, extra in posts.items():
        write_post(tmp_path / "content/news", name,
                   f'title: "Headline {name[11:-3]}"\ndate: {name[:10]}\n{extra}')
    result = build(tmp_path / "output", content=tmp_path / "content")
    assert result.returncode == 0, result.log
    page = result.output / "news/2025/01/alpha/index.html"
    links = soup(page).select(".related-posts a")
    # the editor's order first (the draft eta is left out, silently), then shared tags
    headlines = [a.get_text().replace("\xa0", " ") for a in links]  # typogrify's widont
    assert headlines == ["Headline gamma", "Headline beta", "Headline delta"]
    assert links[0]["href"] == "/news/2025/01/gamma/"
    assert b"Headline eta" not in page.read_bytes()


def test_pictures_in_a_build(tmp_path):
    (tmp_path / "content/images").mkdir(parents=True)
    Image.new("RGB", (1000, 500), "navy").save(tmp_path / "content/images/wide.jpg")
    Image.new("RGB", (300, 200), "red").save(tmp_path / "content/images/small.png")
    for day, image in ((1, "wide.jpg"), (2, "small.png")):
        write_post(tmp_path / "content/news", f"2025-01-0{day}-post-{day}.md",
                   f'title: "Post {day}"\ndate: 2025-01-0{day}\nimage: images/{image}\n'
                   f'image_alt: "A {image}"\nimage_caption: "Caption {day}"\n'
                   f'image_credit: "Jo Bloggs"',
                   body='Text.\n\n![A small red box]({static}/images/small.png "The red box")\n\n'
                        'Inline ![tiny]({static}/images/wide.jpg) in a line.\n')
    result = build(tmp_path / "output", content=tmp_path / "content")
    assert result.returncode == 0, result.log
    with Image.open(result.output / "thumbs/images/wide-800w.jpg") as im:
        assert im.size == (800, 400) and im.format == "JPEG"
    with Image.open(result.output / "thumbs/images/wide-share.jpg") as im:
        assert im.size == (1200, 630) and im.format == "JPEG"
    assert not (result.output / "thumbs/images/small-480w.png").exists()    # never upscaled
    cards = {img["alt"]: (img["src"], img["width"], img["height"], img["loading"])
             for img in soup(result.output / "news/category/news/index.html").select(
                 ".article-card img")}  # (the home page leads with the newest, as lead-story}
    assert cards == {"A wide.jpg": ("/thumbs/images/wide-800w.jpg", "1000", "500", "lazy"),
                     "A small.png": ("/thumbs/images/small-300w.png", "300", "200", "lazy")}
    page = soup(result.output / "news/2025/01/post-1/index.html")
    hero = page.select_one("figure.hero")
    img = hero.select_one("picture img")
    assert (img["src"], img["width"], img["height"]) == ("/thumbs/images/wide-800w.jpg",
                                                        "1000", "500")
    assert img["fetchpriority"] == "high" and not img.has_attr("loading")
    assert img["srcset"].split(", ")[-1] == "/thumbs/images/wide-1000w.jpg 1000w"
    assert [s["type"] for s in hero.select("source")][-1] == "image/webp"
    caption = hero.select_one("figcaption")
    assert caption.get_text(" ", strip=True) == "Caption 1 Photo: Jo Bloggs"
    assert caption.select_one(".hero__credit").get_text() == "Photo: Jo Bloggs"
    meta = {m.get("property") or m.get("name"): m["content"] for m in page.select("meta[content]")}
    assert meta["twitter:card"] == "summary_large_image"
    # the body: an image alone in its paragraph is a figure, its title the caption
    figure = page.select_one(".prose figure.figure")
    body_img = figure.select_one("picture img")
    assert body_img["src"] == "/images/small.png" and body_img["alt"] == "A small red box"
    assert (body_img["width"], body_img["height"], body_img["loading"]) == ("300", "200", "lazy")
    assert body_img["srcset"] == "/thumbs/images/small-240w.png 240w, " \
                                 "/thumbs/images/small-300w.png 300w"
    assert not body_img.has_attr("title")
    assert figure.figcaption.get_text() == "The red box"
    inline = page.select_one(".prose p picture img")               # in a line: no figure
    assert inline["srcset"].startswith("/thumbs/images/wide-240w.jpg 240w")
    for source in page.select(".prose source"):
        for candidate in source["srcset"].split(", "):
            assert (result.output / candidate.split()[0].lstrip("/")).is_file(), candidate


def test_share_image_without_a_picture_is_the_branded_card(publish_site):
    page = soup(publish_site.output / "about/index.html")
    meta = {m.get("property") or m.get("name"): m["content"] for m in page.select("meta[content]")}
    assert meta["og:image"].startswith("https://") and "share-card" in meta["og:image"]
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["twitter:image"] == meta["og:image"]
    card = publish_site.output / urlsplit(meta["og:image"]).path.lstrip("/")
    with Image.open(card) as im:
        assert im.size == (1200, 630)


def data_site(tmp_path, data_text):
    """Build a one-post site whose data file (NEWS_SITE_DATA) holds `data_text`."""
    data = tmp_path / "site.yml"
    data.write_text(data_text, encoding="utf-8")
    write_post(tmp_path / "content/news", "2025-01-01-one.md", 'title: "One"\ndate: 2025-01-01')
    return data, build(tmp_path / "output", content=tmp_path / "content",
                       extra=["-e", f"NEWS_SITE_DATA={json.dumps(str(data))}"])


def test_site_data_changes_the_footer_without_python(tmp_path):
    _data, result = data_site(tmp_path, SITE_DATA_EXAMPLE)
    assert result.returncode == 0, result.log
    footer = soup(result.output / "index.html").footer
    assert footer.find("a", href="https://www.polfed.org/").get_text() == "National site"
    assert footer.find("a", href="tel:01632960999").get_text() == "01632 960 999"
    assert footer.find("a", href="mailto:hello@example.org")


@pytest.fixture(scope="module")
def bad_data_build(tmp_path_factory):
    return data_site(tmp_path_factory.mktemp("bad-data"),
                     SITE_DATA_EXAMPLE.replace("https://www.polfed.org/", "polfed"))


def test_a_site_data_mistake_stops_the_build_with_its_line(bad_data_build, tmp_path):
    data, result = bad_data_build
    line = (f"{data}:7: error: url 'polfed' is not a full web address; write it with "
            "https://, e.g. https://www.polfed.org/")
    assert result.returncode == 1
    lines = result.log.splitlines()
    assert line in lines and "Traceback" not in result.log, result.log
    assert lines[-1] == ("build: error: the content check found 1 error(s) (listed above); "
                         "nothing was built")
    assert not (result.output / "index.html").exists()
    # Pelican alone (make regenerate: no check first): the plugin logs the same line and
    # --fatal stops the build
    alone = subprocess.run([sys.executable, "-m", "pelican", data.parent / "content", "-s",
                            ROOT / "pelicanconf.py", "-o", tmp_path / "out", "--fatal",
                            "warnings", "--log-handler", "plain", "-e",
                            f"NEWS_SITE_DATA={json.dumps(str(data))}",
                            "NEWS_SEARCH_INDEX=false"],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert alone.returncode != 0 and line in (alone.stdout + alone.stderr).splitlines()


def test_asset_hashes_follow_the_stylesheet(tmp_path):
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    css = theme / "static/css/site.css"
    css.write_bytes(css.read_bytes() + b"\n/* changed */\n")
    digest = hashlib.sha256(css.read_bytes()).hexdigest()[:8]
    write_post(tmp_path / "content/news", "2025-01-01-one.md", 'title: "One"\ndate: 2025-01-01')
    result = build(tmp_path / "output", content=tmp_path / "content",
                   extra=["-e", f"THEME={json.dumps(str(theme))}"])
    assert result.returncode == 0, result.log
    href = soup(result.output / "index.html").find("link", rel="stylesheet")["href"]
    assert href == f"/theme/css/site.{digest}.css"
    assert (result.output / href.lstrip("/")).read_bytes() == css.read_bytes()
    assert sorted(p.name for p in (result.output / "theme/css").iterdir()) == [
        f"site.{digest}.css"]


def test_site_context_build_date_gives_the_copyright_year(tmp_path):
    write_post(tmp_path / "content/news", "2025-01-01-one.md", 'title: "One"\ndate: 2025-01-01')
    write_post(tmp_path / "content/pages", "about.md", 'title: "About"')
    result = build(tmp_path / "output", content=tmp_path / "content",
                   now=datetime.datetime(2031, 1, 2, 9, 0, tzinfo=LONDON))
    assert result.returncode == 0, result.log
    for page in ("index.html", "about/index.html", "news/2025/01/one/index.html"):
        footer = soup(result.output / page).find("footer", class_="site-footer")
        assert "\u00a9 2031" in footer.get_text(), page
    assert not (result.output / "pagefind").exists()    # NEWS_SEARCH_INDEX=false skips it


def test_search_index_writes_shards_in_a_build(tmp_path):
    for day in range(1, 6):
        write_post(tmp_path / "content/news", f"2025-03-{day:02d}-post-{day}.md",
                   f'title: "Shard post {day}"\ndate: 2025-03-{day:02d}',
                   f"Body of shard post number {day} about zebra{day} crossings.\n")
    result = build(tmp_path / "output", content=tmp_path / "content", index=True,
                   extra=["-e", "NEWS_SEARCH_SHARD_SIZE=2"])
    assert result.returncode == 0, result.log
    bundle = result.output / "pagefind"
    assert json.loads((bundle / "shards.json").read_text()) == ["shard-2/", "shard-3/"]
    sizes = [len(list(b.glob("fragment/*.pf_fragment")))
             for b in (bundle, bundle / "shard-2", bundle / "shard-3")]
    assert sizes == [2, 2, 1]
    assert not list(result.output.glob(".pagefind-*"))      # no staging folder left behind


def test_the_preview_writes_the_pictures_of_the_drafts_it_shows(tmp_path):
    (tmp_path / "content/images").mkdir(parents=True)
    Image.new("RGB", (900, 600), "teal").save(tmp_path / "content/images/draft.jpg")
    write_post(tmp_path / "content/news", "2025-01-01-draft.md",
               'title: "Draft"\ndate: 2025-01-01\nimage: images/draft.jpg\n'
               'image_alt: "Teal"\nstatus: draft')
    result = build(tmp_path / "output", content=tmp_path / "content", conf="previewconf.py")
    assert result.returncode == 0, result.log
    page = soup(result.output / "drafts/draft/index.html")
    for candidate in page.select_one("figure.hero img")["srcset"].split(", "):
        assert (result.output / candidate.split()[0].lstrip("/")).is_file(), candidate
    published = build(tmp_path / "published", content=tmp_path / "content")
    assert published.returncode == 0, published.log
    assert not (published.output / "thumbs").exists()      # a draft's pictures stay unpublished
