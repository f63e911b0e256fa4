"""Method-call helpers: one per method and argument count, with fast paths for the hottest.

Generated code calls a method as `m_4(rt, recv, args...)`. The helper picks the
receiver type's implementation from a table of those that take this many arguments
(arity settled at compile time); any other receiver goes to the full dispatcher, which
runs it or raises Deluge's error.

The hottest collection methods handle their commonest case in the helper itself, in
front of one builtin implementation (builtins/lists.py, builtins/maps.py) for one
receiver type, where the builtin's rules reduce to one dict or list operation: a TEXT or
NUMBER key (stored as itself, values.key_in; BOOLEAN keys are wrapped, so `type(key) is
int` leaves them out), and for `put` a value that is TEXT, NUMBER, BOOLEAN or null
(nothing to convert: no date to widen, not the map itself). Every other call goes to
the builtin unchanged. The size budget is checked exactly as seqs.grow checks it.
tests/test_fastmethods.py runs both sides on generated calls and expects the same
results, errors and collections.
"""

from __future__ import annotations

# Each fast path is made from (the builtin for its receiver type, the implementation
# for any other receiver type, the full dispatcher). Without the last two, it stands
# in front of the builtin alone (a receiver known to be of its type).


def _others(builtin, receiver_type, impl_for, generic):
    if impl_for is None:
        return {receiver_type: builtin}.get, builtin
    return impl_for, generic


def map_get(builtin, impl_for=None, generic=None):
    impl_for, generic = _others(builtin, dict, impl_for, generic)

    def get(rt, m, key):
        if type(m) is dict:
            tk = type(key)
            if tk is str or tk is int:
                return m.get(key)
        return impl_for(type(m), generic)(rt, m, key)
    return get


def map_contains_key(builtin, impl_for=None, generic=None):
    impl_for, generic = _others(builtin, dict, impl_for, generic)

    def contains_key(rt, m, key):
        if type(m) is dict:
            tk = type(key)
            if tk is str or tk is int:
                return key in m
        return impl_for(type(m), generic)(rt, m, key)
    return contains_key


def map_put(builtin, impl_for=None, generic=None):
    impl_for, generic = _others(builtin, dict, impl_for, generic)

    def put(rt, m, key, value):
        if type(m) is dict:
            tk = type(key)
            tv = type(value)
            if (tk is str or tk is int) and (tv is str or tv is int or tv is bool or value is None):
                if key not in m and len(m) >= rt.limits.collection_size:
                    rt.check_size(len(m) + 1)
                m[key] = value
                return None
        return impl_for(type(m), generic)(rt, m, key, value)
    return put


def list_add(builtin, impl_for=None, generic=None):
    impl_for, generic = _others(builtin, list, impl_for, generic)

    def add(rt, lst, value):
        if type(lst) is list and value is not lst:
            if len(lst) >= rt.limits.collection_size:
                rt.check_size(len(lst) + 1)
            lst.append(value)
            return None
        return impl_for(type(lst), generic)(rt, lst, value)
    return add


# (method name, receiver type, argument count) -> (the builtin it stands in front of,
# helper factory). Only the exact types: a TypedList converts what it is given, a
# Collection decides its kind on use.
_MAPS, _LISTS = "delugelang.builtins.maps", "delugelang.builtins.lists"
FAST_PATHS = {
    ("get", dict, 1): ((_MAPS, "map_get"), map_get),
    ("containkey", dict, 1): ((_MAPS, "map_contains_key"), map_contains_key),
    ("containskey", dict, 1): ((_MAPS, "map_contains_key"), map_contains_key),
    ("put", dict, 2): ((_MAPS, "map_put"), map_put),
    ("add", list, 1): ((_LISTS, "list_add"), list_add),
}


def is_genuine(builtin, name: str, receiver_type: type, argc: int) -> bool:
    """Whether `builtin` is the very function the fast path was written for. Anything
    else registered in its place (a new implementation, or builtins/docgen.py's recorder
    that watches every call) must see every call, so it gets no fast path."""
    entry = FAST_PATHS.get((name, receiver_type, argc))
    return entry is not None and (getattr(builtin, "__module__", None),
                                  getattr(builtin, "__name__", None)) == entry[0]


def fast_path(builtin, name: str, receiver_type: type, argc: int):
    """The fast path in front of `builtin` (for receivers of its type), or the builtin."""
    if is_genuine(builtin, name, receiver_type, argc):
        return FAST_PATHS[(name, receiver_type, argc)][1](builtin)
    return builtin


def method_caller(spec, argc: int, generic):
    """The helper `(rt, recv, *args)` for `spec` called with `argc` arguments."""
    name = spec.name.lower()
    table = {t: impl for t, (impl, lo, hi) in spec.impls.items()
             if lo <= argc and (hi is None or argc <= hi)}
    for receiver_type, impl in table.items():
        if is_genuine(impl, name, receiver_type, argc):
            return FAST_PATHS[(name, receiver_type, argc)][1](impl, table.get, generic)
    return _plain_caller(table.get, generic, argc)


def _plain_caller(impl_for, generic, argc: int):
    # One written-out signature per common argument count: no tuple packing per call.
    if argc == 0:
        def call(rt, recv):
            return impl_for(type(recv), generic)(rt, recv)
    elif argc == 1:
        def call(rt, recv, a):
            return impl_for(type(recv), generic)(rt, recv, a)
    elif argc == 2:
        def call(rt, recv, a, b):
            return impl_for(type(recv), generic)(rt, recv, a, b)
    else:
        def call(rt, recv, *args):
            return impl_for(type(recv), generic)(rt, recv, *args)
    return call


# ---------------------------------------------------------------- TEXT receivers

# (method name, argument count) -> (the TEXT builtin in builtins/text.py it stands in
# front of, the inline form inline.text_method writes for it). Each builtin's result is
# one `str` method's, within the text budget: trim is `str.strip` of the characters up to
# U+0020; lower and upper fail only when the result passes the budget; getSuffix with a
# non-empty TEXT constant is the tail of `str.partition` (which finds the first occurrence,
# as get_suffix's `find` does), or null when the part is absent.
_TEXT = "delugelang.builtins.text"
TEXT_INLINE = {
    ("trim", 0): ((_TEXT, "trim"), "strip"),
    ("tolowercase", 0): ((_TEXT, "to_lower_case"), "lower"),
    ("lower", 0): ((_TEXT, "to_lower_case"), "lower"),
    ("touppercase", 0): ((_TEXT, "to_upper_case"), "upper"),
    ("upper", 0): ((_TEXT, "to_upper_case"), "upper"),
    ("getsuffix", 1): ((_TEXT, "get_suffix"), "suffix"),  # a non-empty TEXT constant part
}


def text_method(spec, argc: int, constants: tuple = ()):
    """How a call of `spec` with `argc` arguments on a TEXT receiver skips the method
    helper: ("inline", form) in front of the exact builtin TEXT_INLINE names (`constants`:
    the arguments' values, for those known at compile time, which getSuffix needs), ("call",
    impl) for any other TEXT implementation taking `argc` (the helper would pick the same
    one: method_caller's table), None when TEXT has none. Whatever is registered in the
    builtin's place (docgen's recorder) is called, never passed by."""
    entry = spec.impls.get(str)
    if entry is None:
        return None
    impl, lo, hi = entry
    if argc < lo or (hi is not None and argc > hi):
        return None
    inline = TEXT_INLINE.get((spec.name.lower(), argc))
    if inline is not None and inline[1] == "suffix" and not (
            len(constants) == 1 and type(constants[0]) is str and constants[0]):
        inline = None
    if inline is not None and (getattr(impl, "__module__", None),
                               getattr(impl, "__name__", None)) == inline[0]:
        return "inline", inline[1]
    return "call", impl


def planned_replacement(spec, argc: int, constants: tuple):
    """`text.replaceAll(P, R)` with TEXT constants P and R, in front of the exact builtin:
    the replacement planned at compile time (regexes.ready_replacer), or None."""
    entry = spec.impls.get(str)
    if spec.name.lower() != "replaceall" or argc != 2 or entry is None or \
            (getattr(entry[0], "__module__", None), getattr(entry[0], "__name__", None)) \
            != (_TEXT, "replace_all") or not all(type(c) is str for c in constants):
        return None
    from .builtins.regexes import ready_replacer
    return ready_replacer(*constants)


# ---------------------------------------------------------------- constructors

# `Map()` and `List()` without an argument are a new empty dict or list, in front of the
# exact builtins of builtins/common.py (which return `{}` and `[]` for no argument).
_COMMON = "delugelang.builtins.common"
EMPTY_CONSTRUCTORS = {(_COMMON, "new_map"): "map", (_COMMON, "new_list"): "list"}


def empty_constructor(impl) -> str | None:
    """"map" or "list" when `impl` is the exact builtin `Map()` or `List()` calls, else None."""
    return EMPTY_CONSTRUCTORS.get((getattr(impl, "__module__", None),
                                   getattr(impl, "__name__", None)))
