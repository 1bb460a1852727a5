"""The redirects file's rules (newsroom/redirects.py): addresses, sections, duplicates,
chains and loops, and the addresses that must (not) be live."""

import pytest

from newsroom.redirects import (address_problems, gone_map, load_redirects, moved_map,
                                normalise)

PAY_JULY, PAY_AUGUST = "news/2025/07/pay-award/", "news/2025/08/pay-award/"


def load(tmp_path, text):
    path = tmp_path / "redirects.yml"
    path.write_text(text, encoding="utf-8")
    found, problems = load_redirects(str(path))
    return found, [(p.line, p.message) for p in problems]


@pytest.mark.parametrize("text, address", [
    ("news/2025/07/pay-award/", PAY_JULY),
    ("/news/2025/07/pay-award", PAY_JULY),
    ("https://news.northvale-polfed.example/news/2025/07/pay-award/", PAY_JULY),
    ("news/2025/07/Pay Award/", None),
    ("news/2025/07/pay-award/; return 200", None),  # never into nginx's configuration
    ("../etc/", None),
    ("news/" + "x" * 200 + "/", None),
])
def test_addresses_are_site_paths_and_nothing_else(text, address):
    assert normalise(text) == address


def test_a_good_file_and_its_nginx_maps(tmp_path):
    found, problems = load(tmp_path, f"# moved posts\nmoved:\n  {PAY_JULY}: /{PAY_AUGUST}\n"
                           "gone:\n  - news/2025/06/old/\n")
    assert problems == []
    assert found.moved == {PAY_JULY: (PAY_AUGUST, 3)} and found.gone == {"news/2025/06/old/": 5}
    assert moved_map(found).splitlines() == [
        f"/{PAY_JULY} /{PAY_AUGUST};", f"/{PAY_JULY.rstrip('/')} /{PAY_AUGUST};",
        f"/{PAY_JULY}index.html /{PAY_AUGUST};"]
    assert gone_map(found).splitlines()[0] == "/news/2025/06/old/ 1;"


def test_empty_sections_and_a_missing_file_are_no_redirects(tmp_path):
    assert load(tmp_path, "# nothing yet\nmoved:\ngone:\n")[1] == []
    found, problems = load_redirects(str(tmp_path / "none.yml"))
    assert (found.moved, found.gone, problems) == ({}, {}, [])


@pytest.mark.parametrize("text, line, message", [
    ("moved:\n  news/a/: news/b/\n  news/a/: news/c/\n", 3,
     "news/a/ is already listed on line 2; keep one line for each old address"),
    ("moved:\n  news/a/: news/b/\ngone:\n  - news/a/\n", 4,
     "news/a/ is already listed on line 2; keep one line for each old address"),
    ("moved:\n  news/a/: news/a/\n", 2, "news/a/ redirects to itself; remove the line"),
    ("moved:\n  news/a/: news/b/\n  news/b/: news/c/\n", 2,
     "news/a/ redirects to news/b/, which is itself moved (line 3): a chain; point it "
     "straight at news/c/"),
    ("moved:\n  news/a/: news/b/\n  news/b/: news/a/\n", 2,
     "news/a/ redirects to news/b/, which is itself moved (line 3): a loop: the addresses "
     "lead back to news/a/; keep the line that points at the live address"),
    ("moved:\n  news/a/: news/b/\ngone:\n  - news/b/\n", 2,
     "news/a/ redirects to news/b/, which is listed as gone (line 4); point it at a live "
     "address or list it as gone too"),
    ("moved:\n  news/a/: News B\n", 2,
     "'News B' is not a site address; write a site address such as news/2025/07/pay-award/ "
     "(lower-case, ending in /)"),
    ("moved:\n  - news/a/\n", 1,
     "moved: must be followed by 'old: new' lines, indented by two spaces"),
    ("redirects:\n  news/a/: news/b/\n", 1,
     "unknown section 'redirects'; the file has 'moved:' (old: new) and 'gone:' (a list)"),
    ("moved:\n news/a/: news/b/\n  news/c/: news/d/\n", 3,
     "this line cannot be read as 'old address: new address' or '- address'; keep two "
     "spaces before each line under moved: and gone:"),
])
def test_each_mistake_is_named_at_its_line(tmp_path, text, line, message):
    assert (line, message) in load(tmp_path, text)[1]


def test_new_addresses_must_be_live_and_old_ones_not(tmp_path):
    found, _ = load(tmp_path, f"moved:\n  {PAY_JULY}: {PAY_AUGUST}\n  news/x/: news/y/\n"
                    f"gone:\n  - news/z/\n")
    problems = [(p.line, p.message) for p in address_problems(found, {PAY_AUGUST, "news/z/"})]
    assert problems == [
        (3, "news/x/ redirects to news/y/, which no published post or page has; write the "
            "post's address as the site shows it now"),
        (5, "news/z/ is listed as gone but a published post or page has it; remove the line")]
    [(line, message)] = [(p.line, p.message) for p in address_problems(
        found, {PAY_JULY, PAY_AUGUST, "news/y/"})]
    assert line == 2 and message.startswith(f"{PAY_JULY} is still the address of a published")
