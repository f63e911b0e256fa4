"""delugelang: a sandboxed engine for Deluge-style CRM custom functions.

    import delugelang
    program = delugelang.compile('info "Hello " + input.First_Name;')
    result = program.run(record={"First_Name": "Ada"})
    result.info   # ("Hello Ada",)
"""

from __future__ import annotations

import importlib

# The public names load on first use (PEP 562): importing any part of the package, the
# `dg` command's argument parsing for instance, does not compile-in the whole engine.
_PUBLIC = {
    "compile": "program", "check_source": "program", "Program": "program",
    "Result": "program", "Stats": "program",
    "Limits": "limits", "CRM": "limits", "CREATOR": "limits", "profile": "limits",
    "Services": "services",
    "DelugeError": "errors", "ParseError": "errors", "CheckError": "errors",
    "ScriptError": "errors", "LimitError": "errors", "HostDataError": "errors",
    "Problem": "errors",
}

__all__ = list(_PUBLIC)
__version__ = "0.1.0"


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'delugelang' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next lookup is a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})
