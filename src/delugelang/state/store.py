"""The workspace's embedded SQLite state: versioned schemas per component, sealed secrets, locks."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Iterator, Sequence

from delugelang.state.connections import ConnectionPool
from delugelang.state.crypto import SecretBox, load_or_create_key
from delugelang.state.errors import StateError
from delugelang.state.locks import named_lock

STATE_DIR = ".dg"
DB_FILE = "state.sqlite3"
KEY_FILE = "secret.key"
LOCK_DIR = "locks"

# A migration is a tuple of SQL statements; a component's version is how many it applied.
Migration = Sequence[str]

CORE_MIGRATIONS: tuple[Migration, ...] = (
    (
        """CREATE TABLE secret (
               scope TEXT NOT NULL,
               name TEXT NOT NULL,
               value BLOB NOT NULL,
               updated_at REAL NOT NULL,
               PRIMARY KEY (scope, name)
           )""",
    ),
)

_BOOTSTRAP = """CREATE TABLE IF NOT EXISTS schema_version (
                    component TEXT PRIMARY KEY,
                    version INTEGER NOT NULL
                )"""


class StateStore:
    """One workspace's state database under `<workspace>/.dg/`.

    Components (the core, connectors, and later records and workflow logs) each own
    tables and declare their migrations through `ensure_schema(component, migrations)`;
    `schema_version` records how far each one got. Secrets are sealed with AES-GCM,
    bound to their (scope, name), before they touch the file.
    """

    def __init__(self, workspace_dir: str | os.PathLike, *, key: bytes | None = None,
                 busy_timeout: float = 30.0, environ=os.environ):
        self.directory = Path(workspace_dir) / STATE_DIR
        self.path = self.directory / DB_FILE
        self.busy_timeout = busy_timeout
        self._key = key
        self._environ = environ
        self._box: SecretBox | None = None
        self._ready: set[str] = set()
        self._ready_guard = threading.Lock()
        self._pool = ConnectionPool(partial(_open_database, self.path, busy_timeout))
        weakref.finalize(self, self._pool.close)

    def __repr__(self) -> str:
        return f"StateStore({str(self.path)!r})"

    # -- connections and transactions -------------------------------------------------

    def close(self) -> None:
        """Close the open connections (busy ones when their transaction ends). The store
        stays usable: the next transaction opens a connection again."""
        self._pool.close()

    def __enter__(self) -> "StateStore":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """A connection inside BEGIN (or BEGIN IMMEDIATE when `write`), committed on success
        and rolled back if the block raises."""
        self._ensure_core()
        with self._raw_transaction(write) as conn:
            yield conn

    @contextmanager
    def _raw_transaction(self, write: bool) -> Iterator[sqlite3.Connection]:
        conn = self._acquire()
        reusable = False
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
            except BaseException:
                if self._pool.owns(conn):
                    if conn.in_transaction:  # SQLite may have rolled back already
                        conn.execute("ROLLBACK")
                    reusable = True
                raise
            if not self._pool.owns(conn):
                raise StateError("a transaction begun before os.fork() cannot be committed "
                                 "in the forked process")
            conn.execute("COMMIT")
            reusable = True
        except sqlite3.OperationalError as exc:
            reusable = False
            raise StateError(f"the workspace state is unavailable ({exc})") from None
        finally:
            self._pool.release(conn, reusable=reusable)

    def _acquire(self) -> sqlite3.Connection:
        try:
            return self._pool.acquire()
        except (sqlite3.Error, OSError) as exc:
            hint = "" if os.access(self.directory, os.W_OK) else \
                "; the workspace must be writable, even to read it"
            raise StateError(f"cannot open the workspace state at {self.path} ("
                             f"{getattr(exc, 'strerror', None) or exc}{hint})") from None

    # -- schema versions -------------------------------------------------------------

    def ensure_schema(self, component: str, migrations: Sequence[Migration]) -> None:
        """Apply the migrations of `component` that this database has not seen yet."""
        if component in self._ready:
            return
        with self._ready_guard:
            if component in self._ready:
                return
            with self._raw_transaction(write=True) as conn:
                conn.execute(_BOOTSTRAP)
                done = self._version(conn, component)
                if done > len(migrations):
                    raise StateError(f"the workspace state was written by a newer delugelang "
                                     f"({component} schema {done})")
                for statements in migrations[done:]:
                    for sql in statements:
                        conn.execute(sql)
                conn.execute("INSERT INTO schema_version (component, version) VALUES (?, ?) "
                             "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                             (component, len(migrations)))
            self._ready.add(component)

    def schema_versions(self) -> dict[str, int]:
        with self.transaction() as conn:
            return {row["component"]: row["version"]
                    for row in conn.execute("SELECT component, version FROM schema_version")}

    @staticmethod
    def _version(conn: sqlite3.Connection, component: str) -> int:
        row = conn.execute("SELECT version FROM schema_version WHERE component = ?",
                           (component,)).fetchone()
        return row["version"] if row else 0

    def _ensure_core(self) -> None:
        self.ensure_schema("core", CORE_MIGRATIONS)

    # -- sealing ---------------------------------------------------------------------

    @property
    def box(self) -> SecretBox:
        if self._box is None:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            key = self._key or load_or_create_key(self.directory / KEY_FILE, self._environ)
            self._box = SecretBox(key)
        return self._box

    def seal(self, value: str, context: str) -> bytes:
        return self.box.seal(value.encode("utf-8"), context)

    def unseal(self, blob: bytes, context: str) -> str:
        return self.box.open(bytes(blob), context).decode("utf-8")

    # -- generic secrets -------------------------------------------------------------

    def put_secret(self, scope: str, name: str, value: str) -> None:
        blob = self.seal(value, _secret_context(scope, name))
        with self.transaction(write=True) as conn:
            conn.execute("INSERT INTO secret (scope, name, value, updated_at) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT(scope, name) DO UPDATE SET value = excluded.value, "
                         "updated_at = excluded.updated_at", (scope, name, blob, time.time()))

    def get_secret(self, scope: str, name: str) -> str | None:
        with self.transaction() as conn:
            row = conn.execute("SELECT value FROM secret WHERE scope = ? AND name = ?",
                               (scope, name)).fetchone()
        return None if row is None else self.unseal(row["value"], _secret_context(scope, name))

    def delete_secrets(self, scope: str, name: str | None = None) -> None:
        with self.transaction(write=True) as conn:
            if name is None:
                conn.execute("DELETE FROM secret WHERE scope = ?", (scope,))
            else:
                conn.execute("DELETE FROM secret WHERE scope = ? AND name = ?", (scope, name))

    # -- locks -----------------------------------------------------------------------

    def lock(self, name: str, timeout: float = 60.0):
        """A lock named `name` shared by every thread and process using this workspace."""
        lock_dir = self.directory / LOCK_DIR
        lock_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        return named_lock(lock_dir, name, timeout)


def _open_database(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A connection in WAL mode, with the busy timeout, in autocommit (we BEGIN ourselves).
    Pooled connections move between threads, one at a time: see ConnectionPool."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None,
                           check_same_thread=False)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
    except BaseException:
        conn.close()
        raise
    return conn


def _secret_context(scope: str, name: str) -> str:
    return f"secret\x00{scope}\x00{name}"
