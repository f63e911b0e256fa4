"""`python -m delugelang.cli` runs the `dg` command."""

import sys

from . import main

sys.exit(main())
