"""The build pipeline's own verification (newsroom.build): Pelican can skip a post and exit
0 (pelican-facts.md, "Exit 0 on lost content"); the pipeline then refuses the build."""

from conftest import build, write_post


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
    assert (tmp_path / "out/news/2025/03/kept/index.html").is_file()  # Pelican itself ran
