"""``python -m skdistill``: the same as the ``skdistill`` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
