"""The `dg run` / `dg check` command-line contract (DESIGN.md): stdin, flags, --json, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DG = [sys.executable, "-m", "delugelang.cli"]

JSON_KEYS = {"ok", "return", "info", "error", "stats"}


def dg(*args, stdin: str | None = None, cwd=None):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(DG + list(args), input=stdin, capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=60)


def check_json_schema(obj: dict):
    assert set(obj) == JSON_KEYS
    assert isinstance(obj["ok"], bool)
    assert isinstance(obj["info"], list) and all(isinstance(x, str) for x in obj["info"])
    assert set(obj["stats"]) == {"statements", "ms"}
    assert isinstance(obj["stats"]["statements"], int)
    assert isinstance(obj["stats"]["ms"], (int, float))
    if obj["error"] is not None:
        assert set(obj["error"]) == {"kind", "message", "line", "column"}
        assert obj["error"]["kind"] in ("syntax", "check", "runtime", "limit")


def test_stdin_script_prints_info():
    out = dg("run", "-", stdin='x = 5;\ninfo "Count: " + x;\n')
    assert (out.returncode, out.stdout, out.stderr) == (0, "Count: 5\n", "")


def test_json_output_matches_schema():
    out = dg("run", "-", "--json", stdin='info "a";\nreturn {"n": 1, "d": 2.5, '
                                         '"when": \'01-Jan-2020\', "l": {1, "x"}};')
    obj = json.loads(out.stdout)
    check_json_schema(obj)
    assert obj["ok"] is True and obj["info"] == ["a"]
    assert obj["return"] == {"n": 1, "d": 2.5, "when": "01-Jan-2020", "l": [1, "x"]}


@pytest.mark.parametrize("source,code,kind", [
    ("x = ;", 65, "syntax"),
    ("info y;", 65, "check"),
    ("x = 1 / 0;", 1, "runtime"),
    ("for each a in {1,2,3,4,5,6,7,8,9,10} { for each b in {1,2,3,4,5,6,7,8,9,10} "
     "{ for each c in {1,2,3,4,5,6,7,8,9,10} { for each d in {1,2,3,4,5,6,7,8,9,10} "
     "{ x = 1; } } } }", 1, "limit"),
])
def test_exit_codes_and_error_kinds(source, code, kind):
    out = dg("run", "-", "--json", "--profile", "creator", stdin=source)
    assert out.returncode == code
    obj = json.loads(out.stdout)
    check_json_schema(obj)
    assert obj["ok"] is False and obj["error"]["kind"] == kind
    assert obj["error"]["line"] == 1


def test_usage_errors_exit_2():
    assert dg("run", "no-such-file.dg").returncode == 2
    assert dg("run", "-", "--arg", "novalue", stdin="return 1;").returncode == 2
    assert dg("run", "-", "--limit", "bogus=1", stdin="return 1;").returncode == 2
    assert dg("frobnicate").returncode == 2


def test_errors_show_source_line_and_caret():
    out = dg("run", "-", stdin="a = 1;\nb = a +;\n")
    assert out.returncode == 65
    lines = out.stderr.splitlines()
    assert lines[0].startswith("<stdin>:2:8: syntax error: expected")
    assert lines[1].endswith("b = a +;")
    assert lines[2].index("^") == lines[1].index(";")


def test_function_args_and_record(tmp_path):
    script = tmp_path / "f.dg"
    script.write_text("int helper(int a) { return a; }\n"
                      "string notify(int id, string Email) { return Email + \"#\" + id; }\n")
    record = tmp_path / "c.json"
    record.write_text(json.dumps({"Email": "ada@example.com"}))
    out = dg("run", str(script), "--function", "notify", "--arg", "id=42",
             "--record", f"Contacts={record}", "--json")
    assert json.loads(out.stdout)["return"] == "ada@example.com#42"
    out = dg("run", str(script), "--function", "notify", "--args-json", '{"id": 7, "Email": "x"}')
    assert out.stdout.strip() == "x#7"


def test_check_reports_every_error(tmp_path):
    bad = tmp_path / "bad.dg"
    bad.write_text("info a;\nbreak;\nx = isNull(1, 2);\n")
    out = dg("check", str(bad))
    assert out.returncode == 65
    assert out.stderr.count("error:") == 3
    good = tmp_path / "good.dg"
    good.write_text("x = 1;\n")
    assert dg("check", str(good)).returncode == 0
    obj = json.loads(dg("check", str(bad), "--json").stdout)
    assert obj["ok"] is False and [p["line"] for p in obj["problems"]] == [1, 2, 3]


def test_fixtures_stub_connectors_and_http(tmp_path):
    fixtures = tmp_path / "fx.json"
    fixtures.write_text(json.dumps({
        "connectors": {"mailer.send": {"status_code": 200, "response": {"ok": True}}},
        "http": [{"method": "GET", "url": "https://api.example.test/x", "status": 200,
                  "headers": {}, "body": "{\"n\": 3}"}],
        "records": {"Leads": [{"id": "1", "Company": "Zylker"}]},
    }))
    source = ('r = zoho.crm.invokeConnector("mailer.send", {"to": "a"});\n'
              'info r.get("status_code");\n'
              'h = invokeurl [ url: "https://api.example.test/x" type: GET ];\n'
              'info h.get("n");\n'
              'info zoho.crm.getRecordById("Leads", 1).get("Company");\n')
    out = dg("run", "-", "--fixtures", str(fixtures), stdin=source)
    assert out.stdout.splitlines() == ["200", "3", "Zylker"], out.stderr


def test_info_output_escapes_control_characters():
    out = dg("run", "-", stdin='info "line\\nforged\\u001b[31m";')
    assert out.stdout == "line\\nforged\\x1b[31m\n"


def test_limits_listing():
    out = dg("run", "-", "--limits")
    assert "statements" in out.stdout and "200000" in out.stdout
