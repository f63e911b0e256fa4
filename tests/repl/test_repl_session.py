"""The REPL core without a terminal: state between snippets, values, errors, commands."""

from __future__ import annotations

import datetime as dt
import json
import signal
import threading

import pytest

from delugelang.limits import CRM
from delugelang.repl import Output, Session
from delugelang.repl_snippets import COMPLETE, INCOMPLETE, OPEN_IF, continues_if, input_state
from delugelang.values import Collection, ErrorValue, TypedList


class Recorder:
    def __init__(self):
        self.out: list[str] = []
        self.err: list[str] = []

    def take(self) -> tuple[list[str], list[str]]:
        out, err = list(self.out), list(self.err)
        self.out.clear()
        self.err.clear()
        return out, err


@pytest.fixture
def repl():
    rec = Recorder()
    session = Session(Output(rec.out.append, rec.err.append))

    def run(text: str, ok: bool = True):
        assert session.execute(text) is ok, rec.err
        return rec.take()

    run.session = session
    return run


# ---------------------------------------------------------------- values and state

def test_variables_persist_and_expressions_show_their_value(repl):
    assert repl("x = 5;") == ([], [])
    assert repl("x * 2;") == (["10"], [])
    assert repl("x + 1") == (["6"], [])  # the last `;` may be left out
    assert repl("name = \"Ada\"; name.toUpperCase()") == (["ADA"], [])


def test_values_print_as_info_prints_them(repl):
    repl("m = {\"a\": 1, \"b\": {1, 2}};")
    assert repl("m") == (['{"a":1,"b":[1,2]}'], [])
    assert repl("{1, 2, 3}") == (["1,2,3"], [])
    assert repl("'15-Aug-1947'") == (["15-Aug-1947"], [])
    assert repl("1.50 + 1") == (["2.50"], [])
    assert repl("null") == (["null"], [])


def test_a_void_call_shows_nothing_but_its_effect_stays(repl):
    repl("l = {1, 2};")
    assert repl("l.add(3);") == ([], [])
    assert repl("l.size()") == (["3"], [])


def test_info_and_values_keep_their_order(repl):
    out, _ = repl('info "a"; 1 + 1; info "b"; "c".toUpperCase();')
    assert out == ["a", "2", "b", "C"]


def test_values_keep_their_identity_and_type(repl):
    repl("a = {1}; b = a; b.add(2);")
    assert repl("a") == (["1,2"], [])
    repl("t = List:String(); t.add(5); c = collection(); c.insert(\"k\" : 1);")
    repl("d = '01-Jan-2024'; try { q = 1 / 0; } catch (e) { err = e; }")
    values = repl.session.variables
    assert values["a"] is values["b"]
    assert type(values["t"]) is TypedList and values["t"] == ["5"]
    assert type(values["c"]) is Collection
    assert values["d"] == dt.date(2024, 1, 1)
    assert type(values["err"]) is ErrorValue
    assert repl("err.message") == (["division by zero"], [])


def test_functions_persist_and_can_be_redefined(repl):
    out, err = repl("int twice(int n) { return n * 2; }")
    assert (out, err) == ([], ["defined function twice"])
    assert repl("twice(21)") == (["42"], [])
    repl("int twice(int n) { return n * 3; }")
    assert repl("twice(2)") == (["6"], [])


def test_top_level_return_shows_its_value_and_ends_the_snippet(repl):
    assert repl('x = 1; return x + 1; info "not reached";') == (["2"], [])


def test_a_return_inside_a_block_still_saves_variables(repl):
    repl("for each v in {1, 2, 3} { last = v; if (v == 2) { return \"stopped\"; } }")
    assert repl.session.variables["last"] == 2


# ---------------------------------------------------------------- errors

def test_a_check_error_shows_the_caret_and_runs_nothing(repl):
    out, err = repl('y = 1; info missing;', ok=False)
    assert out == []
    assert err == ["<repl>:1:13: error: Variable 'missing' is not defined\n"
                   "   1 | y = 1; info missing;\n"
                   "                   ^"]
    assert "y" not in repl.session.variables


def test_a_runtime_error_keeps_the_session_and_earlier_statements(repl):
    out, err = repl('a = 1;\ninfo "before";\nb = {1}.get(5);\nc = 3;', ok=False)
    assert out == ["before"]
    assert err[0].startswith("<repl>:3:")
    assert "runtime error: get: index 5 is out of range" in err[0]
    assert err[0].splitlines()[1] == "   3 | b = {1}.get(5);"
    assert repl.session.variables == {"a": 1}
    assert repl("a + 1") == (["2"], [])


def test_errors_in_functions_point_into_the_snippet_that_defined_them(repl):
    repl("x = 1;")
    repl("int boom(int n)\n{\n\treturn n / 0;\n}")
    out, err = repl("boom(3)", ok=False)
    assert err[0].startswith("<repl>:3:")
    assert "   3 | " in err[0]


def test_a_syntax_error_reports_line_and_column(repl):
    out, err = repl("x = = 1;", ok=False)
    assert err[0].startswith("<repl>:1:5: syntax error:")


def test_a_runaway_loop_hits_the_statement_limit(repl):
    repl(":limits statements=1000")
    out, err = repl("l = {1,2,3,4,5,6,7,8,9,10};\n"
                    "for each a in l { for each b in l { for each c in l { n = a; } } }",
                    ok=False)
    assert "limit exceeded: the function executed more than 1,000 statements" in err[0]
    assert repl("l.size()") == (["10"], [])


def test_ctrl_c_cancels_a_running_statement(repl):
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach only the main thread")
    repl(":limits statements=2000000000 time_seconds=300")
    repl("l = {1,2,3,4,5,6,7,8,9,10}; n = 0;")
    timer = threading.Timer(0.5, signal.raise_signal, (signal.SIGINT,))
    timer.start()
    try:
        out, err = repl("for each a in l { for each b in l { for each c in l { for each d in l "
                        "{ for each e in l { for each f in l { for each g in l { for each h in l"
                        " { for each i in l { n = a; } } } } } } } } }", ok=False)
    finally:
        timer.cancel()
    assert err == ["cancelled (Ctrl-C): the variables this statement assigns keep their "
                   "earlier values"]
    assert repl.session.variables["n"] == 0


def test_warnings_are_shown_and_the_snippet_runs(repl):
    out, err = repl("a = 1; if (a = 1) { info \"same\"; }")
    assert out == ["same"]
    assert "warning: '=' compares here" in err[0]


# ---------------------------------------------------------------- commands

def test_vars_and_reset(repl):
    repl("n = 3; s = \"hi\"; int f() { return 1; }")
    out, _ = repl(":vars")
    assert out == ["n = 3  (NUMBER)\ns = hi  (TEXT)", "functions: f"]
    repl(":reset")
    assert repl(":vars") == (["no variables yet"], [])
    repl("f()", ok=False)


def test_help_lists_every_command(repl):
    out, _ = repl(":help")
    for command in (":help", ":vars", ":reset", ":load", ":limits", ":record"):
        assert command in out[0]


def test_unknown_command(repl):
    assert repl(":nope", ok=False) == ([], ["unknown command ':nope'; :help lists the commands"])


def test_load_defines_functions_and_reports_errors_by_file(repl, tmp_path):
    good = tmp_path / "util.dg"
    good.write_text("string greet(string who)\n{\n\treturn \"Hello, \" + who;\n}\nloaded = true;\n")
    repl(f":load {good}")
    assert repl('greet("Ada")') == (["Hello, Ada"], [])
    assert repl.session.variables["loaded"] is True
    bad = tmp_path / "bad.dg"
    bad.write_text("x = 1;\ny = x.get(0);\n")
    out, err = repl(f":load {bad}", ok=False)
    assert err[0].startswith(f"{bad}:2:")
    assert repl(f":load {tmp_path / 'none.dg'}", ok=False)[1] == [
        f":load: no such file: {tmp_path / 'none.dg'}"]


def test_limits_shows_and_changes_limits(repl):
    out, _ = repl(":limits")
    assert any(line.startswith("statements") and "200000" in line for line in out)
    out, _ = repl(":limits statements=50")
    assert len(out) == 1 and "50" in out[0]
    assert repl.session.limits.statements == 50
    assert "unknown limit" in repl(":limits bogus=1", ok=False)[1][0]


def test_record_sets_input(repl, tmp_path):
    path = tmp_path / "contact.json"
    path.write_text(json.dumps({"First_Name": "Ada", "Interests": ["math"]}))
    out, err = repl(f":record Contacts={path}")
    assert err == [f"input is now the Contacts record from {path} (2 fields)"]
    assert repl("input.First_Name") == (["Ada"], [])
    assert repl(":record") == (["input is a Contacts record: First_Name, Interests"], [])
    assert "MODULE=FILE.json" in repl(":record nothing", ok=False)[1][0]


# ---------------------------------------------------------------- input and completion

@pytest.mark.parametrize("text, state", [
    ("x = 1;", COMPLETE),
    ("x = 1", COMPLETE),
    ("for each x in {1, 2}", INCOMPLETE),
    ("for each x in {1, 2}\n{\n\tinfo x;", INCOMPLETE),
    ("for each x in {1, 2}\n{\n\tinfo x;\n}", COMPLETE),
    ("m = {\"a\":", INCOMPLETE),
    ("x = \"a text\nover lines", INCOMPLETE),
    ("/* a comment", INCOMPLETE),
    ("x = 1 +", INCOMPLETE),
    ("try { x = 1; }", INCOMPLETE),
    ("if (x) { y = 1; }", OPEN_IF),
    ("if (x) { y = 1; }\nelse\n{", INCOMPLETE),
    ("if (x) { y = 1; } else { y = 2; }", COMPLETE),
    ("x = );", COMPLETE),  # a real error: run it so that it is reported
    (":vars", COMPLETE),
])
def test_input_state(text, state):
    assert input_state(text, CRM) == state


def test_continues_if():
    assert continues_if("else {") and continues_if("  Else if (a) {") and continues_if("else")
    assert not continues_if("elseValue = 1;") and not continues_if("info 1;")


def test_completion_of_methods_by_the_receivers_type(repl):
    repl('s = "text"; l = {1}; m = {"k": 1};')
    word, found = repl.session.completions("s.toUp")
    assert word == "toUp" and [c for c, _ in found] == ["toUpperCase"]
    names = [c for c, _ in repl.session.completions("l.")[1]]
    assert "add" in names and "toUpperCase" not in names
    names = [c for c, _ in repl.session.completions("x = m.")[1]]
    assert "put" in names and "keys" in names and "add" not in names
    assert repl.session.completions("nobody.")[1] == []


def test_completion_of_variables_functions_and_zoho(repl):
    repl("total = 1; int tally() { return 2; }")
    found = dict(repl.session.completions("info t")[1])
    assert found["total"] == "variable, NUMBER"
    assert found["tally"] == "function defined here"
    assert found["toString"] == "builtin function"
    assert "true" in found
    found = dict(repl.session.completions("zoho.crm.getRec")[1])
    assert set(found) == {"getRecordById", "getRecords"}
    assert "currentdate" in dict(repl.session.completions("d = zoho.cur")[1])
    assert dict(repl.session.completions(":li")[1]) == {":limits": "command"}


def test_the_repls_own_names_are_reserved(repl):
    out, err = repl("y = __dg_repl_out;", ok=False)
    assert err[0].startswith("<repl>:1:5: error: names that start with __dg_repl are reserved")
    assert "y" not in repl.session.variables
