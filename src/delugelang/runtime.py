"""One run of a program: its budgets, `info` output, call depth and host services."""

from __future__ import annotations

import datetime as _dt
import time

from .errors import LimitError
from .limits import Limits
from .services import Services
from .values import to_text

# How many statements may pass between two wall-clock checks.
CHECK_EVERY = 1_000

# The run's clock: monotonic, and precise enough for Stats.ms (time.monotonic ticks in
# 15 ms steps on some systems). One read starts a run, one ends it.
_clock = time.perf_counter

INFO_TRUNCATED_NOTE = "The info message has been truncated because its size exceeded 500 KB."


class Run:
    """The mutable state of one execution. Generated code receives it as `rt`.

    Never shared between runs or threads: a Program creates a fresh Run each time.
    """

    # What every call sets is a slot; what only some runs change (`info` output, HTTP
    # calls, mails, memory charged, the random source, the zone, the clock's now, record
    # fields converted) starts as a class default and gets an instance dict only when a
    # run first sets it: a fresh Run per call costs 0.4 µs instead of 0.7 (a prepared
    # call's fixed cost, bench/NOTES.md step 21).
    __slots__ = ("limits", "services", "steps", "depth", "info_lines", "started", "deadline",
                 "record", "result_bound", "__dict__")
    info_bytes = 0
    info_truncated = False
    http_calls = 0
    mails = 0
    memory = 0
    _random = None
    _zone = None
    _now = None
    fields = None  # record fields converted as they were read (run_helpers._field_value)

    def __init__(self, limits: Limits, services: Services, record: dict | None = None):
        self.limits = limits
        self.services = services
        self.steps = 0
        self.depth = 0
        self.info_lines: list[str] = []
        self.started = _clock()
        self.deadline = self.started + limits.time_seconds
        self.record: dict = {} if record is None else record  # `input`
        # (the map returned, a bound of its JSON size) when the generated code counted it
        # (flow.bounded_result); PreparedCall trusts it only for the very value returned.
        self.result_bound = None

    # -- statements and time -------------------------------------------------

    def tick(self, steps: int) -> int:
        """Called when the step counter passes its mark; returns the next mark."""
        self.steps = steps
        limit = self.limits.statements
        if steps > limit:
            raise LimitError("statements", limit,
                             f"the function executed more than {limit:,} statements "
                             f"(limit 'statements' = {limit})")
        if _clock() > self.deadline:  # check_time(), without a call: every entry ticks
            self.check_time()
        mark = steps + CHECK_EVERY
        return mark if mark < limit else limit

    def begin(self, steps: int) -> int:
        """A Deluge function call begins: enter(), then tick(steps), in one call (every
        function's prologue); returns the next mark."""
        self.depth += 1
        if self.depth > self.limits.call_depth:
            self.depth -= 1
            self.enter()  # gives the call_depth error
        self.steps = steps
        limit = self.limits.statements
        if steps > limit:
            self.tick(steps)  # gives the statements error
        if _clock() > self.deadline:
            self.check_time()
        mark = steps + CHECK_EVERY
        return mark if mark < limit else limit

    def first_mark(self) -> int:
        return min(self.limits.statements, self.steps + CHECK_EVERY)

    def check_time(self) -> None:
        if _clock() > self.deadline:
            t = self.limits.time_seconds
            raise LimitError("time_seconds", t,
                             f"the function ran longer than {t:g} seconds (limit 'time_seconds' = {t:g})")

    def enter(self) -> None:
        """A Deluge function call begins (begin() does this first; generated code's
        epilogue lowers `depth` again, however the call ends)."""
        self.depth += 1
        if self.depth > self.limits.call_depth:
            d = self.limits.call_depth
            self.depth -= 1
            raise LimitError("call_depth", d,
                             f"more than {d} nested function calls (limit 'call_depth' = {d})")

    # -- sizes ---------------------------------------------------------------

    def check_text(self, length: int) -> None:
        if length > self.limits.text_length:
            n = self.limits.text_length
            raise LimitError("text_length", n,
                             f"a text would grow to {length:,} characters (limit 'text_length' = {n})")

    def check_size(self, count: int) -> None:
        if count > self.limits.collection_size:
            n = self.limits.collection_size
            raise LimitError("collection_size", n,
                             f"a list or map would grow to {count:,} elements "
                             f"(limit 'collection_size' = {n})")

    def charge_memory(self, nbytes: int) -> None:
        """Account bytes a script value has grown by; refuse past the memory budget."""
        self.memory += nbytes
        if self.memory > self.limits.memory_bytes:
            n = self.limits.memory_bytes
            raise LimitError("memory_bytes", n,
                             f"script values use more than {n:,} bytes (limit 'memory_bytes' = {n})")

    # -- output --------------------------------------------------------------

    def info(self, value) -> None:
        """The `info` statement: one line, capped at the info budget with Deluge's note."""
        if self.info_truncated:
            return
        text = to_text(value)
        size = len(text.encode("utf-8", "surrogatepass"))
        cap = self.limits.info_bytes
        if self.info_bytes + size > cap:
            room = max(cap - self.info_bytes, 0)
            if room:
                self.info_lines.append(text.encode("utf-8", "surrogatepass")[:room]
                                       .decode("utf-8", "ignore"))
            self.info_lines.append(INFO_TRUNCATED_NOTE)
            self.info_truncated = True
            self.info_bytes = cap
            return
        self.info_bytes += size
        self.info_lines.append(text)

    # -- host services -------------------------------------------------------

    @property
    def random(self):
        if self._random is None:
            self._random = self.services.make_random()
        return self._random

    @property
    def zone(self):
        if self._zone is None:
            self._zone = self.services.zone()
        return self._zone

    def now(self) -> _dt.datetime:
        """The current date-time in the run's zone, naive; fixed for the whole run."""
        if self._now is None:
            instant = self.services.clock()
            if instant.tzinfo is None:
                instant = instant.replace(tzinfo=_dt.timezone.utc)
            self._now = instant.astimezone(self.zone).replace(tzinfo=None, microsecond=0)
        return self._now
