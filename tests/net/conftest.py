"""Fixtures for the HTTP client tests: loopback listeners that record what reaches them."""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import delugelang.net  # noqa: F401
except ImportError:  # running from a checkout that is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
