"""Run the deploy: `python -m newsroom.deploy deploy|setup|rollback|releases ...`.

Usage (from the repository root; `make deploy|deploy-setup|rollback|releases` wrap these)::

    .venv/bin/python -m newsroom.deploy deploy   [--target T] [--keep 5] [--dry-run] [--rebuild]
                                                 [--input content] [--settings publishconf.py]
                                                 [--max-shrink 0.2] [--allow-shrink]
                                                 [--siteurl URL]
    .venv/bin/python -m newsroom.deploy setup    [--target T]
    .venv/bin/python -m newsroom.deploy rollback [--target T] [--release ID]
    .venv/bin/python -m newsroom.deploy releases [--target T]

T (`--target`, default `$DEPLOY_TARGET`) is an absolute folder here or
`[user@]host:/absolute/folder` reached with ssh (`--ssh-port`/`$DEPLOY_SSH_PORT`;
`--ssh-config`/`$DEPLOY_SSH_CONFIG` is passed as `ssh -F`). A remote target is set up once
with `setup`; an absent or empty local one by its first deploy.

`deploy` builds only when its inputs differ from the live release's (`inputs`); with none
changed it prints `deploy: nothing changed since release <id> (live); no build`.

Exit status: 0 done (or nothing to do), 1 refused or failed (`deploy: error: <what>; <what
to do>`), 2 usage error. Needs Python 3.11, the site's .venv (Pelican), rsync and ssh.
"""

import sys

from newsroom.deploy.cli import main

if __name__ == "__main__":
    sys.exit(main())
