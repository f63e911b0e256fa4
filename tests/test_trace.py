"""`dg run --trace`: executed lines, the variables they changed, and the statement profile."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import delugelang
from delugelang.errors import DelugeError
from delugelang.trace import Tracer, show_value
from deluge_harness import services_for

ROOT = Path(__file__).resolve().parents[1]
DG = [sys.executable, "-m", "delugelang.cli"]
CONFORMANCE = sorted((ROOT / "tests" / "conformance").glob("*/*.dg"))


def dg(*args, stdin: str | None = None):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(DG + list(args), input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=60)


def trace(source: str, args=None, function=None, record=None, services=None):
    """(trace text, tracer, result or error) of one in-process run."""
    program = delugelang.compile(source, "t.dg")
    out = io.StringIO()
    tracer = Tracer(source, "t.dg", out, collect=True)
    try:
        with tracer:
            outcome = program.run(args, function=function, record=record, services=services)
    except DelugeError as err:
        outcome = err
    tracer.write_profile()
    return out.getvalue(), tracer, outcome


def trace_lines(text: str) -> list[str]:
    """The executed-line headers of a trace, without the profile."""
    return [line.strip() for line in text.split("--- profile")[0].splitlines()
            if line.strip().startswith("t.dg(")]


def test_each_line_with_the_variables_it_changed():
    text, _, result = trace('x = 5;\ny = "5";\nx = x + 1;\ninfo x;\n')
    assert result.info == ("6",)
    assert text.splitlines()[:8] == [
        't.dg(1): x = 5;', '    x = 5',
        't.dg(2): y = "5";', '    y = "5"',
        't.dg(3): x = x + 1;', '    x = 6',
        't.dg(4): info x;', '    info: 6',
    ]


def test_info_lines_show_under_the_line_that_printed_them_once():
    source = "void f()\n{\n\tinfo \"inner\";\n}\ninfo \"outer\";\nf();\n"
    text, tracer, _ = trace(source)
    assert text.count("info: inner") == 1 and text.count("info: outer") == 1
    assert text.index("t.dg(3): info") < text.index("info: inner") < text.index("--- f returned")
    assert [e.get("info") for e in tracer.events if "line" in e] == [["outer"], None, ["inner"]]


def test_python_names_never_show():
    text, tracer, _ = trace('v_x = 1;\nn_steps = 2;\nl = List();\nl.add(v_x);\n')
    assert "v_v_x" not in text and "v_l" not in text
    assert "v_x = 1" in text and "n_steps = 2" in text and "l = [1]" in text
    names = {name for e in tracer.events for name in e.get("changed", {})}
    assert names == {"v_x", "n_steps", "l"}


def test_in_place_changes_to_lists_and_maps_are_shown():
    text, _, _ = trace('m = Map();\nm.put("a", {1, 2});\nm.get("a").add(3);\n')
    assert '    m = {"a":[1,2]}' in text
    assert '    m = {"a":[1,2,3]}' in text


def test_for_each_shows_one_step_per_element_and_no_exhausted_step():
    source = "total = 0;\nfor each n in {1, 2, 3}\n{\n\ttotal = total + n;\n}\ninfo total;\n"
    text, tracer, result = trace(source)
    assert trace_lines(text) == ["t.dg(1): total = 0;"] + [
        "t.dg(2): for each n in {1, 2, 3}", "t.dg(4): total = total + n;"] * 3 + [
        "t.dg(6): info total;"]
    assert "    n = 3" in text
    assert tracer.counts == {1: 1, 2: 3, 4: 3, 6: 1}
    assert sum(tracer.counts.values()) == result.stats.statements


def test_empty_loop_says_no_iterations_and_counts_nothing():
    text, tracer, result = trace("for each n in {}\n{\n\tinfo n;\n}\nx = 1;\n")
    assert "(no iterations)" in text
    assert tracer.counts == {1: 0} or 1 not in tracer.counts
    assert sum(tracer.counts.values()) == result.stats.statements == 1


def test_a_failing_for_each_header_is_not_an_empty_loop():
    text, tracer, err = trace('x = 1;\nfor each a in x.toList("x")\n{\n\tinfo a;\n}\n')
    assert isinstance(err, DelugeError) and err.line == 2
    assert trace_lines(text) == ["t.dg(1): x = 1;", 't.dg(2): for each a in x.toList("x")']
    assert "(no iterations)" not in text


def test_recursion_and_break_count_like_the_budget():
    source = ("int fact(int n)\n{\n\tif (n <= 1)\n\t{\n\t\treturn 1;\n\t}\n"
              "\treturn n * fact(n - 1);\n}\n"
              "int main()\n{\n\ttotal = 0;\n\tfor each i in {1, 2, 3, 4}\n\t{\n"
              "\t\tif (i == 3)\n\t\t{\n\t\t\tbreak;\n\t\t}\n"
              "\t\ttotal = total + fact(i);\n\t}\n\treturn total;\n}\n")
    text, tracer, result = trace(source, function="main")
    assert result.value == 3
    assert sum(tracer.counts.values()) == result.stats.statements
    assert text.count("--- call fact(n = 1)") == 2 and "    --- call fact(n = 1)" in text
    assert tracer.counts[16] == 1  # break


def test_multi_line_statements_count_once():
    source = 'm = {\n\t"a": 1,\n\t"b": 1 + 2\n};\ninfo m;\n'
    text, tracer, result = trace(source)
    assert trace_lines(text) == ["t.dg(1): m = {", "t.dg(5): info m;"]
    assert tracer.counts == {1: 1, 5: 1} and result.stats.statements == 2


def test_function_calls_show_arguments_and_returned_value_indented():
    source = ("int double(int a)\n{\n\tb = a * 2;\n\treturn b;\n}\n"
              "string main(int n)\n{\n\tx = double(n);\n\treturn \"x=\" + x;\n}\n")
    text, tracer, result = trace(source, {"n": 4}, function="main")
    assert result.value == "x=8"
    lines = text.splitlines()
    assert lines[0] == "--- call main(n = 4)"
    assert lines[1] == "t.dg(8): x = double(n);"
    assert lines[2:7] == ["  --- call double(a = 4)", "  t.dg(3): b = a * 2;", "      b = 8",
                          "  t.dg(4): return b;", "  --- double returned 8"]
    assert lines[7] == "    x = 8"
    assert '--- main returned "x=8"' in text
    calls = [e for e in tracer.events if "call" in e]
    assert calls == [{"call": "main", "args": {"n": 4}, "depth": 0},
                     {"call": "double", "args": {"a": 4}, "depth": 1}]


def test_try_catch_shows_the_catch_line_once_and_not_the_try_again():
    source = ("x = 0;\ntry\n{\n\tx = 1;\n\ty = x / 0;\n}\ncatch (e)\n{\n\tinfo e;\n}\n"
              "info \"after\";\n")
    text, tracer, _ = trace(source)
    assert trace_lines(text) == ["t.dg(1): x = 0;", "t.dg(2): try", "t.dg(4): x = 1;",
                                 "t.dg(5): y = x / 0;", "t.dg(7): catch (e)",
                                 "t.dg(9): info e;", 't.dg(11): info "after";']
    assert "    e = division by zero" in text
    assert 7 not in tracer.counts  # a catch is not a statement


def test_a_failing_function_is_reported_as_failed():
    source = "int f(int a)\n{\n\treturn a / 0;\n}\nx = f(1);\n"
    text, _, err = trace(source)
    assert isinstance(err, DelugeError)
    assert "  --- f failed" in text


def test_profile_lists_top_lines_with_counts_and_share():
    source = "s = 0;\nfor each i in {1, 2, 3, 4}\n{\n\ts = s + i;\n}\nreturn s;\n"
    text, tracer, result = trace(source)
    profile = text.split("--- profile: ")[1].splitlines()
    assert profile[0] == "10 statements on 4 lines"
    assert profile[1].split() == ["line", "count", "share", "source"]
    assert profile[2].split()[:3] == ["2", "4", "40.0%"]
    assert profile[3].split()[:3] == ["4", "4", "40.0%"]
    assert tracer.profile()[0] == {"line": 2, "count": 4, "share": 0.4}


def test_values_print_like_deluge_with_text_quoted():
    assert show_value("5") == '"5"' and show_value(5) == "5"
    assert show_value(None) == "null" and show_value(True) == "true"
    assert show_value([1, "a"]) == '[1,"a"]'
    assert show_value("x" * 500).endswith("...") and len(show_value("x" * 500)) <= 160


def _one_statement_per_line(source: str) -> bool:
    return "catch" not in source and all(line.count(";") <= 1 for line in source.splitlines())


def test_profile_total_equals_the_statement_budget_on_conformance_scripts():
    """Where no error is caught midway and no line holds two statements, the profile counts
    exactly what the statement budget counts."""
    checked = 0
    for path in CONFORMANCE:
        source = path.read_text(encoding="utf-8")
        if not _one_statement_per_line(source):
            continue
        try:
            program = delugelang.compile(source, path.name)
        except DelugeError:
            continue
        tracer = Tracer(source, path.name, None)
        try:
            with tracer:
                result = program.run(services=services_for(None))
        except DelugeError:
            continue
        assert sum(tracer.counts.values()) == result.stats.statements, path.name
        checked += 1
    assert checked >= 10


def test_tracing_does_not_change_results():
    for path in CONFORMANCE:
        source = path.read_text(encoding="utf-8")
        try:
            program = delugelang.compile(source, path.name)
        except DelugeError:
            continue
        outcomes = []
        for traced in (False, True):
            tracer = Tracer(source, path.name, None) if traced else None
            try:
                if tracer:
                    with tracer:
                        r = program.run(services=services_for(None))
                else:
                    r = program.run(services=services_for(None))
                outcomes.append(("ok", r.plain_value(), r.info))
            except DelugeError as err:
                outcomes.append(("error", err.kind, err.message, err.line))
        assert outcomes[0] == outcomes[1], path.name


def test_the_previous_trace_function_is_restored():
    previous = sys.gettrace()
    trace("x = 1;\n")
    assert sys.gettrace() is previous


# ---------------------------------------------------------------- the command

def test_dg_run_trace_goes_to_stderr_and_output_is_unchanged():
    out = dg("run", "samples/welcome.dg", "--record", "Contacts=samples/contact.json", "--trace")
    plain = dg("run", "samples/welcome.dg", "--record", "Contacts=samples/contact.json")
    assert out.returncode == 0 and out.stdout == plain.stdout
    assert "samples/welcome.dg(7): greeting = " in out.stderr
    assert '    greeting = "Welcome, Ada Lovelace!"' in out.stderr
    assert "--- profile: 21 statements on 16 lines (top 10)" in out.stderr


def test_dg_run_trace_json_adds_one_trace_key():
    out = dg("run", "-", "--json", "--trace", stdin="x = 1;\nfor each i in {1, 2}\n{\n\tx = x + i;\n}\n")
    obj = json.loads(out.stdout)
    assert out.stderr == ""
    assert set(obj) == {"ok", "return", "info", "error", "stats", "trace"}
    assert obj["trace"]["statements"] == obj["stats"]["statements"] == 5
    assert obj["trace"]["lines"][0] == {"line": 1, "depth": 0, "function": None,
                                        "changed": {"x": 1}}
    assert obj["trace"]["profile"][0] == {"line": 2, "count": 2, "share": 0.4}


def test_dg_run_trace_on_a_failing_run_shows_profile_then_error():
    out = dg("run", "-", "--trace", stdin="x = 1;\ny = x / 0;\n")
    assert out.returncode == 1
    assert out.stderr.index("<stdin>(2): y = x / 0;") < out.stderr.index("--- profile")
    assert out.stderr.index("--- profile") < out.stderr.index("<stdin>:2:")


def test_dg_run_trace_with_isolate_is_a_usage_error():
    out = dg("run", "-", "--trace", "--isolate", stdin="x = 1;\n")
    assert out.returncode == 2 and "--trace" in out.stderr and "--isolate" in out.stderr
