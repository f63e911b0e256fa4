"""Named locks that hold across threads and processes: a thread lock plus flock on a file."""

from __future__ import annotations

import fcntl
import os
import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from delugelang.state.errors import StateError

_NAME = re.compile(r"[A-Za-z0-9_.:@-]{1,200}\Z")
_POLL_SECONDS = 0.01

_registry_guard = threading.Lock()
_thread_locks: dict[str, threading.Lock] = {}


def _thread_lock(path: Path) -> threading.Lock:
    with _registry_guard:
        return _thread_locks.setdefault(str(path), threading.Lock())


@contextmanager
def named_lock(directory: Path, name: str, timeout: float) -> Iterator[None]:
    """Hold the lock `name` (one file in `directory`) for the duration of the block.

    Threads of one process queue on a threading.Lock first; processes then queue on
    flock(2), which the kernel releases if the holder dies.
    """
    if not _NAME.match(name):
        raise ValueError(f"bad lock name {name!r}")
    path = directory / (name.replace(":", "_") + ".lock")
    deadline = time.monotonic() + timeout
    thread_lock = _thread_lock(path)
    if not thread_lock.acquire(timeout=max(timeout, 0)):
        raise StateError(f"timed out waiting for the lock {name!r}")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _flock_until(fd, deadline, name)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    finally:
        thread_lock.release()


def _flock_until(fd: int, deadline: float, name: str) -> None:
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise StateError(f"timed out waiting for the lock {name!r}") from None
            time.sleep(_POLL_SECONDS)
