"""newsroom.fields: each front-matter field's rule, as plain calls with the site's settings."""

import datetime

import pytest
from PIL import Image

from conftest import LONDON
from helpers import site_settings
from newsroom.corrections import correction_in_future
from newsroom.fields import ARTICLE, PAGE, allowed_fields, check_fields
from newsroom.frontmatter import load_fields
from newsroom.problems import Findings

SETTINGS = site_settings()
CATEGORIES = "News, Pay, Welfare, Awards, Events, Campaigns"
GOOD = 'title: "A post"\ndate: 2025-04-02\n'


def check(front, kind=ARTICLE, settings=SETTINGS):
    """Check the front matter `front` (YAML, from file line 2); return (metadata,
    [(line, level, message)])."""
    found = Findings("post.md")
    metadata = check_fields(load_fields(front, 2, found), kind, settings, found)
    return metadata, [(p.line, p.level, p.message) for p in found]


def test_allowed_fields():
    assert allowed_fields(ARTICLE) == ["title", "date", "category", "tags", "summary",
                                       "author", "image", "image_alt", "image_caption",
                                       "image_credit", "related", "featured", "status",
                                       "modified", "correction", "correction_date"]
    assert allowed_fields(PAGE) == ["title", "summary", "image", "image_alt",
                                    "image_caption", "image_credit", "status", "modified"]


def test_check_fields_gives_pelican_its_metadata():
    metadata, problems = check('title: "  Pay  "\ndate: 2025-04-02 09:30\ncategory: Pay\n'
                               'tags: "pay, PRB ,"\nrelated: [a, b]\nauthor: Si\u00e2n\n'
                               "modified: 2025-04-03")
    assert problems == []
    assert metadata == {
        "title": "Pay", "date": datetime.datetime(2025, 4, 2, 9, 30, tzinfo=LONDON),
        "modified": datetime.datetime(2025, 4, 3, tzinfo=LONDON), "category": "Pay",
        "tags": ["pay", "PRB"], "related": ["a", "b"], "author": "Si\u00e2n"}


@pytest.mark.parametrize("front, kind, problem", [
    ('title: ""\ndate: 2025-04-02', ARTICLE,
     (2, 'the title is missing or empty; add a line like: title: "Pay award announced"')),
    ('title: "A post"', ARTICLE,
     (2, "the date is missing; add a line like: date: 2025-04-02 09:30")),
    ("title: x\ndate: 02/04/2025", ARTICLE,
     (3, "ambiguous date '02/04/2025': it could be 2 April or 4 February; write it as "
         "2025-04-02 (year-month-day) for 2 April")),
    (GOOD + "category: Sport", ARTICLE,
     (4, f"unknown category 'Sport'; categories are {CATEGORIES}")),
    (GOOD + "category: Welfar", ARTICLE,
     (4, f"unknown category 'Welfar'; did you mean 'Welfare'? categories are {CATEGORIES}")),
    (GOOD + "catgory: Pay", ARTICLE, (4, "unknown field 'catgory'; did you mean 'category'?")),
    ("tittle: x\ndate: 2025-04-02", ARTICLE, (2, "unknown field 'tittle'; did you mean 'title'?")),
    ("title: x\ndat: 2025-04-02", ARTICLE, (3, "unknown field 'dat'; did you mean 'date'?")),
    (GOOD + "status: live", ARTICLE, (4, "status 'live' is not allowed; use published or draft")),
    ("title: x\nstatus: live", PAGE,
     (3, "status 'live' is not allowed; use published or hidden or draft")),
    (GOOD + "summary: [a, b]", ARTICLE,
     (4, "field 'summary' must be plain text, not a list; remove the [ ] or the - items")),
    (GOOD + "tags: [pay, \U0001F46E]", ARTICLE,
     (4, "tags '\U0001F46E' has no letters or digits to make its address from; write it in "
         "words")),
    (GOOD + 'summary: "' + "x" * 301 + '"', ARTICLE,
     (4, "the summary is 301 characters; keep the standfirst to 300 or fewer")),
    (GOOD + 'summary: "Pay <b>now</b>"', ARTICLE,
     (4, "the summary contains HTML ('<b>'), which can break the page; write plain text "
         "(*asterisks* give emphasis)")),
    (GOOD + 'summary: "[x](javascript:alert(1))"', ARTICLE,
     (4, "the summary contains a link; keep the standfirst plain text and put the link in the "
         "story")),
    (GOOD + 'summary: "# Pay"', ARTICLE,
     (4, "the summary starts with '#', which makes it a heading, list or quote; start it with "
         "a word")),
    ('title: "Pay <em>now</em>"\ndate: 2025-04-02', ARTICLE,
     (2, "the title contains HTML ('<em>'); write plain text (the site sets how it looks)")),
    ("title: " + "x" * 201 + "\ndate: 2025-04-02", ARTICLE,
     (2, "the title is 201 characters; a headline is one line: keep it to 200 or fewer (put "
         "the rest in the summary or the story)")),
    (GOOD + "tags: pay, <b>ballot</b>", ARTICLE,
     (4, "a tag contains HTML ('<b>'); write plain text (the site sets how it looks)")),
    (GOOD + 'author: "Chair<br>Branch"', ARTICLE,
     (4, "the byline (author) contains HTML ('<br>'); write plain text (the site sets how it "
         "looks)")),
    (GOOD + 'image_alt: "A camera"', ARTICLE,
     (4, "image_alt is given but there is no image; remove it")),
    (GOOD + 'image_caption: "The chair at conference"', ARTICLE,
     (4, "image_caption is given but there is no image; add image: images/<file name>, or "
         "remove it")),
    (GOOD + 'image_credit: "Jo Bloggs"', ARTICLE,
     (4, "image_credit is given but there is no image; add image: images/<file name>, or "
         "remove it")),
])
def test_check_fields_problems_name_their_line(front, kind, problem):
    _metadata, problems = check(front, kind)
    level = "warning" if "image_alt is given" in problem[1] else "error"
    assert problems == [(problem[0], level, problem[1])]


@pytest.fixture
def with_images(tmp_path):
    """Settings for a content folder with images/ holding a real and a fake picture."""
    (tmp_path / "images").mkdir()
    Image.new("RGB", (4, 3), "red").save(tmp_path / "images/red.png")
    (tmp_path / "images/fake.jpg").write_bytes(b"not a picture")
    return site_settings(tmp_path)


@pytest.mark.parametrize("image, alt, problem", [
    ("images/red.png", "Red", None),
    ("{static}/images/red.png", "Red", None),
    ("/images/red.png", "Red", None),
    ("images/none.jpg", "x", "image 'images/none.jpg' does not exist; put the file in {where} "
                            "and write image: images/<file name>"),
    ("images/fake.jpg", "x", "image 'images/fake.jpg': it is not a picture Pillow can read "
                             "whole (cut short or damaged?); save it again as JPEG, PNG or WebP"),
    ("../../etc/hostname", "x", "image '../../etc/hostname' is not a file in {where}; put the "
                                "file there and write image: images/<file name>"),
    ("images/red.png", "", "the image has no alt text; add image_alt: with what the picture "
                           "shows (WCAG 2.2 success criterion 1.1.1)"),
])
def test_check_image(with_images, image, alt, problem):
    metadata, problems = check(f'{GOOD}image: "{image}"\nimage_alt: "{alt}"',
                               settings=with_images)
    where = f"{with_images['PATH']}/images/"
    assert problems == ([(4, "error", problem.format(where=where))] if problem else [])
    if problem is None:
        assert metadata["image"] == "images/red.png"


def test_image_caption_and_credit_are_plain_text_with_an_image(with_images):
    front = f'{GOOD}image: images/red.png\nimage_alt: "Red"\n'
    metadata, problems = check(front + 'image_caption: "The chair"\nimage_credit: "Jo Bloggs"',
                               settings=with_images)
    assert problems == []
    assert (metadata["image_caption"], metadata["image_credit"]) == ("The chair", "Jo Bloggs")
    _metadata, problems = check(front + 'image_credit: "Jo <script>x</script>"',
                                settings=with_images)
    assert problems == [(6, "error", "the image's credit contains HTML ('<script>'); write "
                                     "plain text (the site sets how it looks)")]


@pytest.mark.parametrize("front, kind, problem", [
    ("title: About\ndate: 2025-04-02", PAGE,
     (3, "unknown field 'date'; allowed fields are title, summary, image, image_alt, "
         "image_caption, image_credit, status, modified")),
    ("title: x\ndate: [2025-04-02]", ARTICLE,
     (3, "field 'date' must be plain text, not a list; remove the [ ] or the - items")),
    ("title: [a, b]\ndate: 2025-04-02", ARTICLE,
     (2, "field 'title' must be plain text, not a list; remove the [ ] or the - items")),
])
def test_check_fields_reports_a_refused_field_once(front, kind, problem):
    _metadata, problems = check(front, kind)
    assert problems == [(problem[0], "error", problem[1])]


# --- corrections: correction: text plus correction_date: -------------------------------

def test_a_correction_is_text_and_an_aware_date():
    metadata, problems = check(GOOD + 'correction: "It said 3%; it is 4%."\n'
                               "correction_date: 2025-04-03 14:00")
    assert problems == []
    assert metadata["correction"] == "It said 3%; it is 4%."
    assert metadata["correction_date"] == datetime.datetime(2025, 4, 3, 14, 0, tzinfo=LONDON)


@pytest.mark.parametrize("front, problem", [
    (GOOD + 'correction: "It said 3%."',
     (4, "the correction has no date; add a line like: correction_date: 2025-04-03 14:00 "
         "(when the story was corrected)")),
    (GOOD + "correction_date: 2025-04-03",
     (4, 'correction_date: is given but there is no correction: text; add correction: "What '
         'was wrong and what is right.", or remove correction_date:')),
    (GOOD + 'correction: "x"\ncorrection_date: 2025-04-01 18:00',
     (5, "correction_date: is before date:; a story is corrected after it is published, so "
         "write when the correction was made")),
    ('title: "A post"\ndate: 2025-04-02 10:00\ncorrection: "x"\ncorrection_date: 2025-04-02',
     (5, "correction_date: is before date:; a story is corrected after it is published, so "
         "write when the correction was made (a date without a time is midnight: add the "
         "time, e.g. correction_date: 2025-04-02 17:00)")),
    (GOOD + 'correction: ""\ncorrection_date: 2025-04-03',
     (4, "correction: is empty; write what was wrong and what is right, or remove the "
         "correction: line")),
    (GOOD + 'correction: "<b>x</b>"\ncorrection_date: 2025-04-03',
     (4, "the correction contains HTML ('<b>'); write plain text (the site sets how it "
         "looks)")),
    (GOOD + 'correction: "x"\ncorrection_date: 03/04/2025',
     (5, "ambiguous date '03/04/2025': it could be 3 April or 4 March; write it as "
         "2025-04-03 (year-month-day) for 3 April")),
])
def test_correction_problems_name_the_line_and_the_fix(front, problem):
    _metadata, problems = check(front)
    assert [(line, message) for line, _level, message in problems] == [problem]


def test_a_correction_on_a_page_is_refused():
    _metadata, problems = check('title: "About"\ncorrection: "x"', kind=PAGE)
    assert [line for line, _level, _message in problems] == [3]


def test_a_correction_dated_in_the_future_is_refused():
    metadata, _ = check(GOOD + 'correction: "x"\ncorrection_date: 2025-04-03 14:00')
    found = Findings("post.md")
    fields = load_fields(GOOD + 'correction: "x"\ncorrection_date: 2025-04-03 14:00', 2,
                         Findings("post.md"))
    before = datetime.datetime(2025, 4, 3, 13, 0, tzinfo=LONDON)
    correction_in_future(metadata, fields, before, found)
    assert [(p.line, p.message) for p in found] == [
        (5, "correction_date: is in the future; write when the story was corrected (now or "
            "earlier), e.g. correction_date: 2025-04-03 13:00")]
    found = Findings("post.md")
    correction_in_future(metadata, fields, before + datetime.timedelta(hours=1), found)
    assert list(found) == []


@pytest.mark.parametrize("value, expected", [("true", True), ("false", False), ("True", True)])
def test_featured_is_true_or_false(value, expected):
    metadata, problems = check(f'title: "Pay"\ndate: 2025-04-02\nfeatured: {value}')
    assert problems == [] and metadata["featured"] is expected


def test_featured_refuses_other_values_with_its_line():
    metadata, problems = check('title: "Pay"\ndate: 2025-04-02\nfeatured: yes please')
    assert "featured" not in metadata
    assert problems == [(4, "error", "featured 'yes please' is not allowed; write "
                         "featured: true or featured: false")]
