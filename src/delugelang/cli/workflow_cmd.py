"""`dg workflow`: list the workspace's rules, show their run log, and dry-run one."""

from __future__ import annotations

import argparse
import sys

from . import EXIT_DATAERR, EXIT_OK, EXIT_RUNTIME
from .common import (
    WORKSPACE_HELP,
    UsageError,
    existing_workspace,
    first_record,
    guarded,
    parse_json,
    print_json,
    read_text,
    run_details,
)

EPILOG = """\
Rules are files workflows/<rule>.json in the workspace:

  {"module": "Contacts",
   "trigger": "on create",
   "criteria": "Mailing_Country is Ireland AND Email is not empty",
   "actions": [{"call": "add_contact",
                "arguments": {"email": "#{Contacts.Email}"}}]}

trigger: on create | on edit | on create or edit | on field update of FIELD[, FIELD]
criteria: FIELD is|is not|contains|does not contain|starts with|ends with VALUE,
          FIELD is empty|is not empty, FIELD < > <= >= VALUE, joined by AND/OR, (grouped)
actions: call a function in functions/<name>.dg (or "file"), arguments from merge fields
repeat: true runs an edit rule on every edit (default: once per record, as in Zoho)

examples:
  dg workflow list
  dg workflow log --rule irish_contacts --json
  dg workflow test irish_contacts --record contact.json
"""


def register(sub) -> None:
    wf = sub.add_parser("workflow", help="list workflow rules, show their log, dry-run one",
                        description="Workflow rules run Deluge functions when records are "
                                    "created or edited.",
                        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = wf.add_subparsers(dest="verb", metavar="VERB", required=True)

    def verb(name: str, help_text: str, handler):
        p = verbs.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--workspace", metavar="DIR", help=WORKSPACE_HELP)
        p.add_argument("--json", action="store_true", help="print JSON")
        p.set_defaults(handler=guarded(handler, "dg workflow", _rule_error))
        return p

    verb("list", "list the rules, and report every rule file that is not valid and every "
                 "action whose function file is missing, does not compile, or lacks the "
                 "called function or a mapped argument", _list)
    log = verb("log", "show the latest rule runs, oldest first", _log)
    log.add_argument("--rule", metavar="RULE", help="only this rule's runs")
    log.add_argument("--limit", type=int, default=50, help="how many runs (default 50)")
    test = verb("test", "dry-run a rule against a record: match or not, and run its "
                        "functions without writing anything", _test)
    test.add_argument("rule", metavar="RULE", help="the rule's name (its file name)")
    test.add_argument("--record", required=True, metavar="FILE.json",
                      help="the record, as a JSON object of field API names to values")
    test.add_argument("--event", choices=["create", "edit"], default="create",
                      help="the write to pretend (default create)")
    test.add_argument("--changed", metavar="FIELD", action="append",
                      help="with --event edit: a field the edit changed (default: all)")
    test.add_argument("--fixtures", metavar="FILE.json",
                      help="stub records, connector and HTTP responses (as for dg run)")


def _rule_error(exc) -> str | None:
    """An invalid or unknown rule, shown at its place (exit code 65); None otherwise."""
    from delugelang.workflow import RuleError
    return exc.render() if isinstance(exc, RuleError) else None


def _list(args) -> int:
    from delugelang.workflow import RuleFiles
    from delugelang.workflow.rules import action_problems
    workspace = existing_workspace(args)
    rules, problems = RuleFiles(workspace).load_all()
    seen = set()  # a function file two rules call is reported once
    for rule in rules:
        for problem in action_problems(workspace, rule):
            key = (str(problem.path), problem.line, problem.column, problem.message)
            if key not in seen:
                seen.add(key)
                problems.append(problem)
    if args.json:
        print_json({"rules": [_rule_json(r) for r in rules],
                     "problems": [{"file": str(p.path), "message": p.message, "line": p.line,
                                   "column": p.column} for p in problems]})
    else:
        if not rules and not problems:
            print(f"no workflow rules in {workspace / 'workflows'}")
        for rule in rules:
            state = "" if rule.enabled else " (disabled)"
            again = ", every edit" if rule.repeat and "edit" in rule.trigger.events else ""
            print(f"{rule.name}{state}: {rule.module} {rule.trigger.describe()}{again}")
            print(f"  criteria: {rule.criteria or '(every record)'}")
            for action in rule.actions:
                print(f"  action: {action.describe()}")
        for problem in problems:
            print(problem.render(), file=sys.stderr)
    return EXIT_DATAERR if problems else EXIT_OK


def _rule_json(rule) -> dict:
    return {"name": rule.name, "module": rule.module, "trigger": rule.trigger.describe(),
            "criteria": rule.criteria, "enabled": rule.enabled, "repeat": rule.repeat,
            "actions": [{"call": a.function, "file": a.file,
                         "arguments": {k: t.text for k, t in a.arguments.items()}}
                        for a in rule.actions]}


def _log(args) -> int:
    from delugelang.workflow import WorkflowLog
    from delugelang.workflow.services import has_state
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    runs = []
    workspace = existing_workspace(args)
    if has_state(workspace):
        from delugelang.state import StateStore
        runs = WorkflowLog(StateStore(workspace)).entries(args.rule, args.limit)
    if args.json:
        print_json([r.to_json() for r in runs])
        return EXIT_OK
    if not runs:
        print("no workflow runs yet" + (f" for {args.rule}" if args.rule else ""))
    for run in runs:
        print(f"{run.at}  {run.rule}  {run.module} {run.record_id} ({run.event})  "
              f"{run.function}: {run.status}  {run.ms:.1f} ms")
        for line in run_details(run):
            print(f"    {line}")
    return EXIT_OK


def _test(args) -> int:
    from delugelang.records import RecordStore
    from delugelang.workflow import WorkflowEngine
    record = _read_record(args.record)
    fixtures = None
    if args.fixtures:
        from delugelang.fixtures import load_fixtures
        try:
            fixtures = load_fixtures(args.fixtures)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    workspace = existing_workspace(args)
    engine = WorkflowEngine(workspace, RecordStore.open(workspace, workflows=False))
    changed = frozenset(args.changed) if args.changed else None
    outcome = engine.test(args.rule, record, event=args.event, changed=changed, fixtures=fixtures)
    failed = any(r.status != "ok" for r in outcome.runs)
    if args.json:
        print_json({"rule": outcome.rule.name, "matched": outcome.matched,
                     "reason": outcome.reason, "runs": [r.to_json() for r in outcome.runs]})
        return EXIT_RUNTIME if failed else EXIT_OK
    print(f"{outcome.rule.name}: {'match' if outcome.matched else 'no match'} "
          f"({outcome.reason})")
    for run in outcome.runs:
        print(f"  {run.function}: {run.status} (dry run: nothing was written)")
        for line in run_details(run):
            print(f"    {line}")
    return EXIT_RUNTIME if failed else EXIT_OK


def _read_record(path: str) -> dict:
    data = first_record(parse_json(read_text(path), path), path)
    if not isinstance(data, dict):
        raise UsageError(f"{path} must hold one JSON object (the record's fields)")
    return data
