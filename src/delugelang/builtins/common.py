"""Builtins for any value: null checks, constructors and the basic conversions."""

from __future__ import annotations

import re

from ..errors import ScriptError
from ..values import DEC, Collection, Decimal, TypedList, check_int, key_in, to_text, type_name
from .registry import ANY, DECIMAL, NUMBER, TEXT, function, method

_WHOLE = re.compile(r"[+-]?[0-9]+")
_NUMERIC = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,7})?")


@function("isNull", args=(1, 1))
def is_null(rt, value):
    """True for null and for empty text: `isNull("")` is true, `" "` is not (reference §7.2).

    >>> isNull("")
    true
    >>> isNull(" ")
    false
    """
    return value is None or (type(value) is str and value == "")


@method("isNull", on=ANY)
def is_null_method(rt, value):
    """`x.isNull()`, the method form of isNull.

    >>> "".isNull()
    true
    """
    return is_null(rt, value)


@function("Map", args=(0, 1))
def new_map(rt, initial=None):
    """A new, empty KEY-VALUE map; `Map({...})` copies a map literal.

    >>> Map().size()
    0
    >>> Map({"a": 1}).get("a")
    1
    """
    if initial is None:
        return {}
    if type(initial) is dict:
        return dict(initial)
    if type(initial) is Collection and initial.kind != "list":
        return dict(initial.items)
    raise ScriptError(f"Map() takes a KEY-VALUE map, not {type_name(initial)}")


@function("List", args=(0, 1))
def new_list(rt, initial=None):
    """A new, empty LIST; `List({1, 2})` copies a list.

    >>> List().size()
    0
    >>> List({1, 2}).size()
    2
    """
    if initial is None:
        return []
    if type(initial) in (list, TypedList):
        return list(initial)
    if type(initial) is Collection and initial.kind != "map":
        return list(initial.items)
    raise ScriptError(f"List() takes a LIST, not {type_name(initial)}")


@function("Collection", args=(0, None))
def new_collection(rt, *items):
    """A COLLECTION: `Collection()` empty, `Collection("a", "b")` index-value,
    `Collection("k" : v)` key-value (reference §6).

    >>> Collection("a", "b").size()
    2
    """
    if not items:
        return Collection()
    pairs = [i for i in items if type(i) is tuple]
    if pairs and len(pairs) != len(items):
        raise ScriptError("Collection() cannot mix values and key : value pairs")
    if pairs:
        return Collection("map", {key_in(k): v for k, v in pairs})
    rt.check_size(len(items))
    return Collection("list", list(items))


@method("toString", "toText", on=ANY, args=(0, 2))
def to_string(rt, value, *fmt):
    """The text form of a value, as `info` prints it.

    A date-time with a pattern is formatted by the date builtins, which register their own
    `toString` for DATE and DATE-TIME receivers.

    >>> 12.toString()
    "12"
    >>> {1, 2}.toString()
    "1,2"
    """
    if fmt:
        raise ScriptError(f"toString() with a format needs a DATE-TIME value, not {type_name(value)}")
    text = to_text(value)
    rt.check_text(len(text))
    return text


@method("toNumber", "toLong", "toInt", on=TEXT + NUMBER + DECIMAL)
def to_number(rt, value):
    """A NUMBER: decimals are truncated, numeric text converts, anything else is an error.

    `toNumber("134A123B")` and `toNumber("")` raise a runtime error (reference §7.3).

    >>> "1234".toNumber()
    1234
    >>> 123.25.toNumber()
    123
    """
    t = type(value)
    if t is int:
        return value
    if t is Decimal:
        return _decimal_to_int(value)
    text = value.strip()
    if len(text) > 40:
        raise ScriptError(f"toNumber: {text[:20]!r}... is not a number")
    if _WHOLE.fullmatch(text):
        return check_int(int(text), "toNumber")
    if _NUMERIC.fullmatch(text):
        # Numeric text with a fraction truncates like a DECIMAL.
        return _decimal_to_int(DEC.create_decimal(text))
    raise ScriptError(f"toNumber: {value!r} is not a number")


def _decimal_to_int(d):
    """A DECIMAL truncated to a NUMBER; refused before a huge value becomes a huge int."""
    if d.adjusted() > 18:
        raise ScriptError(f"toNumber: {to_text(d) if d.adjusted() < 40 else 'the value'} "
                          f"is out of the NUMBER range")
    return check_int(int(d), "toNumber")


# The three TEXT methods every collection also has; the rest of TEXT is in text*.py.

@method("contains", on=TEXT, args=(1, 1))
def text_contains(rt, text, part):
    """True when the text holds `part`; case-sensitive.

    >>> "Zoho Creator".contains("Creator")
    true
    """
    return (part if type(part) is str else to_text(part)) in text


@method("size", "length", "len", on=TEXT)
def text_length(rt, text):
    """The number of characters, spaces included.

    >>> "Create database applications with Zoho Creator".len()
    46
    """
    return len(text)


@method("isEmpty", on=TEXT)
def text_is_empty(rt, text):
    """True only for "": a space is not empty (reference §7.2).

    >>> " ".isEmpty()
    false
    """
    return text == ""
