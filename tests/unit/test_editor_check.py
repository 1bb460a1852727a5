"""The web editor's configuration (newsroom/cms.py), its check on unsaved entries
(newsroom/editor_check.py) and its commit after a save (newsroom/editor_git.py)."""

from __future__ import annotations

import datetime
import subprocess

import pytest

from newsroom import cms, editor_check, editor_git
from newsroom.fields import FIELDS, allowed_fields
from tests.helpers import site_settings

NOW = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=datetime.UTC)
GOOD = {"title": "Pay talks resume", "date": "2026-11-30 09:30", "category": "Pay",
        "summary": "Talks resumed on Monday.", "status": "published",
        "body": "The branch met the force on Monday.\n"}


@pytest.fixture(scope="module")
def settings():
    return site_settings()


def collection(config, name):
    return next(c for c in config["collections"] if c["name"] == name)


def test_the_form_is_the_field_table_in_its_order(settings):
    config = cms.editor_config(settings, cms.local_backend(8081))
    for name, kind in (("news", "article"), ("pages", "page")):
        names = [f["name"] for f in collection(config, name)["fields"] if f["name"] != "body"]
        assert names == allowed_fields(kind)
    news = {f["name"]: f for f in collection(config, "news")["fields"]}
    assert news["category"]["options"] == settings["NEWS_CATEGORIES"]
    assert news["status"]["options"] == ["draft", "published"]
    assert news["status"]["default"] == "draft"
    assert news["summary"]["maximum"] == settings["NEWS_SUMMARY_MAX_LENGTH"]
    assert news["date"]["format"] == "YYYY-MM-DD HH:mm" and news["date"]["picker_utc"] is False
    assert collection(config, "news")["slug"] == "{{year}}-{{month}}-{{day}}-{{slug}}"
    assert config["backend"]["proxy_url"] == "http://127.0.0.1:8081/api/v1"
    assert config["media_folder"].endswith("content/images")


def test_a_new_category_reaches_the_form(settings):
    config = cms.editor_config({**settings, "NEWS_CATEGORIES": ["News", "Rota"]},
                               cms.local_backend(1))
    news = {f["name"]: f for f in collection(config, "news")["fields"]}
    assert news["category"]["options"] == ["News", "Rota"]


def test_a_field_without_a_widget_stops_the_config(settings, monkeypatch):
    monkeypatch.setattr(cms, "FIELDS", (*FIELDS, type(FIELDS[0])("standfirst_credit")))
    with pytest.raises(KeyError, match="standfirst_credit"):
        cms.editor_config(settings, cms.local_backend(1))


@pytest.mark.parametrize("title, slug", [
    ("Pay talks resume", "pay-talks-resume"),
    ("Chair's message: we won't accept it", "chairs-message-we-wont-accept-it"),
    ("Siân’s 30 years. A thank-you", "sian-s-30-years-a-thank-you"),
    ("£1,000 award & more", "1-000-award-more"),
])
def test_decap_slug(title, slug):
    assert editor_check.decap_slug(title) == slug


def test_a_good_entry_has_no_problems_and_is_published(settings):
    result = editor_check.check_entry(settings, "news", None, GOOD, now=NOW)
    assert result["problems"] == [] and result["errors"] == 0
    assert result["path"] == "content/news/2026-11-30-pay-talks-resume.md"
    assert result["moment"].startswith("Published")


def test_problems_are_named_by_field(settings):
    entry = {**GOOD, "summary": "x" * 301, "body": "One.\n\n<script>x</script>\n"}
    result = editor_check.check_entry(settings, "news", None, entry, now=NOW)
    by_field = {p["field"]: p for p in result["problems"]}
    assert by_field["summary"]["label"] == "Standfirst (summary)"
    assert "301 characters" in by_field["summary"]["message"]
    assert by_field["body"]["message"].startswith("line 3 of the story: ")
    assert result["errors"] == len([p for p in result["problems"] if p["level"] == "error"])


def test_a_missing_headline_is_the_headline_s_problem(settings):
    result = editor_check.check_entry(settings, "news", None, {**GOOD, "title": ""}, now=NOW)
    assert [p["field"] for p in result["problems"]] == ["title"]


def test_a_scheduled_post_says_when_it_goes_live(settings):
    entry = {**GOOD, "date": "2027-01-14 09:00"}
    result = editor_check.check_entry(settings, "news", None, entry, now=NOW)
    assert result["moment"] == ("Scheduled: goes live at the first build after Thu 14 "
                                "January 2027 09:00 GMT. Until then it is not on the site, in "
                                "its feeds or in search.")


def test_a_related_post_picked_by_file_name_is_accepted(settings):
    entry = {**GOOD, "related": ["2025-07-29-pay-award", "no-such-post"]}
    result = editor_check.check_entry(settings, "news", None, entry, now=NOW)
    assert [p["message"][:40] for p in result["problems"]] == [
        "related: no post has the slug 'no-such-p"]


def test_a_new_post_may_not_take_an_existing_address(settings):
    entry = {**GOOD, "title": "Pay award"}
    result = editor_check.check_entry(settings, "news", None, entry, now=NOW)
    assert any("has the address 'pay-award'" in p["message"] for p in result["problems"])


def test_a_picture_not_saved_yet_is_checked_from_its_copy(settings, tmp_path):
    entry = {**GOOD, "image": "images/new.jpg", "image_alt": "A rota"}
    missing = editor_check.check_entry(settings, "news", None, entry, now=NOW)
    assert "does not exist" in missing["problems"][0]["message"]
    copy = tmp_path / "new.jpg"
    copy.write_bytes(b"not a picture")
    staged = editor_check.check_entry(settings, "news", None, entry, now=NOW,
                                      pending={"images/new.jpg": str(copy)})
    assert staged["problems"] and "does not exist" not in staged["problems"][0]["message"]


def test_site_data_problems(settings):
    data = {"contact": {"name": "Office", "phone": "call us", "email": "office@example.org"},
            "quick_links": [{"label": "PFEW", "url": "https://www.polfed.org/"}]}
    result = editor_check.check_entry(settings, "site", None, data, now=NOW)
    assert [p["field"] for p in result["problems"]] == ["contact"]
    assert "phone" in result["problems"][0]["message"]


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          check=True).stdout


def test_a_save_commits_only_content_and_names_the_post(tmp_path, monkeypatch):
    (tmp_path / "content" / "news").mkdir(parents=True)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "site.yml").write_text("contact: {}\n")
    (tmp_path / "notes.txt").write_text("mine\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.name=T", "-c", "user.email=t@localhost", "commit", "-q",
        "--allow-empty", "-m", "start")
    post = tmp_path / "content" / "news" / "2026-11-30-pay-talks-resume.md"
    post.write_text("---\ntitle: Pay talks resume\ndate: 2026-11-30 09:30\n---\nText.\n")
    monkeypatch.chdir(tmp_path)
    settings = {"PATH": "content", "NEWS_SITE_DATA": "data/site.yml"}
    monkeypatch.setattr(editor_git, "parse_file", lambda name, s: type("P", (), {
        "problems": []})())
    result = editor_git.saved(settings, "news", None, {"title": "Pay talks resume"})
    assert result["commit"].endswith(
        "News post: Pay talks resume (content/news/2026-11-30-pay-talks-resume.md)")
    assert git(tmp_path, "show", "--name-only", "--format=", "HEAD").split() == [
        "content/news/2026-11-30-pay-talks-resume.md", "data/site.yml"]
    assert "notes.txt" in git(tmp_path, "status", "--porcelain")
    again = editor_git.saved(settings, "news", None, {"title": "Pay talks resume"})
    assert again["commit"] is None and again["note"] == "Saved; nothing had changed."
