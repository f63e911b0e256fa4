"""Deluge values: the Python types that model them, their names, and how they print.

Scripts only ever hold these values (DESIGN.md, sandbox invariant 2):

| Deluge         | Python                                   |
|----------------|------------------------------------------|
| TEXT           | str                                      |
| NUMBER         | int, range-checked to 64 bits            |
| DECIMAL        | decimal.Decimal (private context)        |
| BOOLEAN        | bool                                     |
| null           | None                                     |
| LIST           | list, or TypedList for `List:Text()`     |
| KEY-VALUE      | dict (non-text keys wrapped, see MapKey) |
| COLLECTION     | Collection                               |
| DATE           | datetime.date                            |
| DATE-TIME      | datetime.datetime (naive, run time zone) |
| TIME           | datetime.time (Creator)                  |
| caught error   | ErrorValue                               |
"""

from __future__ import annotations

import datetime as _dt
import decimal
import json

from .errors import ScriptError

Decimal = decimal.Decimal

INT_MIN = -(2**63)
INT_MAX = 2**63 - 1

# One private context: never the thread's default (sandbox.md §3.4).
DEC = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_UP,
    Emax=999_999,
    Emin=-999_999,
    traps=[decimal.InvalidOperation, decimal.Overflow, decimal.DivisionByZero],
)


class TypedList(list):
    """A list declared as `List:Text()`, `List:Int()`... that converts what is added."""

    __slots__ = ("elem_type",)

    def __init__(self, elem_type: str, items=()):
        super().__init__(items)
        self.elem_type = elem_type


class Collection:
    """Deluge's COLLECTION: an index-value list or a key-value map, fixed by first use.

    `{}` is a Collection too: the docs use `{}` both as an empty map and an empty list.
    """

    __slots__ = ("kind", "items")

    def __init__(self, kind: str | None = None, items=None):
        self.kind = kind  # None until the first insert, then "list" or "map"
        self.items = items if items is not None else ([] if kind == "list" else {})

    def as_list(self) -> list:
        if self.kind == "map":
            raise ScriptError("a key-value collection cannot be used as a list")
        if self.kind is None:
            self.kind, self.items = "list", []
        return self.items

    def as_map(self) -> dict:
        if self.kind == "list":
            raise ScriptError("an index-value collection cannot be used as a map")
        if self.kind is None:
            self.kind, self.items = "map", {}
        return self.items


class ErrorValue:
    """The value a `catch (e)` variable holds: prints as the message; has message and lineNo."""

    __slots__ = ("message", "line")

    def __init__(self, message: str, line: int | None):
        self.message = message
        self.line = line


class MapKey:
    """A non-text map key, kept apart by Deluge type.

    Python would merge 1, 1.0 and True into one dict key; Java's HashMap keeps Long 1,
    Double 1.0 and Boolean true apart, so we wrap every key that is not TEXT or NUMBER.
    """

    __slots__ = ("kind", "value", "_hash")

    def __init__(self, value):
        self.kind = type_name(value)
        self.value = value
        self._hash = hash((self.kind, freeze(value)))

    def __hash__(self):
        return self._hash

    def __eq__(self, other):
        return (isinstance(other, MapKey) and self.kind == other.kind
                and freeze(self.value) == freeze(other.value))


def freeze(value):
    """A hashable snapshot of a value, for map keys that are lists or maps."""
    if type(value) is list or type(value) is TypedList:
        return ("list", tuple(freeze(v) for v in value))
    if type(value) is dict:
        return ("map", tuple((k, freeze(v)) for k, v in value.items()))
    if type(value) is Collection:
        return ("coll", freeze(value.items))
    return (type(value).__name__, value)


def key_in(key):
    """The dict key under which a Deluge key is stored."""
    t = type(key)
    if t is str or t is int:
        return key
    if key is None:
        raise ScriptError("a map key cannot be null")
    return MapKey(key)


def key_out(key):
    """The Deluge value of a stored dict key."""
    return key.value if type(key) is MapKey else key


_TYPE_NAMES = {
    str: "TEXT",
    int: "NUMBER",
    bool: "BOOLEAN",
    Decimal: "DECIMAL",
    type(None): "NULL",
    list: "LIST",
    TypedList: "LIST",
    dict: "KEY-VALUE",
    Collection: "COLLECTION",
    _dt.date: "DATE",
    _dt.datetime: "DATE-TIME",
    _dt.time: "TIME",
    ErrorValue: "TEXT",
}


def type_name(value) -> str:
    """Deluge's name for the type of a value (used in error messages)."""
    return _TYPE_NAMES.get(type(value), "VALUE")


def is_deluge_value(value) -> bool:
    return type(value) in _TYPE_NAMES


def check_int(value: int, operation: str = "arithmetic") -> int:
    """Raise Deluge's overflow error when a NUMBER leaves the 64-bit range."""
    if INT_MIN <= value <= INT_MAX:
        return value
    raise ScriptError(f"{operation} result is out of the NUMBER range "
                      f"({INT_MIN} to {INT_MAX})")


# ---------------------------------------------------------------------------
# Printing

DATE_FORMAT = "%d-%b-%Y"
DATETIME_FORMAT = "%d-%b-%Y %H:%M:%S"


def decimal_text(value: Decimal) -> str:
    """A DECIMAL as Deluge prints it: plain notation, never an exponent."""
    if value.is_nan() or value.is_infinite():
        raise ScriptError("invalid decimal value")
    text = format(value, "f")
    if text in ("-0", "-0.0"):
        return text[1:]
    return text


def to_text(value, depth: int = 0) -> str:
    """The text form of any value, as `info`, `toString()` and `"" + x` show it.

    Lists print their elements joined by "," with no brackets (reference §8), maps print
    as compact JSON, and null prints as "null" (Java's String.valueOf). `depth`: how deep
    inside another list this value is (element_text).
    """
    t = type(value)
    if t is str:
        return value
    if t is int:
        return str(value)
    if t is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    if t is Decimal:
        return decimal_text(value)
    if t is list or t is TypedList:
        try:
            return ",".join(value)  # a list of TEXT prints its elements as they are
        except TypeError:
            return ",".join(element_text(v, depth + 1) for v in value)
    if t is dict:
        return to_json_text(value)
    if t is Collection:
        return to_text(value.items, _deeper(depth))
    if t is _dt.datetime:
        return value.strftime(DATETIME_FORMAT)
    if t is _dt.date:
        return value.strftime(DATE_FORMAT)
    if t is _dt.time:
        return value.strftime("%H:%M:%S")
    if t is ErrorValue:
        return value.message
    raise ScriptError("this value cannot be shown as text")


def element_text(value, depth: int = 0) -> str:
    """How an element prints inside a list: nested maps as JSON, nested lists in braces."""
    t = type(value)
    if t is list or t is TypedList:
        depth = _deeper(depth)
        return "{" + ",".join(element_text(v, depth) for v in value) + "}"
    return to_text(value, depth)


def _deeper(depth: int) -> int:
    """One level deeper into a value being shown as text; as to_plain, at most 200 (a list
    that holds itself through another list, or a collection that holds itself)."""
    if depth >= 200:
        raise ScriptError("value is nested too deeply to show as text (a list or collection "
                          "contains itself?)")
    return depth + 1


def to_plain(value, depth: int = 0):
    """Convert to plain JSON-able Python data (DESIGN.md's --json value mapping)."""
    if depth > 200:
        raise ScriptError("value is nested too deeply to convert (a map or list contains itself?)")
    t = type(value)
    if t is str or t is int or t is bool or value is None:
        return value
    if t is Decimal:
        return value
    if t is list or t is TypedList:
        return [to_plain(v, depth + 1) for v in value]
    if t is dict:
        return {to_text(key_out(k)): to_plain(v, depth + 1) for k, v in value.items()}
    if t is Collection:
        return to_plain(value.items, depth + 1)
    if t in (_dt.date, _dt.datetime, _dt.time, ErrorValue):
        return to_text(value)
    raise ScriptError("this value cannot be converted to JSON")


class _DecimalEncoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return _RawNumber(decimal_text(o))
        return super().default(o)


class _RawNumber(float):
    """Lets json emit a Decimal's exact digits (json calls float.__repr__)."""

    def __new__(cls, text):
        obj = super().__new__(cls, float(text))
        obj.text = text
        return obj

    def __repr__(self):
        return self.text


def to_json_text(value, indent=None) -> str:
    """Compact JSON in insertion order, as Deluge prints a map."""
    plain = to_plain(value)
    return json.dumps(_decimals_to_raw(plain), ensure_ascii=False,
                      separators=(",", ":") if indent is None else None, indent=indent)


def _decimals_to_raw(plain):
    t = type(plain)
    if t is Decimal:
        text = decimal_text(plain)
        return int(text) if "." not in text else _RawNumber(text)
    if t is list:
        return [_decimals_to_raw(v) for v in plain]
    if t is dict:
        return {k: _decimals_to_raw(v) for k, v in plain.items()}
    return plain


_PLAIN_SCALARS = frozenset((str, bool, type(None)))
_NUMBER_ONLY = frozenset((int,))
_PLAIN_OR_NUMBER = _PLAIN_SCALARS | _NUMBER_ONLY


def scalar_map_bound(value: dict) -> int | None:
    """json_size_bound of a map of text keys to TEXT, NUMBER, BOOLEAN or null values (None
    for any other map): per entry at most 6 bytes a character, the key's quotes, `:` and
    `,`, and 20 for a value that is no text (a NUMBER's digits). One plain loop: for the
    few values of a typical returned map it beats C passes over them."""
    try:
        chars = len("".join(value))
    except TypeError:  # a key that is no text (a MapKey)
        return None
    for v in value.values():
        t = type(v)
        if t is str:
            chars += len(v)
        elif not (t is int or t is bool or v is None):
            return None
    return 2 + 24 * len(value) + 6 * chars


def json_size_bound(value, budget: int, depth: int = 0) -> int:
    """An upper bound of len(to_json_text(value)) in UTF-8 bytes, without building it.

    Counts 6 bytes per character (the longest JSON escape, `\\u001f`; UTF-8 needs at
    most 4). Stops early, returning more than `budget`, once the bound passes it or the
    value nests too deeply, so the caller can then measure exactly."""
    if depth > 200:
        return budget + 1
    t = type(value)
    if t is str:
        return 6 * len(value) + 2
    if t is int or t is bool or value is None:
        return 20
    if t is list or t is TypedList:
        total = 2 + len(value)
        for v in value:
            tv = type(v)
            total += 6 * len(v) + 2 if tv is str else 20 if tv is int or tv is bool or \
                v is None else json_size_bound(v, budget, depth + 1)
            if total > budget:
                break
        return total
    if t is dict:
        bound = scalar_map_bound(value)
        if bound is not None:
            return bound
        total = 2 + 2 * len(value)
        for k, v in value.items():
            key = k if type(k) is str else to_text(key_out(k))
            tv = type(v)
            total += 6 * len(key) + 2 + (
                6 * len(v) + 2 if tv is str else 20 if tv is int or tv is bool or
                v is None else json_size_bound(v, budget, depth + 1))
            if total > budget:
                break
        return total
    if t is Collection:
        return json_size_bound(value.items, budget, depth + 1)
    return 6 * len(to_text(value)) + 2




def _all_plain(values) -> bool:
    """Whether every value is TEXT, BOOLEAN, null or a 64-bit NUMBER."""
    kinds = set(map(type, values))
    if kinds <= _PLAIN_SCALARS:
        return True
    if kinds == _NUMBER_ONLY:
        return INT_MIN <= min(values) and max(values) <= INT_MAX
    return kinds <= _PLAIN_OR_NUMBER and all(INT_MIN <= v <= INT_MAX for v in values
                                              if type(v) is int)


def plain_record(data: dict) -> bool:
    """Whether every key is TEXT and every value TEXT, BOOLEAN, null or a 64-bit NUMBER.
    One plain loop: for a record's few fields it is faster than C passes over its keys and
    values (a C `filter` calling `int.__instancecheck__` costs more than the loop)."""
    for k, v in data.items():
        t = type(v)
        if type(k) is not str or not (t is str or v is None or t is bool
                                      or (t is int and INT_MIN <= v <= INT_MAX)):
            return False
    return True


_INFINITY = float("inf")


def from_plain(data, depth: int = 0):
    """Convert host or JSON data (dict/list/str/int/float/bool/None) into Deluge values."""
    if depth > 200:
        raise ScriptError("data is nested too deeply")
    t = type(data)
    if t is str or t is bool or data is None:
        return data
    if t is int:
        return check_int(data, "number")
    if t is float:
        if not -_INFINITY < data < _INFINITY:  # JSON input may hold NaN or Infinity
            raise ScriptError("NaN and Infinity are not Deluge numbers")
        return DEC.create_decimal(repr(data))
    if t is Decimal:  # as the engine's own DECIMALs: finite, 34 digits, exponent in range
        if not data.is_finite():
            raise ScriptError("NaN and Infinity are not Deluge numbers")
        try:
            return DEC.create_decimal(data)
        except decimal.Overflow:
            raise ScriptError("a DECIMAL beyond the DECIMAL range") from None
    if t is list or t is tuple:
        # Texts, booleans, nulls and 64-bit numbers are Deluge values as they are: a
        # collection of only those is copied at C speed, anything else element by element.
        if _all_plain(data):
            return list(data)
        return [v if ((tv := type(v)) is str or tv is bool or v is None
                      or (tv is int and INT_MIN <= v <= INT_MAX)) else from_plain(v, depth + 1)
                for v in data]
    if t is dict:
        if plain_record(data):
            return dict(data)
        return {k if type(k) is str else key_in(from_plain(k, depth + 1)):
                v if ((tv := type(v)) is str or tv is bool or v is None
                      or (tv is int and INT_MIN <= v <= INT_MAX)) else from_plain(v, depth + 1)
                for k, v in data.items()}
    if isinstance(data, (_dt.date, _dt.time)):
        return data
    raise ScriptError("host data holds a value of an unsupported type")
