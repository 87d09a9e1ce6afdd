"""``python -m rocksq``: the rocksq command line tool (see rocksq.cli)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
