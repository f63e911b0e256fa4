"""Record stores over each backend, with a clock the tests move by hand."""

from __future__ import annotations

import datetime as _dt

import pytest

from delugelang.records import MemoryBackend, RecordStore


class Clock:
    def __init__(self):
        self.now = _dt.datetime(2026, 3, 2, 9, 30, 0, tzinfo=_dt.timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, seconds: int) -> None:
        self.now += _dt.timedelta(seconds=seconds)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture(params=["sqlite", "memory"])
def store(request, tmp_path, clock):
    if request.param == "sqlite":
        return RecordStore.open(tmp_path, clock=clock)
    return RecordStore(MemoryBackend(), clock=clock)
