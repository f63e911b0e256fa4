"""The workspace state: schema versions, AES-GCM sealing at rest, key handling, named locks."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading

import pytest

from delugelang.state import KEY_ENV, StateError, StateStore, decode_key, encode_key
from delugelang.state.store import DB_FILE, KEY_FILE, STATE_DIR

SECRET = "TEST-CLIENT-SECRET-77aa-with-some-length"


def test_key_file_is_created_owner_only_and_reused(tmp_path):
    store = StateStore(tmp_path, environ={})
    store.put_secret("s", "n", SECRET)
    key_file = tmp_path / STATE_DIR / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert StateStore(tmp_path, environ={}).get_secret("s", "n") == SECRET


def test_group_readable_key_file_is_refused(tmp_path):
    StateStore(tmp_path, environ={}).put_secret("s", "n", SECRET)
    os.chmod(tmp_path / STATE_DIR / KEY_FILE, 0o644)
    with pytest.raises(StateError, match="chmod 600"):
        StateStore(tmp_path, environ={}).get_secret("s", "n")


def test_key_from_environment_and_wrong_key(tmp_path):
    key = os.urandom(32)
    StateStore(tmp_path, environ={KEY_ENV: key.hex()}).put_secret("s", "n", SECRET)
    assert StateStore(tmp_path, environ={KEY_ENV: encode_key(key)}).get_secret("s", "n") == SECRET
    assert not (tmp_path / STATE_DIR / KEY_FILE).exists()
    with pytest.raises(StateError, match="different key") as info:
        StateStore(tmp_path, environ={KEY_ENV: os.urandom(32).hex()}).get_secret("s", "n")
    assert SECRET not in str(info.value)
    with pytest.raises(StateError, match="32 bytes"):
        decode_key("too-short")


def test_secrets_are_encrypted_at_rest(tmp_path):
    store = StateStore(tmp_path, environ={})
    store.put_secret("connectors/client//crm", "client_secret", SECRET)
    raw = b"".join(p.read_bytes() for p in (tmp_path / STATE_DIR).glob(DB_FILE + "*"))
    assert SECRET.encode() not in raw
    assert store.get_secret("connectors/client//crm", "client_secret") == SECRET


def test_sealed_values_are_bound_to_their_row(tmp_path):
    store = StateStore(tmp_path, environ={})
    store.put_secret("a", "n", "value-of-a")
    store.put_secret("b", "n", "value-of-b")
    with store.transaction(write=True) as conn:
        blob = conn.execute("SELECT value FROM secret WHERE scope = 'a'").fetchone()[0]
        conn.execute("UPDATE secret SET value = ? WHERE scope = 'b'", (blob,))
    with pytest.raises(StateError, match="integrity"):
        store.get_secret("b", "n")


def test_schema_versions_per_component(tmp_path):
    store = StateStore(tmp_path, environ={})
    migrations = [("CREATE TABLE record (id TEXT PRIMARY KEY)",),
                  ("ALTER TABLE record ADD COLUMN data TEXT",)]
    store.ensure_schema("records", migrations[:1])
    StateStore(tmp_path, environ={}).ensure_schema("records", migrations)
    assert StateStore(tmp_path, environ={}).schema_versions() == {"core": 1, "records": 2}
    with sqlite3.connect(tmp_path / STATE_DIR / DB_FILE) as conn:
        assert [r[1] for r in conn.execute("PRAGMA table_info(record)")] == ["id", "data"]
    with pytest.raises(StateError, match="newer"):
        StateStore(tmp_path, environ={}).ensure_schema("records", migrations[:1])


def test_failed_transaction_rolls_back(tmp_path):
    store = StateStore(tmp_path, environ={})
    store.put_secret("s", "n", "old")
    with pytest.raises(RuntimeError):
        with store.transaction(write=True) as conn:
            conn.execute("DELETE FROM secret")
            raise RuntimeError("stop")
    assert store.get_secret("s", "n") == "old"


def test_named_lock_serializes_threads(tmp_path):
    store = StateStore(tmp_path, environ={})
    inside, overlaps = [], []

    def work():
        with store.lock("connection--crm", timeout=5):
            if inside:
                overlaps.append(1)
            inside.append(1)
            threading.Event().wait(0.01)
            inside.pop()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not overlaps


def test_lock_times_out_with_a_clear_error(tmp_path):
    store = StateStore(tmp_path, environ={})
    with store.lock("busy", timeout=1):
        errors = []

        def other():
            try:
                with store.lock("busy", timeout=0.1):
                    pass
            except StateError as exc:
                errors.append(exc.message)
        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert errors and "timed out" in errors[0]


def test_opening_state_without_secrets_does_not_import_cryptography(tmp_path):
    import subprocess
    import sys
    script = ("import sys\n"
              "from delugelang.state import StateStore\n"
              "state = StateStore(sys.argv[1], environ={})\n"
              "state.ensure_schema('t', [('CREATE TABLE t (x)',)])\n"
              "with state.transaction(write=True) as conn:\n"
              "    conn.execute('INSERT INTO t VALUES (1)')\n"
              "before = 'cryptography' in sys.modules\n"
              "state.put_secret('s', 'n', 'v')\n"
              "print(before, 'cryptography' in sys.modules, state.get_secret('s', 'n'))\n")
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True,
                         text=True, timeout=60)
    assert out.stdout.split() == ["False", "True", "v"], out.stderr
