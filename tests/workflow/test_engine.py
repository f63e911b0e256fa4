"""Rules fire from every entry point, stay bounded, never lose a write, log each run, dry-run."""

from __future__ import annotations

import json

import pytest

import delugelang
from delugelang.cli import main
from delugelang.workflow import MAX_DEPTH, WorkflowEngine

GREET = '''string greet(string email, string name)
{
    info "welcome " + name + " <" + email + ">";
    return email;
}
'''


@pytest.fixture
def irish(ws):
    ws.rule("irish", module="Contacts", trigger="on create",
            criteria="Mailing country is Ireland",
            actions=[{"call": "greet", "arguments": {"email": "#{Contacts.Email}",
                                                     "name": "#{Contacts.First_Name}"}}])
    ws.function("greet", GREET)
    return ws


def test_python_api_create_fires_only_matching_rules(irish):
    store = irish.store()
    ie = store.create("Contacts", {"Last_Name": "Byrne", "First_Name": "Aoife",
                                   "Email": "a@x.ie", "Mailing_Country": "Ireland"})
    store.create("Contacts", {"Last_Name": "Martin", "Email": "m@x.fr",
                              "Mailing_Country": "France"})
    runs = store.workflows.log.entries()
    assert len(runs) == 1
    run = runs[0]
    assert (run.rule, run.module, run.record_id, run.event, run.function, run.status) == \
        ("irish", "Contacts", ie["id"], "create", "greet", "ok")
    assert run.info == ("welcome Aoife <a@x.ie>",) and run.result == "a@x.ie"
    assert run.error is None and run.ms >= 0 and run.at.endswith("+00:00")


def test_dg_record_create_fires_rules_and_reports_them(irish, capsys):
    code = main(["record", "create", "Contacts", "--workspace", str(irish.root), "--data",
                 '{"Last_Name": "Byrne", "Email": "a@x.ie", "Mailing_Country": "Ireland"}'])
    out = capsys.readouterr()
    assert code == 0 and "workflow irish: greet ok" in out.out
    assert '  info: welcome  <a@x.ie>\n  returned: "a@x.ie"' in out.out
    code = main(["record", "create", "Contacts", "--workspace", str(irish.root), "--json",
                 "--data", '{"Last_Name": "Kelly", "Mailing_Country": "Ireland"}'])
    data = json.loads(capsys.readouterr().out)
    assert data["workflows"][0]["status"] == "ok"
    code = main(["record", "create", "Contacts", "--workspace", str(irish.root),
                 "--no-workflows", "--data", '{"Last_Name": "Ryan", "Mailing_Country": "Ireland"}'])
    assert len(irish.store().workflows.log.entries()) == 2


def test_zoho_crm_task_fires_rules_only_with_the_workflow_trigger(irish):
    store = irish.store()
    code = ('zoho.crm.createRecord("Contacts", {"Last_Name": "A", "Mailing_Country": "Ireland"});\n'
            'zoho.crm.createRecord("Contacts", {"Last_Name": "B", "Mailing_Country": "Ireland"},'
            ' {"trigger": ["workflow"]});')
    delugelang.compile(code).run(services=delugelang.Services(records=store))
    runs = store.workflows.log.entries()
    assert len(runs) == 1 and store.get("Contacts", runs[0].record_id)["Last_Name"] == "B"


def test_dg_run_with_a_workspace_uses_its_store_and_rules(irish, capsys):
    irish.store().create("Contacts", {"Last_Name": "Seed", "Mailing_Country": "Spain"})
    script = irish.root / "s.dg"
    script.write_text('r = zoho.crm.createRecord("Contacts", {"Last_Name": "C", '
                      '"Mailing_Country": "Ireland"}, {"trigger": ["workflow"]});\n'
                      'info zoho.crm.getRecords("Contacts").size();\n')
    assert main(["run", str(script), "--workspace", str(irish.root)]) == 0
    assert capsys.readouterr().out.splitlines() == ["2"]
    assert [r.status for r in irish.store().workflows.log.entries()] == ["ok"]
    fixtures = irish.root / "fx.json"
    fixtures.write_text(json.dumps({"records": {"Contacts": []}}))
    assert main(["run", str(script), "--workspace", str(irish.root), "--fixtures",
                 str(fixtures)]) == 0
    assert capsys.readouterr().out.splitlines() == ["1"]   # fixtures stub on top of the store
    assert len(irish.store().list("Contacts")) == 2


def test_edit_and_field_update_triggers(ws):
    ws.function("note", 'void note(string id) { info "ran for " + id; }')
    ws.rule("on_edit", module="Leads", trigger="on edit", actions=["call function note"],
            repeat=True)
    ws.rule("on_country", module="Leads", trigger="on field update of Country",
            criteria="Country is not empty", actions=["call function note"], repeat=True)
    ws.rule("once", module="Leads", trigger="on edit", actions=["call function note"])
    store = ws.store()
    lead = store.create("Leads", {"Last_Name": "A", "Country": "Ireland"})
    assert store.workflows.log.entries() == []
    store.update("Leads", lead["id"], {"Phone": "1"})
    store.update("Leads", lead["id"], {"Country": "France"})
    store.update("Leads", lead["id"], {"Country": "France"})   # no change: no field update
    assert [r.rule for r in store.workflows.log.entries()] == \
        ["on_edit", "once", "on_country", "on_edit", "on_edit"]  # without repeat: once
    assert store.workflows.log.entries()[0].info == (f"ran for {lead['id']}",)


def test_recursion_is_bounded(ws):
    ws.function("bump", 'void bump(string id, int Amount)\n{\n'
                        '    zoho.crm.updateRecord("Deals", id, {"Amount": Amount + 1},'
                        ' {"trigger": ["workflow"]});\n}\n')
    ws.rule("bump", module="Deals", trigger="on create or edit", actions=["call function bump"],
            repeat=True)
    store = ws.store()
    deal = store.create("Deals", {"Deal_Name": "D", "Stage": "New", "Amount": 0})
    assert store.get("Deals", deal["id"])["Amount"] == MAX_DEPTH
    runs = store.workflows.log.entries()
    assert sorted(r.depth for r in runs if r.status == "ok") == list(range(1, MAX_DEPTH + 1))
    skipped, = [r for r in runs if r.status == "skipped"]
    assert skipped.depth == MAX_DEPTH + 1 and f"at most {MAX_DEPTH} deep" in skipped.error


def test_without_repeat_a_function_editing_its_record_runs_once(ws):
    ws.function("bump", 'void bump(string id, int Amount)\n{\n'
                        '    zoho.crm.updateRecord("Deals", id, {"Amount": Amount + 1},'
                        ' {"trigger": ["workflow"]});\n}\n')
    ws.rule("bump", module="Deals", trigger="on create or edit", actions=["call function bump"])
    store = ws.store()
    deal = store.create("Deals", {"Deal_Name": "D", "Stage": "New", "Amount": 0})
    assert store.get("Deals", deal["id"])["Amount"] == 1
    assert [r.status for r in store.workflows.log.entries()] == ["ok"]


def test_a_failing_function_never_loses_the_write(ws):
    ws.function("broken", 'void broken()\n{\n    info "before";\n    x = 1 / 0;\n}\n')
    ws.rule("broken", module="Leads", trigger="on create", actions=["call function broken"])
    ws.rule("missing", module="Leads", trigger="on create", actions=["call function nowhere"])
    store = ws.store()
    lead = store.create("Leads", {"Last_Name": "Kept"})
    assert store.get("Leads", lead["id"])["Last_Name"] == "Kept"
    runs = {r.rule: r for r in store.workflows.log.entries()}
    assert runs["broken"].status == "error" and runs["broken"].info == ("before",)
    assert runs["broken"].error.startswith("functions/broken.dg:4:")
    assert "cannot read the function file functions/nowhere.dg" in runs["missing"].error


def test_an_invalid_rule_file_does_not_stop_the_others(irish):
    irish.rule("typo", module="Contacts", trigger="on creat", actions=["call function greet"])
    store = irish.store()
    store.create("Contacts", {"Last_Name": "A", "Mailing_Country": "Ireland"})
    assert [r.rule for r in store.workflows.log.entries()] == ["irish"]
    assert [p.path.name for p in store.workflows.problems] == ["typo.json"]


def test_disabled_rules_do_not_fire(irish):
    rule = json.loads((irish.root / "workflows" / "irish.json").read_text())
    irish.rule("irish", **{**rule, "enabled": False})
    store = irish.store()
    store.create("Contacts", {"Last_Name": "A", "Mailing_Country": "Ireland"})
    assert store.workflows.log.entries() == []


def test_dry_run_matches_runs_and_writes_nothing(ws):
    ws.function("copy", 'string copy(string Last_Name)\n{\n'
                        '    r = zoho.crm.createRecord("Leads", {"Last_Name": Last_Name});\n'
                        '    info zoho.crm.getRecordById("Leads", r.get("id")).get("Last_Name");\n'
                        '    return r.get("id");\n}\n')
    ws.rule("copy", module="Contacts", trigger="on create", criteria="Mailing_Country is Ireland",
            actions=["call function copy"])
    store = ws.store()
    engine = WorkflowEngine(ws.root, store)
    outcome = engine.test("copy", {"Last_Name": "Byrne", "Mailing_Country": "Ireland"})
    assert outcome.matched and outcome.runs[0].status == "ok"
    assert outcome.runs[0].info == ("Byrne",)
    assert store.list("Leads") == [] and engine.log.entries() == []
    miss = engine.test("copy", {"Last_Name": "M", "Mailing_Country": "France"})
    assert not miss.matched and "criteria 'Mailing_Country is Ireland' is false" in miss.reason
    edit = engine.test("copy", {"Last_Name": "M", "Mailing_Country": "Ireland"}, event="edit")
    assert not edit.matched and "does not fire on edit" in edit.reason


def test_dg_workflow_test_and_log(irish, capsys):
    record = irish.root / "contact.json"
    record.write_text(json.dumps({"Last_Name": "B", "First_Name": "Aoife", "Email": "a@x.ie",
                                  "Mailing_Country": "Ireland"}))
    code = main(["workflow", "test", "irish", "--record", str(record),
                 "--workspace", str(irish.root)])
    out = capsys.readouterr().out
    assert code == 0 and "irish: match (the criteria 'Mailing country is Ireland' match)" in out
    assert "info: welcome Aoife <a@x.ie>" in out
    assert "nothing was written" in out
    code = main(["workflow", "test", "irish", "--record", str(record), "--event", "edit",
                 "--workspace", str(irish.root), "--json"])
    assert json.loads(capsys.readouterr().out)["matched"] is False
    code = main(["workflow", "test", "nope", "--record", str(record),
                 "--workspace", str(irish.root)])
    assert code == 65 and "no workflow rule named 'nope'" in capsys.readouterr().err
    assert main(["workflow", "log", "--workspace", str(irish.root)]) == 0
    assert "no workflow runs yet" in capsys.readouterr().out
    irish.store().create("Contacts", {"Last_Name": "A", "Email": "e@x", "Mailing_Country": "IE"})
    irish.store().create("Contacts", {"Last_Name": "B", "Email": "b@x",
                                      "Mailing_Country": "Ireland"})
    assert main(["workflow", "log", "--rule", "irish", "--json",
                 "--workspace", str(irish.root)]) == 0
    runs = json.loads(capsys.readouterr().out)
    assert [r["info"] for r in runs] == [["welcome  <b@x>"]]
    assert set(runs[0]) >= {"rule", "record_id", "result", "info", "error", "at", "status"}


def test_the_log_looks_up_runs_by_rule_and_record_through_an_index(tmp_path):
    from delugelang.state import StateStore
    from delugelang.workflow.log import COMPONENT, MIGRATIONS, WorkflowLog
    state = StateStore(tmp_path)
    state.ensure_schema(COMPONENT, MIGRATIONS[:1])  # a workspace from before the index
    log = WorkflowLog(StateStore(tmp_path))
    assert StateStore(tmp_path).schema_versions()[COMPONENT] == len(MIGRATIONS)
    with log.state.transaction() as conn:
        plan = " ".join(row[3] for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT 1 FROM workflow_run WHERE rule = ? AND record_id = ?"
            " AND status != ? LIMIT 1", ("r", "1", "skipped")))
    assert "workflow_run_by_record" in plan
    assert log.has_run("r", "1") is False
