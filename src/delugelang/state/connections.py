"""A process-wide pool of idle SQLite connections to one database; none is reused across a fork."""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Callable

MAX_IDLE = 4

# Connections that were in use when this process was forked from its parent. A child must
# neither use nor close a connection it inherited (https://www.sqlite.org/howtocorrupt.html,
# section 2.6): they stay here, untouched, for the life of the process.
_inherited: list[sqlite3.Connection] = []

_pools: "weakref.WeakSet[ConnectionPool]" = weakref.WeakSet()
_pools_guard = threading.Lock()
_forking: list["ConnectionPool"] = []


class ConnectionPool:
    """Hands out connections made by `opener` (with check_same_thread=False), each to one
    thread at a time, and keeps up to MAX_IDLE of them open between transactions.

    `close()` closes the idle ones at once and the busy ones when they are released. Idle
    connections are closed before a fork; one that crosses a fork busy (a fork inside a
    transaction) is never reused nor closed by the child.
    """

    def __init__(self, opener: Callable[[], sqlite3.Connection]):
        self._open = opener
        # Re-entrant: a store's finalizer (pool.close) may run from a garbage collection
        # inside a section that holds it, such as _before_fork.
        self._guard = threading.RLock()
        self._idle: list[sqlite3.Connection] = []
        # Every open connection, idle or busy: id -> (connection, generation it opened in).
        self._opened: dict[int, tuple[sqlite3.Connection, int]] = {}
        self._generation = 0
        self._pid = os.getpid()
        with _pools_guard:
            _pools.add(self)

    def acquire(self) -> sqlite3.Connection:
        """An idle connection, or a new one (the opener's errors propagate)."""
        with self._guard:
            self._check_pid()
            if self._idle:
                return self._idle.pop()
            generation = self._generation
        conn = self._open()
        with self._guard:
            self._opened[id(conn)] = (conn, generation)
        return conn

    def owns(self, conn: sqlite3.Connection) -> bool:
        """Whether `conn` was opened by this process (it was not inherited through a fork)."""
        return id(conn) in self._opened and self._pid == os.getpid()

    def release(self, conn: sqlite3.Connection, *, reusable: bool) -> None:
        """Give `conn` back: kept for the next transaction when `reusable` and outside any
        transaction, else closed."""
        keep = reusable and _outside_transaction(conn)
        with self._guard:
            self._check_pid()
            opened, generation = self._opened.get(id(conn), (None, None))
            if opened is not conn:
                return  # inherited through a fork: see _inherited
            if keep and generation == self._generation and len(self._idle) < MAX_IDLE:
                self._idle.append(conn)
                return
            del self._opened[id(conn)]
        conn.close()

    def close(self) -> None:
        """Close every idle connection now, and the busy ones as they are released."""
        with self._guard:
            self._check_pid()
            self._generation += 1
            idle = self._take_idle()
        for conn in idle:
            conn.close()

    def _take_idle(self) -> list[sqlite3.Connection]:
        idle, self._idle = self._idle, []
        for conn in idle:
            del self._opened[id(conn)]
        return idle

    def _check_pid(self) -> None:
        """Forget (without closing) the parent's connections, if this is a forked child that
        the fork hooks did not see (they run for os.fork, not for every way to fork)."""
        if self._pid != os.getpid():
            self._disown()

    def _disown(self) -> None:
        _inherited.extend(conn for conn, _ in self._opened.values())
        self._opened, self._idle = {}, []
        self._pid = os.getpid()

    # -- around os.fork ----------------------------------------------------------------

    def _before_fork(self) -> None:
        self._guard.acquire()
        for conn in self._take_idle():
            conn.close()

    def _after_fork_in_parent(self) -> None:
        self._guard.release()

    def _after_fork_in_child(self) -> None:
        self._guard = threading.RLock()  # the parent's is held, by the thread that forked
        self._disown()


def _outside_transaction(conn: sqlite3.Connection) -> bool:
    try:
        return not conn.in_transaction
    except sqlite3.ProgrammingError:  # closed by the code that used it
        return False


def _before_fork() -> None:
    _pools_guard.acquire()  # held across the fork: no pool is half-registered in the child
    _forking[:] = list(_pools)
    for pool in _forking:
        pool._before_fork()


def _after_fork_in_parent() -> None:
    for pool in _forking:
        pool._after_fork_in_parent()
    _forking.clear()
    _pools_guard.release()


def _after_fork_in_child() -> None:
    global _pools_guard
    _pools_guard = threading.Lock()
    for pool in _forking:
        pool._after_fork_in_child()
    _forking.clear()


os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent,
                    after_in_child=_after_fork_in_child)
