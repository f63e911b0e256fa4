"""Test files (`*.test.json`): reading them, and checking their shape with clear errors.

A test file names a script and holds cases. Each case gives the call (function, args,
record), the stubbed world (fixtures in the `dg run --fixtures` shape) and what to expect.
The format is documented in README.md, "Testing functions with dg test".
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

FILE_KEYS = {"script", "description", "function", "record", "fixtures", "now", "timezone",
             "limits", "cases"}
CASE_KEYS = {"name", "description", "function", "args", "record", "fixtures", "now",
             "timezone", "limits", "expect", "skip"}
EXPECT_KEYS = {"return", "info", "error", "http", "connectors", "created", "updated"}
FIXTURE_SECTIONS = {"records", "connectors", "http"}
ERROR_KINDS = {"runtime", "limit"}
SUFFIX = ".test.json"


class SpecError(ValueError):
    """A test file that cannot be run as written; the message names the file and case."""


@dataclass(frozen=True)
class Record:
    module: str
    fields: dict


@dataclass(frozen=True)
class Case:
    name: str
    function: str | None
    args: dict
    record: Record | None
    fixtures: dict
    expect: dict
    skip: str | None = None
    now: _dt.datetime | None = None
    timezone: str | None = None
    limits: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TestFile:
    path: Path
    script: Path
    cases: tuple[Case, ...]

    @property
    def display(self) -> str:
        return _display(self.path)


def load_test_file(path: Path) -> TestFile:
    """Read and check one test file; raises SpecError naming the file and case."""
    where = _display(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecError(f"{where}: cannot read the test file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise SpecError(f"{where}: the test file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise SpecError(f"{where}:{exc.lineno}:{exc.colno}: the test file is not valid JSON: "
                        f"{exc.msg}") from None
    ctx = _Context(path, where)
    if not isinstance(data, dict):
        raise ctx.error("the test file must hold one JSON object with a \"cases\" list")
    ctx.keys(data, FILE_KEYS, "the test file")
    script = _script_path(path, data, ctx)
    defaults = {
        "function": ctx.text_or_none(data, "function"),
        "record": ctx.record(data.get("record")),
        "fixtures": ctx.fixtures(data.get("fixtures")),
        "now": ctx.now(data.get("now")),
        "timezone": ctx.timezone(data.get("timezone")),
        "limits": ctx.limits(data.get("limits")),
    }
    cases = data.get("cases")
    if not isinstance(cases, list) or not cases:
        raise ctx.error("\"cases\" must be a non-empty list of cases, like "
                        "[{\"name\": \"...\", \"expect\": {...}}]")
    seen: set = set()
    out = []
    for index, raw in enumerate(cases, 1):
        case = _case(raw, index, defaults, ctx)
        if case.name in seen:
            raise ctx.error(f"two cases are named {case.name!r}; case names must be unique")
        seen.add(case.name)
        out.append(case)
    return TestFile(path, script, tuple(out))


def _script_path(path: Path, data: dict, ctx: "_Context") -> Path:
    name = data.get("script")
    if name is None:
        if not path.name.endswith(SUFFIX):
            raise ctx.error("\"script\" is missing: name the .dg file to test")
        script = path.with_name(path.name[: -len(SUFFIX)] + ".dg")
    elif isinstance(name, str) and name:
        script = path.parent / name
    else:
        raise ctx.error("\"script\" must be the path of a .dg file, relative to the test file")
    if script.is_dir():
        raise ctx.error(f"the script {_display(script)} is a directory, not a .dg file")
    if not script.is_file():
        raise ctx.error(f"the script {_display(script)} does not exist"
                        + ("" if name else " (name it with \"script\")"))
    try:
        script.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ctx.error(f"the script {_display(script)} is not UTF-8 text") from None
    except OSError as exc:
        raise ctx.error(f"the script {_display(script)} cannot be read: {exc.strerror}") \
            from None
    return script


def _case(raw, index: int, defaults: dict, ctx: "_Context") -> Case:
    if not isinstance(raw, dict):
        raise ctx.error(f"case {index} must be an object with \"name\" and \"expect\"")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ctx.error(f"case {index} needs a \"name\" (a non-empty text)")
    c = ctx.for_case(name)
    c.keys(raw, CASE_KEYS, "a case")
    args = raw.get("args", {})
    if not isinstance(args, dict):
        raise c.error("\"args\" must be an object of argument names to values")
    skip = raw.get("skip")
    if skip is not None and (not isinstance(skip, str) or not skip):
        raise c.error("\"skip\" must be a text saying why the case is skipped")
    fixtures = dict(defaults["fixtures"])
    fixtures.update(c.fixtures(raw.get("fixtures")))
    limits = dict(defaults["limits"])
    limits.update(c.limits(raw.get("limits")))
    return Case(
        name=name, function=c.text_or_none(raw, "function") or defaults["function"],
        args=args, record=c.record(raw["record"]) if "record" in raw else defaults["record"],
        fixtures=fixtures, expect=c.expect(raw.get("expect")), skip=skip,
        now=c.now(raw["now"]) if "now" in raw else defaults["now"],
        timezone=c.timezone(raw["timezone"]) if "timezone" in raw else defaults["timezone"],
        limits=limits)


class _Context:
    """Where a problem is (file, case) and the checks for each part of a test file."""

    def __init__(self, path: Path, where: str, case: str | None = None):
        self.path = path
        self.where = where
        self.case = case

    def for_case(self, name: str) -> "_Context":
        return _Context(self.path, self.where, name)

    def error(self, message: str) -> SpecError:
        case = f" case {self.case!r}:" if self.case is not None else ""
        return SpecError(f"{self.where}:{case} {message}")

    def keys(self, obj: dict, allowed: set, what: str) -> None:
        unknown = sorted(set(obj) - allowed)
        if unknown:
            raise self.error(f"{what} has unknown key{'s' if len(unknown) > 1 else ''} "
                             f"{', '.join(repr(k) for k in unknown)}; expected one of: "
                             f"{', '.join(sorted(allowed))}")

    def text_or_none(self, obj: dict, key: str) -> str | None:
        value = obj.get(key)
        if value is not None and (not isinstance(value, str) or not value):
            raise self.error(f"\"{key}\" must be a non-empty text")
        return value

    def record(self, raw) -> Record | None:
        if raw is None:
            return None
        shape = '{"module": "Contacts", "fields": {...}} or {"module": "Contacts", "file": "x.json"}'
        if not isinstance(raw, dict) or not isinstance(raw.get("module"), str) \
                or not raw["module"]:
            raise self.error(f"\"record\" must be {shape}")
        self.keys(raw, {"module", "fields", "file"}, "\"record\"")
        if ("fields" in raw) == ("file" in raw):
            raise self.error(f"\"record\" needs exactly one of \"fields\" and \"file\": {shape}")
        fields = raw["fields"] if "fields" in raw else self._json_file(raw["file"], "record")
        if isinstance(fields, dict) and isinstance(fields.get("data"), list) and fields["data"]:
            fields = fields["data"][0]  # a Zoho API response {"data": [record]}
        if not isinstance(fields, dict):
            raise self.error("the record's fields must be one JSON object")
        return Record(raw["module"], fields)

    def fixtures(self, raw) -> dict:
        if raw is None:
            return {}
        if isinstance(raw, str):
            raw = self._json_file(raw, "fixtures")
        if not isinstance(raw, dict):
            raise self.error("\"fixtures\" must be an object with records, connectors, http "
                             "(or the path of such a JSON file)")
        self.keys(raw, FIXTURE_SECTIONS, "\"fixtures\"")
        records = raw.get("records", {})
        if not isinstance(records, dict) or not all(
                isinstance(rows, list) and all(isinstance(r, dict) for r in rows)
                for rows in records.values()):
            raise self.error('fixtures "records" must map module names to lists of records, '
                             'like {"Leads": [{"id": "1", "Last_Name": "Ng"}]}')
        connectors = raw.get("connectors", {})
        if not isinstance(connectors, dict) or not all(
                isinstance(v, dict) for v in connectors.values()):
            raise self.error('fixtures "connectors" must map "<connector>.<api>" names to '
                             'responses, like {"crm.sub": {"status_code": 200, "response": {}}}')
        http = raw.get("http", [])
        if not isinstance(http, list) or not all(
                isinstance(e, dict) and isinstance(e.get("url"), str) for e in http):
            raise self.error('fixtures "http" must be a list of responses, each with a "url", '
                             'like [{"method": "GET", "url": "https://...", "status": 200, '
                             '"body": {}}]')
        return dict(raw)

    def expect(self, raw) -> dict:
        if not isinstance(raw, dict):
            raise self.error("\"expect\" is missing: give an object with any of "
                             + ", ".join(sorted(EXPECT_KEYS)))
        self.keys(raw, EXPECT_KEYS, "\"expect\"")
        if "return" in raw and "error" in raw:
            raise self.error("\"expect\" cannot hold both \"return\" and \"error\"")
        if "info" in raw and not (isinstance(raw["info"], list)
                                  and all(isinstance(x, str) for x in raw["info"])):
            raise self.error("expect \"info\" must be a list of texts, the info lines in order")
        if "error" in raw:
            self._error_expectation(raw["error"])
        for key in ("http", "connectors", "created", "updated"):
            if key in raw and not (isinstance(raw[key], list)
                                   and all(isinstance(x, dict) for x in raw[key])):
                raise self.error(f"expect \"{key}\" must be a list of objects, one per call "
                                 f"in order (see README: Testing functions with dg test)")
        return dict(raw)

    def _error_expectation(self, raw) -> None:
        if not isinstance(raw, dict) or not raw:
            raise self.error('expect "error" must be an object like '
                             '{"kind": "runtime", "message": "part of the message"}')
        self.keys(raw, {"kind", "message", "line"}, 'expect "error"')
        if "kind" in raw and raw["kind"] not in ERROR_KINDS:
            raise self.error(f'expect "error" kind must be one of {", ".join(sorted(ERROR_KINDS))}, '
                             f"not {raw['kind']!r} (a script that does not compile fails the "
                             f"whole file)")
        if "message" in raw and not isinstance(raw["message"], str):
            raise self.error('expect "error" message must be a text (a part of the message)')
        if "line" in raw and (type(raw["line"]) is not int or raw["line"] < 1):
            raise self.error('expect "error" line must be a line number')

    def now(self, raw) -> _dt.datetime | None:
        if raw is None:
            return None
        try:
            when = _dt.datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        except ValueError:
            when = None
        if not isinstance(raw, str) or when is None:
            raise self.error(f"\"now\" must be an ISO 8601 date-time like "
                             f"\"2024-05-01T09:30:00Z\", not {raw!r}")
        return when if when.tzinfo else when.replace(tzinfo=_dt.timezone.utc)

    def timezone(self, raw) -> str | None:
        if raw is None:
            return None
        try:
            ZoneInfo(str(raw))
        except (ValueError, KeyError, OSError):
            raise self.error(f"\"timezone\" must be a time zone name like \"Europe/Dublin\", "
                             f"not {raw!r}") from None
        return str(raw)

    def limits(self, raw) -> dict:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise self.error('"limits" must be an object like {"statements": 5000} '
                             '(a "profile" of crm or creator may be named too)')
        from ..limits import profile
        try:
            profile(str(raw.get("profile", "crm"))).with_overrides(
                [f"{k}={v}" for k, v in raw.items() if k != "profile"])
        except ValueError as exc:
            raise self.error(f"\"limits\": {exc}") from None
        return dict(raw)

    def _json_file(self, name, what: str):
        if not isinstance(name, str) or not name:
            raise self.error(f"the {what} file must be a path relative to the test file")
        target = self.path.parent / name
        try:
            return json.loads(target.read_text(encoding="utf-8"))
        except OSError:
            raise self.error(f"the {what} file {_display(target)} cannot be read") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            detail = f": {exc.msg} at line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) \
                else ""
            raise self.error(f"the {what} file {_display(target)} is not valid JSON{detail}") \
                from None


def _display(path: Path) -> str:
    """A path as the user would type it: relative to the current directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
