"""newsroom.images: picture sizes as a browser shows them, responsive variants, share images."""

import io
import os

import pytest
from PIL import Image

from helpers import site_settings
from newsroom.cache import open_cache
from newsroom import images
from newsroom.images import (SHARE_SIZE, Variant, image_size, make_variants, modern_formats,
                             picture_info, picture_plan, picture_problem, size_warning,
                             variant_widths, write_variants)

WIDTHS = (240, 480, 640, 800, 1200)


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


def test_variant_widths_never_upscale():
    assert variant_widths(1600, WIDTHS) == [240, 480, 640, 800, 1200]
    assert variant_widths(1200, WIDTHS) == [240, 480, 640, 800, 1200]
    assert variant_widths(1000, WIDTHS) == [240, 480, 640, 800, 1000]
    assert variant_widths(200, WIDTHS) == [200]


def test_avif_is_offered_when_this_pillow_encodes_it():
    from PIL import features
    assert modern_formats() == (("AVIF", "WEBP") if features.check("avif") else ("WEBP",))


def test_picture_plan():
    plan = picture_plan("images/a.JPG", (1000, 500), "JPEG", WIDTHS, share=True, alt="A",
                        caption="C", credit="K")
    assert (plan.src, plan.width, plan.height, plan.image) == (
        "thumbs/images/a-800w.jpg", 1000, 500, "images/a.JPG")
    mimes = [mime for mime, _ in plan.sources]
    assert mimes == [images.MIME_TYPES[f] for f in modern_formats()] + ["image/jpeg"]
    assert plan.sources[-1][1] == tuple((f"thumbs/images/a-{w}w.jpg", w)
                                        for w in (240, 480, 640, 800, 1000))
    assert plan.srcset("image/webp").startswith("thumbs/images/a-240w.webp 240w, ")
    assert plan.share == Variant("thumbs/images/a-share.jpg", 1200, 630, "JPEG", crop=True)
    assert Variant("thumbs/images/a-240w.jpg", 240, 120, "JPEG") in plan.variants
    assert len(plan.variants) == 5 * (len(modern_formats()) + 1) + 1
    thin = picture_plan("images/thin.png", (4000, 1), "PNG", WIDTHS)
    assert {v.height for v in thin.variants} == {1} and thin.share is None  # at least 1 pixel
    small = picture_plan("images/s.png", (300, 200), "PNG", WIDTHS)
    assert (small.src, small.sources[-1][1]) == ("thumbs/images/s-300w.png", (
        ("thumbs/images/s-240w.png", 240), ("thumbs/images/s-300w.png", 300)))


def test_picture_info_fallback_format(tmp_path):
    Image.new("RGB", (30, 20)).save(tmp_path / "photo.webp")
    Image.new("RGBA", (30, 20)).save(tmp_path / "cut-out.webp")
    Image.new("RGB", (30, 20)).save(tmp_path / "drawing.png")
    assert picture_info(str(tmp_path / "photo.webp")) == (30, 20, "JPEG")
    assert picture_info(str(tmp_path / "cut-out.webp")) == (30, 20, "PNG")
    assert picture_info(str(tmp_path / "drawing.png")) == (30, 20, "PNG")


@pytest.mark.parametrize("name", ["wide.jpg", "wide.png"])
def test_write_variants_upright_in_every_format_with_a_share_image(tmp_path, name):
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (500, 1000), "navy").save(tmp_path / name, exif=exif)  # shown 1000 x 500
    width, height, fallback = picture_info(str(tmp_path / name))
    plan = picture_plan(name, (width, height), fallback, WIDTHS, share=True)
    assert write_variants(str(tmp_path / name), plan.variants, str(tmp_path / "out")) == len(
        plan.variants)
    for variant in plan.variants:
        with Image.open(tmp_path / "out" / variant.path) as im:
            assert im.size == (variant.width, variant.height)
            assert im.format == variant.format
            assert im.convert("RGB").getpixel((im.width // 2, im.height // 2))[2] > 100  # navy
            assert not im.getexif()            # no camera metadata (GPS) goes out
    with Image.open(tmp_path / "out" / plan.share.path) as im:
        assert im.size == SHARE_SIZE and im.format == "JPEG"
    assert write_variants(str(tmp_path / name), plan.variants, str(tmp_path / "out")) == 0


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


def test_variants_are_kept_keyed_on_the_image_bytes(tmp_path):
    source = tmp_path / "hero.jpg"
    store = open_cache({**site_settings(tmp_path), "NEWS_CACHE_PATH": str(tmp_path / "cache")})
    Image.new("RGB", (1600, 900), (200, 30, 30)).save(source)
    variant = Variant("thumbs/hero-400w.webp", 400, 225, "WEBP")
    first = make_variants(str(source), [variant], store)
    assert first == make_variants(str(source), [variant])  # the cache changes no byte
    [kept] = list((tmp_path / "cache").rglob("*.variant"))
    store.save(kept.name.split(".")[0], "variant", b"marker")  # kept bytes, no encoding
    assert make_variants(str(source), [variant], store) == {variant.path: b"marker"}
    Image.new("RGB", (1600, 900), (30, 200, 30)).save(source)   # new bytes: a new variant
    data = make_variants(str(source), [variant], store)[variant.path]
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (400, 225) and im.getpixel((10, 10))[1] > 150
    assert len(list((tmp_path / "cache").rglob("*.variant"))) == 2
