"""Compressed copies of the production build's text files: `newsroom.compress` as a plugin,
in place of pelican-precompress's own registration (publishconf.py), at the same moment:
pelican-granular-signals' "compress" signal, sent after Pelican's `finalized`.
"""

import blinker
import pelican.plugins.granular_signals

from newsroom.compress import compress_output


def register():
    pelican.plugins.granular_signals.register()
    blinker.signal("compress").connect(compress_output)
