"""`python -m delugelang` runs the `dg` command."""

import sys

from .cli import main

sys.exit(main())
