"""In-memory record backends: for fixtures, tests and dry runs over a real store."""

from __future__ import annotations

import copy
import threading
from contextlib import contextmanager
from typing import Iterator

from delugelang.records.backend import STANDARD_MODULES

FIXTURE_PREFIX = "5725767"


class MemoryBackend:
    """Records in a dict; `batch()` restores the previous state when the block fails.

    A stored row is never changed in place (writes store a copy, reads hand out copies), so
    a batch rolls back from shallow copies of the modules it touched, taken on first write:
    a write costs the same however many records the store holds."""

    def __init__(self, prefix: str = FIXTURE_PREFIX):
        self.prefix = prefix
        self._modules: dict[str, dict[str, dict]] = {m: {} for m in STANDARD_MODULES}
        self._counter = 1_000_000
        self._guard = threading.RLock()
        self._batches: list[dict[str, dict | None]] = []  # per open batch: module -> rows before

    @contextmanager
    def batch(self):
        with self._guard:
            saved: dict[str, dict | None] = {}
            counter = self._counter
            self._batches.append(saved)
            try:
                yield
            except BaseException:
                self._restore(saved)
                self._counter = counter
                raise
            finally:
                self._batches.pop()

    def _rows(self, module: str, *, create: bool = False) -> dict[str, dict]:
        """The module's rows, about to be written: each open batch saves them first."""
        rows = self._modules.get(module)
        for saved in self._batches:
            if module not in saved:
                saved[module] = None if rows is None else dict(rows)
        if rows is None:
            if not create:
                raise KeyError(module)
            rows = self._modules[module] = {}
        return rows

    def _restore(self, saved: dict[str, dict | None]) -> None:
        for module, rows in saved.items():
            if rows is None:
                self._modules.pop(module, None)
            else:
                self._modules[module] = rows

    def module(self, name: str) -> str | None:
        lowered = str(name).lower()
        return next((m for m in self._modules if m.lower() == lowered), None)

    def add_module(self, name: str) -> str:
        with self._guard:
            existing = self.module(name)
            if existing is None:
                self._rows(name, create=True)
            return existing or name

    def modules(self) -> list[tuple[str, int]]:
        return [(name, len(rows)) for name, rows in self._modules.items()]

    def new_id(self) -> str:
        with self._guard:
            self._counter += 1
            return f"{self.prefix}{self._counter:012d}"

    def user_id(self) -> str:
        return f"{self.prefix}{1:012d}"

    def insert(self, module: str, record: dict) -> None:
        with self._guard:
            self._rows(module)[str(record["id"])] = copy.deepcopy(record)

    def replace(self, module: str, record: dict) -> None:
        self.insert(module, record)

    def fetch(self, module: str, record_id: str) -> dict | None:
        row = self._modules.get(module, {}).get(str(record_id))
        return copy.deepcopy(row) if row is not None else None

    def scan(self, module: str) -> Iterator[dict]:
        for row in list(self._modules.get(module, {}).values()):
            yield copy.deepcopy(row)

    def remove(self, module: str, record_id: str) -> bool:
        with self._guard:
            if module not in self._modules:
                return False
            return self._rows(module).pop(str(record_id), None) is not None


class OverlayBackend(MemoryBackend):
    """Reads fall through to `base`; writes stay in memory (a dry run writes nothing)."""

    def __init__(self, base):
        super().__init__(prefix=base.user_id()[:7])
        self.base = base
        self._deleted: set[str] = set()
        self._counter = 900_000_000_000

    def module(self, name: str) -> str | None:
        return super().module(name) or self.base.module(name)

    def add_module(self, name: str) -> str:
        return self.module(name) or super().add_module(name)

    def modules(self) -> list[tuple[str, int]]:
        return self.base.modules()

    def user_id(self) -> str:
        return self.base.user_id()

    def insert(self, module: str, record: dict) -> None:
        with self._guard:
            self._rows(module, create=True)
            super().insert(module, record)

    def fetch(self, module: str, record_id: str) -> dict | None:
        if str(record_id) in self._deleted:
            return None
        return super().fetch(module, record_id) or self.base.fetch(module, record_id)

    def scan(self, module: str) -> Iterator[dict]:
        local = self._modules.get(module, {})
        in_base = set()
        for row in self.base.scan(module):
            rid = str(row["id"])
            in_base.add(rid)
            if rid not in self._deleted:
                yield copy.deepcopy(local.get(rid, row))
        for rid, row in list(local.items()):
            if rid not in in_base:  # written in the dry run only
                yield copy.deepcopy(row)

    def remove(self, module: str, record_id: str) -> bool:
        found = self.fetch(module, record_id) is not None
        self._deleted.add(str(record_id))
        super().remove(module, record_id)
        return found
