"""A compiled Program as bytes and back, for a host's compiled-program cache (no I/O here).

What is stored: the generated functions' code objects (marshal, as Python's own .pyc files
hold them), the Program's metadata (functions, parameters, warnings, entry names), and how
each helper beyond the fixed run-time table was made (a constant, a builtin function or
method looked up by name). Loading one needs neither the parser, the checker nor the
compiler. The host stores the bytes (DESIGN.md invariant 5: the engine does no I/O).

An entry starts with its key: the full source text, the file name, and what else the host
says the program depends on (limits, the engine's fingerprint); `decode` returns a Program
only when the stored key equals the one asked for, so an entry written for other source,
another Python or another engine version is never used. A checksum over the whole entry refuses a truncated or damaged one.

Marshal data is code: the host must keep entries where only its user can write (the
`dg` command uses the private per-user cache directory). Every failure to decode raises
CodecError, which a host treats as "not cached"."""

from __future__ import annotations

import datetime as _dt
import marshal
import sys
import zlib
from decimal import Decimal

from .errors import Problem
from .run_helpers import CODE_FILENAME, INLINE_HELPERS, RUN_HELPERS

MAGIC = b"DGPROG2\n"
_FUNCTION = type(lambda: None)
_CODE = type((lambda: None).__code__)
_HEADER = len(MAGIC) + 8  # magic, crc32 of the rest, length of the rest


class CodecError(Exception):
    """An entry that cannot be used: damaged, written for another key, or of a shape this
    engine does not know. Never shown to a user: the host compiles instead."""


def python_tag() -> tuple:
    """What code objects depend on: the interpreter, its exact version, marshal's format."""
    return (sys.implementation.cache_tag, sys.version, marshal.version)


# ---------------------------------------------------------------- encoding

def entry_key(source: str, filename: str, extra: tuple) -> tuple:
    """What an entry must match exactly: `extra` is the host's (str/int/bytes/tuples)."""
    return (MAGIC, python_tag(), source, filename, extra)


def encode(program, extra: tuple) -> bytes | None:
    """The entry for `program` (see entry_key), or None when the program holds something
    this codec cannot describe (it is then not cached)."""
    try:
        if any(type(w) is not Problem for w in program.warnings):
            raise _Uncacheable("warning")
        key = entry_key(program.source, program.filename, extra)
        body = (_functions_code(program), _helpers(program), _builtins(program),
                dict(program._entry_names), program.by_field,
                tuple((f.name, f.qualified_name, f.params, f.return_type)
                      for f in program.functions),
                tuple((w.message, w.line, w.column, w.severity) for w in program.warnings))
        payload = marshal.dumps((key, marshal.dumps(body)))
    except (_Uncacheable, ValueError, TypeError):
        return None
    return MAGIC + zlib.crc32(payload).to_bytes(4, "big") + len(payload).to_bytes(4, "big") \
        + payload


class _Uncacheable(Exception):
    pass


def _functions_code(program) -> tuple:
    """(name, code) of every generated function: what exec-ing the module defined."""
    out = []
    for name, value in _rest(program):
        if type(value) is _FUNCTION and value.__code__.co_filename == CODE_FILENAME:
            if value.__defaults__ or value.__kwdefaults__ or value.__closure__:
                raise _Uncacheable(name)
            out.append((name, value.__code__))
    return tuple(out)


def _rest(program):
    """The program's globals beyond the run-time table and the helpers made by recipe."""
    for name, value in program._globals.items():
        if name == "__builtins__" or name in program._recipes or \
                (name in RUN_HELPERS and RUN_HELPERS[name] is value):
            continue
        yield name, value


# The inline fast paths call Python builtins directly (run_helpers.INLINE_HELPERS: `type`,
# `len`, `str.strip`...): each is stored as its owner's name and its own, and must be the
# very object found there again.
_OWNERS = {"builtins": __builtins__ if isinstance(__builtins__, dict) else vars(__builtins__),
           "str": vars(str), "list": vars(list), "dict": vars(dict)}


def _builtins(program) -> tuple:
    out = []
    for name, value in _rest(program):
        if type(value) is _FUNCTION and value.__code__.co_filename == CODE_FILENAME:
            continue
        owner = getattr(value, "__objclass__", None)
        where = owner.__name__ if owner in (str, list, dict) else "builtins"
        attribute = getattr(value, "__name__", None)
        if _OWNERS[where].get(attribute) is not value:
            raise _Uncacheable(name)  # something this codec cannot name
        out.append((name, where, attribute))
    return tuple(out)


def _helpers(program) -> tuple:
    """(ident, kind, key, constant) for each helper Compiler.helper made."""
    out = []
    scope = program._globals
    for ident, (kind, key) in program._recipes.items():
        constant = None
        if kind == "k":
            constant = _checked_constant(scope[ident])
        elif kind in ("lit", "fn") or (kind == "m" and type(key) is tuple and len(key) == 3):
            # Made again by name, these are the very same objects: make sure of it.
            try:
                same = _make_helper(kind, key, None, scope, program._recipes) is scope[ident]
            except Exception:
                same = False
            if not same:
                raise _Uncacheable(ident)
        elif kind == "m_rx" and type(key) is tuple and len(key) == 2:
            pass  # a planned replaceAll, made again from its two constants
        elif not (kind == "m" and (type(key) is str or _is_arity_key(key))):
            raise _Uncacheable(ident)  # a helper of a kind this codec does not know
        out.append((ident, kind, key, constant))
    return tuple(out)


def _is_arity_key(key) -> bool:
    return type(key) is tuple and len(key) == 2 and type(key[0]) is str and type(key[1]) is int


def _constant(value) -> tuple:
    """A compile-time constant (DECIMAL, or a date-time literal without a time zone)."""
    kind = type(value)
    if kind is Decimal:
        return ("decimal", str(value))  # exact: Decimal(str(d)) == d, digit for digit
    if kind is _dt.datetime and value.tzinfo is None:
        return ("datetime", value.isoformat())
    if kind is _dt.date:
        return ("date", value.isoformat())
    if kind is _dt.time and value.tzinfo is None:
        return ("time", value.isoformat())
    raise _Uncacheable(kind.__name__)


def _checked_constant(value) -> tuple:
    constant = _constant(value)
    again = _value(constant)
    if type(again) is not type(value) or again != value or str(again) != str(value):
        raise _Uncacheable(type(value).__name__)
    return constant


# ---------------------------------------------------------------- decoding

def decode(data: bytes, source: str, filename: str, extra: tuple):
    """The Program for `source` stored in `data` under exactly this key; CodecError otherwise."""
    key = entry_key(source, filename, extra)
    if len(data) < _HEADER or not data.startswith(MAGIC):
        raise CodecError("not a compiled-program entry")
    crc = int.from_bytes(data[len(MAGIC):len(MAGIC) + 4], "big")
    size = int.from_bytes(data[len(MAGIC) + 4:_HEADER], "big")
    payload = data[_HEADER:]
    if len(payload) != size or zlib.crc32(payload) != crc:
        raise CodecError("a truncated or damaged entry")
    try:
        stored_key, body = marshal.loads(payload)
        if stored_key != key:
            raise CodecError("an entry for another source, engine or Python")
        codes, helpers, builtins, entry_names, by_field, functions, warnings = \
            marshal.loads(body)
        return _program(source, filename, codes, helpers, builtins, entry_names, by_field,
                        functions,
                        warnings)
    except CodecError:
        raise
    except Exception as exc:  # any other shape: an entry this engine did not write
        raise CodecError(f"an entry of an unknown shape ({type(exc).__name__})") from None


def _program(source, filename, codes, helpers, builtins, entry_names, by_field, functions,
             warnings):
    from .program import FunctionInfo, Program

    scope = {"__builtins__": {}}
    scope.update(RUN_HELPERS)
    for name, where, attribute in builtins:
        # Only the Python builtins the fast paths call, under their own names: an entry
        # can bind nothing else (no `eval`, `open` or `__import__`, whatever it says).
        value = INLINE_HELPERS.get(name)
        if value is None or _OWNERS[where].get(attribute) is not value:
            raise CodecError(f"not a fast-path helper: {name}")
        scope[name] = value
    recipes = {}
    # A method's per-arity caller wraps the method's generic dispatcher: make those first.
    for ident, kind, helper_key, constant in sorted(
            helpers, key=lambda h: h[1] == "m" and type(h[2]) is tuple):
        scope[ident] = _make_helper(kind, helper_key, constant, scope, recipes)
        recipes[ident] = (kind, helper_key)
    for name, code in codes:
        if type(code) is not _CODE or code.co_filename != CODE_FILENAME:
            raise CodecError("not generated code")
        scope[name] = _FUNCTION(code, scope, name)
    infos = tuple(FunctionInfo(name, qualified, tuple(map(tuple, params)), return_type)
                  for name, qualified, params, return_type in functions)
    problems = tuple(Problem(*w) for w in warnings)
    if type(by_field) is not bool:
        raise CodecError("damaged entry")
    return Program.restored(source, filename, problems, infos, scope, entry_names, recipes,
                            by_field)


def _make_helper(kind, key, constant, scope, recipes):
    if kind == "k":
        return _value(constant)
    if kind == "lit":
        from .dateformats import literal_for_run
        return literal_for_run
    if kind == "m_rx":  # Compiler.text_method's planned replaceAll
        from .builtins.regexes import ready_replacer
        planned = ready_replacer(*key) if all(type(k) is str for k in key) else None
        if planned is None:
            raise CodecError("a planned replaceAll that is no longer planned")
        return planned
    from .builtins.registry import FunctionSpec, function_caller, lookup_function, \
        method_dispatcher, method_spec
    if kind == "fn":
        spec = lookup_function(key)
        if not isinstance(spec, FunctionSpec):
            raise CodecError(f"no function {key}")
        return function_caller(spec)
    if kind == "m" and type(key) is str:
        return method_dispatcher(key)
    if kind == "m" and len(key) == 3 and key[2] == "text":  # Compiler.text_method's helper
        from .fastmethods import text_method
        name, argc, _ = key
        return text_method(method_spec(name), argc)[1]
    if kind == "m":
        from .fastmethods import method_caller
        name, argc = key
        generic = next(ident for ident, recipe in recipes.items() if recipe == ("m", name))
        return method_caller(method_spec(name), argc, scope[generic])
    raise CodecError(f"unknown helper kind {kind}")


def _value(constant):
    kind, text = constant
    if kind == "decimal":
        return Decimal(text)
    if kind == "datetime":
        return _dt.datetime.fromisoformat(text)
    if kind == "date":
        return _dt.date.fromisoformat(text)
    if kind == "time":
        return _dt.time.fromisoformat(text)
    raise CodecError(f"unknown constant kind {kind}")
