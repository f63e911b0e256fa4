"""Helpers shared by the LIST, KEY-VALUE and COLLECTION builtins (no builtins of its own)."""

from __future__ import annotations

import datetime as _dt

from ..errors import ScriptError
from ..values import Collection, Decimal, TypedList, key_in, type_name

LIST_TYPES = (list, TypedList)
_MAX_KEY_DEPTH = 200


def index_arg(lst, i, op: str) -> int:
    """A 0-based index into `lst`: out of range is an error, never null (reference §13.2)."""
    if type(i) is not int:
        raise ScriptError(f"{op}: the index must be a NUMBER, not {type_name(i)}")
    if i < 0 or i >= len(lst):
        raise ScriptError(f"{op}: index {i} is out of range for a list of size {len(lst)}")
    return i


def int_arg(value, op: str, what: str) -> int:
    if type(value) is not int:
        raise ScriptError(f"{op}: {what} must be a NUMBER, not {type_name(value)}")
    return value


def bool_arg(value, op: str) -> bool:
    if value is not True and value is not False:
        raise ScriptError(f"{op}: the sort order must be true or false, not {type_name(value)}")
    return value


def grow(rt, container, extra: int = 1) -> None:
    """Charge the size budget before a collection grows by `extra` elements."""
    size = len(container) + extra
    if size > rt.limits.collection_size:
        rt.check_size(size)


def map_key(key):
    """The dict key a Deluge key is stored under (text and numbers as themselves)."""
    if type(key) is str:
        return key
    if type(key) is tuple:
        raise ScriptError("a key : value pair cannot be used as a map key")
    return key_in(key)


def date_to_datetime(value):
    """Reference §7.6: a date put into a map gets 00:00:00 appended."""
    if type(value) is _dt.date:
        return _dt.datetime(value.year, value.month, value.day)
    return value


def as_list(value, op: str, write: bool = False):
    """The Python list behind a LIST or an index-value COLLECTION.

    An empty `{}` collection becomes an index-value one only when written to; read-only
    calls see an empty list and leave it undecided.
    """
    t = type(value)
    if t is list or t is TypedList:
        return value
    if t is Collection:
        if value.kind == "list":
            return value.items
        if value.kind is None:
            return value.as_list() if write else []
        raise ScriptError(f"{op}: a key-value collection cannot be used as a list")
    raise ScriptError(f"{op} needs a LIST, not {type_name(value)}")


def as_map(value, op: str, write: bool = False):
    """The dict behind a KEY-VALUE map or a key-value COLLECTION."""
    t = type(value)
    if t is dict:
        return value
    if t is Collection:
        if value.kind == "map":
            return value.items
        if value.kind is None:
            return value.as_map() if write else {}
        raise ScriptError(f"{op}: an index-value collection cannot be used as a map")
    raise ScriptError(f"{op} needs a KEY-VALUE map, not {type_name(value)}")


def elements_of(value, op: str):
    """The elements of a list-like argument (a LIST, or any COLLECTION's elements/values)."""
    t = type(value)
    if t is list or t is TypedList:
        return value
    if t is Collection:
        return list(value.items.values()) if value.kind == "map" else value.items
    raise ScriptError(f"{op} needs a LIST, not {type_name(value)}")


def value_key(value, depth: int = 0):
    """A hashable stand-in that is equal exactly when Deluge's `==` says the values are.

    NUMBER and DECIMAL compare numerically (1 == 1.0); TEXT "1" and NUMBER 1 differ;
    BOOLEAN is never a number.
    """
    if depth > _MAX_KEY_DEPTH:
        raise ScriptError("a value is nested too deeply to compare (does a list contain itself?)")
    t = type(value)
    if t is int or t is Decimal:
        return ("n", value)
    if t is str:
        return ("s", value)
    if t is bool:
        return ("b", value)
    if value is None:
        return ("z",)
    if t is list or t is TypedList:
        return ("l", tuple(value_key(v, depth + 1) for v in value))
    if t is dict:
        return ("m", frozenset((k, value_key(v, depth + 1)) for k, v in value.items()))
    if t is Collection:
        return value_key(value.items, depth + 1)
    return (t.__name__, value)


_SCALARS = (str, int, bool, Decimal)


def equal(a, b) -> bool:
    """Deluge `==` for elements (membership tests, indexOf, removeElement): same-type
    values by value, NUMBER and DECIMAL numerically, lists and maps element by element."""
    ta = type(a)
    if ta is type(b) and ta in _SCALARS:
        return a == b
    return value_key(a) == value_key(b)


# ---------------------------------------------------------------- sorting

_NUMBER = "number"


def _sort_kind(value):
    t = type(value)
    if t is int or t is Decimal:
        return _NUMBER
    if t is _dt.date or t is _dt.datetime:
        return "datetime"
    if t in (str, bool, _dt.time):
        return t
    return None


def sort_value(value):
    """The key a sortable value sorts by (a date counts as its 00:00:00)."""
    if type(value) is _dt.date:
        return _dt.datetime(value.year, value.month, value.day)
    return value


def sorted_or_none(items, ascending: bool = True):
    """The items sorted, or None when they are not all of one comparable type.

    Text sorts by code point, so capitals come before lower case; NUMBER and DECIMAL sort
    together by value; a mix of other types (or null elements) gives null (reference §7.5).
    """
    items = list(items)
    if not items:
        return items
    kind = _sort_kind(items[0])
    if kind is None or any(_sort_kind(v) != kind for v in items):
        return None
    return sorted(items, key=sort_value, reverse=not ascending)
