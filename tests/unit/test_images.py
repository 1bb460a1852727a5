"""newsroom.images: hero image sizes as a browser shows them, and news-card thumbnails."""

import os

import pytest
from PIL import Image

from helpers import site_settings
from newsroom.cache import open_cache
from newsroom.images import (image_size, picture_problem, size_warning, thumbnail_plan,
                             write_thumbnail)


def test_image_size(tmp_path):
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees when shown
    Image.new("RGB", (300, 100), "red").save(path, exif=exif)
    assert image_size(str(path)) == (100, 300)
    Image.new("RGB", (300, 100), "red").save(tmp_path / "plain.png")
    assert image_size(str(tmp_path / "plain.png")) == (300, 100)
    (tmp_path / "fake.jpg").write_bytes(b"not an image")
    with pytest.raises(OSError):
        image_size(str(tmp_path / "fake.jpg"))


def test_thumbnail_plan():
    assert thumbnail_plan("images/a.JPG", (1200, 675), 400) == (
        "thumbs/images/a-400w.jpg", 400, 225)
    assert thumbnail_plan("images/b.png", (300, 200), 400) == ("images/b.png", 300, 200)
    assert thumbnail_plan("images/c.png", (400, 10), 400) == ("images/c.png", 400, 10)
    assert thumbnail_plan("images/thin.png", (4000, 1), 400) == (    # at least 1 pixel high
        "thumbs/images/thin-400w.png", 400, 1)


@pytest.mark.parametrize("name, fmt", [("wide.jpg", "JPEG"), ("wide.png", "PNG")])
def test_write_thumbnail(tmp_path, name, fmt):
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (500, 1000), "navy").save(tmp_path / name, exif=exif)
    target = tmp_path / "out/thumbs" / name
    write_thumbnail(str(tmp_path / name), str(target), 400, 200)   # shown 1000 x 500
    with Image.open(target) as im:
        assert im.size == (400, 200) and im.format == fmt
        assert im.getpixel((200, 100))[2] > 100        # still navy, not black padding


def test_picture_problem_accepts_whole_web_pictures(tmp_path):
    for ext in ("jpg", "png", "webp", "gif"):
        Image.new("RGB", (40, 30), "red").save(tmp_path / f"ok.{ext}")
        assert picture_problem(str(tmp_path / f"ok.{ext}")) is None


def test_picture_problem_refuses_formats_browsers_do_not_show(tmp_path):
    Image.new("RGB", (40, 30), "red").save(tmp_path / "scan.tiff")
    assert picture_problem(str(tmp_path / "scan.tiff")) == (
        "it is a TIFF file, which browsers do not show; save it as JPEG (photos) or PNG "
        "(drawings, screenshots)")


def test_picture_problem_decodes_the_whole_file(tmp_path):
    path = tmp_path / "cut.jpg"
    Image.effect_noise((200, 200), 60).convert("RGB").save(path, quality=90)
    path.write_bytes(path.read_bytes()[:-2000])          # the header still reads
    with Image.open(path) as im:
        assert im.size == (200, 200)
    assert picture_problem(str(path)).startswith("it is not a picture Pillow can read whole")


def test_picture_problem_refuses_huge_images_without_a_warning(tmp_path):
    # made here, never committed: 1-bit PNGs of 60 and 210 megapixels compress to a few KB
    Image.new("1", (10000, 6000)).save(tmp_path / "camera.png")
    assert picture_problem(str(tmp_path / "camera.png")) == (
        "it is 10000 x 6000 pixels (60 megapixels, more than 50); resize it to at most 2400 "
        "pixels wide and save it as JPEG at quality 80")
    Image.new("1", (15000, 14000)).save(tmp_path / "bomb.png")   # Pillow's DecompressionBombError
    assert picture_problem(str(tmp_path / "bomb.png")) == (
        "it has more than 179 megapixels, far too many for a web page; resize it to at most "
        "2400 pixels wide and save it as JPEG at quality 80")
    Image.new("1", (11000, 9000)).save(tmp_path / "warned.png")  # Pillow's warning (an error here)
    assert picture_problem(str(tmp_path / "warned.png")).startswith("it is 11000 x 9000 pixels")


def test_size_warning_over_two_megabytes(tmp_path):
    big = tmp_path / "big.png"
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(big)  # noise: no compression
    assert size_warning(str(big)) == (
        f"it is {big.stat().st_size / 1e6:.1f} MB (more than 2), which readers on phones "
        "download in full; resize it to at most 2400 pixels wide and save it as JPEG at "
        "quality 80")
    Image.new("RGB", (1000, 1000), "red").save(tmp_path / "small.png")
    assert size_warning(str(tmp_path / "small.png")) is None


def test_write_thumbnail_keeps_a_copy_keyed_on_the_image_bytes(tmp_path):
    source = tmp_path / "hero.jpg"
    store = open_cache({**site_settings(tmp_path), "NEWS_CACHE_PATH": str(tmp_path / "cache")})
    Image.new("RGB", (1600, 900), (200, 30, 30)).save(source)
    first, second = tmp_path / "a/t.jpg", tmp_path / "b/t.jpg"
    write_thumbnail(str(source), str(first), 400, 225, store)
    uncached = tmp_path / "c/t.jpg"
    write_thumbnail(str(source), str(uncached), 400, 225)
    assert first.read_bytes() == uncached.read_bytes()  # the cache changes no byte
    [kept] = list((tmp_path / "cache").rglob("*.thumbnail"))
    key = kept.name.split(".")[0]
    store.save(key, "thumbnail", b"marker")  # a second build writes the kept bytes, no resize
    write_thumbnail(str(source), str(second), 400, 225, store)
    assert second.read_bytes() == b"marker"
    Image.new("RGB", (1600, 900), (30, 200, 30)).save(source)   # new bytes: a new thumbnail
    write_thumbnail(str(source), str(second), 400, 225, store)
    with Image.open(second) as im:
        assert im.size == (400, 225) and im.getpixel((10, 10))[1] > 150
    assert len(list((tmp_path / "cache").rglob("*.thumbnail"))) == 2
