"""``python -m drafting.cli``: the same command line as the installed ``drafting``."""

import sys

from .main import main

sys.exit(main())
