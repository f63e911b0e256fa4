"""Finding test files: `*.test.json` under directories, or beside a named `.dg` file."""

from __future__ import annotations

from pathlib import Path

from .spec import SUFFIX

_SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".dg"}


class DiscoveryError(ValueError):
    """A path given on the command line that names no test file."""


def discover(paths: list[str]) -> list[Path]:
    """Test files for command-line paths, each once, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(_under(path))
        elif path.is_file() and path.name.endswith(SUFFIX):
            found.append(path)
        elif path.is_file() and path.suffix == ".dg":
            beside = path.with_name(path.stem + SUFFIX)
            if not beside.is_file():
                raise DiscoveryError(f"{raw} has no test file beside it (expected {beside})")
            found.append(beside)
        elif path.exists():
            raise DiscoveryError(f"{raw} is not a test file: name a directory, a *{SUFFIX} "
                                 f"file or a .dg file")
        else:
            raise DiscoveryError(f"no such file or directory: {raw}")
    unique: dict = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _under(directory: Path) -> list[Path]:
    out = []
    for path in sorted(directory.rglob("*" + SUFFIX)):
        if any(part in _SKIPPED_DIRS for part in path.relative_to(directory).parts[:-1]):
            continue
        if path.is_file():
            out.append(path)
    return out
