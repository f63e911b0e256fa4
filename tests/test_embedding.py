"""The Python embedding API: compile, run, Result, DelugeError, immutability, threads."""

from __future__ import annotations

import threading

import pytest

import delugelang
from delugelang import CheckError, Limits, LimitError, ParseError, ScriptError


def test_compile_and_run_returns_result():
    program = delugelang.compile('x = 5;\ninfo "Count: " + x;\nreturn x * 2;', filename="count.dg")
    result = program.run()
    assert result.value == 10
    assert result.info == ("Count: 5",)
    assert result.stats.statements == 3
    assert result.stats.ms >= 0


def test_function_arguments_and_record_mapping():
    source = """
string automation.greet(string First_Name, int times) {
	out = "";
	for each i in {1, 2, 3} {
		if (i <= times) {
			out = out + First_Name;
		}
	}
	return out + " from " + input.Mailing_Country;
}
"""
    program = delugelang.compile(source)
    result = program.run({"times": 2}, record={"First_Name": "Ada", "Mailing_Country": "Ireland"})
    assert result.value == "AdaAda from Ireland"
    # An explicit argument wins over the record's field of the same name.
    assert program.run({"times": 1, "First_Name": "Grace"}, record={}).value == "Grace from "  # null next to text is empty text


def test_errors_carry_kind_line_and_column():
    with pytest.raises(ParseError) as syntax:
        delugelang.compile("x = ;")
    assert (syntax.value.kind, syntax.value.line, syntax.value.column) == ("syntax", 1, 5)
    with pytest.raises(CheckError) as check:
        delugelang.compile("info a;\ninfo b;")
    assert check.value.kind == "check"
    assert [p.line for p in check.value.problems] == [1, 2]
    with pytest.raises(ScriptError) as runtime:
        delugelang.compile("l = List();\nx = l.get(0);").run()
    assert (runtime.value.kind, runtime.value.line) == ("runtime", 2)
    with pytest.raises(LimitError) as limit:
        delugelang.compile("for each x in {1,2,3} { y = x; }").run(limits=Limits(statements=4))
    assert limit.value.kind == "limit" and limit.value.limit == "statements"


def test_program_is_immutable():
    program = delugelang.compile("return 1;")
    with pytest.raises(AttributeError):
        program.source = "return 2;"


def test_program_runs_from_many_threads_at_once():
    program = delugelang.compile("""
int sumTo(int n) {
	total = 0;
	l = List();
	for each index i in "a,b,c,d,e,f,g,h,i,j" {
		l.add(i);
	}
	for each x in l {
		if (x < n) {
			total = total + x;
		}
	}
	info "n=" + n;
	return total;
}
""")
    results = {}
    errors = []

    def worker(n):
        try:
            for _ in range(200):
                r = program.run({"n": n})
                assert r.info == (f"n={n}",)
                results[n] = r.value
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == {n: sum(range(n)) for n in range(1, 9)}


def test_state_does_not_leak_between_runs():
    program = delugelang.compile("m = Map();\nm.put(\"k\", 1);\nreturn m.size();")
    assert program.run().value == 1
    assert program.run().value == 1


def test_compile_cache_returns_same_program():
    source = "return 42;"
    assert delugelang.compile(source) is delugelang.compile(source)


def test_unknown_function_name_is_a_clear_error():
    program = delugelang.compile("void a() { info 1; }")
    with pytest.raises(delugelang.DelugeError, match="no function named 'b'"):
        program.run(function="b")


def test_bad_argument_type_is_reported():
    program = delugelang.compile("int twice(int n) { return n * 2; }")
    assert program.run({"n": "21"}).value == 42
    with pytest.raises(delugelang.DelugeError, match="declared int"):
        program.run({"n": "twenty"})


def test_sendmail_counts_against_the_mails_budget():
    sent = []
    services = delugelang.Services(tasks={"sendmail": lambda rt, mail: sent.append(mail)})
    source = ('for each i in {1,2,3} {\n\ttry {\n\t\tsendmail [ from: "a@b.c" to: "d@e.f" '
              'subject: "s" message: "m" ]\n\t} catch (e) { info e; }\n}')
    program = delugelang.compile(source)
    assert program.run(services=services, limits=Limits(mails=3)).info == ()
    assert len(sent) == 3
    with pytest.raises(LimitError) as limit:  # a limit error: `catch` does not take it
        program.run(services=services, limits=Limits(mails=2))
    assert limit.value.limit == "mails" and limit.value.line == 3
    assert len(sent) == 5  # the third mail was never handed over
