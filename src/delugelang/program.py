"""The embedding API: compile Deluge source into an immutable Program, and run it."""

from __future__ import annotations

import os
import time
from _thread import allocate_lock  # threading.Lock, without importing threading at start-up
from collections import OrderedDict

from .errors import CheckError, DelugeError, HostDataError, LimitError, Problem, ScriptError
from .frozen import Frozen, _set
from .limits import CRM, Limits, compile_limits
from .run_helpers import CODE_FILENAME
from .runtime import Run
from .services import NO_SERVICES, Services
from .values import (DEC, INT_MAX, INT_MIN, from_plain, json_size_bound, plain_record,
                     scalar_map_bound, to_json_text, to_plain)


class Stats(Frozen):
    """How much a run spent: statements executed, and milliseconds inside the function."""

    __slots__ = _fields = ("statements", "ms")

    def __init__(self, statements: int, ms: float):
        _set(self, "statements", statements)
        _set(self, "ms", ms)


class Result(Frozen):
    """What a successful run gives back: the returned value, the `info` lines, and stats."""

    __slots__ = _fields = ("value", "info", "stats")

    def __init__(self, value: object, info: tuple[str, ...], stats: Stats):
        _set(self, "value", value)
        _set(self, "info", info)
        _set(self, "stats", stats)

    def plain_value(self):
        """The returned value as plain JSON-ready Python data (DESIGN.md's value mapping)."""
        return to_plain(self.value)

    def to_json(self) -> dict:
        return {"ok": True, "return": self.plain_value(), "info": list(self.info), "error": None,
                "stats": {"statements": self.stats.statements, "ms": round(self.stats.ms, 3)}}


_new = object.__new__
_set_statements, _set_ms = Stats.statements.__set__, Stats.ms.__set__
_set_value, _set_info, _set_stats = Result.value.__set__, Result.info.__set__, Result.stats.__set__


class FunctionInfo(Frozen):
    """A function a Program defines: its Deluge name, parameters and return type."""

    __slots__ = _fields = ("name", "qualified_name", "params", "return_type")

    def __init__(self, name: str, qualified_name: str, params: tuple[tuple[str, str], ...],
                 return_type: str):
        _set(self, "name", name)
        _set(self, "qualified_name", qualified_name)
        _set(self, "params", params)  # (type, name)
        _set(self, "return_type", return_type)


_ANY_NESTING = 10**9  # python_source(): the source was parsed within its limits before


class Program:
    """A compiled Deluge module. Immutable, and safe to run from many threads at once."""

    __slots__ = ("source", "filename", "warnings", "functions", "_globals", "_signatures",
                 "_entry_names", "_recipes", "by_field", "_compiled_here")

    def __init__(self, source: str, filename: str, module, warnings: tuple[Problem, ...]):
        from .compiler import compile_module  # not imported for a cached program

        recipes: dict = {}
        # The Python tree is not kept (python_source() builds it again): it would hold tens
        # of thousands of objects alive for every later cycle-collector pass to scan.
        code, helpers, entry_names, _, by_field = compile_module(module, recipes)
        scope = {"__builtins__": {}}
        scope.update(helpers)
        exec(code, scope)  # defines f_main / f_0...; nothing else runs
        functions = tuple(
            FunctionInfo(fn.name, fn.display_name, tuple((p.type_name, p.name) for p in fn.params),
                         fn.return_type) for fn in module.functions)
        self._setup(source, filename, warnings, functions, scope, entry_names, recipes,
                    by_field, True)

    @classmethod
    def restored(cls, source: str, filename: str, warnings: tuple[Problem, ...],
                 functions: tuple[FunctionInfo, ...], scope: dict, entry_names: dict,
                 recipes: dict, by_field: bool) -> "Program":
        """A Program whose generated functions are already defined in `scope` (by
        delugelang.program_codec, from a cache entry). It has no Python tree to show."""
        program = cls.__new__(cls)
        program._setup(source, filename, warnings, functions, scope, entry_names, recipes,
                       by_field, False)
        return program

    def _setup(self, source, filename, warnings, functions, scope, entry_names, recipes,
               by_field: bool, compiled_here: bool):
        self.source = source
        # The generated code checks each record field as it reads it, and reads nothing
        # else of the record (flow.reads_record_by_field): a run may get the host's own.
        self.by_field = by_field
        self.filename = filename
        self.warnings = warnings
        self.functions = functions
        self._entry_names = entry_names
        self._recipes = recipes
        self._signatures = {info.name: _Signature(scope[entry_names[info.name]], info)
                            for info in self.functions}
        # What runs without a function name: the main body, or else the first function.
        main = scope.get("f_main")
        if main is not None:
            self._signatures[None] = _Signature(main, None)
        elif self.functions:
            self._signatures[None] = self._signatures[self.functions[0].name]
        self._globals = scope
        self._compiled_here = compiled_here  # set last: from here on it is immutable

    def __setattr__(self, name, value):
        if hasattr(self, "_compiled_here"):
            raise AttributeError("a Program is immutable")
        object.__setattr__(self, name, value)

    def python_source(self) -> str:
        """The generated Python, for review and for the RestrictedPython tripwire test:
        the source compiled again (the same builtins give the same code). Its parse limits
        were met when it first compiled, so none is applied again."""
        import ast

        from .compiler import compile_module
        from .frontend import parse_module
        if not self._compiled_here:
            raise DelugeError("this program was loaded from the compiled-program cache; "
                              "compile it with cache=False to see its generated Python")
        size = len(self.source.encode("utf-8", "surrogatepass"))
        module = parse_module(self.source, max_nesting=_ANY_NESTING, max_bytes=size)
        return ast.unparse(compile_module(module)[3])

    # ---------------------------------------------------------------- running

    def run(self, args: dict | None = None, *, record: dict | None = None,
            services: Services | None = None, limits: Limits | None = None,
            function: str | None = None, isolation: str | None = None,
            preset: dict | None = None) -> Result:
        """Run the main body, or `function`, or the first function of the file.

        `args` maps argument names to plain Python values; `record` is the record the
        function runs against (readable as `input.Field`, and mapped onto arguments named
        after its fields). Raises DelugeError (ScriptError, LimitError) on failure.
        `isolation="process"` runs it in a worker process under OS limits (see
        delugelang.isolation); the default runs it in this thread. `preset` maps argument
        names to Deluge values passed as they are, neither converted nor copied (the REPL
        keeps its variables this way); it cannot cross into a worker process.
        A host calling the same function many times can `prepare()` it once instead.
        """
        if isolation == "process":
            if preset:
                raise ValueError("preset values cannot be passed to an isolated run")
            from .isolation import run_isolated
            return run_isolated(self, args, record=record, services=services, limits=limits,
                                function=function)
        return PreparedCall(self, function, services, limits, isolation)(
            args, record=record, preset=preset)

    def prepare(self, function: str | None = None, *, services: Services | None = None,
                limits: Limits | None = None, isolation: str | None = None) -> "PreparedCall":
        """The main body, `function`, or the first function, ready to be called many times.

        `prepare(...)(args, record=...)` returns what `run(args, record=..., ...)` with the
        same settings would, and raises the same errors; the function lookup, the
        services and limits are settled once, here (an unknown function fails now).
        """
        return PreparedCall(self, function, services, limits, isolation)

    def _signature(self, function: str | None) -> "_Signature":
        if function is None and None in self._signatures:
            return self._signatures[None]
        for info in self.functions:
            if function in (info.name, info.qualified_name):
                return self._signatures[info.name]
        names = ", ".join(f.qualified_name for f in self.functions) or "none"
        raise DelugeError(f"no function named {function!r} in {self.filename} "
                          f"(functions: {names})")


class _Signature:
    """What calling one function needs, worked out once per Program: its generated entry
    point and its parameters (`info` is None for the main body)."""

    __slots__ = ("entry", "info", "names", "types", "known")

    def __init__(self, entry, info: FunctionInfo | None):
        self.entry = entry
        self.info = info
        params = info.params if info is not None else ()
        self.names = tuple(name for _, name in params)
        self.types = tuple(type_name for type_name, _ in params)
        self.known = frozenset(self.names)


class PreparedCall:
    """One function of a Program with its services and limits, called once per record.

    Each call runs with a fresh run state and fresh budgets, exactly as `Program.run`:
    nothing one call does (info lines, statements, memory, changes to its record)
    reaches the next. Immutable, and safe to call from many threads at once.
    """

    __slots__ = ("program", "function", "services", "limits", "isolation", "_sig", "_entry",
                 "_names", "_by_field")

    def __init__(self, program: Program, function: str | None, services: Services | None,
                 limits: Limits | None, isolation: str | None):
        if isolation not in (None, "none", "process"):
            raise ValueError(f"isolation must be None or 'process', not {isolation!r}")
        sig = program._signature(function)
        _set(self, "_sig", sig)
        _set(self, "_entry", sig.entry)
        _set(self, "_names", sig.names)
        # Arguments mapped from record fields are converted with the record (record_value).
        _set(self, "_by_field", program.by_field and not sig.names)
        _set(self, "program", program)
        _set(self, "function", function)
        _set(self, "services", services or NO_SERVICES)
        _set(self, "limits", limits or CRM)
        _set(self, "isolation", isolation)

    def __setattr__(self, name, value):
        raise AttributeError("a prepared call is immutable")

    def __call__(self, args: dict | None = None, *, record: dict | None = None,
                 preset: dict | None = None) -> Result:
        """Run the function once: `args` maps argument names to plain Python values,
        `record` is the record it runs against, `preset` maps argument names to Deluge
        values passed as they are (see `Program.run`)."""
        if self.isolation == "process":
            if preset:
                raise ValueError("preset values cannot be passed to an isolated run")
            from .isolation import run_isolated
            return run_isolated(self.program, args, record=record, services=self.services,
                                limits=self.limits, function=self.function)
        # The host's record as it is, for code that reads it only field by field, checking
        # each (Program.by_field); otherwise a checked, converted copy.
        by_field = self._by_field and type(record) is dict and not (args or preset)
        if not by_field:
            if type(record) is dict and plain_record(record):
                record = dict(record)  # record_value's commonest case, without its frame
            else:
                record = record_value(record) if record else {}
        argv = self._bind(args, record, preset) if args or preset else None
        limits = self.limits
        rt = Run(limits, self.services, record)
        if not by_field:  # code reading by field finds the converted values as they are
            rt.fields = record
        try:
            if argv is not None:
                value = self._entry(rt, *argv, 0)
            elif self._names:  # CRM-style argument mapping, as in _bind
                value = self._entry(rt, *map(record.get, self._names), 0)
            else:
                value = self._entry(rt, 0)
        except Exception as exc:
            raise _as_deluge_error(exc, rt) from (exc if os.environ.get("DG_DEBUG") else None)
        elapsed = (time.perf_counter() - rt.started) * 1000
        # A returned map of plain values is bounded in one call, or was bounded as it was
        # built (Run.result_bound); anything else, or a bound past the budget, is measured
        # by _check_return_size.
        counted = rt.result_bound
        if counted is not None and counted[0] is value and type(value) is dict:
            bound = counted[1]
        else:
            bound = scalar_map_bound(value) if type(value) is dict else None
        if bound is None or bound > limits.return_bytes:
            _check_return_size(value, limits)
        # Result(value, info, Stats(statements, ms)), without two __init__ frames:
        stats = _new(Stats)
        _set_statements(stats, rt.steps)
        _set_ms(stats, elapsed)
        result = _new(Result)
        _set_value(result, value)
        _set_info(result, tuple(rt.info_lines) if rt.info_lines else ())
        _set_stats(result, stats)
        return result

    run = __call__

    def _bind(self, args: dict | None, record: dict, preset: dict | None) -> list:
        args = args or {}
        preset = preset or {}
        sig = self._sig
        info = sig.info
        if info is None:
            raise DelugeError("this script has no function declaration, so it takes no "
                              "arguments; declare one, like: void f(string name) { ... }")
        unknown = sorted((set(args) | set(preset)) - sig.known)
        if unknown:
            raise DelugeError(f"function {info.qualified_name} has no argument "
                              f"{', '.join(repr(u) for u in unknown)} "
                              f"(its arguments: {', '.join(sorted(sig.known)) or 'none'})")
        values = []
        for type_name, name in zip(sig.types, sig.names):
            if name in preset:
                values.append(preset[name])
            elif name in args:
                values.append(convert_argument(args[name], type_name, name))
            else:
                # CRM-style argument mapping: an argument named after a record field
                # receives that field's value.
                values.append(record.get(name))
        return values


def record_value(record) -> dict:
    """The record a run sees: a converted copy of the host's (so no change reaches it)."""
    if type(record) is dict and plain_record(record):
        return dict(record)  # from_plain's result, without its walk down the types
    try:
        value = from_plain(record)
    except ScriptError as exc:
        raise HostDataError(f"the record: {exc.message}") from None
    if type(value) is not dict:
        raise DelugeError("the record must be a map of field names to values, like "
                          "{\"First_Name\": \"Ada\"}")
    return value


def convert_argument(value, type_name: str, name: str):
    """A host value for a declared argument type; text from the command line converts."""
    value = from_plain(value)
    if type(value) is not str:
        return value
    kind = type_name.lower()
    try:
        if kind in ("int", "number", "long", "bigint"):
            number = int(_ascii_number(value))  # not Python's "1_000" or other scripts' digits
            if not INT_MIN <= number <= INT_MAX:  # NUMBER is 64-bit
                raise ValueError
            return number
        if kind in ("decimal", "float", "double"):
            number = DEC.create_decimal(_ascii_number(value))
            if not number.is_finite():  # no NaN or Infinity in Deluge
                raise ValueError
            return number
        if kind in ("bool", "boolean"):
            if value.strip().lower() in ("true", "false"):
                return value.strip().lower() == "true"
            raise ValueError
        if kind in ("map", "list", "collection"):
            import json
            return from_plain(json.loads(value))
        if kind in ("date", "datetime"):
            from .dateformats import parse_literal
            parsed = parse_literal(value)
            if parsed is None:
                raise ValueError
            return parsed
    except (ValueError, ArithmeticError):
        raise DelugeError(f"argument {name!r} is declared {type_name}, and {value!r} is not "
                          f"a valid {type_name}") from None
    return value


def _ascii_number(text: str) -> str:
    text = text.strip()
    if not text.isascii() or "_" in text:
        raise ValueError
    return text


def _as_deluge_error(exc: Exception, rt: Run) -> DelugeError:
    """Every failure as a DelugeError with its position, the info lines printed before it,
    and the statement count. Python's own exception text never reaches the user."""
    if isinstance(exc, DelugeError):
        err = exc
    elif isinstance(exc, RecursionError):
        err = LimitError("call_depth", rt.limits.call_depth,
                         "the function nests too deeply for the engine")
    elif isinstance(exc, MemoryError):
        err = LimitError("memory_bytes", rt.limits.memory_bytes, "the function ran out of memory")
    else:  # a defect in the engine
        err = ScriptError("internal error in the engine while running this statement")
    if err.line is None:
        # Too deep a call is refused in the callee's prologue: show the call that went
        # too deep, one generated frame further out, not the callee's header.
        skip = 1 if isinstance(err, LimitError) and err.limit == "call_depth" else 0
        err.at(*locate(exc, skip))
    err.info = tuple(rt.info_lines)
    err.statements = rt.steps
    return err


def _check_return_size(value, limits: Limits) -> None:
    """Refuse a returned value larger than `return_bytes` as JSON; measure it exactly only
    when a cheap upper bound of its size does not already settle it."""
    if value is None or type(value) is int or type(value) is bool:
        return
    if json_size_bound(value, limits.return_bytes) <= limits.return_bytes:
        return
    size = len(to_json_text(value).encode("utf-8", "surrogatepass"))
    if size > limits.return_bytes:
        raise LimitError("return_bytes", limits.return_bytes,
                         f"the returned value is {size:,} bytes as JSON "
                         f"(limit 'return_bytes' = {limits.return_bytes})")


# ---------------------------------------------------------------- positions

def locate(exc: BaseException, skip: int = 0) -> tuple[int | None, int | None]:
    """The Deluge line and column where an exception left generated code: the innermost
    generated frame, or the one `skip` frames further out (the innermost if there is none)."""
    found = []
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename == CODE_FILENAME:
            found.append((code, tb.tb_lasti, tb.tb_lineno))
        tb = tb.tb_next
    if not found:
        return None, None
    return _position(*found[-1 - skip if skip < len(found) else -1])


def _position(code, lasti: int, lineno: int) -> tuple[int, int | None]:
    positions = list(code.co_positions())
    index = lasti // 2
    if 0 <= index < len(positions):
        line, _, col, _ = positions[index]
        if line:
            return line, (col + 1 if col is not None else None)
    return lineno, None


# ---------------------------------------------------------------- compiling

_CACHE: OrderedDict = OrderedDict()
_CACHE_LOCK = allocate_lock()
_CACHE_SIZE = 256


def compile(source: str, filename: str = "<script>", *, limits: Limits | None = None,
            cache: bool = True) -> Program:
    """Parse, check and compile Deluge source. Raises ParseError or CheckError.

    Programs are cached by source text, so compiling the same function again is cheap.
    """
    limits = limits or CRM
    # The source text itself is the key: a dict compares it exactly (a hash of it would
    # cost hashlib's import at every start-up).
    key = (source, filename, compile_limits(limits))
    if cache:
        with _CACHE_LOCK:
            program = _CACHE.get(key)
            if program is not None:
                _CACHE.move_to_end(key)
                return program
    from .checker import check
    from .frontend import parse_module

    module = parse_module(source, max_nesting=limits.parse_nesting, max_bytes=limits.source_bytes)
    problems = check(module)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CheckError(errors)
    program = Program(source, filename, module, tuple(p for p in problems if p.severity != "error"))
    if cache:
        with _CACHE_LOCK:
            _CACHE[key] = program
            if len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return program


def check_source(source: str, *, limits: Limits | None = None) -> list[Problem]:
    """Every static problem in `source`: a syntax error stops parsing, so it comes alone."""
    from .checker import check
    from .frontend import parse_module

    limits = limits or CRM
    module = parse_module(source, max_nesting=limits.parse_nesting, max_bytes=limits.source_bytes)
    return check(module)
