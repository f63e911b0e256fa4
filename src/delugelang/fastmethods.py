"""Fast paths for the hottest collection methods, in front of their builtins.

Each wraps one builtin implementation (builtins/lists.py, builtins/maps.py) for one
receiver type and handles only its commonest case, where the builtin's rules reduce to
one dict or list operation: a TEXT or NUMBER key (stored as itself, values.key_in;
BOOLEAN keys are wrapped, so `type(key) is int` leaves them out), and for `put` a
value that is TEXT, NUMBER, BOOLEAN or null (nothing to convert: no date to widen, not
the map itself). Every other call goes to the builtin unchanged. The size budget is
checked exactly as seqs.grow checks it. tests/test_fastmethods.py runs both sides on
generated calls and expects the same results, errors and collections.
"""

from __future__ import annotations


def map_get(builtin):
    def get(rt, m, key):
        tk = type(key)
        if tk is str or tk is int:
            return m.get(key)
        return builtin(rt, m, key)
    return get


def map_contains_key(builtin):
    def contains_key(rt, m, key):
        tk = type(key)
        if tk is str or tk is int:
            return key in m
        return builtin(rt, m, key)
    return contains_key


def map_put(builtin):
    def put(rt, m, key, value):
        tk = type(key)
        tv = type(value)
        if (tk is str or tk is int) and (tv is str or tv is int or tv is bool or value is None):
            if key not in m and len(m) >= rt.limits.collection_size:
                rt.check_size(len(m) + 1)
            m[key] = value
            return None
        return builtin(rt, m, key, value)
    return put


def list_add(builtin):
    def add(rt, lst, value):
        if value is not lst:
            if len(lst) >= rt.limits.collection_size:
                rt.check_size(len(lst) + 1)
            lst.append(value)
            return None
        return builtin(rt, lst, value)
    return add


# (method name, receiver type, argument count) -> (the builtin it stands in front of,
# wrapper). Only the exact types: a TypedList converts what it is given, a Collection
# decides its kind on use.
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
    """The fast path in front of `builtin`, or the builtin itself."""
    if is_genuine(builtin, name, receiver_type, argc):
        return FAST_PATHS[(name, receiver_type, argc)][1](builtin)
    return builtin
