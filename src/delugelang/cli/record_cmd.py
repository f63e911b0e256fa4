"""`dg record`: create, read, update, search, list, delete and import workspace records."""

from __future__ import annotations

import argparse
import signal
import sys

from . import EXIT_DATAERR, EXIT_OK, EXIT_USAGE
from .common import (
    WORKSPACE_HELP,
    UsageError,
    existing_workspace,
    fail,
    first_record,
    guarded,
    parse_json,
    print_json,
    read_text,
    run_details,
    safe_line,
)

COMMAND = "dg record"

EPILOG = """\
Records live in the workspace state (.dg/state.sqlite3). Creating or updating a record
runs the workspace's matching workflow rules (workflows/*.json) unless --no-workflows.

examples:
  dg record create Contacts --data '{"Last_Name": "Byrne", "Mailing_Country": "Ireland"}'
  dg record create Contacts --data @contact.json --json
  dg record get Contacts 4876876000001000001
  dg record update Contacts 4876876000001000001 --data '{"Phone": "555-0100"}'
  dg record search Contacts --criteria "(Mailing_Country:equals:Ireland)"
  dg record list Contacts --per-page 20
  dg record import Contacts contacts.csv
"""


def register(sub) -> None:
    record = sub.add_parser("record", help="create, read, search and import records",
                            description="Manage the workspace's CRM records: Leads, Contacts, "
                                        "Accounts, Deals and custom modules.",
                            epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = record.add_subparsers(dest="verb", metavar="VERB", required=True)

    def verb(name: str, help_text: str, handler, *, module=True, record_id=False, data=False,
             fires=False):
        p = verbs.add_parser(name, help=help_text, description=help_text)
        if module:
            p.add_argument("module", metavar="MODULE", help="module API name, like Contacts")
        if record_id:
            p.add_argument("id", metavar="ID", help="the record's id")
        if data:
            p.add_argument("--data", required=True, metavar="JSON|@FILE",
                           help="the fields as a JSON object, or @file.json")
        if fires:
            p.add_argument("--no-workflows", action="store_true",
                           help="do not run workflow rules for this write")
        p.add_argument("--workspace", metavar="DIR", help=WORKSPACE_HELP)
        p.add_argument("--json", action="store_true", help="print JSON")
        p.set_defaults(handler=guarded(handler, COMMAND, _record_error))
        return p

    verb("create", "create a record", _create, data=True, fires=True)
    verb("get", "show one record", _get, record_id=True)
    verb("update", "update fields of a record", _update, record_id=True, data=True, fires=True)
    verb("delete", "delete a record", _delete, record_id=True)
    search = verb("search", "find records matching Zoho criteria", _search)
    search.add_argument("--criteria", required=True,
                        help='like "(Mailing_Country:equals:Ireland)" or '
                             '"((A:equals:x) and (B:starts_with:y))"')
    listing = verb("list", "list the records of a module, oldest first", _list)
    listing.add_argument("--page", type=int, default=1, help="page number (default 1)")
    listing.add_argument("--per-page", type=int, default=200, help="records per page, 1-200")
    listing.add_argument("--sort-by", metavar="FIELD", help="sort by this field")
    listing.add_argument("--desc", action="store_true", help="sort in descending order")
    verb("modules", "list the modules and their record counts", _modules, module=False)
    imp = verb("import", "import records from a .csv or .json file", _import, fires=True)
    imp.add_argument("file", metavar="FILE", help="a .csv file with a header row, or a .json list")
    imp.add_argument("--batch-size", type=int, default=100,
                     help="rows per committed transaction (default 100)")


# -- plumbing ------------------------------------------------------------------------------

def _store(args):
    from delugelang.records import RecordStore
    store = RecordStore.open(existing_workspace(args))
    if store.workflows is not None and not args.json:
        store.workflows.rules()
        for problem in store.workflows.problems:
            print(f"warning: this rule is ignored:\n{problem.render()}", file=sys.stderr)
    return store


def _record_error(exc) -> str | None:
    """The message of a record store error (exit code 65); None for any other error."""
    from delugelang.records import RecordError
    if isinstance(exc, RecordError):
        return f"{COMMAND}: error: {exc.message} ({exc.code})"
    return None


def _read_data(option: str) -> dict:
    text, where = option, "--data"
    if option.startswith("@"):
        where = option[1:]
        if not where:
            raise UsageError("--data @FILE needs the file's name after the @")
        text = read_text(where)
    data = first_record(parse_json(text, where), where)  # a Zoho API body {"data": [record]}
    if not isinstance(data, dict):
        raise UsageError(f"{where} must hold one JSON object of field API names to values")
    return data


def _print_run(run) -> None:
    """A workflow run, as it finishes: rule, function, status, its info lines and result."""
    head = f"workflow {run.rule}: {run.function} {run.status}"
    print(head + (f": {safe_line(run.error)}" if run.error else ""))
    for line in run_details(run, error=False):
        print(f"  {line}")


def _collect(store) -> list:
    runs: list = []
    if store.workflows is not None:
        store.workflows.observers.append(runs.append)
    return runs


def _print_record(record: dict) -> None:
    for key, value in record.items():
        print(f"{key}: {_cell(value)}")


def _print_table(rows: list[dict], module: str) -> None:
    if not rows:
        print(f"no {module} records")
        return
    from rich.console import Console
    from rich.table import Table

    from delugelang.records.shapes import SYSTEM_FIELDS
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in SYSTEM_FIELDS and key not in columns:
                columns.append(key)
    table = Table(show_edge=False)
    for name in ["id", *columns[:6]]:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*[_cell(row.get(name)) for name in ["id", *columns[:6]]])
    Console().print(table)
    print(f"{len(rows)} record{'s' if len(rows) != 1 else ''}")


def _cell(value) -> str:
    """A field as text: a lookup by its name (else id), an empty field as nothing."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("id")
    return "" if value is None else str(value)


# -- verbs ---------------------------------------------------------------------------------

def _create(args) -> int:
    return _write(args, "created", lambda store, data, fire:
                  store.create(args.module, data, workflows=fire))


def _update(args) -> int:
    return _write(args, "updated", lambda store, data, fire:
                  store.update(args.module, args.id, data, workflows=fire))


def _write(args, done: str, write) -> int:
    """Create or update (`write(store, data, fire_workflows)`), then show the record and
    the workflow runs the write set off."""
    data = _read_data(args.data)
    store = _store(args)
    runs = _collect(store)
    record = write(store, data, not args.no_workflows)
    if args.json:
        print_json({"record": record, "workflows": [r.to_json() for r in runs]})
    else:
        print(f"{done} {store.module(args.module)} record {record['id']}")
        for run in runs:
            _print_run(run)
    return EXIT_OK


def _get(args) -> int:
    record = _store(args).require(args.module, args.id)
    if args.json:
        print_json(record)
    else:
        _print_record(record)
    return EXIT_OK


def _delete(args) -> int:
    store = _store(args)
    if not store.delete(args.module, args.id):
        store.require(args.module, args.id)  # raises the not-found error
    if args.json:
        print_json({"deleted": args.id})
    else:
        print(f"deleted {args.module} record {args.id}")
    return EXIT_OK


def _search(args) -> int:
    from delugelang.records import RecordError
    try:
        rows = _store(args).search(args.module, args.criteria)
    except RecordError as err:
        if err.code != "INVALID_QUERY":
            raise
        from delugelang.criteria import CriteriaError, parse_criteria
        try:
            parse_criteria(args.criteria)
        except CriteriaError as detail:
            fail(COMMAND, f"{detail.message}\n{detail.pointer()}")
        return EXIT_USAGE
    if args.json:
        print_json(rows)
    else:
        _print_table(rows, args.module)
    return EXIT_OK


def _list(args) -> int:
    rows = _store(args).list(args.module, page=args.page, per_page=args.per_page,
                             sort_by=args.sort_by, sort_order="desc" if args.desc else "asc")
    if args.json:
        print_json(rows)
    else:
        _print_table(rows, args.module)
    return EXIT_OK


def _modules(args) -> int:
    modules = _store(args).modules()
    if args.json:
        print_json([{"module": m, "records": n} for m, n in modules])
    else:
        for name, count in modules:
            print(f"{name:24} {count}")
    return EXIT_OK


def _import(args) -> int:
    from delugelang.records.importer import import_rows, read_rows
    if args.batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    try:
        rows = read_rows(args.file)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    store = _store(args)
    runs = _collect(store)
    report = _run_import(store, args, rows, import_rows)
    if args.json:
        print_json({**report.to_json(), "workflows": [r.to_json() for r in runs]})
        return EXIT_OK if not report.problems else EXIT_DATAERR
    print(f"imported {report.imported} of {report.total} rows into {store.module(args.module)}")
    if runs:
        failed = sum(1 for r in runs if r.status != "ok")
        print(f"workflow rules ran {len(runs)} time{'s' if len(runs) != 1 else ''}"
              f" ({failed} not ok); see `dg workflow log`")
    if report.problems:
        print(f"{len(report.problems)} row{'s' if len(report.problems) != 1 else ''} "
              f"not imported:", file=sys.stderr)
        for problem in report.problems:
            print(f"  row {problem.row}: {problem.reason}", file=sys.stderr)
        return EXIT_DATAERR
    return EXIT_OK


def _run_import(store, args, rows, import_rows):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.console import Console
    console = Console(stderr=True)
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[note]}"))
    with Progress(*columns, console=console, transient=not console.is_terminal,
                  disable=args.json or not console.is_terminal) as progress:
        task = progress.add_task("import", total=len(rows), note="")

        latest, stop = [], []

        def committed(report) -> None:
            latest[:] = [report]
            progress.update(task, completed=report.done,
                            note=f"{report.imported} imported, {len(report.problems)} with errors")
            if stop:
                raise KeyboardInterrupt

        def stop_after_this_batch(signum, frame) -> None:
            # A first Ctrl-C stops at the next commit, so the count below is exact; a
            # second one stops at once (the batch under way is rolled back).
            stop.append(signum)
            signal.signal(signal.SIGINT, signal.default_int_handler)

        previous = signal.signal(signal.SIGINT, stop_after_this_batch)
        try:
            return import_rows(store, args.module, rows, batch_size=args.batch_size,
                               workflows=not args.no_workflows, on_batch=committed)
        except KeyboardInterrupt:  # say what is in: the committed batches stay
            progress.stop()
            _report_interrupted_import(rows, latest[0] if latest else None)
            raise
        finally:
            signal.signal(signal.SIGINT, previous)


def _report_interrupted_import(rows, report) -> None:
    if report is None or report.done == 0:
        print("no row was imported before the interruption", file=sys.stderr)
        return
    last_row = rows[report.done - 1][0]
    print(f"interrupted: {report.imported} rows were imported, every row up to row {last_row} "
          f"was handled ({len(report.problems)} not imported); the rows after it were not",
          file=sys.stderr)
