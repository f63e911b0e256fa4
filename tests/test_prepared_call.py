"""Program.prepare: a function called once per record, with the results and errors of run()."""

from __future__ import annotations

import copy
import os
import pickle
import sys
import threading
from decimal import Decimal

import pytest

import delugelang
from delugelang import DelugeError, LimitError, Limits, ScriptError
from delugelang.program import Result, Stats

LEAD = """
map classify(string First_Name, int employees, list tags) {
	info "lead " + First_Name;
	tags.add("seen");
	size = "small";
	if (employees > 50) {
		size = "large";
	}
	out = Map();
	out.put("name", First_Name.trim().upper());
	out.put("size", size);
	out.put("tags", tags);
	out.put("company", input.Company);
	out.put("phone", input.Phone.replaceAll("[^0-9]", ""));
	return out;
}
"""


def test_a_prepared_call_returns_what_run_returns():
    program = delugelang.compile(LEAD)
    call = program.prepare()
    record = {"First_Name": " ada ", "Company": "Acme", "Phone": "+1 (555) 010"}
    args = {"employees": 70, "tags": ["vip"]}
    prepared, direct = call(args, record=record), program.run(args, record=record)
    assert prepared.value == direct.value == {
        "name": "ADA", "size": "large", "tags": ["vip", "seen"], "company": "Acme",
        "phone": "1555010"}
    assert prepared.info == direct.info == ("lead  ada ",)
    assert prepared.stats.statements == direct.stats.statements
    assert call.run(args, record=record).value == direct.value


def test_every_call_starts_from_a_fresh_state():
    program = delugelang.compile(LEAD)
    call = program.prepare(limits=Limits(statements=20))
    tags = ["vip"]
    record = {"First_Name": "Ada", "Company": "Acme", "Phone": "1"}
    results = [call({"employees": 1, "tags": tags}, record=record) for _ in range(5)]
    # The info lines, the statement count and the list argument do not carry over...
    assert {r.info for r in results} == {("lead Ada",)}
    assert {r.stats.statements for r in results} == {results[0].stats.statements}
    assert all(r.value["tags"] == ["vip", "seen"] for r in results)
    # ...and the host's own data is never changed.
    assert tags == ["vip"] and record == {"First_Name": "Ada", "Company": "Acme", "Phone": "1"}


def test_budgets_are_fresh_for_every_call():
    source = "for each x in {1,2,3,4,5,6,7,8} { y = x; }\nreturn 1;"
    call = delugelang.compile(source).prepare(limits=Limits(statements=20))
    for _ in range(3):  # 18 statements a call: a shared counter would fail the second
        assert call().value == 1
    grows = delugelang.compile('t = "x".leftPad(600); l = List(); l.add(t); return l.size();')
    call = grows.prepare(limits=Limits(memory_bytes=1_000))  # one call needs over 500
    for _ in range(3):
        assert call().value == 1


def test_changes_to_the_record_do_not_reach_the_next_call():
    program = delugelang.compile('m = input.Nested;\nm.put("k", 2);\nreturn input.Nested;')
    call = program.prepare()
    host = {"Nested": {"k": 1}}
    assert call(record=host).value == {"k": 2}
    assert call(record=host).value == {"k": 2}
    assert host == {"Nested": {"k": 1}}


def test_the_record_is_converted_and_validated_like_run():
    call = delugelang.compile("return input;").prepare()
    value = call(record={"Amount": 1.5, "Items": [1, 2.5], "Flag": True, "Name": None}).value
    assert value == {"Amount": Decimal("1.5"), "Items": [1, Decimal("2.5")], "Flag": True,
                     "Name": None}
    with pytest.raises(ScriptError, match="out of the NUMBER range"):
        call(record={"Big": 2**63})
    with pytest.raises(ScriptError, match="out of the NUMBER range"):
        call(record={"Deep": {"Big": [2**64]}})
    with pytest.raises(ScriptError, match="unsupported type"):
        call(record={"Set": {1, 2}})
    with pytest.raises(DelugeError, match="must be a map of field names"):
        call(record=["not", "a", "map"])


def test_errors_are_those_of_run():
    program = delugelang.compile("int half(int n) {\n\tx = 10 / n;\n\treturn x;\n}")
    with pytest.raises(DelugeError, match="no function named 'other'"):
        program.prepare("other")
    with pytest.raises(ValueError, match="isolation must be"):
        program.prepare(isolation="thread")
    call = program.prepare("half")
    assert call({"n": 5}).value == 2
    with pytest.raises(ScriptError) as prepared:
        call({"n": 0})
    with pytest.raises(ScriptError) as direct:
        program.run({"n": 0}, function="half")
    assert (prepared.value.line, prepared.value.column, prepared.value.message) == \
        (direct.value.line, direct.value.column, direct.value.message) != (None, None, "")
    with pytest.raises(DelugeError, match="has no argument 'm'"):
        call({"m": 1})
    with pytest.raises(DelugeError, match="declared int"):
        call({"n": "five"})
    loop = delugelang.compile("for each x in {1,2,3,4,5} { y = x; }")
    with pytest.raises(LimitError) as limit:
        loop.prepare(limits=Limits(statements=4))()
    assert limit.value.limit == "statements"


def test_a_script_without_a_function_takes_no_arguments():
    call = delugelang.compile("return 1;").prepare()
    assert call().value == 1
    with pytest.raises(DelugeError, match="no function declaration"):
        call({"x": 1})


def test_a_prepared_call_is_immutable_and_shared_by_threads():
    program = delugelang.compile('int twice(int n) {\n\tinfo "n=" + n;\n\treturn n * 2;\n}')
    call = program.prepare()
    with pytest.raises(AttributeError):
        call.limits = Limits(statements=1)
    errors = []

    def worker(n):
        try:
            for _ in range(100):
                result = call({"n": n})
                assert (result.value, result.info) == (2 * n, (f"n={n}",))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform != "linux",
                    reason="isolation mode needs fork() on Linux")
def test_a_prepared_call_can_run_isolated():
    call = delugelang.compile("int twice(int n) { return n * 2; }").prepare(isolation="process")
    assert call({"n": 4}).value == 8
    with pytest.raises(DelugeError, match="declared int"):
        call({"n": "four"})


def test_result_and_stats_behave_as_immutable_values():
    result = Result({"a": 1}, ("x",), Stats(3, 0.5))
    assert result == Result({"a": 1}, ("x",), Stats(3, 0.5))
    assert result != Result({"a": 2}, ("x",), Stats(3, 0.5))
    assert repr(result) == "Result(value={'a': 1}, info=('x',), stats=Stats(statements=3, ms=0.5))"
    assert hash(Stats(3, 0.5)) == hash(Stats(3, 0.5))
    with pytest.raises(AttributeError):
        result.value = 2
    with pytest.raises(AttributeError):
        result.stats.ms = 1.0
    assert copy.copy(result) == result and pickle.loads(pickle.dumps(result)) == result
    assert result.to_json() == {"ok": True, "return": {"a": 1}, "info": ["x"], "error": None,
                                "stats": {"statements": 3, "ms": 0.5}}
