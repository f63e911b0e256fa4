"""Typed lists (`List:Text()`, `List:Int()`...): what each element type accepts.

Reference §3 [doc: https://www.zoho.com/deluge/help/create-list-datatype.html]: a TEXT list
converts added numbers, decimals, dates and booleans to text; a NUMBER list takes whole
numbers, quoted or not, and anything else is a runtime error; a DATE-TIME list reads
numbers as epoch milliseconds. The DECIMAL and BOOLEAN rules follow the same pattern [inf].
"""

from __future__ import annotations

import datetime as _dt
import re

from ..errors import ScriptError
from ..values import DEC, Collection, Decimal, TypedList, check_int, to_text, type_name

# `List:Int` in the old guide, `List:Number` in the newer names (reference §12.10).
ELEMENT_TYPES = {
    "string": "text", "text": "text",
    "int": "number", "number": "number", "long": "number", "bigint": "number",
    "float": "decimal", "decimal": "decimal", "double": "decimal",
    "bool": "boolean", "boolean": "boolean",
    "date": "datetime", "datetime": "datetime", "timestamp": "datetime",
    "map": "map", "list": "list",
}

_WHOLE = re.compile(r"[+-]?[0-9]{1,25}")
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?")
_MAX_MILLIS = 253_402_300_799_999  # 31-Dec-9999 23:59:59.999 UTC


def element_type(name: str) -> str:
    try:
        return ELEMENT_TYPES[name.lower()]
    except KeyError:
        raise ScriptError(f"unknown list element type {name!r}; use String, Int, Decimal, "
                          f"Bool or Date") from None


def _refuse(kind: str, value) -> ScriptError:
    shown = to_text(value) if type(value) in (str, int, Decimal, bool) else type_name(value)
    if len(shown) > 40:
        shown = shown[:40] + "..."
    return ScriptError(f"a {kind} list cannot hold {type_name(value)} value {shown!r}")


def _to_number(value):
    t = type(value)
    if t is int:
        return value
    if t is str and _WHOLE.fullmatch(value.strip()):
        return check_int(int(value.strip()), "adding to a NUMBER list")
    raise _refuse("NUMBER", value)


def _to_decimal(value):
    t = type(value)
    if t is Decimal:
        return value
    if t is int:
        return Decimal(value)
    if t is str and len(value) < 400 and _DECIMAL.fullmatch(value.strip()):
        return DEC.create_decimal(value.strip())
    raise _refuse("DECIMAL", value)


def _to_datetime(value, rt):
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value
    if type(value) is int:
        if abs(value) > _MAX_MILLIS:
            raise ScriptError(f"a DATE-TIME list cannot read {value} as epoch milliseconds")
        instant = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(
            milliseconds=value)
        zone = rt.zone if rt is not None else _dt.timezone.utc
        return instant.astimezone(zone).replace(tzinfo=None)
    raise _refuse("DATE-TIME", value)


def convert_for_typed_list(elem: str, value, rt=None):
    """The value a typed list of `elem` stores when `value` is added; null is kept."""
    if value is None:
        return None
    t = type(value)
    if elem == "text":
        return value if t is str else to_text(value)
    if elem == "number":
        return _to_number(value)
    if elem == "decimal":
        return _to_decimal(value)
    if elem == "boolean":
        if t is bool:
            return value
        raise _refuse("BOOLEAN", value)
    if elem == "datetime":
        return _to_datetime(value, rt)
    if elem == "map":
        if t is dict or (t is Collection and value.kind != "list"):
            return value
        raise _refuse("KEY-VALUE", value)
    if elem == "list":
        if t in (list, TypedList) or (t is Collection and value.kind != "map"):
            return value
        raise _refuse("LIST", value)
    return value


def new_typed_list(rt, elem_name: str, initial=None):
    """`List:Int()` and friends; `List:Int({1, "2"})` converts the given elements."""
    elem = element_type(elem_name)
    out = TypedList(elem)
    if initial is not None:
        if type(initial) not in (list, TypedList):
            raise ScriptError(f"List:{elem_name}() takes a LIST, not {type_name(initial)}")
        rt.check_size(len(initial))
        out.extend(convert_for_typed_list(elem, v, rt) for v in initial)
    return out
