"""Hypothesis fuzzing: the front end raises only Deluge errors; every run ends within its limits.

Three generators, all deterministic (`derandomize=True`, no example database):
  * random token streams: keywords, punctuation, literals and odd Unicode, in any order;
  * random well-formed programs: assignments, if/else, `for each`, try/catch, arithmetic,
    text, list and map literals, and calls to every registered builtin with its arity;
  * those programs with tokens deleted, repeated, swapped or inserted.
Compiling may only raise ParseError or CheckError; running (with 2,000 statements and
2 seconds) may only end in a Result, a ScriptError or a LimitError. `fuzz/fuzz_compile.py`
is the longer-running atheris target for local use.
"""

from __future__ import annotations

import datetime as _dt
import functools
import time

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import delugelang
from delugelang.builtins import load_all
from delugelang.builtins.registry import FUNCTIONS, METHODS
from delugelang.errors import CheckError, LimitError, ParseError, ScriptError
from delugelang.limits import Limits

load_all()

LIMITS = Limits(statements=2_000, time_seconds=2)
SERVICES = delugelang.Services(
    clock=lambda: _dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=_dt.timezone.utc), random_seed=1)
FUZZ = dict(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# ---------------------------------------------------------------- tokens

KEYWORDS = ["if", "else", "for", "each", "in", "index", "break", "continue", "return", "info",
            "try", "catch", "throw", "true", "false", "null", "invokeurl", "sendmail",
            "invokeapi", "List:String", "list:Int", "Map", "List", "Collection", "isNull",
            "void", "string", "int", "map", "input", "zoho", "currenttime", "url", "type",
            "IF", "Else", "TRUE", "Null"]
PUNCTUATION = ["(", ")", "{", "}", "[", "]", ",", ";", ":", ".", "=", "==", "!=", "<", ">",
               "<=", ">=", "+", "-", "*", "/", "%", "!", "&&", "||", "+=", "-=", "*=", "/=",
               "'", '"', "//", "/*", "*/", "\\", "@", "#", "$", "`", "?", "~", "^", "&", "|"]
ODD = ["\u00a0", "\ufeff", "\u200b", "\u202e", "\u2028", "\u0085", "ｉｍｐｏｒｔ", "__import__",
       "__class__", "é", "😀", "\x00", "\t", "\r", "\r\n", "\ud800", "İ", "ß", "ǅ", "\uffff",
       "٣", "𝟗", "ﬁ", "\x1b[2J"]
SEPARATORS = ["", " ", " ", "\n", "\t", "\r\n"]

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
int_texts = st.integers(0, 10**25).map(str)
decimal_texts = st.tuples(st.integers(0, 10**20), st.integers(0, 10**8)).map(
    lambda t: f"{t[0]}.{t[1]}")
text_bodies = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
string_texts = text_bodies.map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"')
date_texts = st.sampled_from(["'01-Jan-2024'", "'31-Dec-1969 16:00:00'", "'2024-02-30'",
                              "'not a date'", "''", "'29-Feb-2023'"])

token = st.one_of(st.sampled_from(KEYWORDS), st.sampled_from(PUNCTUATION), st.sampled_from(ODD),
                  names, int_texts, decimal_texts, string_texts, date_texts)
token_streams = st.lists(st.tuples(token, st.sampled_from(SEPARATORS)), max_size=60).map(
    lambda pairs: "".join(t + sep for t, sep in pairs))

# ---------------------------------------------------------------- programs

PRELUDE = ('n = 7;\nd = 2.5;\ns = "héllo wörld";\nb = true;\nz = null;\n'
           'l = {1, "two", 3.0, null, {4}};\nm = {"k": 1, "z": {1, 2}, "t": "x"};\n'
           "dt = '01-Jan-2024';\nwhen = '15-Mar-2024 10:20:30';\ne = List();\n"
           "today = zoho.currentdate;\nnow = zoho.currenttime;\n")
# System variables are read into variables first: the checker currently reads
# `zoho.currentdate.addDay(1)` as an unknown task, not a method call on a date.
VARIABLES = ["n", "d", "s", "b", "z", "l", "m", "dt", "when", "e", "today", "now"]
BINARY = ["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||"]
INT64_TEXTS = st.integers(0, 2**63 - 1).map(str)
SMALL_INTS = st.sampled_from(["0", "1", "2", "3", "-1", "10", "100", "9223372036854775807",
                              "65536", "1000000"])
# Builtins whose arguments every program may hit, with their arities from the registry.
METHOD_ARITIES = sorted((name, *spec.arity()) for name, spec in METHODS.items())
FUNCTION_ARITIES = sorted((name, spec.min_args, spec.max_args) for name, spec in FUNCTIONS.items())


@functools.cache
@st.composite
def leaf(draw, scope):
    kind = draw(st.integers(0, 6))
    if kind == 0:
        return draw(SMALL_INTS | INT64_TEXTS)
    if kind == 1:
        return draw(decimal_texts)
    if kind == 2:
        return draw(string_texts | st.sampled_from(['"a,b,c"', '"12"', '"2.5"', '"{\\"k\\": 1}"',
                                                    '"[1, 2]"', '"a.*b"', '"(a+)+$"']))
    if kind == 3:
        return draw(st.sampled_from(["true", "false", "null"]))
    if kind == 4:
        return draw(date_texts)
    return draw(st.sampled_from(VARIABLES + list(scope)))


@functools.cache
@st.composite
def expression(draw, scope, depth):
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        return draw(leaf(scope))
    sub = expression(scope, depth - 1)
    kind = draw(st.integers(0, 8))
    if kind == 0:
        return f"({draw(sub)} {draw(st.sampled_from(BINARY))} {draw(sub)})"
    if kind == 1:
        return f"{draw(st.sampled_from(['!', '-']))}({draw(sub)})"
    if kind == 2:
        return "{" + ", ".join(draw(st.lists(sub, max_size=4))) + "}"
    if kind == 3:
        pairs = draw(st.lists(st.tuples(leaf(scope), sub), min_size=1, max_size=3))
        return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    if kind == 4:
        return f"if({draw(sub)}, {draw(sub)}, {draw(sub)})"
    if kind in (5, 6, 7):
        return draw(method_call(sub))
    return draw(function_call(sub))


@functools.cache
@st.composite
def condition(draw, scope):
    """Mostly booleans, so that branches run; sometimes anything (a type error)."""
    sub = expression(scope, 1)
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return f"{draw(sub)} {draw(st.sampled_from(['==', '!=', '<', '>=']))} {draw(sub)}"
    if kind == 1:
        return draw(st.sampled_from(["b", "!b", "true", "false", "n > 3", "s.contains(\"l\")"]))
    if kind == 2:
        return f"isNull({draw(sub)})"
    if kind == 3:
        return f"({draw(sub)}).isEmpty() || b"
    return draw(expression(scope, 2))


@functools.cache
@st.composite
def arguments(draw, sub, low, high):
    high = low + 2 if high is None else min(high, low + 2)
    return ", ".join(draw(st.lists(sub, min_size=low, max_size=high)))


@functools.cache
@st.composite
def method_call(draw, sub):
    name, low, high = draw(st.sampled_from(METHOD_ARITIES))
    return f"({draw(sub)}).{name}({draw(arguments(sub, low, high))})"


@functools.cache
@st.composite
def function_call(draw, sub):
    name, low, high = draw(st.sampled_from(FUNCTION_ARITIES + [("twice", 1, 1)]))
    return f"{name}({draw(arguments(sub, low, high))})"


@functools.cache
@st.composite
def statement(draw, scope, depth, in_loop):
    expr = expression(scope, 2)
    choices = 6 if depth <= 0 else 9
    kind = draw(st.integers(0, choices + (1 if in_loop else 0)))
    target = draw(st.sampled_from(VARIABLES))
    if kind == 0:
        return f"{target} = {draw(expr)};"
    if kind == 1:
        return f"{target} {draw(st.sampled_from(['+=', '-=', '*=', '/=']))} {draw(expr)};"
    if kind == 2:
        return f"info {draw(expr)};"
    if kind == 3:
        return f"{draw(st.sampled_from(['l', 'e']))}.add({draw(expr)});"
    if kind == 4:
        return f"m.put({draw(expr)}, {draw(expr)});"
    if kind in (5, 6):
        return f"{draw(method_call(expr))};"
    if kind == 7:
        return draw(if_statement(scope, depth, in_loop))
    if kind == 8:
        return draw(for_statement(scope, depth))
    if kind == 9:
        body = draw(block(scope, depth - 1, in_loop))
        handler = draw(block(scope + ("err",), depth - 1, in_loop))
        return f"try {body} catch (err) {handler}"
    return draw(st.sampled_from(["break;", "continue;"]))


@functools.cache
@st.composite
def block(draw, scope, depth, in_loop):
    body = draw(st.lists(statement(scope, depth, in_loop), max_size=4))
    return "{\n" + "\n".join(body) + "\n}"


@functools.cache
@st.composite
def if_statement(draw, scope, depth, in_loop):
    text = f"if ({draw(condition(scope))}) {draw(block(scope, depth - 1, in_loop))}"
    for _ in range(draw(st.integers(0, 2))):
        text += f" else if ({draw(condition(scope))}) {draw(block(scope, depth - 1, in_loop))}"
    if draw(st.booleans()):
        text += f" else {draw(block(scope, depth - 1, in_loop))}"
    return text


@functools.cache
@st.composite
def for_statement(draw, scope, depth):
    var = f"x{depth}"
    source = draw(st.one_of(
        st.lists(leaf(scope), max_size=5).map(lambda xs: "{" + ", ".join(xs) + "}"),
        st.sampled_from(["l", "m", "e", "s", "n", '"a,b".toList(",")']),
        expression(scope, 1)))
    if draw(st.booleans()):
        return f"for each index {var} in {source} {draw(block(scope + (var,), depth - 1, True))}"
    return f"for each {var} in {source} {draw(block(scope + (var,), depth - 1, True))}"


@st.composite
def top_level_statement(draw):
    """Usually inside try/catch, so that one type error does not end the whole program."""
    text = draw(statement((), 2, False))
    if draw(st.integers(0, 9)):
        return f"try {{\n{text}\n}} catch (err) {{ info err; }}"
    return text


@st.composite
def programs(draw):
    body = draw(st.lists(top_level_statement(), min_size=1, max_size=8))
    ending = f"return {draw(expression((), 2))};" if draw(st.booleans()) else ""
    helper = "string twice(string t) { return t + t; }\n"
    return PRELUDE + "\n".join(body) + "\n" + ending + "\n" + helper


# ---------------------------------------------------------------- mutations

TOKENIZER = regex.compile(r'"(?:\\.|[^"\\])*"|\'[^\'\n]*\'|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?'
                          r"|&&|\|\||[=!<>+\-*/]=|\S")


@st.composite
def mutated_programs(draw):
    tokens = TOKENIZER.findall(draw(programs()))
    for _ in range(draw(st.integers(1, 4))):
        if not tokens:
            break
        at = draw(st.integers(0, len(tokens) - 1))
        action = draw(st.integers(0, 3))
        if action == 0:
            del tokens[at]
        elif action == 1:
            tokens.insert(at, tokens[at])
        elif action == 2 and at + 1 < len(tokens):
            tokens[at], tokens[at + 1] = tokens[at + 1], tokens[at]
        else:
            tokens.insert(at, draw(token))
    return " ".join(tokens)


# ---------------------------------------------------------------- properties


def compile_or_reject(source: str):
    """The Program, or None when the front end rejected the source with a Deluge error."""
    try:
        return delugelang.compile(source, "<fuzz>", cache=False)
    except (ParseError, CheckError):
        return None


def run_within_limits(program) -> None:
    started = time.monotonic()
    try:
        program.run(limits=LIMITS, services=SERVICES)
    except (ScriptError, LimitError):
        pass
    elapsed = time.monotonic() - started
    assert elapsed < LIMITS.time_seconds * 2 + 1, f"the run took {elapsed:.1f}s"


@settings(max_examples=300, **FUZZ)
@given(token_streams)
def test_token_streams_raise_only_deluge_errors(source):
    program = compile_or_reject(source)
    if program is not None:
        run_within_limits(program)


@settings(max_examples=200, **FUZZ)
@given(programs())
def test_generated_programs_compile_and_run_within_limits(source):
    program = delugelang.compile(source, "<fuzz>", cache=False)
    run_within_limits(program)


@settings(max_examples=150, **FUZZ)
@given(mutated_programs())
def test_mutated_programs_raise_only_deluge_errors(source):
    program = compile_or_reject(source)
    if program is not None:
        run_within_limits(program)
