"""The `.gz` (and, if enabled, `.br`/`.zst`) copies beside each text file of a production
build, for nginx's gzip_static (deploy/nginx.conf): pelican-precompress's own compressors
and per-file rule (`precompress.worker`: skip a copy that would be larger, leave an
existing copy whose content is already the file's, PRECOMPRESS_OVERWRITE), with its
settings (`PRECOMPRESS_*`, `precompress.get_settings`), driven with bounded memory.

Why not the plugin itself: its `compress_files` reads every file and queues all their
bytes to its pool at once, so a build's peak memory grew with the site (measured: +19 MiB
at 1,000 posts, about +100 MiB at 5,000; issue 11's memory target). Here the pool's
workers are given paths and read each file themselves (`multiprocessing.Pool.imap`), so
only the files being compressed are in memory. The bytes written are the plugin's. A page
kept from the last build with its copies (newsroom/pagememo.py) is not looked at again.

`compress_output(pelican_object)`: called by plugins/compressed_copies.py at
pelican-granular-signals' "compress" signal (after `finalized`, as the plugin is).
Settings read: `PRECOMPRESS_*`, `OUTPUT_PATH`, `NEWS_WRITE_WORKERS` (processes; None: one
per core).
"""

from __future__ import annotations

import multiprocessing
import os

from pelican.plugins import precompress


# The formats `precompress.compress_files` knows, in its order: (setting, name, extension,
# compressor, decompressor); zopfli writes .gz too (get_settings turns gzip off for it).
FORMATS = (
    ("PRECOMPRESS_BROTLI", "brotli", ".br", "compress_with_brotli", "decompress_with_brotli"),
    ("PRECOMPRESS_GZIP", "gzip", ".gz", "compress_with_gzip", "decompress_with_gzip"),
    ("PRECOMPRESS_ZOPFLI", "zopfli", ".gz", "compress_with_zopfli", "decompress_with_gzip"),
    ("PRECOMPRESS_ZSTANDARD", "zstandard", ".zst", "compress_with_zstandard",
     "decompress_with_zstandard"),
)
# The names the copies of a file may have: the file's name and one of these.
COMPRESSED_SUFFIXES = tuple(dict.fromkeys(extension for _, _, extension, _, _ in FORMATS))


def formats(settings: dict) -> list[tuple]:
    """The enabled formats as `precompress.compress_files` lists them: (name, extension,
    compressor, decompressor)."""
    return [(name, extension, getattr(precompress, compressor), getattr(precompress, decompressor))
            for setting, name, extension, compressor, decompressor in FORMATS if settings[setting]]


def _kept(path, enabled: list[tuple]) -> bool:
    """True if the file and each of its copies are hard links to the last build's files:
    newsroom/pagememo.py links a page's copies with it only when the page is that build's,
    so the copies are already the page's."""
    try:
        return path.stat().st_nlink > 1 and all(
            os.stat(f"{path}{extension}").st_nlink > 1 for _, extension, _, _ in enabled)
    except OSError:
        return False


def _compress(job: tuple) -> None:
    """One file, in a worker: its bytes read here, each format by `precompress.worker`."""
    path, enabled, settings = job
    data = path.read_bytes()
    for enabled_format in enabled:
        precompress.worker(data, path, enabled_format, settings)


def compress_output(pelican_object) -> int:
    """Write the compressed copies of the text files of the build's output; return how
    many files were looked at (those kept with their copies are not)."""
    settings = precompress.get_settings(pelican_object)
    enabled = formats(settings)
    if not enabled:
        return 0
    minimum = settings["PRECOMPRESS_MIN_SIZE"]
    jobs = [(path, enabled, settings) for path in precompress.get_paths_to_compress(settings)
            if (not minimum or path.stat().st_size >= minimum) and not _kept(path, enabled)]
    workers = pelican_object.settings.get("NEWS_WRITE_WORKERS") or os.cpu_count() or 1
    with multiprocessing.Pool(workers) as pool:
        for _ in pool.imap_unordered(_compress, jobs, chunksize=16):
            pass
    return len(jobs)
