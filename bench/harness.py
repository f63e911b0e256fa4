"""Timing: run two callables in turns (A B A B ...) and keep the median of each.

Times are this process's CPU time (time.process_time): the machine the benchmarks run on
is shared, and CPU time leaves out the moments another process had the core, which wall
time would charge to whichever side happened to be running."""

from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Pair:
    """Median seconds of the delugelang run and of its CPython twin, from one interleaved series."""

    deluge: float
    python: float
    rounds: int

    @property
    def ratio(self) -> float:
        return self.deluge / self.python if self.python > 0 else float("inf")


def interleaved(deluge, python, rounds: int) -> Pair:
    """Time `deluge()` and `python()` alternately `rounds` times each, after one warm-up each.

    Garbage collection runs before every timed call, so one side never pays for the
    other's garbage."""
    deluge(), python()
    spent_a, spent_b = [], []
    for _ in range(rounds):
        for fn, spent in ((deluge, spent_a), (python, spent_b)):
            gc.collect()
            started = time.process_time()
            fn()
            spent.append(time.process_time() - started)
    return Pair(statistics.median(spent_a), statistics.median(spent_b), rounds)


def median_of(fn, rounds: int) -> float:
    """Median seconds of `rounds` calls of `fn`."""
    spent = []
    for _ in range(rounds):
        started = time.process_time()
        fn()
        spent.append(time.process_time() - started)
    return statistics.median(spent)
