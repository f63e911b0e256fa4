"""The cheap checks on a run's edges: host data conversion, and the returned value's size."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import delugelang
from delugelang import LimitError, Limits, ScriptError
from delugelang.values import INT_MAX, INT_MIN, from_plain, json_size_bound, to_json_text

TEXTS = st.text(alphabet="a\x01\"\\é😀\u2028 ", max_size=8)
NUMBERS = st.integers(min_value=-2**64, max_value=2**64)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXTS,
                    st.floats(allow_nan=False, allow_infinity=False, width=32))


def slow_from_plain(data):
    """The conversion one value at a time, as DESIGN.md's value mapping states it."""
    if type(data) is dict:
        return {k: slow_from_plain(v) for k, v in data.items()}
    if type(data) is list:
        return [slow_from_plain(v) for v in data]
    if type(data) is int and not INT_MIN <= data <= INT_MAX:
        raise ScriptError("out of range")
    if type(data) is float:
        return Decimal(repr(data))
    return data


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(TEXTS, SCALARS, max_size=8) | st.lists(SCALARS, max_size=8))
def test_host_data_converts_as_value_by_value(data):
    try:
        expected = slow_from_plain(data)
    except ScriptError:
        with pytest.raises(ScriptError, match="out of the NUMBER range"):
            from_plain(data)
        return
    got = from_plain(data)
    assert got == expected and got is not data
    assert [type(v) for v in (got.values() if type(got) is dict else got)] == \
        [type(v) for v in (expected.values() if type(expected) is dict else expected)]


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=INT_MIN, max_value=INT_MAX),
              TEXTS, st.decimals(allow_nan=False, allow_infinity=False, places=3)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXTS, inner, max_size=4),
    max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_the_size_bound_is_never_below_the_json_size(value):
    value = from_plain(value)
    size = len(to_json_text(value).encode("utf-8", "surrogatepass"))
    assert json_size_bound(value, 10**9) >= size


@pytest.mark.parametrize("expr", [
    '"x".leftPad(300)',
    '{"k": "x".leftPad(290), "n": 1, "b": true, "z": null}',   # a map of scalars
    '{"k": {"n": "x".leftPad(290)}}',                          # nested
    '{"k": "x".leftPad(100).replaceAll(" ", "\\t")}',          # `\t` is 2 bytes of JSON
    '"é".leftPad(50)',                                         # 2 bytes of UTF-8
])
def test_return_bytes_refuses_a_value_just_over_the_limit(expr):
    program = delugelang.compile(f"return {expr};")
    value = program.run().value
    size = len(to_json_text(value).encode("utf-8"))
    assert program.run(limits=Limits(return_bytes=size)).value == value
    with pytest.raises(LimitError) as info:
        program.run(limits=Limits(return_bytes=size - 1))
    assert info.value.limit == "return_bytes"
    assert f"is {size:,} bytes as JSON" in info.value.message


def test_return_bytes_counts_maps_with_keys_that_are_no_text():
    program = delugelang.compile('m = Map(); m.put(true, "x".leftPad(50)); m.put(7, "y");\n'
                                 'return m;')
    value = program.run().value
    size = len(to_json_text(value).encode("utf-8"))
    assert program.run(limits=Limits(return_bytes=size)).value == value
    with pytest.raises(LimitError):
        program.run(limits=Limits(return_bytes=size - 1))
