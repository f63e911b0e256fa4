"""The fast parser builds exactly the Lark path's trees, and gives up on everything else."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import rdparser_fuzz as fuzz
from delugelang.errors import ParseError
from delugelang.frontend import lark_module, parse_module
from delugelang.rdparser import fast_parse
from shared_corpus import SHARED, SHARED_REASON


def _valid_and_invalid(scripts):
    valid, invalid = [], []
    for name, source in scripts:
        outcome = fuzz.lark_outcome(source)
        (invalid if isinstance(outcome, tuple) else valid).append((name, source, outcome))
    return valid, invalid


def _assert_fast_parser_handles(scripts):
    valid, invalid = _valid_and_invalid(scripts)
    gave_up = [name for name, source, _ in valid if fast_parse(source, 100) is None]
    assert gave_up == [], f"the fast parser gave up on {len(gave_up)} valid scripts: {gave_up}"
    for name, source, expected in valid:
        assert fast_parse(source, 100) == expected, name
    for name, source, expected in invalid:
        assert fast_parse(source, 100) is None, name
        assert fuzz._public_outcome(source) == expected, name
    return valid


def test_every_repository_script_parses_fast_to_the_lark_tree():
    scripts = [s for s in fuzz.corpus() if not s[0].startswith(("conformance/", "attacks/"))]
    valid = _assert_fast_parser_handles(scripts)
    assert len(valid) >= 30


def test_every_shared_script_parses_fast_to_the_lark_tree():
    if not SHARED.is_dir():
        pytest.skip(SHARED_REASON)
    valid = _assert_fast_parser_handles(fuzz.shared_corpus())
    assert len(valid) >= 100


def test_the_grammar_tour_is_handled_and_the_bench_function_too():
    for source in (fuzz.GRAMMAR_TOUR, fuzz.bench_source(500)):
        module = fast_parse(source, 100)
        assert module is not None
        assert module == lark_module(source)


def test_mutants_agree_with_the_lark_path():
    count = int(os.environ.get("DG_FUZZ_MUTANTS", "3000"))
    counts, failures = fuzz.campaign(count, seed=int(os.environ.get("DG_FUZZ_SEED", "8")))
    assert failures == [], failures[:3]
    # The mutants must exercise both outcomes, else the fuzzer proves nothing.
    assert counts.get("same", 0) > count // 20 and counts.get("gave up", 0) > count // 4


def test_generated_scripts_agree_with_the_lark_path():
    count = int(os.environ.get("DG_FUZZ_MUTANTS", "3000")) // 6
    counts, failures = fuzz.generated_campaign(count, seed=int(os.environ.get("DG_FUZZ_SEED", "8")))
    assert failures == [], failures[:3]
    assert counts.get("same", 0) > count // 3  # mostly valid, and handled


# Valid sources with the lexer's corners, that the fast parser must handle itself.
VALID_CORNERS = [
    "x = 1;   ", "x = 1; // last line", "\ufeffx = 1;\r\ny = 2;\r\n", "\tx\f=\u00a01 ;",
    "x = 1; /* a\nb */ y = 2;", 'x = "a\nb" + "c";\ny = 1;', "", "\n\n", "  ", ";",
    "x = a.if.else.null.invokeurl;", "list = type + index;", "x = list:int ();",
    "for each index i in l { }", "x = invokeUrl [ url: a content type: b ]\ny = 1;",
    'x = "a\nb"; /* c\n d */ sendmail [ to: "a\n" reply to: 2 ] y = 1;',
    "x = 1;" + " " * 100_000, "x = 1;" + "\u00a0" * 100_000,  # once quadratic in the scanner
    "if (a, b, c);", "IF(a, b, c).toString().x + 1 * 2 == 3 || y && z;", "if (a, b, c) = 1;",
]


@pytest.mark.parametrize("source", VALID_CORNERS)
def test_valid_lexer_corners_are_parsed_fast(source):
    module = fast_parse(source, 100)
    assert module is not None
    assert module == lark_module(source)


# Words Lark's contextual lexer reads as a NAME in some places and as a keyword in
# others, LALR corners, and the builder's own errors: whatever Lark decides stands.
ODD_SOURCES = [
    "x = info;", "else = 1;", "x = 1; else = 2;", "if (a) { } else = 2;", "x = each + in;",
    "for eachx in l { }", "for each x inlist { }", "for each index i inlist { }",
    "for each item i in l { }", "for each in in l { }", "return info;", "x = invokeurl;",
    "x = a + invokeurl;", "invokeurl(1);", "x = invokeurl [ url: 1 ]; ;",
    "x = list:int2();", "f(list:int());", "f(a.list:int());", "x = a.if.else.null;",
    "void if() { }", "int for(int each) { }", "if (a, b, c);", "x = if(a, b, c);",
    "x = a = b;", "a.b() = 5;", "x = a+=b;", "x = 99999999999999999999;",
    "x = -9223372036854775808;", "x = 1." + "1" * 70 + ";", "x = {a, b: 1};",
    "x = [a: b];", "f(a,);", "x = {,};", "invokeurl [ param1: 2 ]",
    "invokeurl [ _a: 2 ]", "invokeurl [ a b c: 2 ]", "invokeurl [ url: a b: 1 ]",
    "invokeurl [ list:int(1) ]", "x = 1\u2003;", "x = \"é\";", "x = é;", "x = 'a\nb';",
    "try { } catch (e) { } catch (f) { }", "x = true.toString();", "x = TRUE;",
    "", "   // only a comment\n", ";", "x = 1;\n/* open", "x = ((((1))));",
]


@pytest.mark.parametrize("source", ODD_SOURCES)
def test_odd_sources_end_as_the_lark_path_decides(source):
    assert fuzz.check(source) in ("same", "gave up")


def _depth_cases():
    for length in (85, 89, 90, 91, 95):
        yield "x = a" + ".b()" * length + ";"
        yield "x = a" + ".b" * length + ";"
        yield "x = " + "!" * length + "a;"
        yield "x = " + "- " * length + "1;"
    yield "".join("if (a) {\n" for _ in range(14)) + "x = f(g(h(1)));" + "}" * 14
    yield "x = " + "f(" * 29 + "1" + ")" * 29 + ";"


@pytest.mark.parametrize("source", list(_depth_cases()))
def test_near_the_tree_depth_limit_the_outcome_is_the_lark_paths(source):
    for nesting in (30, 31, 32, 100):
        expected = _outcome(lambda: lark_module(source, max_nesting=nesting))
        assert _outcome(lambda: parse_module(source, max_nesting=nesting)) == expected


def test_size_limit_and_prescan_errors_are_unchanged():
    for source, kwargs in (("x = 1;", dict(max_bytes=3)), ("x = (((1)));", dict(max_nesting=2)),
                           ("x = 1; /* open", {})):
        expected = _outcome(lambda: lark_module(source, **kwargs))
        assert isinstance(expected, tuple)
        assert _outcome(lambda: parse_module(source, **kwargs)) == expected


def _outcome(parse):
    try:
        return parse()
    except ParseError as err:
        return (err.message, err.line, err.column)


def test_compiling_and_running_a_valid_script_never_loads_lark():
    code = (
        "import sys, delugelang\n"
        "program = delugelang.compile('m = {\"a\": [1, 2]};\\nfor each k in m.keys() "
        "{ info k; }\\nreturn m.get(\"a\").size();', cache=False)\n"
        "assert program.run().value == 2\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'lark' or 'lalr' in m]\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout.strip() == "", f"loaded on the fast path: {out.stdout.strip()}"


def _lark_tree_depth(source: str) -> int:
    from delugelang import lalr, parser

    tree, tree_class = parser.parse(source, max_nesting=10**6), lalr.backend().Tree
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((c, depth + 1) for c in node.children if isinstance(c, tree_class))
    return deepest


def test_the_tree_depth_the_fast_parser_computes_is_lark_trees_depth():
    import random

    from delugelang.rdparser import _Parser
    from delugelang.scanner import scan

    rng = random.Random(11)
    scripts = fuzz.corpus()
    sources = [text for _, text in scripts] + list(_depth_cases())
    sources += [fuzz.mutate(rng.choice(fuzz.small_scripts(scripts))[1], rng) for _ in range(800)]
    compared = 0
    for source in sources:
        if fast_parse(source, 10**6) is None:
            continue
        parser = _Parser(source, scan(source))
        parser.module(10**9)
        assert parser.tree_depth == _lark_tree_depth(source), source[:200]
        compared += 1
    assert compared > 200


def test_the_scanners_bracket_depth_is_the_prescans():
    import random

    from delugelang.parser import prescan
    from delugelang.scanner import ScanFailed, scan

    rng = random.Random(12)
    scripts = fuzz.corpus()
    sources = [text for _, text in scripts] + [
        'x = "((" + \'[[\' /* {{ */ + f((1)); // (((\n', ")) (((x)));", "x = {[(1)]};"]
    sources += [fuzz.mutate(rng.choice(fuzz.small_scripts(scripts))[1], rng) for _ in range(800)]
    compared = 0
    for source in sources:
        try:
            depth = scan(source).bracket_depth
        except ScanFailed:
            continue
        prescan(source, depth)
        if depth > 0:
            with pytest.raises(ParseError, match="nested more than"):
                prescan(source, depth - 1)
        compared += 1
    assert compared > 500
