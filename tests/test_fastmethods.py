"""The compiler's fast paths for get/put/containKey/add give exactly what the builtins give:
the same result, the same error, and the same collection afterwards."""

from __future__ import annotations

import copy
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from delugelang.builtins import load_all
from delugelang.builtins.registry import METHODS
from delugelang.errors import DelugeError
from delugelang.fastmethods import FAST_PATHS, fast_path, is_genuine
from delugelang.limits import CRM
from delugelang.runtime import Run
from delugelang.services import NO_SERVICES
from delugelang.values import DEC, TypedList, key_out

load_all()

SCALARS = st.one_of(st.text(max_size=3), st.integers(-3, 3), st.booleans(), st.none(),
                    st.just(DEC.create_decimal("1.5")), st.just(dt.date(2024, 1, 2)),
                    st.just(dt.datetime(2024, 1, 2, 3, 4, 5)))
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=2),
                   st.dictionaries(st.text(max_size=2), SCALARS, max_size=2))
SMALL = CRM.replace(collection_size=3)


def shape(value, depth=0):
    """A comparable picture of a value (MapKey objects have no stable repr)."""
    if depth > 10:
        return "(contains itself)"
    if type(value) is dict:
        return [(type(k).__name__, repr(key_out(k)), shape(v, depth + 1))
                for k, v in value.items()]
    if isinstance(value, list):
        return [shape(v, depth + 1) for v in value]
    return (type(value).__name__, repr(value))


def outcome(fn, receiver, args, limits):
    rt = Run(limits, NO_SERVICES)
    try:
        result = ("value", shape(fn(rt, receiver, *args)))
    except DelugeError as exc:
        result = ("error", type(exc).__name__, exc.message)
    return result, shape(receiver)


def both(name, receiver_type, receiver, args, limits=CRM, self_value=False):
    builtin = METHODS[name].impls[receiver_type][0]
    fast = FAST_PATHS[(name, receiver_type, len(args))][1](builtin)
    assert is_genuine(builtin, name, receiver_type, len(args))
    a, b = copy.deepcopy(receiver), copy.deepcopy(receiver)
    args_a = [a if self_value and i == len(args) - 1 else x for i, x in enumerate(args)]
    args_b = [b if self_value and i == len(args) - 1 else x for i, x in enumerate(args)]
    got = outcome(fast, a, args_a, limits)
    want = outcome(builtin, b, args_b, limits)
    assert got == want


MAPS = st.dictionaries(st.one_of(st.text(max_size=2), st.integers(0, 3)), SCALARS, max_size=3)


@settings(max_examples=200, deadline=None)
@given(m=MAPS, key=SCALARS)
def test_map_get_and_contains_key(m, key):
    both("get", dict, m, [key])
    both("containkey", dict, m, [key])
    both("containskey", dict, m, [key])


@settings(max_examples=300, deadline=None)
@given(m=MAPS, key=SCALARS, value=VALUES, small=st.booleans(), itself=st.booleans())
def test_map_put(m, key, value, small, itself):
    both("put", dict, m, [key, value], SMALL if small else CRM, self_value=itself)


@settings(max_examples=200, deadline=None)
@given(items=st.lists(SCALARS, max_size=4), value=VALUES, small=st.booleans(),
       itself=st.booleans())
def test_list_add(items, value, small, itself):
    both("add", list, items, [value], SMALL if small else CRM, self_value=itself)


def test_typed_lists_keep_their_builtin():
    """A List:Int() converts what is added: no fast path is registered for it."""
    assert not any(t is TypedList for _, t, _ in FAST_PATHS)


def test_a_replaced_builtin_sees_every_call():
    """builtins/docgen.py wraps implementations to record what they return: a wrapper, or
    any other implementation registered in the builtin's place, gets no fast path."""
    builtin = METHODS["put"].impls[dict][0]

    def recorded(rt, m, key, value):
        return builtin(rt, m, key, value)

    assert fast_path(builtin, "put", dict, 2) is not builtin
    assert fast_path(recorded, "put", dict, 2) is recorded
