"""Isolation mode: run one function in a forked worker process under OS limits.

`Program.run(..., isolation="process")` and `dg run --isolate` come here. For hosts that
run functions written by people they do not trust (DESIGN.md, sandbox invariant 8;
sandbox.md §3.7).

How a run goes
  * The host process forks a **fresh worker for every run**. Nothing a run does to its
    worker (caches, service objects, module state, a half-finished builtin) can reach the
    next tenant's run, because the next run gets a new fork of the untouched host. No
    worker is ever reused, so none has to be recycled after a limit kill.
  * The worker sets `RLIMIT_AS` to its size at fork plus `Limits.process_memory_bytes`
    and `RLIMIT_CPU` to `Limits.cpu_seconds` (rounded up; the kernel's hard stop is one
    second later), then runs the Program in-process with all the usual budgets. At the
    soft CPU limit a signal handler raises a LimitError where the script is, so the error
    names a line when it can; the kernel's SIGKILL one second later covers code that does
    not return to the interpreter.
  * The host enforces the wall clock itself: it waits `time_seconds` plus a grace period
    (the in-process clock check normally fires first, with a line number), then sends
    SIGKILL. It never trusts the worker to stop.
  * The worker sends back one message through a pipe; the host decodes it with an
    unpickler that only builds Deluge value types, and caps how many bytes it reads.

What the host gets back
  * A `Result` (value, info lines, stats), as an in-process run returns.
  * Or the same `DelugeError` types as in-process: `ScriptError`, `LimitError` with its
    `limit`, `value`, message, line and column, plus `info` and `statements`.
  * A worker that died: `LimitError` naming `time_seconds` (killed by the host's clock),
    `cpu_seconds` (RLIMIT_CPU) or `process_memory_bytes` (out of address space, or killed
    by the kernel's OOM killer). Such errors have no line, and the `info` printed before
    the kill is lost. Any other death (a crash in native code) is a `ScriptError`. The
    host process always survives.

Services reach the worker by fork
  `Services` hold callables (clock, task handlers, an HTTP client), which cannot always
  be pickled, so the worker inherits them, and the compiled Program, through `fork()`.
  This has consequences a host must know:
  * Linux only in practice (`fork` and an enforced `RLIMIT_AS`; tested on Linux). Where
    either is missing, isolation mode raises NotImplementedError.
  * A threaded host works: the worker is a copy of the forking thread only, and forks
    are serialized so that no worker inherits another run's pipe. A lock that another
    host thread held at that moment stays held in the worker, though. The worker renews
    the one lock a run itself takes (the `regex` package's cache lock); a host service
    with its own (say, a connection pool another thread was using) can block the
    worker, which the wall clock then kills. Give isolated runs services that open their
    connections per call, like delugelang's SQLite-backed stores do.
  * Side effects a service keeps in the host's memory happen in the worker's copy and
    are lost when it exits. Services that persist (SQLite, HTTP) work as usual.
  * The worker inherits the host's memory and environment. Scripts cannot read either
    (they only see Deluge values), and that is the boundary; the worker's OS limits bound
    resources, not what a bug in native code could read. HTTP is performed by the worker
    through the services it inherited (there is no separate broker process yet).
"""

from __future__ import annotations

import faulthandler
import io
import math
import os
import pickle
import resource
import select
import signal
import sys
import threading
import time

from .errors import DelugeError, HostDataError, LimitError, ScriptError
from .limits import CRM, Limits

# Worker exit codes (anything else, or a signal, is a crash).
EXIT_OK = 0
EXIT_OUT_OF_MEMORY = 3
EXIT_CRASHED = 4

# Extra wall time the host allows past `time_seconds` before it kills the worker: the
# worker's own clock check (every 1,000 statements) should win and name a line.
GRACE_SECONDS = 1.0
GRACE_FRACTION = 0.1

# How many bytes the host reads from a worker: pickled values can be a few times larger
# than the JSON that `return_bytes` measures (a decimal, a date), plus framing.
MESSAGE_FACTOR = 4
MESSAGE_SLACK = 1 << 20

_FORK_LOCK = threading.Lock()

_ERROR_TYPES = {"DelugeError": DelugeError, "ScriptError": ScriptError, "LimitError": LimitError,
                "HostDataError": HostDataError}


def run_isolated(program, args: dict | None = None, *, record: dict | None = None,
                 services=None, limits: Limits | None = None, function: str | None = None):
    """Run `program` in a fresh forked worker; return its Result or raise its DelugeError."""
    _require_support()
    limits = limits or CRM
    pid, reader = _fork_worker(program, args, record, services, limits, function)
    return _supervise(pid, reader, limits)


def _fork_worker(program, args, record, services, limits: Limits, function) -> tuple[int, int]:
    """(worker pid, read end of its pipe). Forks are serialized, and the parent closes the
    write end before the next one, so no other worker inherits it and holds off our EOF."""
    with _FORK_LOCK:
        reader, writer = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(reader)
            os.close(writer)
            raise
        if pid == 0:  # the worker: never returns
            os.close(reader)
            _worker_main(writer, program, args, record, services, limits, function)
        os.close(writer)
    return pid, reader


def _require_support() -> None:
    if not hasattr(os, "fork") or not hasattr(resource, "RLIMIT_AS"):
        raise NotImplementedError("isolation='process' needs fork() and RLIMIT_AS (Linux)")


# ---------------------------------------------------------------- the worker


def _worker_main(fd: int, program, args, record, services, limits: Limits, function) -> None:
    """Apply the OS limits, run, send one message, and exit without running host cleanup."""
    code = EXIT_CRASHED
    try:
        _reset_signals(limits)
        _reset_inherited_locks()
        _apply_rlimits(limits)
        message = _run_in_worker(program, args, record, services, limits, function)
        _write_all(fd, message)
        code = EXIT_OK
    except MemoryError:
        code = EXIT_OUT_OF_MEMORY
    except BaseException:  # noqa: BLE001 - the worker reports a crash by its exit code
        code = EXIT_CRASHED
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the host's inherited buffers


def _reset_signals(limits: Limits) -> None:
    """The host's handlers are not the worker's: Ctrl-C and SIGTERM end it at once.
    The soft CPU limit raises a LimitError wherever the script is."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    faulthandler.disable()  # a host's crash dumper would print the worker's Python stack

    def on_cpu_limit(signum, frame):
        signal.signal(signal.SIGXCPU, signal.SIG_DFL)  # the next one terminates
        raise _cpu_error(limits)

    signal.signal(signal.SIGXCPU, on_cpu_limit)


def _reset_inherited_locks() -> None:
    """Fresh copies of the locks a run takes, in case another host thread held one at fork.
    The `regex` package guards its pattern cache with a module-level RLock."""
    for module_name in ("regex._main", "regex.regex"):
        module = sys.modules.get(module_name)
        if module is not None and hasattr(module, "_cache_lock"):
            module._cache_lock = threading.RLock()


def _apply_rlimits(limits: Limits) -> None:
    address_space = _current_address_space() + limits.process_memory_bytes
    _lower_limit(resource.RLIMIT_AS, address_space, address_space)
    cpu = max(1, math.ceil(limits.cpu_seconds))
    _lower_limit(resource.RLIMIT_CPU, cpu, cpu + 1)


def _lower_limit(kind: int, soft: int, hard: int) -> None:
    """Set a limit, never above the hard limit the host itself runs under."""
    _, current_hard = resource.getrlimit(kind)
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
        soft = min(soft, hard)
    resource.setrlimit(kind, (soft, hard))


def _current_address_space() -> int:
    """This process's virtual size now (it inherited the host's at fork)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            pages = int(fh.read().split()[0])
        return pages * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _run_in_worker(program, args, record, services, limits: Limits, function) -> bytes:
    """One encoded message: the Result, or the DelugeError the run raised."""
    try:
        try:
            result = program.run(args, record=record, services=services, limits=limits,
                                 function=function)
        finally:
            signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    except DelugeError as err:
        return _encode_error(_worker_error(err, limits))
    except MemoryError:
        return _encode_error(_memory_error(limits))
    return _encode(("ok", result.value, tuple(result.info), result.stats.statements,
                    result.stats.ms))


def _worker_error(err: DelugeError, limits: Limits) -> DelugeError:
    """Name the OS limit when the engine turned a Python MemoryError into a limit error."""
    if not isinstance(err.__context__, MemoryError):
        return err
    replacement = _memory_error(limits)
    replacement.line, replacement.column = err.line, err.column
    replacement.info = getattr(err, "info", ())
    replacement.statements = getattr(err, "statements", 0)
    return replacement


def _encode_error(err: DelugeError) -> bytes:
    fields = {"message": err.message, "line": err.line, "column": err.column,
              "stack": tuple(err.stack), "info": tuple(getattr(err, "info", ()) or ()),
              "statements": getattr(err, "statements", 0) or 0}
    if isinstance(err, LimitError):
        fields.update(limit=err.limit, value=err.value)
    return _encode(("error", _type_name(err), fields))


def _type_name(err: DelugeError) -> str:
    if isinstance(err, LimitError):
        return "LimitError"
    if isinstance(err, HostDataError):
        return "HostDataError"
    return "ScriptError" if isinstance(err, ScriptError) else "DelugeError"


def _encode(message) -> bytes:
    return pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# ---------------------------------------------------------------- the host side


def _supervise(pid: int, fd: int, limits: Limits):
    """Read the worker's message before the deadline, reap it, and turn it into an outcome."""
    deadline = time.monotonic() + wall_seconds(limits)
    cap = (limits.return_bytes + limits.info_bytes) * MESSAGE_FACTOR + MESSAGE_SLACK
    reaped = False
    try:
        data, outcome = _read_message(fd, deadline, cap)
        if outcome != "eof":
            _kill(pid)
        status, cpu_used = _reap(pid, max(deadline, time.monotonic() + GRACE_SECONDS))
        reaped = True
    finally:
        os.close(fd)
        if not reaped:  # interrupted (KeyboardInterrupt...): never leave a worker behind
            _kill(pid)
            _reap(pid, None)
    return _outcome(outcome, data, status, cpu_used, limits)


def wall_seconds(limits: Limits) -> float:
    """How long the host waits for a worker before it kills it."""
    return limits.time_seconds * (1 + GRACE_FRACTION) + GRACE_SECONDS


def _read_message(fd: int, deadline: float, cap: int) -> tuple[bytes, str]:
    """(bytes read, "eof" | "timeout" | "too_big")."""
    chunks = []
    size = 0
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"", "timeout"
        if not poller.poll(min(left, 1.0) * 1000):
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks), "eof"
        size += len(chunk)
        if size > cap:
            return b"", "too_big"
        chunks.append(chunk)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(pid: int, deadline: float | None) -> tuple[int | None, float]:
    """(wait status, CPU seconds the worker used); kills the worker if it lingers."""
    delay = 0.001
    while True:
        try:
            done, status, usage = os.wait4(pid, os.WNOHANG if deadline else 0)
        except ChildProcessError:  # the host ignores SIGCHLD: the kernel reaped it
            return None, 0.0
        if done:
            return status, usage.ru_utime + usage.ru_stime
        if time.monotonic() > deadline:
            _kill(pid)
            deadline = None
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def _outcome(outcome: str, data: bytes, status: int | None, cpu_used: float, limits: Limits):
    if outcome == "timeout":
        raise _time_error(limits)
    if outcome == "too_big":
        raise LimitError("return_bytes", limits.return_bytes,
                         "the worker process sent back more than the return and info limits "
                         f"allow (limit 'return_bytes' = {limits.return_bytes})")
    if status is not None and os.WIFSIGNALED(status):
        raise _signal_error(os.WTERMSIG(status), cpu_used, limits)
    code = os.waitstatus_to_exitcode(status) if status is not None else EXIT_OK
    if code == EXIT_OUT_OF_MEMORY:
        raise _memory_error(limits)
    if code != EXIT_OK or not data:
        raise ScriptError("internal error: the worker process stopped unexpectedly")
    return _decode(data)


def _signal_error(signum: int, cpu_used: float, limits: Limits) -> DelugeError:
    if signum == signal.SIGXCPU or (signum == signal.SIGKILL
                                    and cpu_used >= math.ceil(limits.cpu_seconds)):
        return _cpu_error(limits)
    if signum == signal.SIGKILL:  # not ours and not the CPU limit: the kernel's OOM killer
        return _memory_error(limits)
    return ScriptError("internal error: the worker process stopped unexpectedly")


def _time_error(limits: Limits) -> LimitError:
    t = limits.time_seconds
    return LimitError("time_seconds", t,
                      f"the function ran longer than {_seconds(t)} and its worker process "
                      f"was stopped (limit 'time_seconds' = {t:g})")


def _cpu_error(limits: Limits) -> LimitError:
    c = limits.cpu_seconds
    return LimitError("cpu_seconds", c,
                      f"the function used more than {_seconds(c)} of CPU time "
                      f"(limit 'cpu_seconds' = {c:g})")


def _seconds(value: float) -> str:
    return f"{value:g} second" + ("" if value == 1 else "s")


def _memory_error(limits: Limits) -> LimitError:
    m = limits.process_memory_bytes
    return LimitError("process_memory_bytes", m,
                      f"the function's worker process ran out of memory "
                      f"(limit 'process_memory_bytes' = {m})")


# ---------------------------------------------------------------- decoding


class _ValueUnpickler(pickle.Unpickler):
    """Builds only Deluge value types: a worker's message can never name other classes."""

    ALLOWED = {
        ("decimal", "Decimal"),
        ("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"),
        ("delugelang.values", "TypedList"), ("delugelang.values", "Collection"),
        ("delugelang.values", "ErrorValue"), ("delugelang.values", "MapKey"),
        ("copyreg", "__newobj__"), ("copyreg", "_reconstructor"),
        ("builtins", "object"), ("builtins", "list"), ("builtins", "dict"),
    }

    def find_class(self, module: str, name: str):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError("a worker message named a type outside the allowlist")
        return super().find_class(module, name)


def _decode(data: bytes):
    from .program import Result, Stats

    try:
        message = _ValueUnpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - a malformed message is a worker defect
        raise ScriptError("internal error: the worker process sent a malformed result") from None
    if message[0] == "ok":
        _, value, info, statements, ms = message
        return Result(value, tuple(info), Stats(statements, ms))
    _, kind, fields = message
    raise _rebuild_error(kind, fields)


def _rebuild_error(kind: str, fields: dict) -> DelugeError:
    cls = _ERROR_TYPES[kind]
    if cls is LimitError:
        err = LimitError(fields["limit"], fields["value"], fields["message"],
                         fields["line"], fields["column"])
        err.stack = fields["stack"]
    else:
        err = cls(fields["message"], fields["line"], fields["column"], stack=fields["stack"])
    err.info = fields["info"]
    err.statements = fields["statements"]
    return err
