"""Differential checking of the fast parser against the Lark path: corpus and mutation fuzzer.

Run a larger campaign with `python tests/rdparser_fuzz.py [mutants] [seed]` (and a quarter
as many scripts from the grammar's rules); tests/test_rdparser.py runs a small one. A script
passes when the fast parser either built the very tree the Lark path builds, or gave up; it
must give up on everything Lark rejects.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT / "src"))

from delugelang.errors import DelugeError  # noqa: E402
from delugelang.frontend import lark_module, parse_module  # noqa: E402
from delugelang.rdparser import fast_parse  # noqa: E402

SHARED = ROOT.parent / "shared"

# Every construct of grammar/deluge.lark at least once, with the odd corners of its lexer.
GRAMMAR_TOUR = r'''
string standalone.notify(int id, map data)
{
	resp = invokeurl
	[
		url: "https://example.com/" + id
		type: POST
		content-type: "application/json"
		content type: HTML
		reply to: "a@b.c", "d@e.f"
		headers: {"X": "1"}
		parameters: data.toString()
	];
	sendmail [ from: zoho.adminuserid to: "x@y.z" subject: "s" message: "m" ]
	x = invokeUrl [ url: "u" type: GET ]
	return resp.get("id");
}
void f()
{
	l = List:String();
	k = list:int({1, 2});
	m = {"a": 1, "b": {"c": [1, 2, ], "d": {}}, };
	e = [];
	s = {1, 2, 3,};
	n = -5 + - -3 - +2 * -(4) % 3 / 1.5 - -2.25;
	b = !(a && b || c && !d) == (x != y) = z;
	c = a < b || a <= b && a > b || a >= b;
	if (a = b) { info "eq"; } else if (a == 1) { } else if (b) { info 'quoted'; } else { ; }
	If (x) { x += 1; x -= 2; x *= 3; x /= 4; }
	for each index i in l { continue; }
	for each item in m.keys() { break; }
	FOR EACH r IN rows { info r.get("name").trim().length(); }
	try { throw "boom"; } catch (err) { info err.message; }
	v = ifnull(a, b) + ifNull(a) + isNull(c) + if(a > 1, "x", "y");
	f(key: value, "k" : v, a.b.c, (d));
	(a).b().c;
	{1, 2};
	return;
	Return True;
	info null || false || TRUE;
	t = "esc \" \\ \n \t \u0041 \q" + 'dd-MMM-yyyy';
	big = 9223372036854775807;
	neg = -9223372036854775807;
	dec = 123456789.123456789;
	w = zoho.crm.getRecordById("Leads", id).get("Email");
	u = input.info + input.if + x.each + y.in + z.null + q.invokeurl;
	list = index + type + each1 + infos;
}
info "top level";
/* block
   comment */ x = 1; // line comment
y = "multi
line text" + "another";
'''

_TOKEN = re.compile(r'''\s+|//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\])*"|'[^'\n]*'|[A-Za-z_][A-Za-z0-9_]*'''
                    r'''|[0-9]+(?:\.[0-9]+)?|\|\||&&|==|!=|<=|>=|[-+*/]=|.''', re.S)

# What mutations insert: keywords in several spellings, words that look like them,
# separators, brackets, operators and the lexer's special terminals.
_INSERTS = [
    "if", "If", "IF", "else", "ELSE", "for", "each", "Each", "in", "IN", "index", "break",
    "continue", "return", "info", "Info", "try", "catch", "throw", "true", "False", "null",
    "NULL", "invokeurl", "sendmail", "invokeApi", "list:string()", "List:Int", "list",
    "ifnull", "iff", "elsewhere", "format", "type:", "url:", "content type:", "x-y:",
    ":", "=", "==", "!=", "+=", "-=", "*=", "/=", ";", ",", ".", "(", ")", "{", "}", "[",
    "]", "!", "-", "+", "*", "/", "%", "<", ">=", "&&", "||", "1", "-1", "2.5", '"t"',
    "'d'", "x", "y1", "_z", "a.b", "\n", " ", "/* c */", "// c\n", "\ufeff", "\u00a0",
    "99999999999999999999",
]


def corpus() -> list[tuple[str, str]]:
    """(name, source) of every script in the repository and in ../shared, and the tour."""
    scripts = [("grammar tour", GRAMMAR_TOUR)]
    for folder in ("tests", "samples"):
        for path in sorted((ROOT / folder).rglob("*.dg")):
            scripts.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    scripts.extend(shared_corpus())
    scripts.append(("bench B5", bench_source(60)))
    return scripts


def bench_source(lines: int) -> str:
    """bench/compile_bench.py's typical CRM function of about `lines` lines."""
    if str(ROOT / "bench") not in sys.path:
        sys.path.insert(0, str(ROOT / "bench"))
    from compile_bench import source_of  # noqa: PLC0415
    return source_of(lines)


def shared_corpus() -> list[tuple[str, str]]:
    out = []
    for relative in ("conformance/public.jsonl", "attacks/public.jsonl"):
        path = SHARED / relative
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                out.append((f"{relative}:{case['id']}", case["code"]))
    return out


def lark_outcome(source: str):
    """The Lark path's module, or its error as (class name, message, line, column)."""
    try:
        return lark_module(source)
    except DelugeError as err:
        return (type(err).__name__, err.message, err.line, err.column)


def check(source: str) -> str:
    """"same" (fast parser built Lark's tree), "gave up" (Lark's tree or error stands) or
    a description of a disagreement."""
    expected = lark_outcome(source)
    got = fast_parse(source, 100)
    if got is None:
        if _public_outcome(source) != expected:
            return "the public entry point differs from the Lark path"
        return "gave up"
    if isinstance(expected, tuple):
        return f"the fast parser accepted what Lark rejects: {expected}"
    if got != expected:
        return "the fast parser built a different tree"
    return "same"


def _public_outcome(source: str):
    try:
        return parse_module(source)
    except DelugeError as err:
        return (type(err).__name__, err.message, err.line, err.column)


def mutate(source: str, rng: random.Random) -> str:
    """One to three token-level edits: delete, duplicate, swap, insert or replace."""
    tokens = _TOKEN.findall(source)
    for _ in range(rng.randint(1, 3)):
        if not tokens:
            tokens = [rng.choice(_INSERTS)]
        i = rng.randrange(len(tokens))
        action = rng.randrange(6)
        if action == 0:
            del tokens[i]
        elif action == 1:
            tokens.insert(i, tokens[i])
        elif action == 2 and i + 1 < len(tokens):
            tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
        elif action == 3:
            tokens.insert(i, rng.choice(_INSERTS))
        elif action == 4:
            tokens.insert(i, rng.choice((" ", "")) + rng.choice(_INSERTS) + rng.choice((" ", "")))
        else:
            tokens[i] = rng.choice(_INSERTS)
    return "".join(tokens)


class Generator:
    """Random scripts from the grammar's rules, with random spacing, comments and keyword
    case: mostly valid, and deeper combinations than the corpus holds."""

    _NAMES = ("a", "b", "x1", "_t", "index", "type", "list", "Info2", "ifnull", "iNput")
    _KEYS = ("url", "type", "headers", "content-type", "content type", "reply to", "parameters")

    def __init__(self, rng: random.Random):
        self.rng = rng

    def _gap(self) -> str:
        return self.rng.choice(("", "", " ", " ", "\n\t", " /* c */ ", "// c\n", "\r\n", "\u00a0"))

    def _kw(self, word: str) -> str:
        return self.rng.choice((word, word, word.upper(), word.capitalize()))

    def _join(self, *parts: str) -> str:
        return self._gap().join(parts)

    def expr(self, depth: int = 0) -> str:
        rng = self.rng
        if depth > 3 or rng.random() < 0.3:
            return self.atom()
        choice = rng.randrange(9)
        if choice == 0:
            op = rng.choice(("||", "&&", "==", "!=", "=", "<", "<=", ">", ">=", "+", "-", "*",
                             "/", "%"))
            return self._join(self.expr(depth + 1), op, self.expr(depth + 1))
        if choice == 1:
            return self._join(rng.choice(("!", "-", "+")), self.expr(depth + 1))
        if choice == 2:
            return self._join("(", self.expr(depth + 1), ")")
        if choice == 3:
            return self._join(self.expr(depth + 1), ".", rng.choice(self._NAMES + ("if", "null")),
                              "(", self.args(depth), ")")
        if choice == 4:
            return self._join(self.expr(depth + 1), ".", rng.choice(self._NAMES))
        if choice == 5:
            return self._join(rng.choice(self._NAMES), "(", self.args(depth), ")")
        if choice == 6:
            items = [self.expr(depth + 1) for _ in range(rng.randrange(4))]
            brackets = rng.choice(("{}", "[]"))
            if rng.random() < 0.5 and items:
                items, brackets = [self._join(i, ":", self.expr(depth + 1)) for i in items], "{}"
            body = ", ".join(items) + rng.choice(("", ",")) if items else ""
            return self._join(brackets[0], body, brackets[1])
        if choice == 7:
            return self._join(self._kw("if"), "(", self.expr(depth + 1), ",", self.expr(depth + 1),
                              ",", self.expr(depth + 1), ")")
        return self._join(self._kw("list") + ":" + rng.choice(("String", "int")), "(",
                          self.args(depth), ")")

    def atom(self) -> str:
        rng = self.rng
        return rng.choice((rng.choice(self._NAMES), str(rng.randrange(100)), "1.50", '"t\\n"',
                           "'01-Jan-2020'", self._kw("true"), self._kw("false"), self._kw("null"),
                           "-3", "9223372036854775807"))

    def args(self, depth: int) -> str:
        count = self.rng.randrange(4)
        args = []
        for _ in range(count):
            arg = self.expr(depth + 1)
            if self.rng.random() < 0.2:
                arg = self._join(arg, ":", self.expr(depth + 1))
            args.append(arg)
        return ", ".join(args)

    def task(self) -> str:
        rng = self.rng
        params = [self._join(rng.choice(self._KEYS), ":", self.expr(2))
                  for _ in range(rng.randrange(4))]
        name = self._kw(rng.choice(("invokeurl", "sendmail")))
        return self._join(name, "[", "\n".join(params), "]")

    def statement(self, depth: int = 0) -> str:
        rng = self.rng
        choice = rng.randrange(12 if depth < 3 else 8)
        name = rng.choice(self._NAMES[:8])
        forms = [
            lambda: self._join(name, "=", self.expr(), ";"),
            lambda: self._join(name, rng.choice(("+=", "-=", "*=", "/=")), self.expr(), ";"),
            lambda: self._join(self.expr(), ";"),
            lambda: self._join(name, "=", self.task(), rng.choice(("", ";"))),
            lambda: self._join(self.task(), rng.choice(("", ";"))),
            lambda: self._join(self._kw(rng.choice(("break", "continue"))), ";"),
            lambda: self._join(self._kw("return"), rng.choice(("", self.expr())), ";"),
            lambda: self._join(self._kw(rng.choice(("info", "throw"))), self.expr(), ";"),
            lambda: self.if_stmt(depth),
            lambda: self._join(self._kw("for"), self._kw("each"),
                               rng.choice((name, "index " + name)), self._kw("in"), self.expr(),
                               self.block(depth)),
            lambda: self._join(self._kw("try"), self.block(depth), self._kw("catch"), "(", name,
                               ")", self.block(depth)),
            lambda: ";",
        ]
        return forms[choice]()

    def if_stmt(self, depth: int) -> str:
        parts = [self._kw("if"), "(", self.expr(), ")", self.block(depth)]
        for _ in range(self.rng.randrange(3)):
            parts += [self._kw("else"), self._kw("if"), "(", self.expr(), ")", self.block(depth)]
        if self.rng.random() < 0.5:
            parts += [self._kw("else"), self.block(depth)]
        return self._join(*parts)

    def block(self, depth: int) -> str:
        body = [self.statement(depth + 1) for _ in range(self.rng.randrange(3))]
        return self._join("{", "\n".join(body), "}")

    def script(self) -> str:
        parts = [self.statement() for _ in range(self.rng.randrange(1, 5))]
        if self.rng.random() < 0.3:
            parts.insert(0, self._join("string", "standalone.f", "(", "int a, map b", ")",
                                       self.block(0)))
        return "\n".join(parts)


def generated_campaign(count: int, seed: int):
    """Like campaign(), over scripts from Generator."""
    generator = Generator(random.Random(seed))
    counts: dict[str, int] = {}
    failures = []
    for _ in range(count):
        source = generator.script()
        outcome = check(source)
        key = outcome if outcome in ("same", "gave up") else "disagree"
        counts[key] = counts.get(key, 0) + 1
        if key == "disagree" and len(failures) < 10:
            failures.append(("generated", outcome, source))
    return counts, failures


def small_scripts(scripts, limit: int = 1500):
    """Scripts short enough to mutate cheaply (Lark parses each mutant)."""
    return [(name, text) for name, text in scripts if len(text) <= limit]


def campaign(count: int, seed: int):
    """Run `count` mutants; returns (outcome counts, the first disagreements)."""
    rng = random.Random(seed)
    scripts = small_scripts(corpus())
    counts: dict[str, int] = {}
    failures = []
    for _ in range(count):
        name, text = rng.choice(scripts)
        mutant = mutate(text, rng)
        outcome = check(mutant)
        key = outcome if outcome in ("same", "gave up") else "disagree"
        counts[key] = counts.get(key, 0) + 1
        if key == "disagree" and len(failures) < 10:
            failures.append((name, outcome, mutant))
    return counts, failures


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "tests"))
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    counts, failures = campaign(total, seed)
    print("mutants", counts)
    generated, failures_too = generated_campaign(total // 4, seed)
    print("generated", generated)
    failures += failures_too
    for name, outcome, mutant in failures:
        print(f"--- from {name}: {outcome}\n{mutant}\n")
    sys.exit(1 if failures else 0)
