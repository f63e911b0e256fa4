"""Typed lists (`List:Text()`, `List:Int()`...): what each element type accepts."""

from __future__ import annotations

import datetime as _dt

from ..errors import ScriptError
from ..values import DEC, Decimal, TypedList, to_text, type_name

# `List:Int` in the old guide, `List:Number` in the newer names (reference §12.10).
ELEMENT_TYPES = {
    "string": "text", "text": "text",
    "int": "number", "number": "number", "long": "number", "bigint": "number",
    "float": "decimal", "decimal": "decimal",
    "bool": "boolean", "boolean": "boolean",
    "date": "datetime", "datetime": "datetime", "timestamp": "datetime",
    "map": "map", "list": "list",
}


def element_type(name: str) -> str:
    try:
        return ELEMENT_TYPES[name.lower()]
    except KeyError:
        raise ScriptError(f"unknown list element type {name!r}; use String, Int, Decimal, "
                          f"Bool or Date") from None


def convert_for_typed_list(elem: str, value):
    """Reference §3, typed lists: a TEXT list converts what is added to text; a NUMBER list
    takes whole numbers, quoted or not; a DATE-TIME list reads numbers as epoch millis."""
    t = type(value)
    if value is None:
        return None
    if elem == "text":
        return value if t is str else to_text(value)
    if elem == "number":
        if t is int:
            return value
        if t is str and value.strip().lstrip("+-").isdigit():
            return int(value.strip())
        raise ScriptError(f"a NUMBER list cannot hold {type_name(value)} value {to_text(value)!r}")
    if elem == "decimal":
        if t in (int, Decimal):
            return DEC.create_decimal(value)
        if t is str:
            try:
                return DEC.create_decimal(value.strip())
            except ArithmeticError:
                pass
        raise ScriptError(f"a DECIMAL list cannot hold {type_name(value)} value {to_text(value)!r}")
    if elem == "boolean":
        if t is bool:
            return value
        raise ScriptError(f"a BOOLEAN list cannot hold {type_name(value)}")
    if elem == "datetime":
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value
        if t is int:
            return _dt.datetime(1970, 1, 1) + _dt.timedelta(milliseconds=value)
        raise ScriptError(f"a DATE-TIME list cannot hold {type_name(value)}")
    if elem == "map":
        if t is dict:
            return value
        raise ScriptError(f"a KEY-VALUE list cannot hold {type_name(value)}")
    if elem == "list":
        if t in (list, TypedList):
            return value
        raise ScriptError(f"a LIST list cannot hold {type_name(value)}")
    return value


def new_typed_list(rt, elem_name: str, initial=None):
    elem = element_type(elem_name)
    out = TypedList(elem)
    if initial is not None:
        if type(initial) not in (list, TypedList):
            raise ScriptError(f"List:{elem_name}() takes a LIST, not {type_name(initial)}")
        out.extend(convert_for_typed_list(elem, v) for v in initial)
    return out
