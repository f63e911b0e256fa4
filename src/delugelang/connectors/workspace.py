"""Definition files in the workspace: `connectors/<name>.json` and `extensions/<name>.json`."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

from delugelang.connectors.errors import DefinitionError, NotFoundError
from delugelang.connectors.model import NAME_PATTERN, Connector, Extension, check_name

CONNECTORS_DIR = "connectors"
EXTENSIONS_DIR = "extensions"

T = TypeVar("T")


class Definitions:
    """Reads and writes definitions as sorted, indented JSON fit for version control.

    Files never hold a secret: client secrets, tokens and publish state live in the
    workspace state (delugelang.state).
    """

    def __init__(self, workspace_dir: str | os.PathLike):
        self.root = Path(workspace_dir)

    def connector_path(self, name: str) -> Path:
        return self.root / CONNECTORS_DIR / f"{check_name(name, 'connector')}.json"

    def extension_path(self, name: str) -> Path:
        return self.root / EXTENSIONS_DIR / f"{check_name(name, 'extension')}.json"

    # -- connectors ------------------------------------------------------------------

    def find_connector(self, name: str) -> Connector | None:
        """The connector named `name` (any case), or None if absent or not a valid name."""
        return self._find(self.root / CONNECTORS_DIR, name, Connector.from_dict)

    def connector(self, name: str) -> Connector:
        found = self.find_connector(name)
        if found is None:
            raise NotFoundError(f"there is no connector named {name!r}")
        return found

    def save_connector(self, connector: Connector) -> None:
        connector = connector.validated()
        _write_json(self.connector_path(connector.name), connector.to_dict())

    def delete_connector(self, name: str) -> None:
        self.connector_path(name).unlink(missing_ok=True)

    def connectors(self) -> list[Connector]:
        return self._all(CONNECTORS_DIR, self.connector)

    # -- extensions ------------------------------------------------------------------

    def find_extension(self, name: str) -> Extension | None:
        return self._find(self.root / EXTENSIONS_DIR, name, Extension.from_dict)

    def extension(self, name: str) -> Extension:
        found = self.find_extension(name)
        if found is None:
            raise NotFoundError(f"there is no extension named {name!r}")
        return found

    def save_extension(self, extension: Extension) -> None:
        extension = extension.validated()
        _write_json(self.extension_path(extension.name), extension.to_dict())

    def extensions(self) -> list[Extension]:
        return self._all(EXTENSIONS_DIR, self.extension)

    # -- helpers ---------------------------------------------------------------------

    @staticmethod
    def _find(directory: Path, name: str, parse: Callable[[dict], T]) -> T | None:
        lowered = name.lower() if isinstance(name, str) else ""
        if not NAME_PATTERN.match(lowered):
            return None
        path = directory / f"{lowered}.json"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except UnicodeDecodeError:
            raise DefinitionError(f"{path} is not UTF-8 text") from None
        except OSError as exc:
            raise DefinitionError(f"cannot read {path}: {exc.strerror}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DefinitionError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: "
                                  f"{exc.msg}") from None
        try:
            found = parse(data)
        except DefinitionError as exc:
            raise DefinitionError(f"{path}: {exc.message}") from None
        if getattr(found, "name", None) != lowered:
            raise DefinitionError(f"{path} defines {getattr(found, 'name', None)!r}, not {lowered!r}")
        return found

    def _all(self, subdir: str, load: Callable[[str], T]) -> list[T]:
        directory = self.root / subdir
        if not directory.is_dir():
            return []
        stems = sorted(p.stem for p in directory.glob("*.json") if NAME_PATTERN.match(p.stem))
        return [load(stem) for stem in stems]


def _write_json(path: Path, data: dict) -> None:
    """Write atomically (temp file + rename) so a reader never sees half a definition."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
