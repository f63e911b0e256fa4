"""Test files are checked before anything runs, with errors naming the file and the case."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from delugelang.testing import SpecError, load_test_file


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f.dg").write_text("void f(string a)\n{\n\tinfo a;\n}\n")
    return tmp_path


def write(workdir: Path, data, name="f.test.json") -> Path:
    path = workdir / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def error_of(workdir, data, name="f.test.json") -> str:
    with pytest.raises(SpecError) as info:
        load_test_file(write(workdir, data, name))
    return str(info.value)


def case(**fields):
    return {"cases": [dict({"name": "c1", "expect": {}}, **fields)]}


def test_a_valid_file_with_defaults_and_overrides(workdir):
    (workdir / "rec.json").write_text(json.dumps({"data": [{"id": "9", "a": "x"}]}))
    path = write(workdir, {
        "function": "f", "record": {"module": "Leads", "file": "rec.json"},
        "fixtures": {"http": [{"url": "https://x.test/"}]}, "limits": {"statements": 50},
        "cases": [
            {"name": "one", "expect": {"info": ["x"]}},
            {"name": "two", "args": {"a": "y"}, "fixtures": {"connectors": {"c.a": {}}},
             "now": "2024-05-01T09:30:00Z", "timezone": "Europe/Dublin",
             "skip": "later", "expect": {"return": None}},
        ]})
    test_file = load_test_file(path)
    assert test_file.script == workdir / "f.dg"
    one, two = test_file.cases
    assert one.function == "f" and one.record.module == "Leads"
    assert one.record.fields == {"id": "9", "a": "x"}  # a Zoho API response is unwrapped
    assert one.limits == {"statements": 50}
    assert two.fixtures == {"http": [{"url": "https://x.test/"}], "connectors": {"c.a": {}}}
    assert two.skip == "later" and two.timezone == "Europe/Dublin"
    assert two.now.isoformat() == "2024-05-01T09:30:00+00:00"


def test_invalid_json_names_line_and_column(workdir):
    message = error_of(workdir, '{\n  "cases": [\n    {"name": "x",}\n  ]\n}')
    assert message.startswith("f.test.json:3:")
    assert "not valid JSON" in message


@pytest.mark.parametrize("data,expected", [
    ([], "must hold one JSON object"),
    ({"cases": []}, '"cases" must be a non-empty list'),
    ({"cases": [{"expect": {}}]}, 'case 1 needs a "name"'),
    ({"cases": [{"name": "a", "expect": {}}, {"name": "a", "expect": {}}]},
     "two cases are named 'a'"),
    ({"tests": [], "cases": [{"name": "a", "expect": {}}]}, "unknown key 'tests'"),
    (case(expect=None), "case 'c1': \"expect\" is missing"),
    (case(expect={"returns": 1}), "case 'c1': \"expect\" has unknown key 'returns'"),
    (case(expect={"return": 1, "error": {"kind": "runtime"}}), "both \"return\" and \"error\""),
    (case(expect={"info": "hello"}), "expect \"info\" must be a list of texts"),
    (case(expect={"error": {"kind": "syntax"}}), "kind must be one of limit, runtime"),
    (case(expect={"error": {"text": "x"}}), "unknown key 'text'"),
    (case(expect={"error": {"line": "3"}}), "line must be a line number"),
    (case(expect={"http": {"url": "x"}}), "expect \"http\" must be a list of objects"),
    (case(args=[1]), '"args" must be an object'),
    (case(record={"fields": {}}), '"record" must be {"module"'),
    (case(record={"module": "Leads"}), "exactly one of \"fields\" and \"file\""),
    (case(record={"module": "Leads", "file": "nope.json"}), "nope.json cannot be read"),
    (case(fixtures={"record": {}}), "\"fixtures\" has unknown key 'record'"),
    (case(fixtures={"records": {"Leads": {"id": 1}}}), 'fixtures "records" must map'),
    (case(fixtures={"http": [{"method": "GET"}]}), 'each with a "url"'),
    (case(fixtures={"connectors": {"a.b": 200}}), 'fixtures "connectors" must map'),
    (case(fixtures="missing.json"), "missing.json cannot be read"),
    (case(now="tomorrow"), '"now" must be an ISO 8601 date-time'),
    (case(timezone="Mars/Olympus"), '"timezone" must be a time zone name'),
    (case(limits={"statement": 5}), "unknown limit 'statement'"),
    (case(limits={"statements": 0}), "must be positive"),
    (case(skip=True), '"skip" must be a text'),
])
def test_invalid_files_say_where_and_what_was_expected(workdir, data, expected):
    message = error_of(workdir, data)
    assert message.startswith("f.test.json:")
    assert expected in message


def test_the_script_defaults_to_the_name_beside_the_test_file(workdir):
    message = error_of(workdir, case(), name="g.test.json")
    assert "the script g.dg does not exist" in message
    assert "script" in error_of(workdir, dict(case(), script=5))
    path = write(workdir, dict(case(), script="f.dg"), name="other.test.json")
    assert load_test_file(path).script == workdir / "f.dg"


def test_paths_outside_the_current_directory_stay_absolute(workdir, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "f.test.json").write_text(json.dumps({"cases": 3}))
    (elsewhere / "f.dg").write_text("return 1;\n")
    with pytest.raises(SpecError) as info:
        load_test_file(elsewhere / "f.test.json")
    assert str(info.value).startswith(os.fspath(elsewhere / "f.test.json") + ":")
