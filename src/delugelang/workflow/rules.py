"""Workflow rule definitions: one file per rule, `workflows/<rule>.json`, validated on load.

    {
      "module": "Contacts",
      "trigger": "on create",            // on edit | on create or edit | on field update of F[, G]
      "criteria": "Mailing_Country is Ireland",     // optional: no criteria matches every record
      "actions": [
        {"call": "add_google_contact",              // the function to run
         "file": "functions/add_google_contact.dg", // default: functions/<call>.dg
         "arguments": {"email": "#{Contacts.Email}", "name": "#{Contacts.First_Name}"}}
      ],
      "repeat": false,                   // optional: run again on every later edit
      "enabled": true,                   // optional
      "description": "..."               // optional
    }

`repeat` is Zoho's "Repeat this workflow every time a record is edited", off by default:
without it, an edit trigger runs a rule for a record only if the rule has not run for that
record before (the first time the record meets the criteria).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from delugelang.errors import DelugeError, render_snippet
from delugelang.records.backend import FIELD_NAME, MODULE_NAME
from delugelang.workflow.conditions import ConditionError, Test, parse_condition
from delugelang.workflow.merge import MergeError, Template, parse_template

WORKFLOWS_DIR = "workflows"
FUNCTIONS_DIR = "functions"
RULE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\Z")
_KEYS = {"name", "module", "trigger", "criteria", "actions", "enabled", "description", "repeat"}
_ACTION_KEYS = {"call", "file", "arguments"}
TRIGGERS = ("on create", "on edit", "on create or edit", "on field update of FIELD")


class RuleError(DelugeError):
    """A rule file is not valid; renders as `file:line:col: error: ...` with a caret."""

    kind = "check"

    def __init__(self, path: Path, message: str, source: str | None = None,
                 offset: int | None = None, *, line: int | None = None,
                 column: int | None = None, kind: str = "check"):
        if source is not None and offset is not None:
            line = source.count("\n", 0, offset) + 1
            column = offset - (source.rfind("\n", 0, offset) + 1) + 1
        super().__init__(message, line, column)
        self.path = path
        self.source = source
        self.kind = kind  # "syntax" for a function file that does not parse

    def render(self, source=None, filename=None) -> str:
        return render_snippet(self.kind, self.message, self.source, str(self.path), self.line,
                              self.column)


@dataclass(frozen=True)
class Trigger:
    events: frozenset[str]          # "create", "edit"
    fields: tuple[str, ...] = ()    # on field update: the fields that must change

    def fires(self, kind: str, changed: frozenset[str]) -> bool:
        if kind not in self.events:
            return False
        if not self.fields:
            return True
        lowered = {c.lower() for c in changed}
        return any(f.lower() in lowered for f in self.fields)

    def describe(self) -> str:
        if self.fields:
            return "on field update of " + ", ".join(self.fields)
        return "on " + " or ".join(e for e in ("create", "edit") if e in self.events)


@dataclass(frozen=True)
class Action:
    function: str
    file: str
    arguments: dict[str, Template] = field(default_factory=dict)

    def describe(self) -> str:
        return f"call function {self.function} ({self.file})"


@dataclass(frozen=True)
class Rule:
    name: str
    module: str
    trigger: Trigger
    criteria: str | None
    test: Test | None
    actions: tuple[Action, ...]
    enabled: bool = True
    description: str = ""
    path: Path | None = None
    repeat: bool = False

    def matches(self, record: dict) -> bool:
        return self.test is None or bool(self.test(record))


def parse_trigger(text) -> Trigger:
    if not isinstance(text, str):
        raise ValueError("\"trigger\" is missing or not text; use one of: on create, on edit, "
                         "on create or edit, on field update of FIELD")
    words = " ".join(text.split()).lower()
    if words in ("on create", "create"):
        return Trigger(frozenset({"create"}))
    if words in ("on edit", "edit"):
        return Trigger(frozenset({"edit"}))
    if words in ("on create or edit", "create or edit", "on create or on edit"):
        return Trigger(frozenset({"create", "edit"}))
    m = re.fullmatch(r"(?:on )?field update of (.+)", " ".join(text.split()), re.IGNORECASE)
    if m:
        names = tuple(f.strip().replace(" ", "_") for f in m.group(1).split(","))
        bad = [n for n in names if not FIELD_NAME.match(n)]
        if bad:
            raise ValueError(f"{bad[0]!r} is not a field API name")
        return Trigger(frozenset({"edit"}), names)
    raise ValueError(f"unknown trigger {text!r}; use one of: {', '.join(TRIGGERS)}")


class RuleFiles:
    """Reads `workflows/*.json` of a workspace; functions live under the workspace too."""

    def __init__(self, workspace_dir: str | os.PathLike):
        self.root = Path(workspace_dir)
        self.directory = self.root / WORKFLOWS_DIR

    def names(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.json"))

    def load_all(self) -> tuple[list[Rule], list[RuleError]]:
        """Every valid rule, and a RuleError for every file that is not valid."""
        rules, problems = [], []
        for name in self.names():
            try:
                rules.append(self.load(name))
            except RuleError as err:
                problems.append(err)
        return rules, problems

    def load(self, name: str) -> Rule:
        path = self.directory / f"{name}.json"
        if not RULE_NAME.match(name):
            raise RuleError(path, f"{name!r} is not a rule name (lower-case letters, digits, "
                                  f"_ and -)")
        try:
            source = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise RuleError(path, f"there is no workflow rule named {name!r} "
                                  f"(rules: {', '.join(self.names()) or 'none'})") from None
        except UnicodeDecodeError:
            raise RuleError(path, "the rule file is not UTF-8 text") from None
        except OSError as exc:
            raise RuleError(path, f"cannot read the rule file: {exc.strerror or exc}") from None
        try:
            data = json.loads(source)
        except json.JSONDecodeError as exc:
            raise RuleError(path, f"not valid JSON: {exc.msg}", source, exc.pos) from None
        return _RuleReader(self.root, path, source, name).read(data)


def action_problems(root: str | os.PathLike, rule: Rule) -> list[RuleError]:
    """Why the rule's actions could not run, found without running them: a function file
    that is missing, unreadable or does not compile (each of its errors, at its place in
    that file), a called function it does not define, a mapped argument it does not take
    (those at their place in the rule file)."""
    from delugelang.program import compile as compile_program  # loads the compiler

    root, problems = Path(root), []
    rule_source = _read_or_none(rule.path)

    def in_rule(message: str, *texts: str, after: str | None = None) -> RuleError:
        """At the first of `texts` found in the rule file (past `after` when given)."""
        start = (_locate(rule_source, after) or 0) if after else 0
        offsets = (_locate(rule_source, text, start) for text in texts)
        return RuleError(rule.path, message, rule_source,
                         next((at for at in offsets if at is not None), None))

    for action in rule.actions:
        path = root / action.file
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = ("does not exist" if isinstance(exc, FileNotFoundError) else
                      "is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else
                      f"cannot be read: {exc.strerror or exc}")
            problems.append(in_rule(f"the function file {action.file} of {action.function} "
                                    f"{reason}", action.file, action.function))
            continue
        try:
            program = compile_program(source, action.file)
        except DelugeError as err:
            problems += [RuleError(path, p.message, source, line=p.line, column=p.column,
                                   kind=getattr(p, "kind", "check"))
                         for p in getattr(err, "problems", None) or (err,)]
            continue
        problems += _binding_problems(action, program, in_rule)
    return problems


def _binding_problems(action: Action, program, in_rule) -> list[RuleError]:
    """The engine runs the called function (or, in a file without functions, its body) with
    the mapped arguments, as Program.run binds them."""
    if not program.functions:
        return [in_rule(f"{action.file} declares no function, so it takes no arguments; "
                        f"declare one, like: void {action.function.split('.')[-1]}"
                        f"(string {name}) {{ ... }}", name, after=action.function)
                for name in action.arguments]
    info = next((f for f in program.functions
                 if action.function in (f.name, f.qualified_name)), None)
    if info is None:
        names = ", ".join(f.qualified_name for f in program.functions)
        return [in_rule(f"{action.file} defines no function {action.function} "
                        f"(its functions: {names})", action.function)]
    known = [name for _, name in info.params]
    return [in_rule(f"function {info.qualified_name} has no argument {name!r} "
                    f"(its arguments: {', '.join(known) or 'none'})", name,
                    after=action.function)
            for name in action.arguments if name not in known]


def _read_or_none(path: Path | None) -> str | None:
    try:
        return None if path is None else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _locate(source: str | None, text: str, start: int = 0) -> int | None:
    """Where `text` first sits in the rule file from `start`, as a JSON string; else as it
    is (inside "call function NAME")."""
    if source is None:
        return None
    at = source.find(json.dumps(text, ensure_ascii=False), start)
    if at >= 0:
        return at + 1
    at = source.find(text, start)
    return None if at < 0 else at


class _RuleReader:
    def __init__(self, root: Path, path: Path, source: str, name: str):
        self.root, self.path, self.source, self.name = root, path, source, name

    def fail(self, message: str, value=None, inner: int = 0):
        raise RuleError(self.path, message, self.source, self._offset(value, inner))

    def _offset(self, value, inner: int) -> int | None:
        """Where `value` (a text of the file) sits in the source, plus `inner` characters."""
        if not isinstance(value, str):
            return None
        at = self.source.find(json.dumps(value, ensure_ascii=False))
        if at < 0:
            at = self.source.find(json.dumps(value))
        return None if at < 0 else at + 1 + inner

    def read(self, data) -> Rule:
        if not isinstance(data, dict):
            self.fail("a rule file holds one JSON object")
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            self.fail(f"unknown key {unknown[0]!r}; a rule has: {', '.join(sorted(_KEYS))}")
        if data.get("name", self.name) != self.name:
            self.fail(f"the rule's name {data['name']!r} differs from its file name {self.name!r}",
                      data.get("name"))
        module = data.get("module")
        if not isinstance(module, str) or not MODULE_NAME.match(module):
            self.fail("\"module\" must name the module, like \"Contacts\"", module)
        try:
            trigger = parse_trigger(data.get("trigger"))
        except ValueError as exc:
            self.fail(f"trigger: {exc}", data.get("trigger"))
        criteria, test = data.get("criteria"), None
        if criteria is not None:
            if not isinstance(criteria, str):
                self.fail("criteria must be text, like \"Mailing_Country is Ireland\"")
            try:
                test = parse_condition(criteria)
            except ConditionError as err:
                self.fail(err.message, criteria, err.column - 1)
        enabled, repeat = data.get("enabled", True), data.get("repeat", False)
        if not isinstance(enabled, bool):
            self.fail("\"enabled\" must be true or false")
        if not isinstance(repeat, bool):
            self.fail("\"repeat\" must be true or false")
        return Rule(self.name, module, trigger, criteria, test, self.actions(data, module),
                    enabled, str(data.get("description", "")), self.path, repeat)

    def actions(self, data: dict, module: str) -> tuple[Action, ...]:
        items = data.get("actions")
        if not isinstance(items, list) or not items:
            self.fail("\"actions\" must be a list with at least one action, like "
                      "[{\"call\": \"my_function\"}]")
        return tuple(self.action(item, module) for item in items)

    def action(self, item, module: str) -> Action:
        if isinstance(item, str):
            m = re.fullmatch(r"call function (\w+)", " ".join(item.split()), re.IGNORECASE)
            if not m:
                self.fail(f"unknown action {item!r}; write \"call function NAME\" or "
                          f"{{\"call\": NAME, \"arguments\": {{...}}}}", item)
            item = {"call": m.group(1)}
        if not isinstance(item, dict):
            self.fail("an action is {\"call\": \"function_name\", \"arguments\": {...}}")
        unknown = sorted(set(item) - _ACTION_KEYS)
        if unknown:
            self.fail(f"unknown action key {unknown[0]!r}; an action has: call, file, arguments")
        function = item.get("call")
        if not isinstance(function, str) or not re.fullmatch(r"[A-Za-z_][\w.]*", function):
            self.fail("\"call\" must name the function to run", function)
        file = item.get("file", f"{FUNCTIONS_DIR}/{function.split('.')[-1]}.dg")
        self.check_file(file)
        args = item.get("arguments", {})
        if not isinstance(args, dict):
            self.fail("\"arguments\" must map argument names to values with merge fields")
        return Action(function, file, {k: self.template(v, module) for k, v in args.items()})

    def check_file(self, file) -> None:
        if not isinstance(file, str) or not file.endswith(".dg"):
            self.fail("\"file\" must be a .dg file inside the workspace", file)
        resolved = (self.root / file).resolve()
        if not resolved.is_relative_to(self.root.resolve()):
            self.fail(f"the function file {file!r} is outside the workspace", file)

    def template(self, value, module: str) -> Template:
        try:
            return parse_template(value, module)
        except MergeError as err:
            self.fail(str(err), value, err.offset)
