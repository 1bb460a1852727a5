"""Theme files published under content-hashed names: `newsroom.assets` as a Pelican plugin.

Adds the template function `asset_url(name)` ("css/site.css" -> "theme/css/site.3f2a9c1b.css")
to the context and hands each asset to Pelican's static generator as a `Static` whose
`save_as` is the hashed path, so Pelican copies it with the other static files, before the
`finalized` signal (when the search index and the compressed copies are made).

Settings read: see `newsroom.assets`.
"""

from pelican import signals
from pelican.contents import Static

from newsroom.assets import AssetUrls, find_assets


def add_assets(generator) -> None:
    """Add `asset_url` to the context and the assets to the static files to copy.

    Pelican `static_generator_finalized`: runs once per build, after every generator has
    read its content and before any page is written.
    """
    assets = find_assets(generator.settings)
    generator.context["asset_url"] = AssetUrls(assets)
    for name, (source, path) in assets.items():
        generator.staticfiles.append(Static(
            content=None, metadata={"title": name, "save_as": path, "url": path},
            settings=generator.settings, source_path=source, context=generator.context))


def register():
    signals.static_generator_finalized.connect(add_assets)
