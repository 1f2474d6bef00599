"""``python -m drafting``: the same command line as the installed ``drafting``."""

import sys

from .cli.main import main

sys.exit(main())
