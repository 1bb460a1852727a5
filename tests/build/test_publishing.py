"""Schedule and publish: an embargoed post goes live at the first build after its moment,
with no edit, everywhere at once; and an editor's whole flow (`make new`, `check`,
`devserver`, `status`, `publish`) works end to end in a copy of the repository.

Real clients: `make`, the build pipeline, the devserver over HTTP. The devserver listens on
127.0.0.1 and is stopped by its process group id. The devserver in a browser (live reload)
is tests/browser/test_preview.py.
"""

import datetime
import re
import shutil

from bs4 import BeautifulSoup

from conftest import CONTENT, LONDON, PUBLISH_SITEURL, build, free_port, write_post
from helpers import (DRAFT_PHRASE, EMBARGO_PHRASE, POSTS, article_path, copy_repo, get, make,
                     output_bytes, start_devserver, stop, tree_hash)

ZEPPELIN = b"Zeppelin Accord"
LIVERELOAD = (b"livereload", b"LiveReload")


def sitemap_locations(output):
    return set(re.findall(r"<loc>([^<]+)</loc>", (output / "sitemap.xml").read_text("utf-8")))


def test_embargoed_post_appears_at_the_first_build_after_its_moment_with_no_edit(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    moment = datetime.datetime(2027, 3, 28, 9, 0, tzinfo=LONDON)   # clocks went forward at 01:00
    write_post(content / "news", "2027-03-28-zeppelin.md",
               'title: "Zeppelin Accord signed"\ndate: 2027-03-28 09:00\ncategory: Awards\n'
               'tags: [zeppelin accord]\nsummary: "The Zeppelin Accord."',
               "The Zeppelin Accord is embargoed.\n")
    before = tree_hash(content)
    early = build(tmp_path / "early", content, "publishconf.py",
                  now=moment - datetime.timedelta(minutes=1), index=True)
    late = build(tmp_path / "late", content, "publishconf.py", now=moment, index=True)
    assert early.returncode == 0 and late.returncode == 0, early.log + late.log
    assert not [path for path, data in output_bytes(early.output)
                if ZEPPELIN in data or b"zeppelin" in data]
    found = {str(path.relative_to(late.output)) for path, data in output_bytes(late.output)
             if ZEPPELIN in data}
    for expected in ("news/2027/03/zeppelin/index.html", "index.html", "feeds/all.atom.xml",
                     "news/category/awards/index.html", "news/tag/zeppelin-accord/index.html"):
        assert expected in found, (expected, sorted(found))
    assert any(p.startswith("pagefind/") for p in found), sorted(found)   # searchable at once
    page = BeautifulSoup((late.output / "news/2027/03/zeppelin/index.html").read_bytes(),
                         "html5lib")
    assert page.find("time", datetime="2027-03-28T09:00:00+01:00")
    assert not page.find(class_="draft-banner")
    # production builds list every live post in the sitemap, and never a draft
    zeppelin = f"{PUBLISH_SITEURL}/news/2027/03/zeppelin/"
    assert zeppelin in sitemap_locations(late.output)
    assert zeppelin not in sitemap_locations(early.output)
    draft = next(p for p in POSTS if DRAFT_PHRASE in p["text"])
    for out in (early.output, late.output):
        assert not [loc for loc in sitemap_locations(out) if draft["slug"] in loc]
    # the sample post embargoed at TEST_NOW (14 January 2027) is live in both by now
    sample = next(p for p in POSTS if EMBARGO_PHRASE in p["text"])
    assert sample["when"] < moment
    for out in (early.output, late.output):
        assert EMBARGO_PHRASE.encode() in article_path(out, sample).read_bytes()
        assert f"{PUBLISH_SITEURL}/news/2027/01/{sample['slug']}/" in sitemap_locations(out)
    assert tree_hash(content) == before


def write_new_post(repo):
    """`make new` in `repo`, then the editor writes the story and a standfirst; the new
    post's path. `make new` is the only command that writes to content/: one new file."""
    content = repo / "content"
    before = tree_hash(content)
    new = make("new", "TITLE=Pay award: \u00a31,000 for every officer", "CATEGORY=Pay",
               "DATE=2025-04-02 09:30", cwd=repo)
    assert new.returncode == 0, new.stderr
    assert new.stdout == "content/news/2025-04-02-pay-award-1000-for-every-officer.md\n"
    post = repo / new.stdout.strip()
    after = tree_hash(content)
    assert set(after) - set(before) == {"news/2025-04-02-pay-award-1000-for-every-officer.md"}
    assert {k: v for k, v in after.items() if k in before} == before
    text = post.read_text(encoding="utf-8")
    text = text.replace("Write the story here. Leave a blank line between paragraphs.",
                        "The Quokka Clause gives every officer \u00a31,000.\n\n"
                        "Members will see it in their May pay.")
    text = text.replace('# summary: "The standfirst: one or two sentences under the headline, '
                        'at most 300 characters."', 'summary: "A one-off payment for all."')
    post.write_text(text, encoding="utf-8")
    return post


def preview_draft(repo, tmp_path):
    """`make devserver` in `repo`: the draft is visible and marked, not on the home page,
    and the preview has its own folder."""
    port = free_port()
    with open(tmp_path / "devserver.log", "w") as log:
        proc = start_devserver(repo, port, log)
    try:
        page = get(f"http://127.0.0.1:{port}/drafts/pay-award-1000-for-every-officer/")
        home = get(f"http://127.0.0.1:{port}/")
    finally:
        stop(proc)
    assert not (repo / "output").exists()
    soup = BeautifulSoup(page, "html5lib")
    assert soup.find(class_="draft-banner").get_text() == "Draft: not published"
    assert "Quokka Clause" in soup.find(class_="prose").get_text()
    assert "Quokka" not in home


def test_editor_flow_end_to_end_in_a_copy_of_the_repository(tmp_path):
    real_content = tree_hash(CONTENT)
    repo = copy_repo(tmp_path / "repo")
    content = repo / "content"

    def run(*args):
        before = tree_hash(content)
        result = make(*args, cwd=repo)
        assert tree_hash(content) == before, f"make {args[0]} changed content/"
        return result

    post = write_new_post(repo)                                  # 1-2. make new, write
    check = run("check")                                         # 3. make check: clean
    assert check.returncode == 0 and check.stdout == "", check.stdout + check.stderr
    before = tree_hash(content)
    preview_draft(repo, tmp_path)                                # 4. make devserver
    assert tree_hash(content) == before
    status = run("status")
    assert "content/news/2025-04-02-pay-award-1000-for-every-officer.md" in status.stdout
    # 5. status: published, then make publish
    post.write_text(post.read_text(encoding="utf-8").replace("status: draft", "status: published"),
                    encoding="utf-8")
    assert "pay-award-1000" not in run("status").stdout
    published = run("publish")
    assert published.returncode == 0, published.stdout + published.stderr
    out = repo / "output"
    article = out / "news/2025/04/pay-award-1000-for-every-officer/index.html"
    soup = BeautifulSoup(article.read_bytes(), "html5lib")
    assert "Quokka Clause" in soup.find(class_="prose").get_text()
    assert not soup.find(class_="draft-banner")
    assert b"Quokka Clause gives every officer" in (out / "feeds/all.atom.xml").read_bytes()
    assert not [path for path, data in output_bytes(out) if any(w in data for w in LIVERELOAD)]
    assert tree_hash(CONTENT) == real_content          # the real content/ was never touched
