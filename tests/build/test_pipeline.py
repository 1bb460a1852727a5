"""The build pipeline's own guards (newsroom.build): Pelican can skip a post and exit 0
(pelican-facts.md, "Exit 0 on lost content"), and then the pipeline refuses the build; a
failure inside Pelican is one line, not a traceback; a failed build leaves the previous
output folder exactly as it was (the new build is made beside it and renamed in)."""

import os
import shutil
import zlib

from PIL import Image

from conftest import ROOT, build, write_post
from helpers import run_module, tree_hash


def test_a_post_pelican_does_not_read_fails_the_build(tmp_path):
    content = tmp_path / "content"
    write_post(content / "news", "2025-03-01-kept.md", 'title: "Kept"\ndate: 2025-03-01')
    write_post(content / "news/old", "2025-03-02-skipped.md", 'title: "Skipped"\ndate: 2025-03-02')
    # ARTICLE_EXCLUDES makes Pelican pass over news/old/, which the check reads as posts
    result = build(tmp_path / "out", content=content, extra=["-e", 'ARTICLE_EXCLUDES=["news/old"]'])
    last = result.log.splitlines()[-1]
    assert result.returncode == 1, result.log
    assert last.startswith("build: error: ") and last.endswith(
        "news/old/2025-03-02-skipped.md: Pelican did not read this post; check its file name "
        "and front matter with make check"), result.log
    assert list(tmp_path.iterdir()) == [content]  # Pelican's pages were not swapped in


def broken_theme(tmp_path):
    """A copy of the theme whose article template calls an undefined name on line 1."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    template = theme / "templates/article.html"
    template.write_text("{{ nosuch.thing() }}\n" + template.read_text(encoding="utf-8"),
                        encoding="utf-8")
    return theme


def undefined_name_line(theme):
    """The build's last line when `theme`'s article template calls `nosuch` on line 1."""
    return (f"build: error: Pelican stopped in {theme}/templates/article.html:1: UndefinedError: "
            "'nosuch' is undefined; run the command again with DEBUG=1 (e.g. make html DEBUG=1) "
            "for Pelican's traceback")


def test_a_failed_build_leaves_the_previous_output_exactly_as_it_was(tmp_path):
    content, out = tmp_path / "content", tmp_path / "out"
    write_post(content / "news", "2025-03-01-kept.md", 'title: "Kept"\ndate: 2025-03-01')
    assert build(out, content=content).returncode == 0
    before = tree_hash(out)
    assert len(before) >= 5 and "news/2025/03/kept/index.html" in before
    write_post(content / "news", "2025-03-02-new.md", 'title: "New"\ndate: 2025-03-02')
    theme = broken_theme(tmp_path)
    result = build(out, content=content, extra=["-e", f'THEME="{theme}"'])
    assert result.returncode == 1, result.log
    assert "Traceback" not in result.log
    assert result.log.splitlines()[-1] == undefined_name_line(theme)
    assert tree_hash(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "out", "theme"]
    # the next good build replaces the folder: the new post is there
    assert build(out, content=content).returncode == 0
    assert (out / "news/2025/03/new/index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "out", "theme"]


def test_debug_keeps_pelicans_traceback(tmp_path):
    content = tmp_path / "content"
    write_post(content / "news", "2025-03-01-kept.md", 'title: "Kept"\ndate: 2025-03-01')
    theme = broken_theme(tmp_path)
    result = build(tmp_path / "out", content=content, extra=["-D", "-e", f'THEME="{theme}"'])
    assert result.returncode == 1
    assert "Traceback" in result.log and "jinja2.exceptions.UndefinedError" in result.log
    assert result.log.splitlines()[-1].startswith("build: error: Pelican stopped in ")


def test_a_page_failing_in_a_writing_process_is_the_same_one_line(tmp_path):
    """The article pages are written by forked processes (newsroom/writer.py): a template
    failing only for a page another process writes (its share: crc32 of the output name)
    stops the build with the same line as in the build's own process, nothing written."""
    content, out = tmp_path / "content", tmp_path / "out"
    slugs = [f"story-{k}" for k in range(20)]
    forked = next(s for s in slugs if zlib.crc32(f"news/2025/03/{s}/index.html".encode()) % 2)
    for k, slug in enumerate(slugs):
        write_post(content / "news", f"2025-03-{k + 1:02d}-{slug}.md",
                   f'title: "Story {k}"\ndate: 2025-03-{k + 1:02d}')
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    template = theme / "templates/article.html"
    template.write_text(f'{{% if article.slug == "{forked}" %}}{{{{ nosuch.thing() }}}}'
                        "{% endif %}\n" + template.read_text(encoding="utf-8"), encoding="utf-8")
    result = build(out, content=content, extra=["-e", f'THEME="{theme}"', "NEWS_WRITE_WORKERS=2"])
    assert result.returncode == 1, result.log
    assert "Traceback" not in result.log
    assert result.log.splitlines()[-1] == undefined_name_line(theme)
    assert not out.exists()


def test_a_200_megapixel_hero_is_one_line_from_check_and_build(tmp_path):
    """Pillow refuses over 179 MP (DecompressionBombError) and warns over 89 MP; the image
    is made here (a 1-bit PNG of a few KB), never committed."""
    content = tmp_path / "content"
    post = write_post(content / "news", "2025-03-01-huge.md", 'title: "Huge"\ndate: 2025-03-01\n'
                      'image: images/huge.png\nimage_alt: "A grey field"')
    (content / "images").mkdir()
    Image.new("1", (15000, 14000)).save(content / "images/huge.png")
    line = (f"{post.relative_to(ROOT) if post.is_relative_to(ROOT) else post}:4: error: image "
            "'images/huge.png': it has more than 179 megapixels, far too many for a web page; "
            "resize it to at most 2400 pixels wide and save it as JPEG at quality 80")
    check = run_module("newsroom.check", "--settings", ROOT / "pelicanconf.py", content)
    assert check.returncode == 1 and check.stdout.splitlines() == [line], check.stderr
    result = build(tmp_path / "out", content=content)
    assert result.returncode == 1 and "Traceback" not in result.log, result.log
    assert result.log.splitlines()[0] == line


def test_a_hero_over_two_megabytes_is_a_warning_and_still_builds(tmp_path):
    content = tmp_path / "content"
    write_post(content / "news", "2025-03-01-heavy.md", 'title: "Heavy"\ndate: 2025-03-01\n'
               'image: images/noise.png\nimage_alt: "Noise"')
    (content / "images").mkdir()
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(content / "images/noise.png")
    result = build(tmp_path / "out", content=content)
    assert result.returncode == 0, result.log
    assert ":4: warning: image 'images/noise.png': it is 3.0 MB (more than 2)" in result.log
    assert (tmp_path / "out/news/2025/03/heavy/index.html").is_file()
