"""The compressed copies (newsroom/compress.py) are byte for byte what pelican-precompress's
own driver writes for the same files and settings, copies that would be larger left out,
an existing right copy kept as it is and a stale one replaced; small files skipped."""

import gzip
import random
import shutil
import types

from pelican.plugins import precompress

from helpers import tree_hash
from newsroom.compress import compress_output

SETTINGS = {"PRECOMPRESS_BROTLI": False, "PRECOMPRESS_ZOPFLI": False,
            "PRECOMPRESS_ZSTANDARD": False, "PRECOMPRESS_OVERWRITE": True,
            "PRECOMPRESS_TEXT_EXTENSIONS": {".html", ".css", ".json", ".txt"}}


def site(folder):
    (folder / "news/2025").mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><p>News</p>\n" * 200)
    (folder / "news/2025/page.html").write_text("<p>Pay award &amp; PRB</p>\n" * 50)
    (folder / "site.css").write_text("body{margin:0}\n" * 30)
    (folder / "tiny.txt").write_text("ok")                      # under the minimum size
    (folder / "random.json").write_bytes(random.Random(1).randbytes(600))  # would grow: no copy
    (folder / "logo.png").write_bytes(b"\x89PNG" + b"\0" * 400)   # not a text file
    (folder / "site.css.gz").write_bytes(gzip.compress(b"stale"))  # replaced
    return folder


def pelican(folder):
    return types.SimpleNamespace(settings={**SETTINGS, "OUTPUT_PATH": str(folder)})


def test_the_copies_are_pelican_precompress_s(tmp_path):
    ours, theirs = site(tmp_path / "ours"), tmp_path / "theirs"
    shutil.copytree(ours, theirs)
    assert compress_output(pelican(ours)) == 4  # the text files of at least 20 bytes
    precompress.compress_files(pelican(theirs))
    assert tree_hash(ours) == tree_hash(theirs)
    assert gzip.decompress((ours / "site.css.gz").read_bytes()) == (ours / "site.css").read_bytes()
    assert not (ours / "tiny.txt.gz").exists() and not (ours / "random.json.gz").exists()
    assert not (ours / "logo.png.gz").exists()
    kept = (ours / "index.html.gz").stat().st_ino
    compress_output(pelican(ours))                               # again: nothing rewritten
    assert (ours / "index.html.gz").stat().st_ino == kept
