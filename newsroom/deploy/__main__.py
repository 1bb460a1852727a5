"""`python -m newsroom.deploy deploy|setup|rollback|releases ...` (see newsroom.deploy.cli)."""

import sys

from newsroom.deploy.cli import main

if __name__ == "__main__":
    sys.exit(main())
