"""Tests for delugelang.net (a package, so its conftest does not shadow tests/conftest.py)."""
