"""Differential checking of the fast parser against the Lark path: corpus and mutation fuzzer.

Run a larger campaign with `python tests/rdparser_fuzz.py [mutants] [seed]`; tests/
test_rdparser.py runs a small one. A mutant passes when the fast parser either built the
very tree the Lark path builds, or gave up; it must give up on everything Lark rejects.
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
    counts, failures = campaign(total, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    print(counts)
    for name, outcome, mutant in failures:
        print(f"--- from {name}: {outcome}\n{mutant}\n")
    sys.exit(1 if failures else 0)
