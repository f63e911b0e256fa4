"""Records in the workspace's SQLite state (`.dg/state.sqlite3`, shared with connectors)."""

from __future__ import annotations

import json
import secrets
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from delugelang.records.backend import STANDARD_MODULES
from delugelang.state import StateStore

COMPONENT = "records"
MIGRATIONS = (
    (
        """CREATE TABLE record_module (
               name TEXT PRIMARY KEY COLLATE NOCASE,
               custom INTEGER NOT NULL,
               created_at REAL NOT NULL
           )""",
        """CREATE TABLE record (
               seq INTEGER PRIMARY KEY AUTOINCREMENT,
               id TEXT NOT NULL UNIQUE,
               module TEXT NOT NULL COLLATE NOCASE,
               data TEXT NOT NULL,
               modified_at REAL NOT NULL
           )""",
        "CREATE INDEX record_by_module ON record (module, seq)",
        """CREATE TABLE record_meta (
               key TEXT PRIMARY KEY,
               value TEXT NOT NULL
           )""",
        *(f"INSERT INTO record_module (name, custom, created_at) VALUES ('{name}', 0, 0)"
          for name in STANDARD_MODULES),
    ),
)

_FIRST_RECORD = 1_000_000


class SQLiteBackend:
    """The RecordBackend over a StateStore. Record ids are `<7-digit workspace prefix>` plus a
    12-digit counter, 19 digits in all like Zoho's (e.g. 4876876000001000001)."""

    def __init__(self, state: StateStore):
        self.state = state
        state.ensure_schema(COMPONENT, MIGRATIONS)
        self._local = threading.local()
        self._prefix: str | None = None
        self._modules: dict[str, str] = {}  # lower-cased name -> canonical committed name

    def __repr__(self) -> str:
        return f"SQLiteBackend({self.state!r})"

    def close(self) -> None:
        """Close the state's connections; the backend reopens one when used again."""
        self.state.close()

    # -- transactions ----------------------------------------------------------------

    @contextmanager
    def batch(self):
        if getattr(self._local, "conn", None) is not None:
            yield  # already inside a batch: the outer one commits
            return
        with self.state.transaction(write=True) as conn:
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None

    @contextmanager
    def _tx(self, write: bool = False):
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        with self.state.transaction(write=write) as conn:
            yield conn

    # -- modules and ids -------------------------------------------------------------

    def module(self, name: str) -> str | None:
        key = name.lower() if name.isascii() else None  # SQLite's NOCASE folds ASCII only
        known = self._modules.get(key)
        if known is not None:
            return known
        outside_batch = getattr(self._local, "conn", None) is None
        with self._tx() as conn:
            row = conn.execute("SELECT name FROM record_module WHERE name = ?", (name,)).fetchone()
        if row is None:
            return None
        if outside_batch and key is not None:
            # Committed modules are never renamed nor removed, so their canonical names can
            # be remembered; one added by a batch still open could yet be rolled back.
            self._modules[name.lower()] = row["name"]
        return row["name"]

    def add_module(self, name: str) -> str:
        with self._tx(write=True) as conn:
            conn.execute("INSERT INTO record_module (name, custom, created_at) VALUES (?, 1, ?)"
                         " ON CONFLICT(name) DO NOTHING", (name, time.time()))
            return conn.execute("SELECT name FROM record_module WHERE name = ?",
                                (name,)).fetchone()["name"]

    def modules(self) -> list[tuple[str, int]]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT m.name AS name, COUNT(r.seq) AS n FROM record_module m"
                " LEFT JOIN record r ON r.module = m.name GROUP BY m.name"
                " ORDER BY m.custom, m.rowid").fetchall()
        return [(row["name"], row["n"]) for row in rows]

    def prefix(self) -> str:
        if self._prefix is None:
            with self._tx(write=True) as conn:
                row = conn.execute("SELECT value FROM record_meta WHERE key = 'prefix'").fetchone()
                if row is None:
                    # Below 9,000,000 so every id fits Deluge's 64-bit NUMBER (as Zoho's do).
                    value = str(1_000_000 + secrets.randbelow(8_000_000))
                    conn.execute("INSERT INTO record_meta (key, value) VALUES ('prefix', ?)",
                                 (value,))
                else:
                    value = row["value"]
            self._prefix = value
        return self._prefix

    def new_id(self) -> str:
        prefix = self.prefix()
        with self._tx(write=True) as conn:
            row = conn.execute("SELECT value FROM record_meta WHERE key = 'counter'").fetchone()
            counter = (int(row["value"]) if row else _FIRST_RECORD) + 1
            conn.execute("INSERT INTO record_meta (key, value) VALUES ('counter', ?)"
                         " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (str(counter),))
        return f"{prefix}{counter:012d}"

    def user_id(self) -> str:
        return f"{self.prefix()}{1:012d}"

    # -- records ---------------------------------------------------------------------

    def insert(self, module: str, record: dict) -> None:
        with self._tx(write=True) as conn:
            conn.execute("INSERT INTO record (id, module, data, modified_at) VALUES (?, ?, ?, ?)",
                         (str(record["id"]), module, _dump(record), time.time()))

    def replace(self, module: str, record: dict) -> None:
        with self._tx(write=True) as conn:
            conn.execute("UPDATE record SET data = ?, modified_at = ? WHERE id = ? AND module = ?",
                         (_dump(record), time.time(), str(record["id"]), module))

    def fetch(self, module: str, record_id: str) -> dict | None:
        with self._tx() as conn:
            row = conn.execute("SELECT data FROM record WHERE id = ? AND module = ?",
                               (str(record_id), module)).fetchone()
        return json.loads(row["data"]) if row else None

    def scan(self, module: str) -> Iterator[dict]:
        with self._tx() as conn:
            rows = conn.execute("SELECT data FROM record WHERE module = ? ORDER BY seq",
                                (module,)).fetchall()
        for row in rows:
            yield json.loads(row["data"])

    def remove(self, module: str, record_id: str) -> bool:
        with self._tx(write=True) as conn:
            cur = conn.execute("DELETE FROM record WHERE id = ? AND module = ?",
                               (str(record_id), module))
        return cur.rowcount > 0


def _dump(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
