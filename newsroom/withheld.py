"""Files held back: what only unpublished posts use stays out of the output until one is live.

A file in a static folder (`STATIC_PATHS`: an image, a PDF) that a post uses, as its hero
`image:` or through a `{static}`/`{attach}` link in its body (`newsroom.links.static_uses`),
is published only once a post or page using it is written. A file that only drafts and
embargoed posts use is withheld: its name and its bytes would tell what is coming (an
embargoed award's photo, a pay offer's PDF) before the embargo lifts. The first build at or
after the embargo time writes the post, so the file goes out with it, with no edit. A file
no post uses (a shared image, the favicon) is published as Pelican always does.

"Written" is Pelican's own answer: a document whose `save_as` is empty is not written
(pelicanconf.py: `DRAFT_SAVE_AS = ""`, and with `WITH_FUTURE_DATES = False` an embargoed
post is a draft). The preview settings (previewconf.py) write drafts under drafts/, so there
their files are published too and the preview shows them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from .layout import Layout
from .links import static_uses


def withheld_files(written: Iterable[str], unwritten: Iterable[str], read: Callable,
                   layout: Layout) -> set[str]:
    """The absolute paths of the files that the content files `unwritten` use and the
    content files `written` do not (module docstring). Both are paths of posts or pages;
    `read(path)` returns their ParsedFile (normally `newsroom.source.read`). Never raises
    for a file that is missing: it is simply not withheld from anything."""
    used_live: set[str] = set()
    for path in written:
        used_live |= static_uses(read(path), layout)
    held: set[str] = set()
    for path in unwritten:
        held |= static_uses(read(path), layout)
    return {path for path in held - used_live if os.path.isfile(path)}
