"""Rule files: what a valid rule reads as, and the message for each kind of mistake."""

from __future__ import annotations

import json

import pytest

from delugelang.cli import main
from delugelang.workflow import RuleError, RuleFiles

GOOD = {"module": "Contacts", "trigger": "on create", "criteria": "Mailing_Country is Ireland",
        "actions": [{"call": "add_contact", "arguments": {"email": "#{Contacts.Email}"}}]}


def load(ws, **changes):
    ws.rule("r", **{**GOOD, **changes})
    return RuleFiles(ws.root).load("r")


def test_a_valid_rule(ws):
    rule = load(ws)
    assert rule.module == "Contacts" and rule.trigger.describe() == "on create"
    assert rule.matches({"Mailing_Country": "ireland"})
    action, = rule.actions
    assert action.file == "functions/add_contact.dg"
    assert action.arguments["email"].render({"Email": "a@x"}) == "a@x"


@pytest.mark.parametrize("trigger, kind, changed, fires", [
    ("on create", "create", {"A"}, True),
    ("on create", "edit", {"A"}, False),
    ("on edit", "edit", {"A"}, True),
    ("on create or edit", "create", {"A"}, True),
    ("on create or edit", "edit", set(), True),
    ("on field update of Mailing_Country", "edit", {"Mailing_Country"}, True),
    ("on field update of Mailing country", "edit", {"mailing_country"}, True),
    ("on field update of Mailing_Country", "edit", {"Email"}, False),
    ("on field update of Mailing_Country", "create", {"Mailing_Country"}, False),
    ("on field update of Email, Phone", "edit", {"Phone"}, True),
])
def test_triggers(ws, trigger, kind, changed, fires):
    assert load(ws, trigger=trigger).trigger.fires(kind, frozenset(changed)) is fires


def test_action_in_words_and_merge_values(ws):
    rule = load(ws, actions=["call function notify"])
    assert rule.actions[0].function == "notify" and rule.actions[0].arguments == {}
    rule = load(ws, actions=[{"call": "f", "arguments": {
        "score": "#{Contacts.Score}", "line": "Hi #{Contacts.First_Name} (#{Contacts.Score})"}}])
    args = rule.actions[0].arguments
    record = {"Score": 12, "First_Name": None}
    assert args["score"].render(record) == 12          # one merge field keeps the value's type
    assert args["line"].render(record) == "Hi  (12)"   # in text, an empty field is blank


@pytest.mark.parametrize("changes, words", [
    ({"trigger": "whenever"}, "trigger: unknown trigger 'whenever'; use one of: on create"),
    ({"modul": "x"}, "unknown key 'modul'"),
    ({"module": "Con tacts"}, "\"module\" must name the module"),
    ({"actions": []}, "\"actions\" must be a list with at least one action"),
    ({"actions": ["send an email"]}, "unknown action 'send an email'"),
    ({"actions": [{"call": "f", "file": "../../outside.dg"}]}, "is outside the workspace"),
    ({"actions": [{"call": "f", "arguments": {"e": "#{Leads.Email}"}}]},
     "names the module 'Leads', but the rule is on Contacts"),
    ({"actions": [{"call": "f", "arguments": {"e": "#{Contacts.Email"}}]},
     "a merge field is not closed"),
    ({"enabled": "yes"}, "\"enabled\" must be true or false"),
    ({"name": "other"}, "differs from its file name"),
])
def test_mistakes_are_named(ws, changes, words):
    with pytest.raises(RuleError) as err:
        load(ws, **changes)
    assert words in err.value.message


def test_bad_criteria_points_into_the_file(ws):
    with pytest.raises(RuleError) as err:
        load(ws, criteria="Mailing_Country is Ireland AND")
    rendered = err.value.render()
    source_line = json.dumps({**GOOD, "criteria": "Mailing_Country is Ireland AND"},
                             indent=2).splitlines()[err.value.line - 1]
    assert "criteria: expected a field name" in rendered
    assert source_line.strip().startswith('"criteria"')
    caret_line = rendered.splitlines()[-1]
    gutter = len(f"{err.value.line:>4} | ")
    assert source_line[caret_line.index("^") - gutter] == '"'  # the end of the criteria text
    assert rendered.startswith(f"{ws.root / 'workflows' / 'r.json'}:{err.value.line}:")


def test_bad_json_shows_the_line(ws):
    (ws.root / "workflows" / "broken.json").write_text('{\n  "module": "Contacts",\n  oops\n}')
    with pytest.raises(RuleError) as err:
        RuleFiles(ws.root).load("broken")
    assert err.value.line == 3 and "not valid JSON" in err.value.message


def test_workflow_list_reports_valid_rules_and_problems(ws, capsys):
    ws.rule("irish", **GOOD)
    ws.rule("broken", **{**GOOD, "trigger": "sometimes"})
    ws.function("add_contact", "void add_contact(string email) { info email; }")
    code = main(["workflow", "list", "--workspace", str(ws.root)])
    out = capsys.readouterr()
    assert code == 65
    assert "irish: Contacts on create" in out.out and "Mailing_Country is Ireland" in out.out
    assert "broken.json" in out.err and "unknown trigger 'sometimes'" in out.err
    code = main(["workflow", "list", "--workspace", str(ws.root), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in data["rules"]] == ["irish"] and len(data["problems"]) == 1


def test_action_problems_name_each_function_that_could_not_run(ws):
    from delugelang.workflow.rules import action_problems
    ws.rule("r", module="Contacts", trigger="on create", actions=[
        {"call": "missing"},
        {"call": "greet", "arguments": {"email": "#{Contacts.Email}", "nmae": "#{Contacts.Email}"}},
        {"call": "other", "file": "functions/greet.dg"},
        {"call": "broken"},
        {"call": "unchecked"},
        {"call": "body", "arguments": {"x": "#{Contacts.Email}"}},
        {"call": "automation.greet", "file": "functions/greet.dg",
         "arguments": {"name": "#{Contacts.Email}"}},
        "call function body"])
    ws.function("greet", "void automation.greet(string email, string name)\n{\n\tinfo email;\n}\n")
    ws.function("broken", "x = ;\n")
    ws.function("unchecked", "info totl;\ninfo y;\n")
    ws.function("body", "info 1;\n")
    problems = action_problems(ws.root, RuleFiles(ws.root).load("r"))
    rule_file = ws.root / "workflows" / "r.json"
    rule_text = rule_file.read_text()

    def at(text, after=None):  # 1-based line and column of `"text"` in the rule file
        offset = rule_text.index(json.dumps(text), rule_text.index(after) if after else 0) + 1
        return rule_text.count("\n", 0, offset) + 1, offset - rule_text.rfind("\n", 0, offset)

    got = [(p.path, p.kind, (p.line, p.column), p.message) for p in problems]
    assert got == [
        (rule_file, "check", at("missing"), "the function file functions/missing.dg of missing "
                                            "does not exist"),
        (rule_file, "check", at("nmae"), "function automation.greet has no argument 'nmae' "
                                         "(its arguments: email, name)"),
        (rule_file, "check", at("other"), "functions/greet.dg defines no function other "
                                          "(its functions: automation.greet)"),
        (ws.root / "functions" / "broken.dg", "syntax", (1, 5),
         "expected an expression or a statement but found ';'"),
        (ws.root / "functions" / "unchecked.dg", "check", (1, 6), "Variable 'totl' is not defined"),
        (ws.root / "functions" / "unchecked.dg", "check", (2, 6), "Variable 'y' is not defined"),
        (rule_file, "check", at("x", after='"body"'),
         "functions/body.dg declares no function, so it takes no arguments; declare one, "
         "like: void body(string x) { ... }")]
    assert "^" in problems[3].render() and "x = ;" in problems[3].render()


def test_action_problems_of_a_valid_rule_are_none(ws):
    from delugelang.workflow.rules import action_problems
    ws.rule("r", **GOOD)
    ws.function("add_contact", "void add_contact(string email) { info email; }")
    assert action_problems(ws.root, RuleFiles(ws.root).load("r")) == []
    (ws.root / "functions" / "add_contact.dg").write_bytes(b"info '\xff';")
    problem, = action_problems(ws.root, RuleFiles(ws.root).load("r"))
    assert problem.message == ("the function file functions/add_contact.dg of add_contact is "
                               "not UTF-8 text")
