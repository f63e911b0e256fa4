"""Workflow criteria in words: `Mailing_Country is Ireland AND (Lead_Source is Web OR Score > 10)`.

    expression := all ("OR" all)*
    all        := atom ("AND" atom)*
    atom       := "(" expression ")" | field operator [value]
    operator   := is | is not | contains | does not contain | starts with | ends with
                | is empty | is not empty | < | > | <= | >= | = | !=

Zoho's spellings `isn't` and `doesn't contain` work too. The field is its API name
(`Mailing_Country`) or its label in words (`Mailing country`); it matches the record's
field case-insensitively, spaces read as `_`. A value is the words up to AND, OR, `)` or
the end, or a quoted text ("Trinidad and Tobago"). Text compares without regard to case;
`<` and `>` compare numbers when both sides are numbers. AND binds before OR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Callable

from delugelang.errors import DelugeError

Test = Callable[[dict], bool]

# Longest phrases first, so "is not empty" wins over "is not" and "is".
# Zoho's own spellings ("isn't", "doesn't contain") work too.
OPERATORS = ("is not empty", "is empty", "does not contain", "doesn't contain", "not contains",
             "is not", "isn't", "starts with", "ends with", "contains", "is", "<=", ">=", "!=",
             "<", ">", "=")
NO_VALUE = {"is empty", "is not empty"}
OPERATOR_LIST = "is, is not, contains, does not contain, starts with, ends with, is empty, " \
                "is not empty, <, >, <=, >="

_TOKEN = re.compile(r'\s*(?:(?P<paren>[()])|(?P<quoted>"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')'
                    r'|(?P<symbol><=|>=|!=|<|>|=)'
                    r'|(?P<word>[^\s()"\'<>=!]+(?:\'[^\s()"\'<>=!]+)*)|(?P<bad>\S))')


class ConditionError(DelugeError):
    """A malformed criteria; `column` (1-based) points into `text`."""

    kind = "check"

    def __init__(self, message: str, text: str, column: int):
        super().__init__(message, 1, column)
        self.text = text

    def pointer(self) -> str:
        return f"    {self.text}\n    {' ' * (self.column - 1)}^"


@dataclass(frozen=True)
class _Token:
    kind: str      # paren, quoted, symbol, word
    text: str
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break  # only trailing spaces are left
        kind = m.lastgroup
        if kind == "bad":
            char = m.group("bad")
            what = "an unclosed quote" if char in "\"'" else f"the character {char!r}"
            raise ConditionError(f"criteria: {what} is not allowed here", text, m.start(kind) + 1)
        out.append(_Token(kind, m.group(kind), m.start(kind), m.end(kind)))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0

    def fail(self, message: str, token: _Token | None = None):
        column = (token.start if token else len(self.text)) + 1
        raise ConditionError(f"criteria: {message}", self.text, column)

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def keyword(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "word" and tok.text.upper() == word

    def expression(self) -> Test:
        parts = [self.all_of()]
        while self.keyword("OR"):
            self.i += 1
            parts.append(self.all_of())
        return parts[0] if len(parts) == 1 else (lambda rec: any(p(rec) for p in parts))

    def all_of(self) -> Test:
        parts = [self.atom()]
        while self.keyword("AND"):
            self.i += 1
            parts.append(self.atom())
        return parts[0] if len(parts) == 1 else (lambda rec: all(p(rec) for p in parts))

    def atom(self) -> Test:
        tok = self.peek()
        if tok is None:
            self.fail("expected a field name, like Mailing_Country")
        if tok.kind == "paren" and tok.text == "(":
            self.i += 1
            inner = self.expression()
            close = self.peek()
            if close is None or close.text != ")":
                self.fail("expected ')' to close the '(' at column "
                          f"{tok.start + 1}", close)
            self.i += 1
            return inner
        return self.condition()

    def condition(self) -> Test:
        if self._operator_at(self.i) is not None:
            self.fail(f"expected a field name before {self.peek().text!r}", self.peek())
        field_tokens = []
        while True:
            tok = self.peek()
            if tok is None or tok.kind != "word" or tok.text.upper() in ("AND", "OR"):
                break
            if field_tokens and self._operator_at(self.i):
                break
            field_tokens.append(tok)
            self.i += 1
        if not field_tokens:
            self.fail("expected a field name, like Mailing_Country", self.peek())
        op = self._operator_at(self.i)
        if op is None:
            self.fail(f"expected an operator after {_span(self.text, field_tokens)!r} "
                      f"({OPERATOR_LIST})", self.peek())
        name, length, op_token = op
        self.i += length
        field = "_".join(t.text for t in field_tokens)
        if name in NO_VALUE:
            return _test(field, name, None)
        return _test(field, name, self.value(name, op_token))

    def _operator_at(self, index: int):
        """(operator, token count, first token) if an operator starts at token `index`."""
        if index >= len(self.tokens):
            return None
        first = self.tokens[index]
        if first.kind == "symbol":
            return first.text, 1, first
        for phrase in OPERATORS:
            words = phrase.split()
            window = self.tokens[index:index + len(words)]
            if len(window) == len(words) and all(
                    t.kind == "word" and t.text.lower() == w for t, w in zip(window, words)):
                return phrase, len(words), first
        return None

    def value(self, op: str, op_token: _Token) -> str:
        tok = self.peek()
        if tok is not None and tok.kind == "quoted":
            self.i += 1
            return re.sub(r"\\(.)", r"\1", tok.text[1:-1])
        if op in ("<", ">", "<=", ">="):
            if tok is None or tok.kind != "word" or tok.text.upper() in ("AND", "OR"):
                self.fail(f"expected a value after '{op}'", tok)
            self.i += 1
            return tok.text
        words = []
        while True:
            tok = self.peek()
            if tok is None or tok.kind not in ("word", "symbol") \
                    or tok.text.upper() in ("AND", "OR"):
                break
            words.append(tok)
            self.i += 1
        if not words:
            self.fail(f"expected a value after '{op}' (quote it if it holds AND, OR or "
                      f"parentheses)", self.peek())
        return _span(self.text, words)


def _span(text: str, tokens: list[_Token]) -> str:
    return text[tokens[0].start:tokens[-1].end]


def parse_condition(text: str) -> Test:
    """A predicate over a record for a criteria in words; raises ConditionError."""
    if type(text) is not str or not text.strip():
        raise ConditionError("criteria: the criteria is empty", str(text or ""), 1)
    parser = _Parser(text)
    test = parser.expression()
    extra = parser.peek()
    if extra is not None:
        hint = "an unmatched ')'" if extra.text == ")" else f"unexpected {extra.text!r}"
        parser.fail(f"{hint}; join conditions with AND or OR", extra)
    return test


# ---------------------------------------------------------------- evaluation

def field_value(record: dict, field: str):
    """The record's value for `field`: exact API name first, then any case."""
    if field in record:
        return record[field]
    lowered = field.lower()
    for key, value in record.items():
        if key.lower() == lowered:
            return value
    return None


def _text(value) -> str:
    if isinstance(value, dict):
        value = value.get("name", value.get("id"))
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _number(value):
    if isinstance(value, bool):
        return None
    try:
        return Decimal(_text(value).strip())
    except (InvalidOperation, ValueError):
        return None


def _is_empty(value) -> bool:
    if isinstance(value, (list, dict)):
        return not value
    return not _text(value).strip()


def _equal(actual, wanted: str) -> bool:
    if isinstance(actual, list):
        return any(_equal(item, wanted) for item in actual)
    a, b = _number(actual), _number(wanted)
    if a is not None and b is not None:
        return a == b
    return _text(actual).strip().lower() == wanted.strip().lower()


def _order(actual, wanted: str, op: str) -> bool:
    if _is_empty(actual):
        return False
    a, b = _number(actual), _number(wanted)
    if a is None or b is None:
        a, b = _text(actual).lower(), wanted.lower()
    return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]


def _test(field: str, op: str, wanted: str | None) -> Test:
    def test(record: dict) -> bool:
        actual = field_value(record, field)
        if op == "is empty":
            return _is_empty(actual)
        if op == "is not empty":
            return not _is_empty(actual)
        if op in ("is", "="):
            return _equal(actual, wanted)
        if op in ("is not", "isn't", "!="):
            return not _equal(actual, wanted)
        text, part = _text(actual).lower(), wanted.lower()
        if op == "contains":
            return part in text
        if op in ("does not contain", "doesn't contain", "not contains"):
            return part not in text
        if op == "starts with":
            return text.startswith(part)
        if op == "ends with":
            return text.endswith(part)
        return _order(actual, wanted, op)
    return test
