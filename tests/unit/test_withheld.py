"""newsroom.withheld and newsroom.links.static_uses on the unpublished fixture's posts."""

from helpers import UNPUBLISHED, site_settings
from newsroom.layout import Layout
from newsroom.links import static_uses
from newsroom.source import read
from newsroom.withheld import withheld_files

CONTENT = UNPUBLISHED / "content"
NEWS, IMAGES = CONTENT / "news", CONTENT / "images"
CANTEENS = str(NEWS / "2026-06-01-station-canteens.md")
OSTRICH = str(NEWS / "2026-12-01-ostrich-treaty.md")
TANGERINE = str(NEWS / "2026-05-01-tangerine-memo.md")


def setup():
    settings = site_settings(CONTENT)
    return (lambda path: read(path, settings)), Layout(settings)


def test_static_uses_are_the_hero_image_and_static_links():
    reader, layout = setup()
    assert static_uses(reader(OSTRICH), layout) == {str(IMAGES / "ostrich-hero.jpg"),
                                                    str(IMAGES / "ostrich-terms.pdf")}
    assert static_uses(reader(TANGERINE), layout) == {str(IMAGES / "tangerine-draft.jpg")}
    assert static_uses(reader(CANTEENS), layout) == set()


def test_files_only_unwritten_posts_use_are_withheld():
    reader, layout = setup()
    assert withheld_files([CANTEENS], [OSTRICH, TANGERINE], reader, layout) == {
        str(IMAGES / n) for n in ("ostrich-hero.jpg", "ostrich-terms.pdf", "tangerine-draft.jpg")}
    # the embargo lifted: its files go out with it; the draft's stay back
    assert withheld_files([CANTEENS, OSTRICH], [TANGERINE], reader, layout) == {
        str(IMAGES / "tangerine-draft.jpg")}
    # a file a live post also uses is never withheld (the preview writes drafts too)
    assert withheld_files([TANGERINE], [TANGERINE], reader, layout) == set()
