"""Nothing unpublished leaks: an embargoed post and a draft, and the images and documents
only they use, are in no output file before the embargo; at the first build at or after it,
the embargoed post and its files are everywhere a live post is.

The fixture site tests/fixtures/unpublished/ (built with publishconf.py, feeds, sitemap and
search index included): a live post whose `related:` names both hidden posts; the post
embargoed until 1 December 2026 09:00 with a hero image, a PDF linked with {static}, a tag
of its own and a summary; a draft with an image of its own; an image no post uses. Every
output file is searched, gzip files (.gz twins, Pagefind's index) decompressed.
"""

import datetime
import hashlib

import pytest

from conftest import LONDON, TEST_NOW, build
from helpers import UNPUBLISHED, output_bytes

EMBARGO = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)
IMAGES = UNPUBLISHED / "content/images"
# Words only the embargoed post has (title, slug, tag, file names; summary), and the draft.
EMBARGOED_WORDS = (b"ostrich", b"pomegranate")
DRAFT_WORDS = (b"tangerine", b"juniper")
EMBARGOED_FILES = ("ostrich-hero.jpg", "ostrich-terms.pdf")


@pytest.fixture(scope="module")
def before_and_after(tmp_path_factory):
    """The fixture site built one minute before the embargo (at TEST_NOW's day) and at it."""
    assert TEST_NOW < EMBARGO - datetime.timedelta(minutes=1)
    out = tmp_path_factory.mktemp("unpublished")
    builds = [build(out / name, UNPUBLISHED / "content", "publishconf.py", now=now, index=True)
              for name, now in (("before", EMBARGO - datetime.timedelta(minutes=1)),
                                ("after", EMBARGO))]
    for done in builds:
        assert done.returncode == 0, done.log
    return [dict(output_bytes(done.output)) for done in builds] + [b.output for b in builds]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_files_only_unpublished_posts_use_are_withheld_until_the_embargo(before_and_after):
    before, after, before_out, after_out = before_and_after
    secret = {name: sha256((IMAGES / name).read_bytes())
              for name in (*EMBARGOED_FILES, "tangerine-draft.jpg")}
    assert len(before) > 20
    for files, out in ((before, before_out), (after, after_out)):
        assert (out / "images/shared-crest.jpg").is_file()   # used by no post: published
        assert not (out / "images/tangerine-draft.jpg").exists()
        copies = {name for name, digest in secret.items()
                  for data in files.values() if sha256(data) == digest}
        assert copies == (set() if out == before_out else set(EMBARGOED_FILES)), copies
    for name in EMBARGOED_FILES:
        assert not (before_out / "images" / name).exists()
        assert (after_out / "images" / name).read_bytes() == (IMAGES / name).read_bytes()
    page = (after_out / "news/2026/12/ostrich-treaty/index.html").read_bytes()
    assert b"/thumbs/images/ostrich-hero-" in page and b"/images/ostrich-terms.pdf" in page
    assert not (before_out / "thumbs/images").exists() or not list(
        (before_out / "thumbs/images").glob("ostrich-hero-*"))   # nor its copies before


def test_nothing_of_an_unpublished_post_is_in_any_output_file(before_and_after):
    before, after, before_out, after_out = before_and_after
    for word in (*EMBARGOED_WORDS, *DRAFT_WORDS):
        leaks = [str(p.relative_to(before_out)) for p, data in before.items()
                 if word in data.lower()]
        assert not leaks, (word, leaks)
    for word in DRAFT_WORDS:
        assert not [p for p, data in after.items() if word in data.lower()], word
    assert not (before_out / "news/tag/ostrich-treaty").exists()
    assert not (before_out / "news/tag/tangerine-memo").exists()


def test_the_embargoed_post_is_everywhere_at_the_first_build_at_its_moment(before_and_after):
    _, after, _, after_out = before_and_after
    where = {str(p.relative_to(after_out)) for p, data in after.items()
             if b"ostrich" in data.lower()}
    for expected in ("news/2026/12/ostrich-treaty/index.html", "index.html", "sitemap.xml",
                     "feeds/all.atom.xml", "feeds/all.rss.xml",
                     "news/tag/ostrich-treaty/index.html",
                     "news/2026/06/station-canteens/index.html",   # its related link
                     "news/2026/12/ostrich-treaty/index.html.gz", "sitemap.xml.gz"):
        assert expected in where, (expected, sorted(where))
    assert any(p.startswith("pagefind/") for p in where), sorted(where)
    assert any(b"pomegranate" in data.lower() for p, data in after.items()
               if str(p.relative_to(after_out)).startswith("pagefind/"))
    canteens = (after_out / "news/2026/06/station-canteens/index.html").read_text("utf-8")
    assert 'href="https://news.northvale-polfed.example/news/2026/12/ostrich-treaty/"' in canteens
