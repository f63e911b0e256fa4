"""Pooled state connections: reused between transactions, still transactional, closed on
close(), shared by threads and processes, and never reused across a fork."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading

import pytest

import delugelang.state.store as store_module
from delugelang.state import StateError, StateStore
from delugelang.state.store import DB_FILE, STATE_DIR

COUNTER = [("CREATE TABLE counter (n INTEGER NOT NULL)", "INSERT INTO counter VALUES (0)"),
           ("CREATE TABLE item (name TEXT NOT NULL, pid INTEGER)",)]


@pytest.fixture
def opened(monkeypatch):
    """Every connection the state stores open, in order."""
    connections = []
    real = sqlite3.connect

    def spy(*args, **kwargs):
        conn = real(*args, **kwargs)
        connections.append(conn)
        return conn

    monkeypatch.setattr(store_module.sqlite3, "connect", spy)
    return connections


def _state(tmp_path, **options) -> StateStore:
    state = StateStore(tmp_path, environ={}, **options)
    state.ensure_schema("test", COUNTER)
    return state


def _bump(state: StateStore) -> None:
    with state.transaction(write=True) as conn:
        conn.execute("UPDATE counter SET n = n + 1")


def _count(state: StateStore) -> int:
    with state.transaction() as conn:
        return conn.execute("SELECT n FROM counter").fetchone()[0]


def _closed(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def test_one_connection_serves_every_transaction_in_turn(tmp_path, opened):
    state = _state(tmp_path)
    for _ in range(20):
        _bump(state)
    assert _count(state) == 20
    assert len(opened) == 1 and not _closed(opened[0])


def test_a_nested_transaction_gets_its_own_connection(tmp_path, opened):
    state = _state(tmp_path)
    with state.transaction() as outer:
        assert outer.execute("SELECT n FROM counter").fetchone()[0] == 0
        with state.transaction(write=True) as inner:
            assert inner is not outer
            inner.execute("UPDATE counter SET n = 5")
        assert outer.execute("SELECT n FROM counter").fetchone()[0] == 0  # its snapshot
    assert _count(state) == 5
    assert len(opened) == 2
    _bump(state), _bump(state)
    assert len(opened) == 2  # both were kept for reuse


def test_a_failed_transaction_rolls_back_and_leaves_a_clean_connection(tmp_path, opened):
    state = _state(tmp_path)
    with pytest.raises(RuntimeError):
        with state.transaction(write=True) as conn:
            conn.execute("UPDATE counter SET n = 99")
            raise RuntimeError("stop")
    assert not opened[0].in_transaction
    assert _count(state) == 0
    _bump(state)
    assert _count(state) == 1 and len(opened) == 1


def test_a_busy_database_is_a_clear_error_and_the_store_recovers(tmp_path, opened):
    state = _state(tmp_path, busy_timeout=0.05)
    other = sqlite3.connect(tmp_path / STATE_DIR / DB_FILE, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(StateError, match="unavailable"):
        _bump(state)
    other.execute("ROLLBACK")
    other.close()
    _bump(state)
    assert _count(state) == 1


def test_close_closes_idle_connections_now_and_busy_ones_after_their_commit(tmp_path, opened):
    state = _state(tmp_path)
    _bump(state)
    state.close()
    assert _closed(opened[0])
    with state.transaction(write=True) as conn:  # the store opens a connection again
        conn.execute("UPDATE counter SET n = n + 1")
        state.close()
        assert not _closed(conn)
    assert _closed(conn) and _count(state) == 2


def test_a_store_closes_its_connections_when_it_is_garbage(tmp_path, opened):
    state = _state(tmp_path)
    _bump(state)
    del state
    import gc
    gc.collect()
    assert _closed(opened[0])


def test_threads_share_the_pool_without_losing_an_update(tmp_path, opened):
    state = _state(tmp_path)
    errors = []

    def work():
        try:
            for _ in range(25):
                _bump(state)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and _count(state) == 150
    assert len(opened) <= 6


WRITER = textwrap.dedent("""
    import sys
    from delugelang.state import StateStore
    state = StateStore(sys.argv[1], environ={})
    for i in range(40):
        with state.transaction(write=True) as conn:
            conn.execute("UPDATE counter SET n = n + 1")
""")


def test_processes_share_one_workspace(tmp_path):
    state = _state(tmp_path)
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    children = [subprocess.Popen([sys.executable, str(script), str(tmp_path)],
                                 stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for _ in range(40):
        _bump(state)
    for child in children:
        assert child.wait(timeout=120) == 0, child.stderr.read()
        child.stderr.close()
    assert _count(state) == 160


def test_the_state_directory_stays_owner_only(tmp_path):
    _bump(_state(tmp_path))
    assert stat.S_IMODE((tmp_path / STATE_DIR).stat().st_mode) == 0o700


needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is not available")


def _in_child(body) -> int:
    """Run `body()` in a forked child; its exit status (0 when it returned True)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            code = 0 if body() else 3
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


@needs_fork
def test_a_forked_child_opens_its_own_connection(tmp_path, opened):
    state = _state(tmp_path)
    _bump(state)
    parents = list(opened)

    def child() -> bool:
        with state.transaction(write=True) as conn:
            conn.execute("INSERT INTO item (name, pid) VALUES ('child', ?)", (os.getpid(),))
        return all(conn is not p for p in parents)

    assert _in_child(child) == 0
    assert _closed(parents[0])  # idle connections are closed before the fork
    with state.transaction() as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM item")] == ["child"]
    _bump(state)
    assert _count(state) == 2


@needs_fork
def test_a_transaction_open_at_fork_time_commits_only_in_the_parent(tmp_path):
    state = _state(tmp_path)
    pid = -1
    try:
        with state.transaction(write=True) as conn:
            conn.execute("INSERT INTO item (name, pid) VALUES ('parent', ?)", (os.getpid(),))
            pid = os.fork()
    except StateError as err:
        if pid == 0:  # pragma: no cover - the child leaving the block must not commit
            os._exit(5 if "forked process" in str(err) else 6)
        raise
    if pid == 0:  # pragma: no cover - the child committed the parent's transaction
        os._exit(7)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 5
    with state.transaction() as conn:
        assert [tuple(r) for r in conn.execute("SELECT name, pid FROM item")] == \
            [("parent", os.getpid())]
