"""newsroom.cache through newsroom.source: the content cache keyed on bytes, settings and
code; a bad entry is a miss, never an error."""

import os
import shutil

import pytest

from conftest import CONTENT, write_post
from helpers import site_settings
import newsroom.source as source
from newsroom import cache, render


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A content folder with one post, its settings with a cache in tmp_path/cache, and
    the number of real parses (`source._parse` calls) made since."""
    path = write_post(tmp_path / "content/news", "2025-04-02-pay.md",
                      'title: "Pay"\ndate: 2025-04-02', "Pay rises.\n")
    settings = site_settings(tmp_path / "content", NEWS_CACHE_PATH=str(tmp_path / "cache"))
    parses = []
    real = source._parse
    monkeypatch.setattr(source, "_parse", lambda *a: parses.append(a[0]) or real(*a))
    monkeypatch.setattr(source, "_cache", {})
    return path, settings, parses


def fresh_read(path, settings):
    """`source.read` in a new process, as far as its per-process cache goes."""
    source._cache.clear()
    return source.read(str(path), settings)


def test_settings_list_covers_what_source_and_render_read():
    assert set(source.SETTINGS_READ) | set(render.SETTINGS_READ) <= set(cache.SETTINGS)


def test_hits_on_the_same_bytes_whatever_the_mtime_and_misses_on_an_edit(site):
    path, settings, parses = site
    first = fresh_read(path, settings)
    os.utime(path, (1, 1))  # an old modification time: still the same bytes
    assert fresh_read(path, settings) == first and len(parses) == 1
    original = path.read_bytes()
    path.write_bytes(original.replace(b"Pay rises.", b"Pay falls."))
    assert "Pay falls." in fresh_read(path, settings).body and len(parses) == 2
    path.write_bytes(original)  # the revert hits the first entry again
    assert fresh_read(path, settings) == first and len(parses) == 2


def test_a_reading_setting_misses_and_another_does_not(site):
    path, settings, parses = site
    fresh_read(path, settings)
    fresh_read(path, {**settings, "SITENAME": "Other"})
    assert len(parses) == 1
    fresh_read(path, {**settings, "NEWS_CATEGORIES": ["Pay"]})
    assert len(parses) == 2


@pytest.mark.parametrize("damage", [b"", b"garbage", cache.MAGIC + b"\0" * 40])
def test_a_corrupt_entry_is_a_miss_and_is_written_again(site, damage):
    path, settings, parses = site
    first = fresh_read(path, settings)
    entries = [os.path.join(d, f) for d, _, files in os.walk(settings["NEWS_CACHE_PATH"])
               for f in files]
    assert entries
    for entry in entries:
        with open(entry, "r+b") as fh:  # truncated, replaced, or a bad checksum
            data = fh.read()
            fh.seek(0)
            fh.truncate()
            fh.write(damage or data[: len(data) // 2])
    assert fresh_read(path, settings) == first and len(parses) == 2
    assert fresh_read(path, settings) == first and len(parses) == 2


def test_an_unusable_cache_folder_means_no_cache(site, tmp_path):
    path, settings, parses = site
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings = {**settings, "NEWS_CACHE_PATH": str(blocker / "cache")}
    assert cache.open_cache(settings) is None
    assert fresh_read(path, settings).problems == [] and len(parses) == 1


def test_a_parse_is_only_reused_while_its_hero_image_is_unchanged(site, tmp_path):
    path, settings, parses = site
    shutil.copytree(CONTENT / "images", tmp_path / "content/images")
    image = sorted((tmp_path / "content/images").glob("*.jpg"))[0]
    path.write_text(path.read_text().replace(
        "date: 2025-04-02", f"date: 2025-04-02\nimage: images/{image.name}\nimage_alt: A"))
    assert fresh_read(path, settings).errors == []
    image.unlink()
    assert "does not exist" in fresh_read(path, settings).errors[0].message
    assert len(parses) == 2


def test_the_html_is_cached_with_the_parse(site):
    path, settings, _ = site
    parsed = fresh_read(path, settings)
    assert parsed.cache_key
    renderer = render.Renderer(settings)
    rendered = render.html_of(parsed, settings, renderer)
    assert rendered.body == "<p>Pay&nbsp;rises.</p>"
    store = cache.open_cache(settings)
    assert store.load(parsed.cache_key, "html") == rendered
