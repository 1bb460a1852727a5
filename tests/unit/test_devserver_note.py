"""While the rest of the preview is rebuilt after a saved post's own page (the fast path,
newsroom/preview.py), every page the devserver serves says so, just after its <body> tag;
before and after, the file is served as built. The devserver over HTTP is tested in
tests/browser/test_preview.py and tests/build/test_preview_builder.py."""

from newsroom import devserver
from newsroom.devserver import UPDATING_NOTE, ErrorPageHandler, with_note

PAGE = b'<!doctype html>\n<html lang="en-GB">\n<body class="home">\n<h1>News</h1>\n</body></html>'


def test_the_note_goes_just_after_the_body_tag_and_nowhere_else():
    noted = with_note(PAGE)
    assert noted == PAGE.replace(b'<body class="home">',
                                 b'<body class="home">' + UPDATING_NOTE.encode())
    assert with_note(b"no body here") == b"no body here"


def test_html_files_carry_the_note_only_while_the_rest_is_rebuilt(tmp_path, monkeypatch):
    page, style = tmp_path / "index.html", tmp_path / "site.css"
    page.write_bytes(PAGE)
    style.write_bytes(b"body{}")

    def served(path):  # bytes, or an iterator of them, as tornado's StaticFileHandler has it
        content = ErrorPageHandler.get_content(str(path))
        return content if isinstance(content, bytes) else b"".join(content)

    assert served(page) == PAGE
    monkeypatch.setattr(devserver, "UPDATING", [True])
    assert served(page) == with_note(PAGE)
    assert served(style) == b"body{}"
