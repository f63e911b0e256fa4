"""Zoho search criteria, `((Account_Name:equals:Acme) and (Industry:starts_with:Storage))`."""

from __future__ import annotations

import re
from typing import Callable

from .errors import ScriptError

Test = Callable[[dict], bool]

OPERATORS = ("equals", "not_equal", "starts_with", "ends_with", "contains", "not_contains", "in",
             "greater_than", "less_than", "greater_equal", "less_equal", "between")


class CriteriaError(ScriptError):
    """A malformed criteria string; `position` is the 0-based offset of the problem."""

    def __init__(self, message: str, text: str, position: int):
        super().__init__(message)
        self.text = text
        self.position = position

    def pointer(self) -> str:
        """The criteria and a caret under the problem, for terminals."""
        return f"    {self.text}\n    {' ' * self.position}^"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return str(value.get("name", value.get("id", "")))
    return str(value)


def _number(value):
    try:
        return float(_text(value))
    except ValueError:
        return None


def _unescape(raw: str) -> str:
    """Zoho's criteria escape `(`, `)` and `,` in a value with a backslash: `Burns\\,B`."""
    return re.sub(r"\\(.)", r"\1", raw)


def _values(raw: str) -> list[str]:
    """The values of a comma-separated list, split at the commas that are not escaped."""
    return [_unescape(part) for part in re.split(r"(?<!\\),", raw)]


def _compare(op: str, actual, raw: str) -> bool:
    a = _text(actual)
    wanted = _unescape(raw)
    if op == "equals":
        return a.lower() == wanted.lower() or any(a.lower() == w.lower() for w in _values(raw))
    if op == "not_equal":
        return a.lower() != wanted.lower()
    if op == "starts_with":
        return a.lower().startswith(wanted.lower())
    if op == "ends_with":
        return a.lower().endswith(wanted.lower())
    if op == "contains":
        return wanted.lower() in a.lower()
    if op == "not_contains":
        return wanted.lower() not in a.lower()
    if op == "in":
        return a.lower() in [w.strip().lower() for w in _values(raw)]
    if op in ("greater_than", "less_than", "greater_equal", "less_equal"):
        x, y = _number(actual), _number(wanted)
        if x is None or y is None:
            x, y = a, wanted
        return {"greater_than": x > y, "less_than": x < y,
                "greater_equal": x >= y, "less_equal": x <= y}[op]
    if op == "between":
        low, _, high = raw.partition(",")
        x = _number(actual)
        return x is not None and float(low) <= x <= float(high)
    raise ScriptError(f"search criteria: unknown operator {op!r}")


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def fail(self, what: str, pos: int | None = None):
        pos = self.pos if pos is None else pos
        raise CriteriaError(f"search criteria: {what} at column {pos + 1} of {self.text!r}",
                            self.text, min(pos, len(self.text)))

    def skip(self):
        while self.pos < len(self.text) and self.text[self.pos] in " \t\n":
            self.pos += 1

    def expression(self) -> Test:
        left = self.term()
        while True:
            self.skip()
            rest = self.text[self.pos:].lower()
            if rest.startswith("and"):
                self.pos += 3
                right = self.term()
                left = (lambda l, r: lambda rec: l(rec) and r(rec))(left, right)
            elif rest.startswith("or"):
                self.pos += 2
                right = self.term()
                left = (lambda l, r: lambda rec: l(rec) or r(rec))(left, right)
            else:
                return left

    def term(self) -> Test:
        self.skip()
        if self.pos >= len(self.text) or self.text[self.pos] != "(":
            self.fail("expected '('")
        self.pos += 1
        self.skip()
        if self.text[self.pos:self.pos + 1] == "(":
            inner = self.expression()
            self.skip()
            if self.text[self.pos:self.pos + 1] != ")":
                self.fail("expected ')'")
            self.pos += 1
            return inner
        depth, start = 0, self.pos
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "\\":
                self.pos += 2
                continue
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            self.pos += 1
        if self.pos >= len(self.text):
            self.fail("expected ')'")
        condition = self.text[start:self.pos]
        self.pos += 1
        field, op, value = _split_condition(condition, self, start)
        return lambda rec: _compare(op, rec.get(field), value)


def _split_condition(condition: str, parser: _Parser, start: int):
    parts = condition.split(":", 2)
    if len(parts) != 3 or not parts[0].strip():
        parser.fail("expected (Field:operator:value)", start)
    field, op, value = parts
    op_name = op.strip().lower()
    if op_name not in OPERATORS:
        parser.fail(f"unknown operator {op.strip()!r}; use {', '.join(OPERATORS)}",
                    start + len(field) + 1)
    if op_name == "between":
        low, sep, high = value.partition(",")
        if not sep or _number(low.strip()) is None or _number(high.strip()) is None:
            parser.fail("between needs two numbers, like (Amount:between:10,100)",
                        start + len(field) + len(op) + 2)
    return field.strip(), op_name, value.strip()  # still escaped: see _compare


def parse_criteria(text: str) -> Test:
    """A predicate over a record (a dict of field API names) for a criteria string."""
    parser = _Parser(text.strip())
    test = parser.expression()
    parser.skip()
    if parser.pos != len(parser.text):
        parser.fail("unexpected text")
    return test
