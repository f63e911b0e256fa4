"""`dg record`: every verb, --json output, clear errors and exit codes."""

from __future__ import annotations

import json

import pytest

from delugelang.cli import main


@pytest.fixture
def dg(tmp_path, capsys):
    def call(*argv):
        code = main(list(argv) + ["--workspace", str(tmp_path)])
        out = capsys.readouterr()
        return code, out.out, out.err
    return call


def test_create_get_update_search_list(dg, tmp_path):
    code, out, _ = dg("record", "create", "Contacts", "--json", "--data",
                      '{"Last_Name": "Byrne", "Mailing_Country": "Ireland"}')
    assert code == 0
    record = json.loads(out)["record"]
    code, out, _ = dg("record", "get", "Contacts", record["id"])
    assert code == 0 and "Last_Name: Byrne" in out
    (tmp_path / "patch.json").write_text('{"Phone": "555"}')
    code, out, _ = dg("record", "update", "Contacts", record["id"], "--data",
                      f"@{tmp_path / 'patch.json'}")
    assert code == 0 and record["id"] in out
    code, out, _ = dg("record", "search", "Contacts", "--criteria",
                      "(Mailing_Country:equals:Ireland)", "--json")
    assert [r["Phone"] for r in json.loads(out)] == ["555"]
    code, out, _ = dg("record", "list", "Contacts")
    assert code == 0 and "Byrne" in out and "1 record" in out
    code, out, _ = dg("record", "modules", "--json")
    assert {"module": "Contacts", "records": 1} in json.loads(out)


def test_errors_are_clear(dg):
    code, _, err = dg("record", "create", "Contacts", "--data", '{"Email": ')
    assert code == 2 and "not valid JSON" in err and "column" in err
    code, _, err = dg("record", "create", "Contacts", "--data", '{"Email": "a@x"}')
    assert code == 65 and "needs a value for Last_Name (MANDATORY_NOT_FOUND)" in err
    code, _, err = dg("record", "get", "Contacts", "123")
    assert code == 65 and "no Contacts record with id 123" in err
    code, _, err = dg("record", "search", "Contacts", "--criteria", "(Last_Name:eq:x)")
    assert code == 2 and "unknown operator 'eq'" in err and "^" in err
    code, _, err = dg("record", "list", "Nope")
    assert code == 65 and "no module named 'Nope'" in err


def test_import_reports_bad_rows(dg, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("Last_Name,Email\nA,a@x\n,b@x\nC,c@x\n")
    code, out, err = dg("record", "import", "Contacts", str(path))
    assert code == 65
    assert "imported 2 of 3 rows into Contacts" in out
    assert "row 3: a Contacts record needs a value for Last_Name" in err
    code, out, _ = dg("record", "import", "Contacts", str(path), "--json", "--batch-size", "1")
    report = json.loads(out)
    assert report["imported"] == 2 and report["failed"][0]["row"] == 3


def test_help_explains_the_verbs(capsys):
    with pytest.raises(SystemExit):
        main(["record", "--help"])
    text = capsys.readouterr().out
    assert "dg record search Contacts --criteria" in text and "import" in text


def test_a_missing_workspace_is_refused(tmp_path, capsys):
    code = main(["record", "list", "Leads", "--workspace", str(tmp_path / "typo")])
    assert code == 2 and "is not a directory" in capsys.readouterr().err
    assert not (tmp_path / "typo").exists()
