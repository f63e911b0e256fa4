"""Deluge's built-in functions and methods; importing this package registers all of them."""

from __future__ import annotations

import importlib
import pkgutil

from .registry import FUNCTIONS, METHODS  # noqa: F401

_LOADED = False


def load_all() -> None:
    """Import every builtin module in this package once (each registers its builtins)."""
    global _LOADED
    if _LOADED:
        return
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name not in ("registry", "docgen"):
            importlib.import_module(f"{__name__}.{info.name}")
    _LOADED = True
