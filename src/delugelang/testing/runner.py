"""Running test cases: compile the script once, run each case, compare what happened."""

from __future__ import annotations

import difflib
import json
import time
from dataclasses import dataclass, field

from ..errors import DelugeError
from ..services import Services
from ..values import _decimals_to_raw
from .recording import recording_services
from .spec import Case, TestFile

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


@dataclass
class Failure:
    """One unmet expectation: what was checked, and a readable diff or explanation."""

    what: str
    detail: str


@dataclass
class CaseResult:
    case: Case
    status: str
    failures: list = field(default_factory=list)
    seconds: float = 0.0
    reason: str = ""  # why it was skipped


@dataclass
class FileResult:
    test_file: TestFile
    cases: list = field(default_factory=list)
    compile_error: str | None = None  # the rendered error when the script does not compile


def run_file(test_file: TestFile, selected=None) -> FileResult:
    """Run the file's cases (those `selected(case)` accepts, when given)."""
    from ..program import compile as compile_program

    result = FileResult(test_file)
    cases = [c for c in test_file.cases if selected is None or selected(c)]
    source = test_file.script.read_text(encoding="utf-8")
    name = test_file.script.name
    try:
        program = compile_program(source, str(test_file.script))
    except DelugeError as err:
        result.compile_error = err.render(source, str(test_file.script))
        for case in cases:
            result.cases.append(CaseResult(case, FAILED, [Failure(
                "the script does not compile", f"{name} does not compile; see above")]))
        return result
    for case in cases:
        result.cases.append(run_case(program, case))
    return result


def run_case(program, case: Case) -> CaseResult:
    if case.skip:
        return CaseResult(case, SKIPPED, reason=case.skip)
    started = time.perf_counter()
    try:
        services, log = recording_services(_fixtures_with_record(case), _base_services(case))
    except ValueError as exc:  # fixture data the record store refuses
        return CaseResult(case, FAILED, [Failure("the fixtures cannot be loaded", str(exc))])
    outcome = None
    error = None
    try:
        outcome = program.run(case.args, record=case.record.fields if case.record else None,
                              services=services, limits=_limits(case), function=case.function)
    except DelugeError as err:
        error = err
    failures = compare(case.expect, outcome, error, log, program)
    return CaseResult(case, FAILED if failures else PASSED, failures,
                      time.perf_counter() - started)


def _base_services(case: Case) -> Services:
    options = {"random_seed": 0}
    if case.now is not None:
        now = case.now
        options["clock"] = lambda: now
    if case.timezone is not None:
        options["timezone"] = case.timezone
    return Services(**options)


def _limits(case: Case):
    from ..limits import profile
    settings = dict(case.limits)
    base = profile(str(settings.pop("profile", "crm")))
    return base.with_overrides([f"{k}={v}" for k, v in settings.items()])


def _fixtures_with_record(case: Case) -> dict:
    """The record a function runs against is in the store too, as it is in Zoho CRM."""
    fixtures = dict(case.fixtures)
    record = case.record
    if record is None or record.fields.get("id") in (None, ""):
        return fixtures
    records = {k: list(v) for k, v in fixtures.get("records", {}).items()}
    rows = next((v for k, v in records.items() if k.lower() == record.module.lower()), None)
    if rows is None:
        rows = records[record.module] = []
    if not any(str(r.get("id")) == str(record.fields["id"]) for r in rows):
        rows.append(dict(record.fields))
    fixtures["records"] = records
    return fixtures


# ---------------------------------------------------------------- comparing

def compare(expect: dict, outcome, error, log, program) -> list[Failure]:
    failures = []
    info = list(outcome.info) if outcome is not None else list(getattr(error, "info", ()) or ())
    if "error" in expect:
        failures += _compare_error(expect["error"], error, outcome)
    elif error is not None:
        failures.append(Failure("the function failed", _render_error(error, program)))
    if "return" in expect and error is None:
        failures += _compare_value("return value", expect["return"], outcome.plain_value())
    if "info" in expect:
        failures += _compare_value("info lines", expect["info"], info)
    for key, actual in (("http", log.http), ("connectors", log.connectors),
                        ("created", log.created), ("updated", log.updated)):
        if key in expect:
            failures += _compare_calls(key, expect[key], actual)
    return failures


def _compare_error(expected: dict, error, outcome) -> list[Failure]:
    if error is None:
        returned = canonical(outcome.plain_value())
        return [Failure("expected an error", f"expected the function to fail "
                        f"({_describe_error(expected)}), but it returned "
                        f"{json.dumps(returned, ensure_ascii=False)}")]
    actual = {"kind": error.kind, "message": error.message, "line": error.line}
    problems = []
    if "kind" in expected and expected["kind"] != error.kind:
        problems.append(f"kind: expected {expected['kind']}, got {error.kind}")
    if "message" in expected and expected["message"] not in error.message:
        problems.append(f"message: expected it to contain {expected['message']!r}")
    if "line" in expected and expected["line"] != error.line:
        problems.append(f"line: expected {expected['line']}, got {error.line}")
    if not problems:
        return []
    return [Failure("error", "\n".join(problems) + "\nthe error was: "
                    + json.dumps(actual, ensure_ascii=False))]


def _describe_error(expected: dict) -> str:
    parts = [expected.get("kind", "an error")]
    if "message" in expected:
        parts.append(f"with a message containing {expected['message']!r}")
    return " ".join(parts)


def _render_error(error: DelugeError, program) -> str:
    return error.render(program.source, program.filename)


def _compare_value(what: str, expected, actual) -> list[Failure]:
    expected, actual = canonical(expected), canonical(actual)
    if same(expected, actual):
        return []
    return [Failure(what, diff(expected, actual))]


def _compare_calls(what: str, expected: list, actual: list) -> list[Failure]:
    """Each expected call names the keys it checks; the actual call is compared on those.
    A JSON text body is compared as the JSON it holds when the expectation is not a text."""
    shown = []
    for i, call in enumerate(canonical(actual)):
        if i < len(expected):
            shown.append({k: _as_expected(call.get(k), v) for k, v in expected[i].items()})
        else:
            shown.append(call)
    wanted = canonical(expected)
    if same(wanted, shown):
        return []
    title = f"{_CALL_WORDS[what]} ({len(actual)} made, {len(expected)} expected)"
    return [Failure(title, diff(wanted, shown))]


_CALL_WORDS = {"http": "invokeurl calls", "connectors": "invokeConnector calls",
               "created": "records created", "updated": "records updated"}


def _as_expected(actual, wanted):
    if isinstance(actual, str) and not isinstance(wanted, str):
        try:
            return json.loads(actual)
        except ValueError:
            return actual
    return actual


def canonical(value):
    """Plain data as JSON would carry it: decimals become numbers, tuples lists."""
    return json.loads(json.dumps(_decimals_to_raw(_lists(value)), ensure_ascii=False))


def _lists(value):
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _lists(v) for k, v in value.items()}
    return value


def same(a, b) -> bool:
    """Equality that keeps JSON's kinds apart: true is not 1, and 2 is not 2.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return set(a) == set(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def diff(expected, actual) -> str:
    """A unified diff of the two values as pretty JSON."""
    left = json.dumps(expected, indent=2, ensure_ascii=False).splitlines()
    right = json.dumps(actual, indent=2, ensure_ascii=False).splitlines()
    lines = difflib.unified_diff(left, right, "expected", "actual", lineterm="",
                                 n=max(len(left), len(right)))
    return "\n".join(lines)
