"""Run a Deluge snippet the way the conformance corpus describes, with its fixtures."""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass

import delugelang
from delugelang.errors import DelugeError, ScriptError
from delugelang.fixtures import http_response
from delugelang.values import to_plain

FROZEN_NOW = _dt.datetime(2026, 11, 28, 17, 25, 24, tzinfo=_dt.timezone.utc)


@dataclass
class Outcome:
    info: list
    value: object
    error: DelugeError | None


def services_for(fixtures: dict | None) -> delugelang.Services:
    """The corpus's fixture format (conformance/README.md) as task handlers."""
    tasks = {}
    for task, table in (fixtures or {}).items():
        tasks[task.lower()] = _handler(task.lower(), table)
    return delugelang.Services(clock=lambda: FROZEN_NOW, random_seed=7, tasks=tasks)


def _handler(task: str, table: dict):
    if task == "invokeurl":
        def invoke(rt, params):
            entry = table.get(params.get("url"))
            if entry is None:
                raise ScriptError(f"invokeurl: no fixture for {params.get('url')}")
            if entry.get("delay_seconds", 0) > rt.limits.http_timeout_seconds:
                raise ScriptError("invokeurl: socket timeout error: the server did not answer "
                                  f"within {rt.limits.http_timeout_seconds:g} seconds")
            return http_response(entry.get("responseCode", 200), entry.get("responseHeader", {}),
                                 entry.get("responseText", ""), bool(params.get("detailed")))
        return invoke
    if task == "zoho.crm.invokeconnector":
        return lambda rt, args: table[args[0]]
    # Module-keyed tasks: the first argument names the module.
    return lambda rt, args: table[args[0]]


def run_snippet(code: str, fixtures: dict | None = None, limits=None) -> Outcome:
    try:
        program = delugelang.compile(code, "<case>")
        result = program.run(services=services_for(fixtures), limits=limits)
    except DelugeError as err:
        return Outcome(list(getattr(err, "info", ()) or ()), None, err)
    return Outcome(list(result.info), result.plain_value(), None)


def same_value(actual, expected) -> bool:
    """Conformance comparison: numbers numerically, maps regardless of key order."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        try:
            return float(actual) == float(expected)
        except (TypeError, ValueError):
            return False
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            same_value(a, e) for a, e in zip(actual, expected))
    if isinstance(expected, dict):
        return isinstance(actual, dict) and actual.keys() == expected.keys() and all(
            same_value(actual[k], v) for k, v in expected.items())
    return actual == expected


def check_case(case: dict) -> str | None:
    """None when the case passes, else a readable reason."""
    out = run_snippet(case["code"], case.get("fixtures"))
    want_error = case.get("expect_error")
    if want_error is not None:
        if out.error is None:
            return f"expected an error containing {want_error!r}, got value {out.value!r}"
        if want_error.lower() not in out.error.message.lower():
            return f"expected an error containing {want_error!r}, got {out.error.message!r}"
        return None
    if out.error is not None:
        return f"unexpected {out.error.kind} error at line {out.error.line}: {out.error.message}"
    if case.get("expect_info") is not None and out.info != case["expect_info"]:
        return f"info lines {out.info!r} != expected {case['expect_info']!r}"
    if case.get("expect_return") is not None and not same_value(out.value, case["expect_return"]):
        return f"returned {json.dumps(out.value, default=str)} != expected " \
               f"{json.dumps(case['expect_return'])}"
    return None
