"""The run-time helpers generated code calls by name (`op_add`, `op_throw`, ...), importable
without the compiler: a program loaded from the compiled-program cache runs with this table."""

from __future__ import annotations

import datetime as _dt
from operator import attrgetter

from . import ops, tasks
from .errors import HostDataError, ScriptError
from .values import DEC, INT_MAX, INT_MIN, Collection, ErrorValue, from_plain, to_text, \
    type_name

# The file name of every generated code object: how tracebacks and tracing tell
# generated frames from the engine's own.
CODE_FILENAME = "<deluge>"


def _throw(value):
    return ScriptError(to_text(value) if value is not None else "null")


def _new_typed_list(rt, elem_name: str, *initial):
    """`List:Int()`: builtins.typed.new_typed_list, imported on first use (start-up time)."""
    from .builtins.typed import new_typed_list
    return new_typed_list(rt, elem_name, *initial)


def _new_collection():
    return Collection()


def _enter_catch(rt, exc, steps):
    """The `catch (e)` value, and the step count including the failed callee's steps. Host
    data that is no Deluge value is not the script's to catch: it goes on."""
    if type(exc) is HostDataError:
        raise exc
    from .program import locate
    line, _ = locate(exc)
    return ErrorValue(exc.message, line), max(steps, rt.steps)


def _field_value(rt, name: str, value):
    """`input.Name` where the run's record is the host's own (flow.reads_record_by_field),
    for a value that is no TEXT: as it is if it is a Deluge value that cannot change (null,
    BOOLEAN, a NUMBER in range), otherwise converted from host data once per run and kept,
    so that reading the field again gives that very value (a list it changed, say)."""
    t = type(value)
    if value is None or t is bool or (t is int and INT_MIN <= value <= INT_MAX):
        return value
    converted = rt.fields
    if converted is None:
        converted = rt.fields = {}
    if name not in converted:
        try:
            converted[name] = from_plain(value)
        except ScriptError as exc:  # no Deluge data: the run stops, whatever it catches
            raise HostDataError(f"the record's field {name!r}: {exc.message}") from None
    return converted[name]


def _text_of(p) -> str:
    """A concatenation operand that is no TEXT, as ops.concat converts it."""
    return str(p) if type(p) is int else "" if p is None else to_text(p)


# The run's text and collection budgets, read once per function call, in C (no frame).
_text_limit = attrgetter("limits.text_length")
_size_limit = attrgetter("limits.collection_size")


def _run_sysvar(rt, name):
    return tasks.system_variable(rt, name)


_RETURN_TYPES = {
    "string": (str,), "text": (str,), "int": (int,), "number": (int,), "long": (int,),
    "bigint": (int,), "decimal": (int, type(DEC.create_decimal(0))),
    "float": (int, type(DEC.create_decimal(0))), "bool": (bool,), "boolean": (bool,),
    "map": (dict, Collection), "list": (list, Collection), "collection": (Collection, list, dict),
    "date": (_dt.date, _dt.datetime), "datetime": (_dt.date, _dt.datetime),
}


def _check_return(rt, value, type_word):
    """`return` must match the declared type, or it is a runtime error (reference §1)."""
    allowed = _RETURN_TYPES.get(type_word)
    if allowed is None or value is None or type(value) in allowed:
        return value
    if type(value).__name__ == "TypedList" and list in allowed:
        return value
    raise ScriptError(f"the function returns {type_word} but the value returned is "
                      f"{type_name(value)}")


# The Python builtins the inline fast paths call by name (inline.py writes those calls; the
# table lives here, without ast, so that a program from the compiled-program cache can be
# bound to it). The compiler adds them to RUN_HELPERS.
INLINE_HELPERS = {"op_type": type, "op_int": int, "op_str": str, "op_len": len,
                  "op_dict": dict, "op_list": list, "op_bool": bool,
                  "op_append": list.append, "op_setitem": dict.__setitem__,
                  "op_strip": str.strip, "op_lower": str.lower, "op_upper": str.upper,
                  "op_partition": str.partition}

RUN_HELPERS = {
    "op_add": ops.add, "op_concat": ops.concat, "op_sub": ops.sub, "op_mul": ops.mul,
    "op_div": ops.div,
    "op_mod": ops.mod, "op_neg": ops.neg, "op_pos": ops.pos, "op_not": ops.not_,
    "op_eq": ops.eq, "op_ne": ops.ne, "op_lt": ops.lt, "op_le": ops.le, "op_gt": ops.gt,
    "op_ge": ops.ge, "op_truth": ops.truth, "op_isnull": ops.is_null, "op_each": ops.each,
    "op_each_index": ops.each_index, "op_field": ops.field, "op_map": ops.map_literal,
    "op_new_collection": _new_collection, "op_typed_list": _new_typed_list,
    "op_throw": _throw, "op_catch": _enter_catch, "op_sysvar": _run_sysvar,
    "op_task": tasks.run_task, "op_block_task": tasks.run_block_task,
    "op_return": _check_return, "op_record_field": dict.get, "op_field_value": _field_value,
    "op_lookup": dict.get, "op_text_of": _text_of, "op_text_limit": _text_limit, "op_size_limit": _size_limit,
    "ScriptError": ScriptError,
}
