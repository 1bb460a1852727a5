"""The theme's plugins: unit tests of their functions, and one small real build each.

related_posts, hero_image, site_data and asset_hashes (plugins/). Mini-builds run the real
Pelican CLI with `--fatal warnings` (conftest.build) on fixture content in a temporary folder.
"""

import json

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import ROOT, build, write_post

import asset_hashes
import hero_image
import related_posts
import site_data

# --- related_posts -------------------------------------------------------------------------


class Fake:
    """An article stand-in, hashable by identity like Pelican's Content."""

    def __init__(self, slug, tags, related, date):
        self.slug, self.tags, self.related, self.date = slug, tags, related, date

    def __repr__(self):
        return self.slug


def fake(slug, tags=(), related=None, day=1):
    return Fake(slug, list(tags), related, day)


def test_related_for_puts_editors_slugs_first_then_shared_tags_and_keeps_the_maximum():
    a = fake("a", ["pay", "welfare"], related=["c", "b", "a", "c"])
    b, c = fake("b", day=2), fake("c", day=3)
    d, e, f = fake("d", ["pay", "welfare"], day=4), fake("e", ["pay"], day=6), fake("f", day=5)
    published = [a, b, c, d, f, e]  # any order: index_by_tag sorts newest first
    by_slug = {p.slug: p for p in published}
    by_tag, rank = related_posts.index_by_tag(published)
    assert related_posts.related_for(a, by_tag, by_slug, rank, 3) == [c, b, d]
    assert related_posts.related_for(a, by_tag, by_slug, rank, 4) == [c, b, d, e]
    assert related_posts.related_for(a, by_tag, by_slug, rank, 1) == [c]
    assert related_posts.related_for(f, by_tag, by_slug, rank, 3) == []


def test_related_line_finds_the_slug_in_flow_and_block_lists(tmp_path):
    path = tmp_path / "p.md"
    path.write_text("---\ntitle: x\nrelated:\n  - one\n  - two\ntags: [two]\n---\n")
    assert related_posts.related_line(str(path), "two") == 5
    assert related_posts.related_line(str(path), "zzz") == 3
    path.write_text("---\ntitle: x\nrelated: [one, two]\n---\n")
    assert related_posts.related_line(str(path), "two") == 3


RELATED_POSTS = {
    "2025-01-01-alpha.md": "tags: [pay, welfare]\nrelated: [gamma, beta, eta]",
    "2025-01-02-beta.md": "tags: [other]",
    "2025-01-03-gamma.md": "tags: [other]",
    "2025-01-04-delta.md": "tags: [pay, welfare]",
    "2025-01-05-epsilon.md": "tags: [pay]",
    "2025-01-06-eta.md": "tags: [pay, welfare]\nstatus: draft",
}


def related_site(tmp_path, overrides=None):
    posts = {**RELATED_POSTS, **(overrides or {})}
    for number, (name, extra) in enumerate(sorted(posts.items()), start=1):
        slug = name[11:-3]
        write_post(tmp_path / "content/news", name,
                   f'title: "Headline {slug}"\ndate: 2025-01-{number:02d}\n{extra}')
    return build(tmp_path / "output", content=tmp_path / "content")


def test_related_posts_in_a_build(tmp_path):
    result = related_site(tmp_path)
    assert result.returncode == 0, result.log
    page = BeautifulSoup((result.output / "news/2025/01/alpha/index.html").read_bytes(),
                         "html5lib")
    links = page.select(".related-posts a")
    # editor's order first (the draft eta is left out, silently), then shared tags
    headlines = [a.get_text().replace("\xa0", " ") for a in links]  # typogrify's widont
    assert headlines == ["Headline gamma", "Headline beta", "Headline delta"]
    assert [a["href"] for a in links][0] == "/news/2025/01/gamma/"
    assert b"Headline eta" not in (result.output / "news/2025/01/alpha/index.html").read_bytes()


def test_unknown_related_slug_fails_the_build_with_its_line(tmp_path):
    result = related_site(tmp_path, {
        "2025-01-01-alpha.md": "tags: [pay]\nrelated:\n  - beta\n  - gama"})
    assert result.returncode != 0
    path = tmp_path / "content/news/2025-01-01-alpha.md"
    assert (f"{path}:7: error: related: no post has the slug 'gama'; "
            "did you mean 'gamma'?") in result.log


# --- hero_image ------------------------------------------------------------------------------


def test_image_size_follows_exif_orientation(tmp_path):
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees when shown
    Image.new("RGB", (300, 100), "red").save(path, exif=exif)
    assert hero_image.image_size(str(path)) == (100, 300)


def test_thumbnail_plan():
    assert hero_image.thumbnail_plan("images/a.JPG", (1200, 675), 400) == (
        "thumbs/images/a-400w.jpg", 400, 225)
    assert hero_image.thumbnail_plan("images/b.png", (300, 200), 400) == ("images/b.png", 300, 200)


def test_unreadable_hero_image_fails_the_build_with_its_line(tmp_path):
    (tmp_path / "content/images").mkdir(parents=True)
    (tmp_path / "content/images/broken.jpg").write_bytes(b"not an image")
    post = write_post(tmp_path / "content/news", "2025-01-01-broken.md",
                      'title: "Broken"\ndate: 2025-01-01\nimage: images/broken.jpg\n'
                      'image_alt: "Nothing"')
    result = build(tmp_path / "output", content=tmp_path / "content")
    assert result.returncode != 0
    # the reader's check (plugins/front_matter.py) stops it before hero_image reads it
    assert (f"{post}:4: error: image 'images/broken.jpg' is not a picture Pillow can read"
            in result.log.splitlines()[0])


def test_thumbnail_written_at_planned_size(tmp_path):
    (tmp_path / "content/images").mkdir(parents=True)
    Image.new("RGB", (1000, 500), "navy").save(tmp_path / "content/images/wide.jpg")
    write_post(tmp_path / "content/news", "2025-01-01-wide.md",
               'title: "Wide"\ndate: 2025-01-01\nimage: images/wide.jpg\nimage_alt: "Navy"')
    result = build(tmp_path / "output", content=tmp_path / "content")
    assert result.returncode == 0, result.log
    with Image.open(result.output / "thumbs/images/wide-400w.jpg") as im:
        assert im.size == (400, 200) and im.format == "JPEG"
    img = BeautifulSoup((result.output / "index.html").read_bytes(), "html5lib").select_one(
        ".article-card img")
    assert (img["src"], img["width"], img["height"]) == ("/thumbs/images/wide-400w.jpg",
                                                         "400", "200")


# --- site_data -------------------------------------------------------------------------------

GOOD_DATA = """contact:
  name: "Office"
  phone: "01632 960 999"
  email: "hello@example.org"
quick_links:
  - label: "National site"
    url: "https://www.polfed.org/"
"""


def test_parse_site_data_good():
    data, problems = site_data.parse_site_data(GOOD_DATA)
    assert not problems
    assert data["contact"] == {"name": "Office", "phone": "01632 960 999",
                               "email": "hello@example.org", "phone_href": "tel:01632960999"}
    assert data["quick_links"] == [{"label": "National site", "url": "https://www.polfed.org/"}]


@pytest.mark.parametrize("text, line, words", [
    (GOOD_DATA.replace("https://www.polfed.org/", "www.polfed.org"), 7, "not a full web address"),
    (GOOD_DATA.replace("  email:", "  emial:"), 4, "did you mean 'email'?"),
    (GOOD_DATA.replace('"01632 960 999"', '"call us"'), 3, "is not a phone number"),
    (GOOD_DATA.replace('"hello@example.org"', '"hello"'), 4, "is not an email address"),
    (GOOD_DATA.replace('  - label: "National site"\n', "  - \n"), 7, "has no 'label'"),
    (GOOD_DATA + "extra: 1\n", 8, "unknown section 'extra'"),
    (GOOD_DATA.replace('name: "Office"', "name: Office: main"), 2, "not valid YAML"),
])
def test_parse_site_data_problems_name_their_line(text, line, words):
    _data, problems = site_data.parse_site_data(text)
    assert [(p.line, words in str(p)) for p in problems] == [(line, True)], problems


def test_data_file_changes_the_site_without_python(tmp_path):
    data = tmp_path / "site.yml"
    data.write_text(GOOD_DATA, encoding="utf-8")
    write_post(tmp_path / "content/news", "2025-01-01-one.md", 'title: "One"\ndate: 2025-01-01')
    result = build(tmp_path / "output", content=tmp_path / "content",
                   extra=["-e", f"NEWS_SITE_DATA={json.dumps(str(data))}"])
    assert result.returncode == 0, result.log
    footer = BeautifulSoup((result.output / "index.html").read_bytes(), "html5lib").footer
    assert footer.find("a", href="https://www.polfed.org/").get_text() == "National site"
    assert footer.find("a", href="tel:01632960999").get_text() == "01632 960 999"

    data.write_text(GOOD_DATA.replace("https://www.polfed.org/", "polfed"), encoding="utf-8")
    result = build(tmp_path / "output2", content=tmp_path / "content",
                   extra=["-e", f"NEWS_SITE_DATA={json.dumps(str(data))}"])
    assert result.returncode != 0
    assert f"{data}:7: error: url 'polfed' is not a full web address" in result.log


# --- asset_hashes ----------------------------------------------------------------------------


def test_hashed_name():
    assert asset_hashes.hashed_name("css/site.css", b"a") == "css/site.ca978112.css"
    assert asset_hashes.hashed_name("LICENSE", b"a") == "LICENSE.ca978112"


def test_asset_urls_cover_the_theme_and_refuse_unknown_names():
    assets = asset_hashes.find_assets({"THEME": str(ROOT / "theme"), "THEME_STATIC_DIR": "theme"})
    urls = asset_hashes.AssetUrls(assets)
    assert urls("css/site.css").startswith("theme/css/site.")
    assert set(assets) == {"css/site.css", "images/logo.png", "js/search.js"}
    with pytest.raises(asset_hashes.UnknownAssetError, match="css/sit.css"):
        urls("css/sit.css")
