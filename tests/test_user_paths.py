"""What a user meets at the `dg` command line: bad input gets a clear message and the
documented exit code, never a Python traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DG = [sys.executable, "-m", "delugelang.cli"]


def dg(*args, stdin: str | None = None, cwd=None, timeout=60):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("DG_WORKSPACE", None)
    return subprocess.run(DG + [str(a) for a in args], input=stdin, capture_output=True,
                          text=True, cwd=cwd or ROOT, env=env, timeout=timeout)


def assert_clean(out):
    """No Python traceback or exception name reaches the user."""
    for stream in (out.stdout, out.stderr):
        assert "Traceback" not in stream
        assert "Error:" not in stream.replace("error:", "")


def test_record_file_that_is_a_directory(tmp_path):
    (tmp_path / "script.dg").write_text('info input.Name;\n')
    (tmp_path / "rec").mkdir()
    out = dg("run", "script.dg", "--record", "Contacts=rec", cwd=tmp_path)
    assert_clean(out)
    assert out.returncode == 2
    assert "cannot read record file rec" in out.stderr


def test_record_file_that_is_not_utf8(tmp_path):
    (tmp_path / "script.dg").write_text('info input.Name;\n')
    (tmp_path / "rec.json").write_bytes(b'{"Name": "\xff"}')
    out = dg("run", "script.dg", "--record", "Contacts=rec.json", cwd=tmp_path)
    assert_clean(out)
    assert out.returncode == 2
    assert "record file rec.json is not UTF-8 text" in out.stderr


def test_long_operator_chain_is_a_check_error_with_a_position():
    source = "x = " + "1 + " * 3000 + "1;\ninfo x;\n"
    for command in ("run", "check"):
        out = dg(command, "-", stdin=source)
        assert_clean(out)
        assert out.returncode == 65, out.stderr
        assert "nested too deeply" in out.stderr
        assert ":1:" in out.stderr and "^" in out.stderr
    out = dg("run", "-", "--json", stdin=source)
    error = json.loads(out.stdout)["error"]
    assert error["kind"] == "check" and error["line"] == 1


def test_operator_chain_within_the_limit_still_runs():
    out = dg("run", "-", stdin="x = " + "1 + " * 400 + "1;\ninfo x;\n")
    assert (out.returncode, out.stdout) == (0, "401\n")


# 10**9 iterations: far longer than any test waits, however fast the engine gets.
LONG_LOOP = ('l = {1,2,3,4,5,6,7,8,9,10};\nn = 0;\nfor each a in l { for each b in l { '
             'for each c in l { for each d in l { for each e in l { for each f in l { '
             'for each g in l { for each h in l { for each i in l { n = n + 1; } } } } } } } '
             '} }\ninfo n;\n')


def test_ctrl_c_stops_a_run_without_a_traceback(tmp_path):
    import signal
    import time
    (tmp_path / "loop.dg").write_text(LONG_LOOP)
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen(DG + ["run", "loop.dg", "--limit", "statements=1000000000",
                                  "--limit", "time_seconds=60"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert proc.returncode == 130
    assert "dg run: interrupted" in stderr


def test_closed_output_pipe_ends_dg_run_quietly(tmp_path):
    (tmp_path / "many.dg").write_text('for each i in "' + ",".join(["a"] * 20000) +
                                      '" { info i; }\n')
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen(DG + ["run", "many.dg"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline() == b"a\n"
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=30)
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
    assert proc.returncode == 1


def test_dg_run_limits_needs_no_file():
    out = dg("run", "--limits")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("statements")
    out = dg("run", "--limits", "--profile", "creator", "--limit", "statements=7")
    assert out.stdout.split()[:2] == ["statements", "7"]


def test_dg_run_without_a_file_is_a_usage_error():
    out = dg("run")
    assert out.returncode == 2
    assert "the .dg file to run is missing" in out.stderr


def test_arg_text_must_be_a_deluge_number(tmp_path):
    (tmp_path / "f.dg").write_text("decimal standalone.f(decimal d, int i) { return d; }\n")
    for arg, declared in [("i=99999999999999999999", "int"), ("i=1_000", "int"),
                          ("i=\u0663", "int"), ("d=NaN", "decimal"), ("d=Infinity", "decimal"),
                          ("d=1_0.5", "decimal")]:
        out = dg("run", "f.dg", "--arg", arg, cwd=tmp_path)
        assert out.returncode == 2, (arg, out.stdout, out.stderr)
        assert f"is not a valid {declared}" in out.stderr
    out = dg("run", "f.dg", "--arg", "i=-9223372036854775808", "--arg", "d=2.5", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, "2.5\n")


def test_repl_record_from_a_directory_or_non_utf8_file(tmp_path):
    (tmp_path / "rec").mkdir()
    (tmp_path / "bad.json").write_bytes(b"\xff")
    out = dg("repl", stdin=":record Contacts=rec\n:record Contacts=bad.json\ninfo 1;\n",
             cwd=tmp_path)
    assert_clean(out)
    assert "cannot read record file rec" in out.stderr
    assert "record file bad.json is not UTF-8 text" in out.stderr
    assert out.stdout == "1\n" and out.returncode == 1
    out = dg("repl", "--record", "Contacts=rec", stdin="", cwd=tmp_path)
    assert_clean(out)
    assert out.returncode == 2


def test_connector_files_that_cannot_be_read_are_named_not_tracebacks(tmp_path):
    connectors = tmp_path / "connectors"
    connectors.mkdir()
    cases = [
        ("broken", b'{\n  "name": "broken",\n  "x": ,\n}\n', "broken.json:3:8: not valid JSON"),
        ("latin", b'{"name": "l\xe9"}', "latin.json is not UTF-8 text"),
        ("text", b'"abc"', "text.json: a connector definition must be a JSON object"),
        ("number", b"5", "number.json: a connector definition must be a JSON object"),
        ("nourl", b'{"name": "nourl"}', "nourl.json: a connector needs a token URL"),
    ]
    for name, content, message in cases:
        (connectors / f"{name}.json").write_bytes(content)
        for command in (["connector", "list"], ["connector", "show", name]):
            out = dg(*command, "--workspace", tmp_path)
            assert_clean(out)
            assert out.returncode == 65, (name, out.stderr)
            assert message in out.stderr, out.stderr
        (connectors / f"{name}.json").unlink()
    (connectors / "folder.json").mkdir()
    out = dg("connector", "show", "folder", "--workspace", tmp_path)
    assert_clean(out)
    assert "cannot read" in out.stderr and "folder.json: Is a directory" in out.stderr


def test_extension_file_that_is_not_an_object(tmp_path):
    (tmp_path / "extensions").mkdir()
    (tmp_path / "extensions" / "sales.json").write_text("[1]")
    out = dg("extension", "list", "--workspace", tmp_path)
    assert_clean(out)
    assert "sales.json: an extension definition must be a JSON object" in out.stderr


def test_api_body_file_that_is_not_utf8_or_a_directory(tmp_path):
    out = dg("connector", "create", "svc", "--token-url", "https://auth.example.test/token",
             "--authorize-url", "https://auth.example.test/auth", "--workspace", tmp_path)
    assert out.returncode == 0, out.stderr
    (tmp_path / "body.xml").write_bytes(b"<a>\xff</a>")
    out = dg("api", "add", "svc", "create", "--url", "https://api.example.test/x",
             "--body-file", tmp_path / "body.xml", "--workspace", tmp_path)
    assert_clean(out)
    assert out.returncode == 2 and "body.xml is not UTF-8 text" in out.stderr
    out = dg("api", "add", "svc", "create", "--url", "https://api.example.test/x",
             "--body-file", tmp_path, "--workspace", tmp_path)
    assert out.returncode == 2 and "Is a directory" in out.stderr


def _import(tmp_path, name: str, content: bytes, *extra):
    (tmp_path / name).write_bytes(content)
    return dg("record", "import", "Contacts", tmp_path / name, "--workspace", tmp_path, *extra)


def test_import_keeps_line_breaks_inside_quoted_csv_cells(tmp_path):
    out = _import(tmp_path, "c.csv", b'Last_Name,Description\nAda,"line 1\nline 2"\nBo,x\n',
                  "--json")
    assert out.returncode == 0, out.stderr
    ids = json.loads(out.stdout)["ids"]
    got = dg("record", "get", "Contacts", ids[0], "--json", "--workspace", tmp_path)
    assert json.loads(got.stdout)["Description"] == "line 1\nline 2"
    assert len(ids) == 2


def test_import_reports_an_unclosed_quote_instead_of_swallowing_rows(tmp_path):
    out = _import(tmp_path, "c.csv", b'Last_Name\n"Ada\nBo\nCy\n')
    assert out.returncode == 65
    assert "row 2: the row cannot be read as CSV" in out.stderr


def test_import_refuses_a_csv_header_with_a_name_twice(tmp_path):
    out = _import(tmp_path, "c.csv", b"Last_Name,Email,Last_Name\nAda,a@x.ie,Lovelace\n")
    assert out.returncode == 2
    assert "the CSV header names Last_Name more than once" in out.stderr
    listed = dg("record", "list", "Contacts", "--json", "--workspace", tmp_path)
    assert json.loads(listed.stdout) == []


def test_import_of_a_non_utf8_file_names_the_line(tmp_path):
    out = _import(tmp_path, "c.csv", b"Last_Name\nAda\nR\xe9my\n")
    assert_clean(out)
    assert out.returncode == 2
    assert "c.csv is not UTF-8 text (line 3)" in out.stderr
    assert "codec" not in out.stderr


def test_record_data_file_that_is_not_utf8(tmp_path):
    (tmp_path / "r.json").write_bytes(b'{"Last_Name": "R\xe9my"}')
    out = dg("record", "create", "Contacts", "--data", "@" + str(tmp_path / "r.json"),
             "--workspace", tmp_path)
    assert_clean(out)
    assert out.returncode == 2 and "r.json is not UTF-8 text" in out.stderr


def _rule_workspace(tmp_path):
    (tmp_path / "workflows").mkdir()
    (tmp_path / "functions").mkdir()
    return tmp_path / "workflows"


def test_workflow_files_that_cannot_be_read_are_named_without_python_text(tmp_path):
    rules = _rule_workspace(tmp_path)
    (rules / "latin.json").write_bytes(b'{"module": "Contacts", "x": "\xe9"}')
    (rules / "folder.json").mkdir()
    (rules / "untriggered.json").write_text('{"module": "Contacts", "actions": ["call function f"]}')
    out = dg("workflow", "list", "--workspace", tmp_path)
    assert out.returncode == 65
    assert "latin.json: error: the rule file is not UTF-8 text" in out.stderr
    assert "folder.json: error: cannot read the rule file: Is a directory" in out.stderr
    assert '"trigger" is missing or not text; use one of: on create' in out.stderr
    assert "codec" not in out.stderr and "Errno" not in out.stderr


def test_workflow_run_with_a_missing_function_file_names_the_reason(tmp_path):
    rules = _rule_workspace(tmp_path)
    (rules / "all.json").write_text('{"module": "Contacts", "trigger": "on create", '
                                    '"actions": ["call function missing"]}')
    out = dg("record", "create", "Contacts", "--data", '{"Last_Name": "Ng"}',
             "--workspace", tmp_path)
    assert out.returncode == 0, out.stderr
    assert "cannot read the function file functions/missing.dg (No such file or directory)" \
        in out.stdout + out.stderr
    assert "FileNotFoundError" not in out.stdout + out.stderr


def test_workspace_state_that_cannot_be_opened_is_reported_not_a_traceback(tmp_path):
    (tmp_path / "connectors").mkdir()
    (tmp_path / ".dg").write_text("not a directory")
    (tmp_path / "f.dg").write_text("info 1;\n")
    for command in (["run", "f.dg"], ["connector", "list"], ["record", "list", "Contacts"]):
        out = dg(*command, cwd=tmp_path)
        assert_clean(out)
        assert out.returncode == 1, (command, out.stderr)
        assert "cannot open the workspace state" in out.stderr


def test_read_only_workspace_says_it_must_be_writable(tmp_path):
    import shutil
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed (needed for a read-only bind mount)")
    workspace, view = tmp_path / "ws", tmp_path / "view"
    view.mkdir()
    workspace.mkdir()
    out = dg("record", "create", "Contacts", "--data", '{"Last_Name": "Ng"}',
             "--workspace", workspace)
    assert out.returncode == 0, out.stderr
    (workspace / "f.dg").write_text("info 1;\n")
    (workspace / "connectors").mkdir()
    script = (f"mount --bind -o ro {workspace} {view} && cd {view} && "
              f"{sys.executable} -m delugelang.cli run f.dg")
    proc = subprocess.run(["unshare", "--mount", "sh", "-c", script], capture_output=True,
                          text=True, timeout=60)
    if "mount" in proc.stderr and "cannot open the workspace state" not in proc.stderr:
        pytest.skip(f"no read-only bind mount here: {proc.stderr.strip()}")
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1
    assert "the workspace must be writable, even to read it" in proc.stderr


def test_assignment_to_something_other_than_a_variable_says_what_it_is():
    cases = {
        'm = Map(); m.key = 2;': 'cannot assign to a field; only a variable name can be '
                                 'assigned (to set a key of a map, write m.put("key", value))',
        'true = 1;': "cannot assign to 'true': it is a reserved word",
        'null = 1;': "cannot assign to 'null': it is a reserved word",
        '"a" = 1;': "cannot assign to a text value",
        'x = {1}; x.get(0) = 2;': "cannot assign to this expression; only a variable name",
    }
    for source, message in cases.items():
        out = dg("check", "-", stdin=source + "\n")
        assert out.returncode == 65
        assert message in out.stderr, out.stderr
        assert "this expression: this expression" not in out.stderr
        assert "'boolean' is a reserved word" not in out.stderr


def test_snippet_shows_the_line_the_error_is_on_despite_unicode_line_separators():
    source = '// a\u2028b\ninfo "x\u2028y";\ninfo totl;\n'
    out = dg("run", "-", stdin=source)
    assert out.returncode == 65
    assert "<stdin>:3:6:" in out.stderr
    assert "   3 | info totl;\n" in out.stderr


def test_snippet_of_a_very_long_line_is_cut_around_the_caret():
    source = "x = 1;" + " " * 5000 + "info totl;\n"
    out = dg("run", "-", stdin=source)
    assert out.returncode == 65
    head, code, caret = out.stderr.splitlines()[:3]
    assert head.startswith("<stdin>:1:5012:")
    assert len(code) < 200 and code.startswith("   1 | ...") and code.endswith("info totl;")
    assert caret.index("^") == code.index("totl")


HTTP_SCRIPT = 'r = invokeurl [ url: "https://api.example.test/x" type: GET ];\ninfo r;\n'


def test_run_fixtures_with_malformed_sections_are_usage_errors(tmp_path):
    (tmp_path / "h.dg").write_text(HTTP_SCRIPT)
    cases = [
        ({"connectors": []}, "connectors must map"),
        ({"connectors": {"a.b": 5}}, "connectors must map"),
        ({"http": {"url": "https://api.example.test/x"}}, "http must be a list"),
        ({"http": [5]}, 'http response 1 must be an object with a "url"'),
        ({"http": [{"url": 3}]}, 'http response 1 must be an object with a "url"'),
        ({"http": [{"url": "https://api.example.test/x", "status": "abc"}]},
         '"status" must be an HTTP status number'),
    ]
    for fixtures, message in cases:
        (tmp_path / "fx.json").write_text(json.dumps(fixtures))
        out = dg("run", "h.dg", "--fixtures", "fx.json", cwd=tmp_path)
        assert_clean(out)
        assert out.returncode == 2, (fixtures, out.stdout, out.stderr)
        assert message in out.stderr
        assert "internal error" not in out.stderr
    (tmp_path / "fx.json").write_bytes(b"\xff")
    out = dg("run", "h.dg", "--fixtures", "fx.json", cwd=tmp_path)
    assert out.returncode == 2 and "fx.json is not UTF-8 text" in out.stderr


def test_run_fixtures_that_are_well_formed_still_serve_the_call(tmp_path):
    (tmp_path / "h.dg").write_text(HTTP_SCRIPT)
    (tmp_path / "fx.json").write_text(json.dumps(
        {"http": [{"url": "https://api.example.test/x", "status": 201, "body": {"n": 1}}]}))
    out = dg("run", "h.dg", "--fixtures", "fx.json", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, '{"n":1}\n')


def test_check_reports_the_other_files_when_one_is_missing(tmp_path):
    (tmp_path / "bad.dg").write_text("info totl;\n")
    out = dg("check", "missing.dg", "bad.dg", cwd=tmp_path)
    assert out.returncode == 2
    assert "dg check: no such file: missing.dg" in out.stderr
    assert "bad.dg:1:6: error: Variable 'totl' is not defined" in out.stderr
    out = dg("check", "bad.dg", "missing.dg", "--json", cwd=tmp_path)
    assert out.returncode == 2
    report = json.loads(out.stdout)
    assert report["ok"] is False and report["problems"][0]["file"] == "bad.dg"


def test_authorize_port_and_timeout_out_of_range_are_usage_errors(tmp_path):
    out = dg("connector", "create", "svc", "--token-url", "https://auth.example.test/token",
             "--authorize-url", "https://auth.example.test/auth", "--workspace", tmp_path)
    assert out.returncode == 0, out.stderr
    for args, message in [(["--port", "99999"], "a port is a number from 0 to 65535"),
                          (["--port", "0", "--timeout", "-1"], "seconds above 0")]:
        out = dg("connector", "authorize", "svc", "--no-browser", *args,
                 "--workspace", tmp_path, timeout=30)
        assert_clean(out)
        assert out.returncode == 2 and message in out.stderr
    out = dg("connector", "redirect-url", "svc", "--port", "0", "--workspace", tmp_path)
    assert out.returncode == 2 and "from 1 to 65535" in out.stderr


def _search(tmp_path, criteria: str):
    out = dg("record", "search", "Contacts", "--criteria", criteria, "--json",
             "--workspace", tmp_path)
    return out, (sorted(r["Last_Name"] for r in json.loads(out.stdout))
                 if out.returncode == 0 else None)


def test_search_criteria_with_an_escaped_comma_matches_the_value_with_the_comma(tmp_path):
    # Zoho: "When you use parentheses or commas in the value of criteria, you must escape
    # them using a backslash": (Last_Name:equals:Burns\,B) finds "Burns,B".
    for name in ("Burns", "B", "Burns,B", "O(x)"):
        out = dg("record", "create", "Contacts", "--data", json.dumps({"Last_Name": name}),
                 "--workspace", tmp_path)
        assert out.returncode == 0, out.stderr
    assert _search(tmp_path, r"(Last_Name:equals:Burns\,B)")[1] == ["Burns,B"]
    assert _search(tmp_path, r"(Last_Name:in:Burns\,B,O\(x\))")[1] == ["Burns,B", "O(x)"]
    assert _search(tmp_path, r"(Last_Name:starts_with:Burns\,)")[1] == ["Burns,B"]
    assert _search(tmp_path, "(Last_Name:equals:Burns,B)")[1] == ["B", "Burns", "Burns,B"]


def test_search_between_without_two_numbers_is_a_criteria_error(tmp_path):
    out = dg("record", "create", "Contacts", "--data", '{"Last_Name": "N", "Score": 5}',
             "--workspace", tmp_path)
    assert out.returncode == 0
    for criteria in ("(Score:between:a,b)", "(Score:between:1)"):
        out, _ = _search(tmp_path, criteria)
        assert_clean(out)
        assert out.returncode == 2 and "between needs two numbers" in out.stderr
    assert _search(tmp_path, "(Score:between:1,10)")[1] == ["N"]
    (tmp_path / "s.dg").write_text(
        'r = zoho.crm.searchRecords("Contacts", "(Score:between:a,b)");\ninfo r.get("code");\n')
    out = dg("run", "s.dg", "--workspace", tmp_path, cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, "INVALID_QUERY\n")


def test_dg_test_with_a_script_that_is_not_utf8_or_a_directory(tmp_path):
    (tmp_path / "latin.dg").write_bytes(b'info "R\xe9my";\n')
    (tmp_path / "folder.dg").mkdir()
    case = [{"name": "a", "expect": {"return": None}}]
    for script, message in [("latin.dg", "the script latin.dg is not UTF-8 text"),
                            ("folder.dg", "the script folder.dg is a directory")]:
        (tmp_path / "t.test.json").write_text(json.dumps({"script": script, "cases": case}))
        out = dg("test", "t.test.json", cwd=tmp_path)
        assert_clean(out)
        assert out.returncode == 2, out.stderr
        assert message in out.stderr


def test_ctrl_c_during_import_reports_exactly_what_was_imported(tmp_path):
    import re
    import signal
    import time
    lines = ["Last_Name,Email"] + [f"N{i},n{i}@example.ie" for i in range(150000)]
    (tmp_path / "big.csv").write_text("\n".join(lines) + "\n")
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen(DG + ["record", "import", "Contacts", "big.csv"], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not (tmp_path / ".dg" / "state.sqlite3").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the import finished before the interruption")
    assert proc.returncode == 130 and "Traceback" not in stderr
    said = re.search(r"interrupted: (\d+) rows were imported", stderr)
    assert said, stderr
    listed = dg("record", "modules", "--json", cwd=tmp_path)
    counts = {m["module"]: m["records"] for m in json.loads(listed.stdout)}
    assert counts["Contacts"] == int(said.group(1))


def test_workflow_dry_run_of_an_edit_rule_on_create_says_when_it_fires(tmp_path):
    rules = _rule_workspace(tmp_path)
    (rules / "u.json").write_text('{"module": "Contacts", "trigger": "on field update of Email", '
                                  '"actions": ["call function f"]}')
    (tmp_path / "functions" / "f.dg").write_text('info "ran";\n')
    (tmp_path / "c.json").write_text('{"Last_Name": "Ng", "Email": "ng@example.ie"}')
    out = dg("workflow", "test", "u", "--record", "c.json", "--changed", "Email", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "does not fire on create: it fires on edit" in out.stdout
    assert "unless Email changes" not in out.stdout
    out = dg("workflow", "test", "u", "--record", "c.json", "--event", "edit", "--changed",
             "Email", cwd=tmp_path)
    assert "u: match" in out.stdout


def test_limit_of_nan_or_infinity_is_refused(tmp_path):
    # NaN compares false with everything, so a NaN time limit never ran out.
    for value in ("time_seconds=nan", "time_seconds=inf", "regex_seconds=NaN"):
        out = dg("run", "-", "--limit", value, stdin="info 1;\n")
        assert out.returncode == 2, (value, out.stdout)
        assert "must be positive and finite" in out.stderr
    out = dg("repl", "--limit", "time_seconds=nan", stdin="info 1;\n")
    assert out.returncode == 2


def test_nan_in_json_input_is_refused_where_it_enters(tmp_path):
    (tmp_path / "f.dg").write_text("decimal standalone.f(decimal d) { info d; return d; }\n")
    (tmp_path / "rec.json").write_text('{"Amount": NaN}')
    (tmp_path / "g.dg").write_text("info input.Amount;\n")
    for args in (["f.dg", "--args-json", '{"d": NaN}'], ["f.dg", "--args-json", '{"d": -Infinity}'],
                 ["g.dg", "--record", "Deals=rec.json"]):
        out = dg("run", *args, cwd=tmp_path)
        assert out.returncode == 1, (args, out.stdout, out.stderr)
        assert "NaN and Infinity are not Deluge numbers" in out.stderr
        assert "invalid decimal value" not in out.stderr


def test_stdin_that_is_not_utf8_is_refused_like_a_file():
    for command in ("run", "check"):
        out = subprocess.run(DG + [command, "-"], input=b'info "R\xe9my";\n',
                             capture_output=True, cwd=ROOT, timeout=60)
        assert out.returncode == 2, out.stdout
        assert b"<stdin> is not UTF-8 text" in out.stderr
    out = dg("run", "-", stdin='info "R\u00e9my";\n')
    assert (out.returncode, out.stdout) == (0, "R\u00e9my\n")


def test_endless_or_huge_input_is_refused_by_the_size_limit(tmp_path):
    for command in ("run", "check"):
        out = dg(command, "/dev/zero", timeout=60)
        assert out.returncode == 65, out.stderr[:300]
        assert "the source is larger than 1,000,000 bytes" in out.stderr
    big = "x = \"" + "\u00e9" * 600_000 + "\";\n"  # 600,000 characters, 1.2 MB
    out = dg("run", "-", stdin=big)
    assert out.returncode == 65 and "larger than 1,000,000 bytes" in out.stderr
    assert "not UTF-8" not in out.stderr
    out = dg("run", "-", "--limit", "source_bytes=2000000", stdin=big + "info x.length();\n")
    assert (out.returncode, out.stdout) == (0, "600000\n")


def test_a_thrown_text_cannot_forge_error_lines_or_drive_the_terminal(tmp_path):
    (tmp_path / "t.dg").write_text('x = "\x1b[31m";\n'
                                   'throw "one\\nfake.dg:1:1: error: forged" + x;\n')
    out = dg("run", "t.dg", cwd=tmp_path)
    assert out.returncode == 1
    lines = out.stderr.splitlines()
    assert lines[0] == "t.dg:2:1: runtime error: one\\nfake.dg:1:1: error: forged\\x1b[31m"
    assert "\x1b" not in out.stderr
    assert not any(line.startswith("fake.dg") for line in lines)
    out = dg("run", "t.dg", "--json", cwd=tmp_path)  # JSON keeps the text as it is
    assert json.loads(out.stdout)["error"]["message"].endswith("forged\x1b[31m")


def test_control_characters_in_the_source_line_are_escaped_with_the_caret_in_place(tmp_path):
    (tmp_path / "t.dg").write_text('x = "\x1b[2J"; info totl;\n')
    out = dg("run", "t.dg", cwd=tmp_path)
    head, code, caret = out.stderr.splitlines()[:3]
    assert "\x1b" not in out.stderr
    assert code == '   1 | x = "\\x1b[2J"; info totl;'
    assert caret.index("^") == code.index("totl")


def test_workflow_output_escapes_what_the_function_printed_or_threw(tmp_path):
    rules = _rule_workspace(tmp_path)
    (rules / "r.json").write_text('{"module": "Contacts", "trigger": "on create", '
                                  '"actions": ["call function f"]}')
    (tmp_path / "functions" / "f.dg").write_text(
        'info "i1\\nworkflow fake: ok\x1b[31m";\nthrow "boom\\nworkflow forged: ok";\n')
    (tmp_path / "c.json").write_text('{"Last_Name": "Ng"}')
    outputs = [dg("record", "create", "Contacts", "--data", '{"Last_Name": "A"}', cwd=tmp_path),
               dg("workflow", "log", cwd=tmp_path),
               dg("workflow", "test", "r", "--record", "c.json", cwd=tmp_path)]
    for out in outputs:
        text = out.stdout + out.stderr
        assert "\x1b" not in text
        assert "i1\\nworkflow fake: ok\\x1b[31m" in text
        assert "boom\\nworkflow forged: ok" in text
        assert not any(line.startswith("workflow fake") or line.startswith("workflow forged")
                       for line in text.splitlines())


def test_dg_test_k_that_matches_nothing_says_so():
    out = dg("test", "-k", "no such case at all", "samples/")
    assert out.returncode == 0
    assert out.stdout.strip().endswith("0 passed, 0 failed")
    assert "no case matches -k 'no such case at all'" in out.stderr
    out = dg("test", "-k", "EMEA", "samples/")
    assert "no case matches" not in out.stderr


def test_api_update_refuses_no_body_together_with_a_body(tmp_path):
    out = dg("connector", "create", "svc", "--token-url", "https://auth.example.test/token",
             "--authorize-url", "https://auth.example.test/auth", "--workspace", tmp_path)
    assert out.returncode == 0, out.stderr
    out = dg("api", "add", "svc", "x", "--url", "https://api.example.test/a", "--body", "old",
             "--workspace", tmp_path)
    assert out.returncode == 0, out.stderr
    out = dg("api", "update", "svc.x", "--no-body", "--body", "new", "--workspace", tmp_path)
    assert out.returncode == 2 and "either --no-body or a new body" in out.stderr
    shown = dg("api", "show", "svc.x", "--json", "--workspace", tmp_path)
    assert json.loads(shown.stdout)["body"] == "old"


def test_api_execute_vars_json_error_says_where(tmp_path):
    out = dg("api", "execute", "svc.x", "--vars-json", '{"a": }', "--workspace", tmp_path)
    assert out.returncode == 65
    assert "--vars-json is not valid JSON: Expecting value at column 7" in out.stderr


def test_connector_commands_do_not_create_a_mistyped_workspace(tmp_path):
    missing = tmp_path / "no-such-workspace"
    for command in (["connector", "list"], ["connector", "show", "x"], ["api", "list", "x"],
                    ["extension", "list"], ["connector", "token", "x"]):
        out = dg(*command, "--workspace", missing)
        assert out.returncode == 2, (command, out.stderr)
        assert "is not a directory" in out.stderr
        assert not missing.exists()
    out = dg("connector", "create", "svc", "--token-url", "https://auth.example.test/token",
             "--authorize-url", "https://auth.example.test/auth", "--workspace", missing)
    assert out.returncode == 0 and (missing / "connectors" / "svc.json").is_file()


def test_dg_run_refuses_a_workspace_that_is_not_a_directory(tmp_path):
    (tmp_path / "f.dg").write_text("info 1;\n")
    out = dg("run", "f.dg", "--workspace", tmp_path / "missing", cwd=tmp_path)
    assert out.returncode == 2 and "the workspace" in out.stderr
    assert "is not a directory" in out.stderr
    env = dict(os.environ, DG_WORKSPACE=str(tmp_path / "missing"))
    out = subprocess.run(DG + ["run", "f.dg"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 2
    out = dg("run", "f.dg", "--workspace", tmp_path, cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, "1\n")


def test_record_data_at_sign_without_a_file_name(tmp_path):
    out = dg("record", "create", "Contacts", "--data", "@", "--workspace", tmp_path)
    assert out.returncode == 2
    assert "--data @FILE needs the file's name after the @" in out.stderr


def test_in_and_not_in_are_refused_naming_the_form():
    # realworld-syntax.md §4 sees `x not in list` in real scripts; Deluge has contains().
    cases = {"l = {1};\nif (3 not in l) { info 1; }\n": ("2:7", "'not in' is not a Deluge "
                                                         "operator: write !list.contains(x)"),
             "l = {1};\nx = 3 in l;\n": ("2:7", "'in' is not a Deluge operator: write "
                                              "list.contains(x)")}
    for source, (where, message) in cases.items():
        out = dg("check", "-", stdin=source)
        assert out.returncode == 65
        assert f"<stdin>:{where}: syntax error: {message}" in out.stderr, out.stderr
    out = dg("run", "-", stdin="for each x in {1, 2} { info x; }\nnot = 3;\ninfo not;\n")
    assert (out.returncode, out.stdout) == (0, "1\n2\n3\n")


def test_dg_test_bad_junit_path_is_reported_before_anything_runs(tmp_path):
    for target, message in [(tmp_path / "missing" / "r.xml", "does not exist"),
                            (tmp_path, "is a directory")]:
        out = dg("test", "--junit-xml", target, "samples/welcome.dg")
        assert out.returncode == 2
        assert message in out.stderr
        assert "passed" not in out.stdout  # nothing ran


def test_run_record_body_without_exactly_one_record_is_a_usage_error(tmp_path):
    (tmp_path / "s.dg").write_text("info input.Last_Name;\n")
    bodies = {"empty.json": ({"data": []}, "no record"),
              "two.json": ({"data": [{"Last_Name": "A"}, {"Last_Name": "B"}]}, "2 records")}
    for name, (body, count) in bodies.items():
        (tmp_path / name).write_text(json.dumps(body))
        for command in (["run", "s.dg", "--record", f"Contacts={name}"],
                        ["record", "create", "Contacts", "--data", f"@{name}"]):
            out = dg(*command, cwd=tmp_path)
            assert out.returncode == 2, (command, out.stderr)
            assert f'{name} is a Zoho API body with {count} in its "data" list' in out.stderr
            assert_clean(out)
    (tmp_path / "one.json").write_text('{"data": [{"Last_Name": "A"}], "info": {}}')
    out = dg("run", "s.dg", "--record", "Contacts=one.json", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, "A\n")
    # An object with other keys is a record, even with a "data" field that is a list.
    (tmp_path / "rec.json").write_text('{"data": [], "Last_Name": "B"}')
    out = dg("run", "s.dg", "--record", "Contacts=rec.json", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, "B\n")


def test_run_record_module_must_be_a_module_api_name(tmp_path):
    (tmp_path / "s.dg").write_text("info input.Last_Name;\n")
    (tmp_path / "r.json").write_text('{"Last_Name": "A"}')
    for module in ("1Contacts", "Con tacts", "Deals-X"):
        out = dg("run", "s.dg", "--record", f"{module}=r.json", cwd=tmp_path)
        assert out.returncode == 2
        assert f"--record {module!r} is not a module API name" in out.stderr
    out = dg("run", "s.dg", "--record", "Vendors_X=r.json", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, "A\n")


def test_check_of_a_directory_checks_every_dg_file_under_it_in_name_order(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / ".hidden").mkdir()
    (tmp_path / "d" / "z.dg").write_text("info zz;\n")
    (tmp_path / "d" / "sub" / "b.dg").write_text("info bb;\n")
    (tmp_path / "d" / "a.dg").write_text("x = 1;\ninfo x;\n")
    (tmp_path / "d" / ".hidden" / "h.dg").write_text("y = ;\n")
    (tmp_path / "d" / "notes.txt").write_text("not deluge")
    (tmp_path / "empty").mkdir()
    out = dg("check", "d", "--json", cwd=tmp_path)
    assert out.returncode == 65
    problems = json.loads(out.stdout)["problems"]
    assert [(p["file"], p["message"]) for p in problems] == [
        (os.path.join("d", "sub", "b.dg"), "Variable 'bb' is not defined"),
        (os.path.join("d", "z.dg"), "Variable 'zz' is not defined")]
    out = dg("check", "d", cwd=tmp_path)
    assert "d/sub/b.dg:1:6: error: Variable 'bb' is not defined".replace("/", os.sep) in out.stderr
    assert "2 errors found" in out.stderr
    out = dg("check", "empty", "d/a.dg", cwd=tmp_path)
    assert out.returncode == 2
    assert "dg check: no .dg files under empty" in out.stderr
    (tmp_path / "d" / "z.dg").write_text("info 1;\n")
    (tmp_path / "d" / "sub" / "b.dg").write_text("info 2;\n")
    assert dg("check", "d", cwd=tmp_path).returncode == 0


def test_unknown_option_of_a_subcommand_shows_that_subcommands_usage(tmp_path):
    cases = {("run", "--bogus"): "dg run",
             ("check", "f.dg", "--bogus"): "dg check",
             ("record", "create", "Contacts", "--data", "{}", "--bogus", "x"): "dg record create",
             ("workflow", "list", "--zz"): "dg workflow list"}
    for argv, command in cases.items():
        out = dg(*argv, cwd=tmp_path)
        assert out.returncode == 2
        assert out.stderr.startswith(f"usage: {command} ["), out.stderr
        unknown = " ".join(argv[argv.index(next(a for a in argv if a in ("--bogus", "--zz"))):])
        assert f"{command}: error: unrecognized arguments: {unknown}\n" in out.stderr
    out = dg("--bogus", "run", cwd=tmp_path)  # given to dg itself
    assert out.returncode == 2
    assert "dg: error: unrecognized arguments: --bogus" in out.stderr
    # Still only the named subcommand's module loads (with run's program cache, whose
    # directory its --help names).
    probe = ("import sys\nfrom delugelang.cli import main\ntry:\n    main(['run', '--bogus'])\n"
             "except SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith('delugelang.cli.')))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == ("['delugelang.cli.common', 'delugelang.cli.program_cache', "
                                  "'delugelang.cli.run_cmd']")


def test_workflow_list_reports_actions_whose_function_could_not_run(tmp_path):
    rules = _rule_workspace(tmp_path)
    (rules / "welcome.json").write_text(
        '{"module": "Contacts", "trigger": "on create",\n'
        ' "actions": [{"call": "greet", "arguments": {"mail": "#{Contacts.Email}"}},\n'
        '             "call function gone", {"call": "bad"}]}\n')
    (tmp_path / "functions" / "greet.dg").write_text("void greet(string email) { info email; }\n")
    (tmp_path / "functions" / "bad.dg").write_text("info 1;\nif (x) { }\n")
    out = dg("workflow", "list", "--workspace", tmp_path)
    assert out.returncode == 65
    assert "welcome: Contacts on create" in out.stdout  # the rule itself is valid
    rule_file = str(rules / "welcome.json")
    assert (f"{rule_file}:2:47: error: function greet has no argument 'mail' (its arguments: "
            f"email)\n") in out.stderr
    assert f"{rule_file}:3:29: error: the function file functions/gone.dg of gone does not " \
           f"exist" in out.stderr
    assert f"{tmp_path / 'functions' / 'bad.dg'}:2:5: error: Variable 'x' is not defined\n" \
           "   2 | if (x) { }\n" in out.stderr
    listed = json.loads(dg("workflow", "list", "--workspace", tmp_path, "--json").stdout)
    assert [(p["line"], p["column"]) for p in listed["problems"]] == [(2, 47), (3, 29), (2, 5)]
    (tmp_path / "functions" / "gone.dg").write_text("info 1;\n")
    (tmp_path / "functions" / "bad.dg").write_text("info 1;\n")
    fixed = (rules / "welcome.json").read_text().replace('"mail"', '"email"')
    (rules / "welcome.json").write_text(fixed)
    out = dg("workflow", "list", "--workspace", tmp_path)
    assert (out.returncode, out.stderr) == (0, "")
