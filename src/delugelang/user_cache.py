"""The private per-user cache directory (the grammar cache, `dg run`'s compiled programs)."""

from __future__ import annotations

import os


def cache_base() -> str:
    """$DG_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache, plus "delugelang" (not created)."""
    base = os.environ.get("DG_CACHE_DIR")
    if base:
        return base
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(root, "delugelang")


def private_cache_dir(*parts: str) -> str | None:
    """$DG_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache, plus "delugelang" (and `parts`, a
    subdirectory), created 0700 and returned only when it is ours and private (neither
    group nor others may write it); else None. What is cached there is loaded as code (a
    pickle, marshal data), so it must never live where another user could plant it.
    A plain path: neither pathlib nor the parser at start-up."""
    base = cache_base()
    path = os.path.join(base, *parts)
    for directory in (base, path) if parts else (base,):
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            info = os.stat(directory)
        except OSError:
            return None
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
            return None
    return path
