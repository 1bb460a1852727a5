"""newsroom.assets: the theme's static files under names carrying their content hash."""

import hashlib

import pytest

from conftest import ROOT
from newsroom.assets import AssetUrls, UnknownAssetError, find_assets, hashed_name


def test_hashed_name():
    assert hashed_name("css/site.css", b"a") == "css/site.ca978112.css"
    assert hashed_name("LICENSE", b"a") == "LICENSE.ca978112"


def test_find_assets(tmp_path):
    (tmp_path / "static/css").mkdir(parents=True)
    (tmp_path / "static/css/site.css").write_bytes(b"body{}")
    (tmp_path / "static/.hidden").write_bytes(b"x")
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra/app.js").write_bytes(b"1")
    digest, js_digest = (hashlib.sha256(data).hexdigest()[:8] for data in (b"body{}", b"1"))
    assets = find_assets({"THEME": str(tmp_path), "THEME_STATIC_DIR": "theme",
                          "NEWS_ASSET_PATHS": ["static", "extra"]})
    assert assets == {
        "css/site.css": (str(tmp_path / "static/css/site.css"), f"theme/css/site.{digest}.css"),
        "app.js": (str(tmp_path / "extra/app.js"), f"theme/app.{js_digest}.js"),
    }


def test_asset_urls():
    assets = find_assets({"THEME": str(ROOT / "theme"), "THEME_STATIC_DIR": "theme"})
    urls = AssetUrls(assets)
    css = (ROOT / "theme/static/css/site.css").read_bytes()
    assert urls("css/site.css") == f"theme/css/site.{hashlib.sha256(css).hexdigest()[:8]}.css"
    assert set(assets) == {"css/site.css", "images/logo.png", "images/share-card.png",
                           "js/search.js"}
    with pytest.raises(UnknownAssetError, match="css/sit.css"):
        urls("css/sit.css")
