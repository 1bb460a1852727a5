"""newsroom.images: hero image sizes as a browser shows them, and news-card thumbnails."""

import pytest
from PIL import Image

from newsroom.images import image_size, thumbnail_plan, write_thumbnail


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
