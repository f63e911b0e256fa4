"""Running cases: expectations on return, info, errors and the calls a function makes."""

from __future__ import annotations

import json

import pytest

import delugelang
from delugelang.services import Services
from delugelang.testing import load_test_file, run_file
from delugelang.testing.recording import recording_services
from delugelang.testing.runner import canonical, diff, same


def run(tmp_path, script: str, cases: list, **file_keys):
    (tmp_path / "s.dg").write_text(script)
    (tmp_path / "s.test.json").write_text(json.dumps(dict(file_keys, cases=cases)))
    return run_file(load_test_file(tmp_path / "s.test.json"))


def outcome(result, index=0):
    r = result.cases[index]
    return r.status, [(f.what, f.detail) for f in r.failures]


def test_return_and_info_pass_and_fail_with_a_diff(tmp_path):
    script = 'info "a";\ninfo "b";\nreturn {"n": 1, "d": 2.50, "l": {1, "x"}};\n'
    result = run(tmp_path, script, [
        {"name": "ok", "expect": {"info": ["a", "b"], "return": {"n": 1, "d": 2.5, "l": [1, "x"]}}},
        {"name": "bad", "expect": {"info": ["a"], "return": {"n": 2, "d": 2.5, "l": [1, "x"]}}},
    ])
    assert outcome(result, 0) == ("passed", [])
    status, failures = outcome(result, 1)
    assert status == "failed"
    assert [w for w, _ in failures] == ["return value", "info lines"]
    assert '-  "n": 2,\n+  "n": 1,' in failures[0][1]
    assert failures[1][1].splitlines()[:2] == ["--- expected", "+++ actual"]


def test_json_kinds_are_kept_apart():
    assert not same(canonical(True), canonical(1))
    assert not same(canonical(2), canonical(2.0))
    assert same(canonical({"a": 1, "b": [True]}), canonical({"b": [True], "a": 1}))
    assert not same(canonical(None), canonical("null"))
    assert diff([1], [1, 2]).splitlines()[-2:] == ["+  2", " ]"]


def test_expected_errors_check_kind_message_and_line(tmp_path):
    script = 'info "before";\nx = 1 / 0;\n'
    result = run(tmp_path, script, [
        {"name": "ok", "expect": {"info": ["before"],
                                  "error": {"kind": "runtime", "message": "division", "line": 2}}},
        {"name": "kind", "expect": {"error": {"kind": "limit"}}},
        {"name": "message", "expect": {"error": {"message": "overflow"}}},
        {"name": "line", "expect": {"error": {"line": 1}}},
    ])
    assert outcome(result, 0) == ("passed", [])
    assert "kind: expected limit, got runtime" in outcome(result, 1)[1][0][1]
    assert "message: expected it to contain 'overflow'" in outcome(result, 2)[1][0][1]
    assert "line: expected 1, got 2" in outcome(result, 3)[1][0][1]


def test_an_expected_error_that_does_not_happen_fails(tmp_path):
    result = run(tmp_path, "return 5;\n", [{"name": "c", "expect": {"error": {"kind": "runtime"}}}])
    status, failures = outcome(result)
    assert status == "failed" and "but it returned 5" in failures[0][1]


def test_an_unexpected_error_is_shown_with_its_caret(tmp_path):
    result = run(tmp_path, "x = 1;\ny = x / 0;\n", [{"name": "c", "expect": {"info": []}}])
    status, failures = outcome(result)
    assert status == "failed" and failures[0][0] == "the function failed"
    assert failures[0][1].splitlines()[1:] == ["   2 | y = x / 0;", " " * 13 + "^"]


def test_limits_per_case(tmp_path):
    script = "for each a in {1,2,3,4,5,6,7,8,9,10}\n{\n\tx = a;\n}\n"
    result = run(tmp_path, script, [
        {"name": "tight", "limits": {"statements": 5},
         "expect": {"error": {"kind": "limit", "message": "statements"}}},
        {"name": "creator", "limits": {"profile": "creator"}, "expect": {"info": []}},
    ])
    assert [r.status for r in result.cases] == ["passed", "passed"]


def test_now_and_timezone_fix_the_clock(tmp_path):
    script = "return zoho.currenttime.toString(\"yyyy-MM-dd HH:mm\");\n"
    result = run(tmp_path, script, [
        {"name": "utc", "now": "2024-05-01T09:30:00Z", "timezone": "UTC",
         "expect": {"return": "2024-05-01 09:30"}},
        {"name": "dublin", "now": "2024-05-01T09:30:00Z", "timezone": "Europe/Dublin",
         "expect": {"return": "2024-05-01 10:30"}},
    ])
    assert [outcome(result, i) for i in (0, 1)] == [("passed", []), ("passed", [])]


def test_the_record_is_input_and_is_in_the_store(tmp_path):
    script = ('string f()\n{\n\tsame = zoho.crm.getRecordById("Leads", input.id);\n'
              '\treturn input.Last_Name + "/" + same.get("Last_Name");\n}\n')
    result = run(tmp_path, script, [{
        "name": "c", "record": {"module": "Leads", "fields": {"id": "77", "Last_Name": "Ng"}},
        "expect": {"return": "Ng/Ng"}}])
    assert outcome(result) == ("passed", [])


def test_http_calls_are_compared_on_the_keys_the_expectation_names(tmp_path):
    script = ('r = invokeurl\n[\n\turl: "https://api.test/x"\n\ttype: POST\n'
              '\tbody: {"a": 1}.toString()\n\theaders: {"K": "v"}\n];\nreturn r;\n')
    fixtures = {"http": [{"method": "POST", "url": "https://api.test/x", "body": {"ok": True}}]}
    result = run(tmp_path, script, [
        {"name": "json body", "fixtures": fixtures,
         "expect": {"return": {"ok": True}, "http": [{"url": "https://api.test/x",
                                                      "body": {"a": 1}}]}},
        {"name": "text body", "fixtures": fixtures,
         "expect": {"http": [{"method": "POST", "body": "{\"a\":1}", "headers": {"K": "v"}}]}},
        {"name": "wrong", "fixtures": fixtures,
         "expect": {"http": [{"method": "GET"}, {"method": "GET"}]}},
    ])
    assert outcome(result, 0) == ("passed", [])
    assert outcome(result, 1) == ("passed", [])
    status, failures = outcome(result, 2)
    assert failures[0][0] == "invokeurl calls (1 made, 2 expected)"
    assert '-    "method": "GET"\n+    "method": "POST"' in failures[0][1]


def test_a_call_without_a_fixture_is_recorded_and_fails_the_run(tmp_path):
    script = 'r = zoho.crm.invokeConnector("a.b", {"k": 1});\n'
    result = run(tmp_path, script, [{"name": "c", "expect": {
        "error": {"message": "no connector API named 'a.b'"},
        "connectors": [{"api": "a.b", "params": {"k": 1}}]}}])
    assert outcome(result) == ("passed", [])


def test_record_writes_are_recorded_in_order(tmp_path):
    script = ('zoho.crm.createRecord("Leads", {"Last_Name": "A"});\n'
              'zoho.crm.v2.createRecord("Leads", {"Last_Name": "B"});\n'
              'zoho.crm.updateRecord("Leads", 5, {"Lead_Status": "Cold"});\n')
    fixtures = {"records": {"Leads": [{"id": "5", "Last_Name": "Z"}]}}
    result = run(tmp_path, script, [
        {"name": "ok", "fixtures": fixtures, "expect": {
            "created": [{"fields": {"Last_Name": "A"}}, {"module": "Leads", "fields": {"Last_Name": "B"}}],
            "updated": [{"module": "Leads", "id": "5", "fields": {"Lead_Status": "Cold"}}]}},
        {"name": "missing", "fixtures": fixtures, "expect": {"created": [{"fields": {"Last_Name": "A"}}]}},
    ])
    assert outcome(result, 0) == ("passed", [])
    status, failures = outcome(result, 1)
    assert failures[0][0] == "records created (2 made, 1 expected)"
    assert '+    "module": "Leads",' in failures[0][1]


def test_task_handlers_installed_by_the_host_are_recorded_too():
    made = []
    base = Services(tasks={"zoho.crm.createrecord": lambda rt, a: made.append(a) or {"id": "1"}})
    services, log = recording_services({}, base)
    program = delugelang.compile('zoho.crm.createRecord("Deals", {"Deal_Name": "D"});\n')
    program.run(services=services)
    assert made == [("Deals", {"Deal_Name": "D"})]
    assert log.created == [{"module": "Deals", "fields": {"Deal_Name": "D"}}]


def test_fixture_state_does_not_leak_between_cases(tmp_path):
    script = ('l = zoho.crm.searchRecords("Leads", "(Last_Name:equals:New)");\n'
              'zoho.crm.createRecord("Leads", {"Last_Name": "New"});\nreturn l.size();\n')
    cases = [{"name": f"c{i}", "fixtures": {"records": {"Leads": []}}, "expect": {"return": 0}}
             for i in range(2)]
    result = run(tmp_path, script, cases)
    assert [r.status for r in result.cases] == ["passed", "passed"]


def test_an_unknown_function_fails_the_case_clearly(tmp_path):
    result = run(tmp_path, "void f()\n{\n}\n", [{"name": "c", "function": "g", "expect": {}}])
    status, failures = outcome(result)
    assert status == "failed" and "no function named 'g'" in failures[0][1]


@pytest.mark.parametrize("script", ["x = ;\n", "info y;\n"])
def test_a_script_that_does_not_compile_fails_every_case(tmp_path, script):
    result = run(tmp_path, script, [{"name": "a", "expect": {}}, {"name": "b", "expect": {}}])
    assert result.compile_error is not None and "s.dg:1:" in result.compile_error
    assert [r.status for r in result.cases] == ["failed", "failed"]


def test_fixture_records_the_store_refuses_fail_the_case(tmp_path):
    result = run(tmp_path, "return 1;\n", [{"name": "c", "expect": {"return": 1},
                                            "fixtures": {"records": {"Not a module": [{}]}}}])
    status, failures = outcome(result)
    assert status == "failed" and failures[0][0] == "the fixtures cannot be loaded"
    assert "Not a module" in failures[0][1]
