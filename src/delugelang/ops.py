"""Deluge's operators, conditions, iteration and field access, as generated code calls them."""

from __future__ import annotations

import datetime as _dt

from .errors import ScriptError
from .values import (DEC, INT_MAX, INT_MIN, Collection, Decimal, ErrorValue, TypedList,
                     key_in, to_text, type_name)

_NUMERIC = (int, Decimal)
_LISTS = (list, TypedList)


# Operator errors use Deluge's internal type names (reference §3 and §11).
_OPERATOR_TYPE_NAMES = {str: "STRING", int: "BIGINT", Decimal: "DOUBLE", bool: "BOOLEAN",
                        _dt.date: "DATE", _dt.datetime: "TIMESTAMP", _dt.time: "TIME",
                        list: "LIST", TypedList: "LIST", dict: "MAP", Collection: "COLLECTION",
                        type(None): "NULL"}


def _type_error(op: str, a, b) -> ScriptError:
    # Deluge's wording (error-messages page): "Left expression is of type TIMESTAMP and
    # right expression is of type BIGINT and operator + is not valid". A date literal
    # is a TIMESTAMP in Deluge even without a time.
    left = "TIMESTAMP" if type(a) is _dt.date else _OPERATOR_TYPE_NAMES.get(type(a), "VALUE")
    right = "TIMESTAMP" if type(b) is _dt.date else _OPERATOR_TYPE_NAMES.get(type(b), "VALUE")
    return ScriptError(f"Left expression is of type {left} and right expression is of "
                       f"type {right} and operator {op} is not valid")


def _overflow(op: str) -> ScriptError:
    return ScriptError(f"the result of {op} is out of the NUMBER range ({INT_MIN} to {INT_MAX})")


def _is_number(x) -> bool:
    t = type(x)
    return t is int or t is Decimal


def add(rt, a, b):
    """`a + b`: numbers add; TEXT with anything concatenates (deluge-reference.md §3)."""
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        r = a + b
        if INT_MIN <= r <= INT_MAX:
            return r
        raise _overflow("+")
    if ta is str or tb is str:
        # null next to text counts as empty text (reference §3, [inf]).
        left = a if ta is str else ("" if a is None else to_text(a))
        right = b if tb is str else ("" if b is None else to_text(b))
        size = len(left) + len(right)
        if size > rt.limits.text_length:
            rt.check_text(size)
        return left + right
    if _is_number(a) and _is_number(b):
        return DEC.add(a, b)
    raise _type_error("+", a, b)


def concat(rt, a, b):
    """`a + b` where the compiler knows one operand is a TEXT constant: the TEXT branch
    of `add`, without testing for numbers first."""
    ta = type(a)
    tb = type(b)
    left = a if ta is str else str(a) if ta is int else "" if a is None else to_text(a)
    right = b if tb is str else str(b) if tb is int else "" if b is None else to_text(b)
    size = len(left) + len(right)
    if size > rt.limits.text_length:
        rt.check_text(size)
    return left + right


def sub(rt, a, b):
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        r = a - b
        if INT_MIN <= r <= INT_MAX:
            return r
        raise _overflow("-")
    if _is_number(a) and _is_number(b):
        return DEC.subtract(a, b)
    raise _type_error("-", a, b)


def mul(rt, a, b):
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        r = a * b
        if INT_MIN <= r <= INT_MAX:
            return r
        raise _overflow("*")
    if _is_number(a) and _is_number(b):
        return DEC.multiply(a, b)
    raise _type_error("*", a, b)


def div(rt, a, b):
    """`a / b`. NUMBER / NUMBER truncates toward zero like Java's long division
    (deluge-reference.md §12.1, inferred); a DECIMAL operand gives a DECIMAL."""
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        if b == 0:
            raise ScriptError("division by zero")
        q = abs(a) // abs(b)
        q = q if (a >= 0) == (b >= 0) else -q
        if q > INT_MAX:
            raise _overflow("/")
        return q
    if _is_number(a) and _is_number(b):
        if b == 0:
            raise ScriptError("division by zero")
        return DEC.divide(a, b)
    raise _type_error("/", a, b)


def mod(rt, a, b):
    """`a % b`: the remainder takes the sign of the dividend, as in Java."""
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        if b == 0:
            raise ScriptError("division by zero")
        r = abs(a) % abs(b)
        return r if a >= 0 else -r
    if _is_number(a) and _is_number(b):
        if b == 0:
            raise ScriptError("division by zero")
        return DEC.remainder(a, b)
    raise _type_error("%", a, b)


def neg(rt, a):
    t = type(a)
    if t is int:
        if a == INT_MIN:
            raise _overflow("-")
        return -a
    if t is Decimal:
        return DEC.minus(a)
    raise ScriptError(f"unary - needs a NUMBER or DECIMAL, not {type_name(a)}")


def pos(rt, a):
    if _is_number(a):
        return a
    raise ScriptError(f"unary + needs a NUMBER or DECIMAL, not {type_name(a)}")


def not_(rt, a):
    if a is True:
        return False
    if a is False:
        return True
    raise ScriptError(f"! needs a BOOLEAN, not {type_name(a)}")


def truth(rt, a):
    """A condition: only true and false are valid (reference §3, Booleans)."""
    if a is True or a is False:
        return a
    raise ScriptError(f"a condition must be true or false, not {type_name(a)}"
                      + (" (null)" if a is None else ""))


# -- comparison ---------------------------------------------------------------


def eq(rt, a, b):
    """`==`: values of the same type compare by value; NUMBER and DECIMAL numerically.

    Text comparison is case-sensitive. Values of unrelated types are simply not equal.
    """
    ta = type(a)
    if ta is type(b):
        if ta is list or ta is dict:
            return _deep_eq(a, b)
        return a == b
    if ta in _NUMERIC and type(b) in _NUMERIC:
        return a == b
    if ta in _LISTS and type(b) in _LISTS:
        return _deep_eq(list(a), list(b))
    if ta is Collection or type(b) is Collection:
        left = a.items if ta is Collection else a
        right = b.items if type(b) is Collection else b
        return _deep_eq(left, right)
    return False


def _deep_eq(a, b) -> bool:
    # Python's == treats True == 1; Deluge keeps BOOLEAN and NUMBER apart.
    if type(a) is dict:
        if type(b) is not dict or len(a) != len(b):
            return False
        return all(k in b and eq(None, v, b[k]) for k, v in a.items())
    if len(a) != len(b):
        return False
    return all(eq(None, x, y) for x, y in zip(a, b))


def ne(rt, a, b):
    return not eq(rt, a, b)


def _ordered(op: str, a, b):
    ta = type(a)
    tb = type(b)
    if ta is tb and ta in (int, str, Decimal, _dt.date, _dt.datetime, _dt.time):
        return a, b
    if ta in _NUMERIC and tb in _NUMERIC:
        return a, b
    if {ta, tb} == {_dt.date, _dt.datetime}:
        # A date compares as that day at 00:00:00.
        return _as_datetime(a), _as_datetime(b)
    raise _type_error(op, a, b)


def _as_datetime(d):
    if type(d) is _dt.date:
        return _dt.datetime(d.year, d.month, d.day)
    return d


def lt(rt, a, b):
    x, y = _ordered("<", a, b)
    return x < y


def le(rt, a, b):
    x, y = _ordered("<=", a, b)
    return x <= y


def gt(rt, a, b):
    x, y = _ordered(">", a, b)
    return x > y


def ge(rt, a, b):
    x, y = _ordered(">=", a, b)
    return x >= y


# -- null and values -------------------------------------------------------------


def is_null(value) -> bool:
    """Deluge's null test: null, and also empty text (`isNull("")` is true, reference §7.2)."""
    return value is None or (type(value) is str and value == "")


def ifnull_pick(value):
    return is_null(value)


# -- iteration ---------------------------------------------------------------


def each(rt, value):
    """What `for each x in value` walks: a snapshot, so the body may change the source.

    A list walks its elements, a map its keys (reference §12.9, inferred), and a TEXT
    its comma-separated parts (reference §5).
    """
    t = type(value)
    if t is list or t is TypedList:
        return tuple(value)
    if t is dict:
        return tuple(k.value if type(k) is not str and type(k) is not int else k for k in value)
    if t is str:
        return tuple(value.split(",")) if value else ()
    if t is Collection:
        return each(rt, value.items)
    if value is None:
        raise ScriptError("for each cannot iterate over null")
    raise ScriptError(f"for each needs a LIST, KEY-VALUE or TEXT, not {type_name(value)}")


def each_index(rt, value):
    """`for each index i in list`: 0, 1, ..., size-1."""
    return range(len(each(rt, value)))


# -- fields ------------------------------------------------------------------


def field(rt, value, name: str):
    """`value.Name` without parentheses: a map's entry (`input.First_Name`), or an error's
    `message` / `lineNo`."""
    t = type(value)
    if t is dict:
        return value.get(name)
    if t is Collection and value.kind != "list":
        return value.items.get(name)
    if t is ErrorValue:
        if name.lower() == "message":
            return value.message
        if name.lower() in ("lineno", "line"):
            return value.line
        raise ScriptError(f"an error value has no field {name!r}; use message or lineNo")
    if value is None:
        raise ScriptError(f"cannot read field {name!r} of null")
    raise ScriptError(f"a {type_name(value)} value has no field {name!r}")


def map_literal(rt, pairs):
    """`{"k": v, ...}` with keys that are not all text constants."""
    out = {}
    for k, v in pairs:
        out[key_in(k)] = v
    return out


def string_of(value) -> str:
    return to_text(value)
