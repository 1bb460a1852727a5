"""Preview settings, used only by `make devserver` (newsroom/devserver.py): everything in
pelicanconf.py, plus drafts and embargoed (future-dated) posts written under drafts/.

Pelican gives both the status "draft", so the theme marks them with its draft banner.
`make html`, `make publish` and `make deploy` never read this file, so there drafts and
embargoed posts stay unwritten (pelicanconf.py: DRAFT_SAVE_AS = "").
"""

# Run from the repository root (`python -m ...` puts it first on the module path).
from pelicanconf import *  # noqa: F403

# --- URLs -----------------------------------------------------------------------------
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
DRAFT_PAGE_URL = "drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = "drafts/pages/{slug}/index.html"
