"""newsroom.pictures: body images as responsive pictures, and what the sanitiser keeps of them."""

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from helpers import site_settings
from newsroom.images import modern_formats
from newsroom.pictures import body_pictures, site_root
from newsroom.safehtml import sanitise

SIZES = "(min-width: 52rem) 49rem, calc(100vw - 2rem)"


@pytest.fixture
def settings(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "news").mkdir()
    Image.new("RGB", (1000, 500), "navy").save(tmp_path / "images/wide.jpg")
    return {**site_settings(tmp_path), "SITEURL": "", "NEWS_IMAGE_WIDTHS": (240, 480, 800),
            "NEWS_COLUMN_IMAGE_SIZES": SIZES}


def convert(html, settings):
    return body_pictures(html, f"{settings['PATH']}/news/post.md", settings)


def test_an_image_alone_in_its_paragraph_is_a_figure_with_its_title_as_caption(settings):
    html, used = convert('<p>Before.</p>\n<p><img alt="A van" src="{static}/images/wide.jpg" '
                         'title="The van &amp; crew"></p>', settings)
    assert [p.image for p in used] == ["images/wide.jpg"] and used[0].caption == "The van & crew"
    page = BeautifulSoup(html, "html5lib")
    figure = page.find("figure", class_="figure")
    img = figure.picture.img
    assert img["src"] == "{static}/images/wide.jpg" and img["alt"] == "A van"
    assert not img.has_attr("title")                      # the caption, shown once
    assert (img["width"], img["height"], img["loading"]) == ("1000", "500", "lazy")
    assert img["srcset"] == ("/thumbs/images/wide-240w.jpg 240w, /thumbs/images/wide-480w.jpg "
                             "480w, /thumbs/images/wide-800w.jpg 800w")
    assert img["sizes"] == SIZES
    assert len(figure.find_all("source")) == len(modern_formats())
    assert figure.figcaption.get_text() == "The van & crew"
    assert sanitise(html) == html                          # the allowlist keeps all of it


def test_an_image_in_a_line_gets_srcset_and_keeps_its_title(settings):
    html, used = convert('<p>See <img alt="x" src="{static}../images/wide.jpg" title="t"> '
                         'here.</p>', settings)
    assert len(used) == 1 and used[0].caption == ""
    page = BeautifulSoup(html, "html5lib")
    assert page.find("figure") is None
    img = page.p.picture.img
    assert img["title"] == "t" and img["srcset"].startswith("/thumbs/images/wide-240w.jpg")


def test_images_not_ours_are_left_as_written(settings):
    html = ('<p><img alt="a" src="https://elsewhere.example/a.jpg"></p>'
            '<p><img alt="b" src="{static}/images/missing.jpg"></p>'
            '<p><img alt="c" src="{static}/docs/x.jpg"></p>')
    assert convert(html, settings) == (html, ())


def test_srcset_paths_start_at_the_site_root(settings):
    settings["SITEURL"] = "https://example.org/branch/"
    assert site_root(settings) == "/branch"
    html, _ = convert('<p><img alt="a" src="{static}/images/wide.jpg"></p>', settings)
    assert "/branch/thumbs/images/wide-240w.jpg 240w" in html


def test_the_sanitiser_keeps_our_pictures_and_drops_other_sources():
    html = ('<picture><source type="image/webp" srcset="/t/a.webp 240w, https://x.example/b '
            '480w"><source type="text/html" srcset="//x.example/c 1w"><img src="/a.jpg" '
            'srcset="https://x.example/d 2x" alt="a" loading="soon" onerror="x()"></picture>')
    assert sanitise(html) == ('<picture><source type="image/webp" srcset="/t/a.webp 240w">'
                              '<source><img src="/a.jpg" alt="a"></picture>')


def test_a_caption_gets_the_storys_typography(settings):
    # the caption is made after the body's typogrify pass, so it gets its own: curly
    # quotes and apostrophes as in the story around it (Renderer.typography)
    from newsroom.render import Renderer
    renderer = Renderer({**settings, "NEWS_TYPOGRIFY": True})
    html, _ = body_pictures('<p><img alt="Hall" src="{static}/images/wide.jpg" '
                            'title="The Centre&#39;s &quot;main&quot; hall -- full"></p>',
                            f"{settings['PATH']}/news/post.md", settings, renderer.typography)
    caption = BeautifulSoup(html, "html5lib").figcaption.get_text()
    assert caption == "The Centre\u2019s \u201cmain\u201d hall \u2013 full"
