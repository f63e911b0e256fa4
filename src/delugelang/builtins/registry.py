"""The builtin dispatch tables: adding a builtin means adding one documented function.

A builtin module declares its functions with two decorators:

    @method("subString", "subText", "mid", on=TEXT, args=(1, 2))
    def sub_string(rt, text, start, end=None):
        '''Text between two 0-based positions; `end` is exclusive (not a length).

        >>> "Hello".subString(1, 3)
        "el"
        '''

    @function("isNull", args=(1, 1))
    def is_null(rt, value): ...

`method` registers `recv.name(args)` for receivers of the given Deluge types, and by
default also the function form `name(recv, args)`. `function` registers a global
function. Names are case-insensitive (real scripts write `indexof`, `getJson`, `Get`).
Every implementation takes the run (`rt`, see delugelang.runtime.Run) first.

Each docstring carries runnable examples: a `>>> expression` line, then the expected
value as JSON on the next line. The test suite runs every one of them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from ..errors import ScriptError
from ..frozen import Mutable
from ..values import Collection, Decimal, ErrorValue, TypedList, type_name

TEXT = (str,)
NUMBER = (int,)
DECIMAL = (Decimal,)
NUMERIC = (int, Decimal)
BOOLEAN = (bool,)
LIST = (list, TypedList)
MAP = (dict,)
COLLECTION = (Collection,)
DATE = (_dt.date,)
DATETIME = (_dt.datetime,)
DATES = (_dt.date, _dt.datetime)
TIME = (_dt.time,)
NULL = (type(None),)
ERROR = (ErrorValue,)
ANY = TEXT + NUMERIC + BOOLEAN + LIST + MAP + COLLECTION + DATES + TIME + NULL + ERROR


class MethodSpec(Mutable):
    """Every implementation of one method name, keyed by receiver type."""

    __slots__ = _fields = ("name", "impls", "function_form")
    name: str
    impls: dict  # python type -> (impl, min_args, max_args)
    function_form: bool

    def __init__(self, name: str, impls: dict | None = None, function_form: bool = True):
        self.name = name
        self.impls = {} if impls is None else impls
        self.function_form = function_form

    def arity(self) -> tuple[int, int | None]:
        lows = [lo for _, lo, _ in self.impls.values()]
        highs = [hi for _, _, hi in self.impls.values()]
        return min(lows), (None if None in highs else max(highs))


class FunctionSpec(Mutable):
    """A global function such as `isNull(x)` or `Map()`."""

    __slots__ = _fields = ("name", "impl", "min_args", "max_args", "lazy")
    name: str
    impl: Callable
    min_args: int
    max_args: int | None
    lazy: bool  # receives its arguments unevaluated (none today; reserved)

    def __init__(self, name: str, impl: Callable, min_args: int, max_args: int | None,
                 lazy: bool = False):
        self.name = name
        self.impl = impl
        self.min_args = min_args
        self.max_args = max_args
        self.lazy = lazy


METHODS: dict[str, MethodSpec] = {}
FUNCTIONS: dict[str, FunctionSpec] = {}


def method(*names: str, on: tuple, args: tuple[int, int | None] = (0, 0), function_form: bool = True):
    """Register `recv.name(...)` for receivers whose type is in `on`."""
    lo, hi = args

    def register(impl):
        for name in names:
            spec = METHODS.setdefault(name.lower(), MethodSpec(name))
            spec.function_form = spec.function_form and function_form
            for py_type in on:
                spec.impls[py_type] = (impl, lo, hi)
        impl.deluge_names = names
        return impl

    return register


def function(*names: str, args: tuple[int, int | None] = (0, 0)):
    """Register a global function `name(...)`."""
    lo, hi = args

    def register(impl):
        for name in names:
            FUNCTIONS[name.lower()] = FunctionSpec(name, impl, lo, hi)
        impl.deluge_names = names
        return impl

    return register


def _load(name: str) -> None:
    from . import load_for  # the package imports this module: look it up at call time
    load_for(name)


def lookup_function(name: str):
    """The global function or function-form method called `name`, or None."""
    _load(name)
    key = name.lower()
    spec = FUNCTIONS.get(key)
    if spec is not None:
        return spec
    mspec = METHODS.get(key)
    if mspec is not None and mspec.function_form:
        return mspec
    return None


def method_spec(name: str) -> MethodSpec | None:
    """Every implementation of the method `name` (any case), or None."""
    _load(name)
    return METHODS.get(name.lower())


def method_dispatcher(name: str) -> Callable:
    """A callable `(rt, recv, *args)` that runs `name` for the receiver's type."""
    _load(name)
    spec = METHODS[name.lower()]
    impls = spec.impls
    shown = spec.name

    def call(rt, recv, *args):
        entry = impls.get(recv.__class__)
        if entry is None:
            raise _wrong_receiver(shown, recv)
        impl, lo, hi = entry
        if len(args) < lo or (hi is not None and len(args) > hi):
            raise ScriptError(f"{shown}() on a {type_name(recv)} value takes "
                              f"{_count_words(lo, hi)}, not {len(args)}")
        return impl(rt, recv, *args)

    return call


def function_caller(spec: FunctionSpec) -> Callable:
    """A callable `(rt, *args)` for a global function."""
    impl = spec.impl
    return impl


def _wrong_receiver(name: str, recv) -> ScriptError:
    if recv is None:
        return ScriptError(f"{name}() cannot be called on a null value")
    return ScriptError(f"{name}() cannot be used on a {type_name(recv)} value")


def _count_words(lo: int, hi: int | None) -> str:
    if hi == lo:
        return f"{lo} argument{'s' if lo != 1 else ''}"
    if hi is None:
        return f"at least {lo} argument{'s' if lo != 1 else ''}"
    return f"{lo} to {hi} arguments"


def arity_words(lo: int, hi: int | None) -> str:
    return _count_words(lo, hi)
