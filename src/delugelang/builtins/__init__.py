"""Deluge's built-in functions and methods, registered when their module is imported."""

from __future__ import annotations

import importlib

from .registry import FUNCTIONS, METHODS  # noqa: F401

_LOADED = False


def load_all() -> None:
    """Import every builtin module in this package once (each registers its builtins)."""
    global _LOADED
    if _LOADED:
        return
    import pkgutil  # only here: a run loads just the builtins it calls (load_for)

    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name not in ("registry", "docgen"):
            importlib.import_module(f"{__name__}.{info.name}")
    _LOADED = True


_LOADED_FOR: set = set()  # names whose modules load_for imported


def load_for(name: str) -> None:
    """Import the builtin modules that register `name` (a function or method name, in any
    case), in the order load_all() would; every module for a name the index lacks."""
    if _LOADED or name in _LOADED_FOR:  # the compiler asks once per call site
        return
    from .index import MODULES

    modules = MODULES.get(name.lower())
    if modules is None:
        load_all()
        return
    for module in modules:
        importlib.import_module(f"{__name__}.{module}")
    _LOADED_FOR.add(name)
