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


# (method name, receiver type, argument count) -> wrapper of the builtin. Only the exact
# types: a TypedList converts what it is given, a Collection decides its kind on use.
FAST_PATHS = {
    ("get", dict, 1): map_get,
    ("containkey", dict, 1): map_contains_key,
    ("containskey", dict, 1): map_contains_key,
    ("put", dict, 2): map_put,
    ("add", list, 1): list_add,
}
