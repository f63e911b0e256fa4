"""`dg run` and `dg check`: run a .dg file, or report every static error in files."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from . import EXIT_DATAERR, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE
from .common import (
    WORKSPACE_HELP,
    UsageError,
    expand_dg_files,
    first_record,
    safe_line,
    workspace_option,
)

RUN_EPILOG = """\
exit codes: 0 ok; 1 the script failed at run time (including a limit); 2 usage;
65 syntax or check error.

examples:
  printf 'x = 5;\\ninfo "Count: " + x;\\n' | dg run -
  dg run welcome.dg --record Contacts=contact.json
  dg run notify.dg --function notify --arg id=42 --json
  dg run f.dg --limit statements=5000 --profile creator
"""

CHECK_EPILOG = """\
exit codes: 0 ok (warnings only); 2 usage (a file that cannot be read, or a directory
without .dg files; the other files are still checked); 65 syntax or check errors found.

examples:
  dg check samples/welcome.dg
  dg check samples/ --json         # a directory: every .dg file under it
  cat f.dg | dg check -
"""


def register(sub) -> None:
    run = sub.add_parser("run", help="run a .dg file", epilog=RUN_EPILOG,
                         formatter_class=argparse.RawDescriptionHelpFormatter,
                         description="Run a Deluge function against a record, with host "
                                     "services stubbed by fixtures or served by a workspace.")
    run.add_argument("file", nargs="?",  # optional only for --limits
                     help="the .dg file, or - to read standard input")
    run.add_argument("--function", metavar="NAME",
                     help="the function to run (default: the file's statements outside any "
                          "function, else its first function)")
    run.add_argument("--arg", action="append", default=[], metavar="NAME=VALUE",
                     help="an argument; VALUE converts to the argument's declared type")
    run.add_argument("--args-json", metavar="JSON", help='arguments as a JSON object: {"id": 42}')
    run.add_argument("--record", metavar="MODULE=FILE.json",
                     help="the record the function runs against: readable as input.Field, and "
                          "mapped onto arguments named after its fields")
    run.add_argument("--fixtures", metavar="FILE.json",
                     help="stub records, connector responses and HTTP responses")
    run.add_argument("--workspace", metavar="DIR", help=WORKSPACE_HELP)
    run.add_argument("--extension", metavar="EXT",
                     help="run inside this extension: only its connectors are reachable "
                          "(default: every published connector of the workspace)")
    run.add_argument("--json", action="store_true",
                     help="print exactly one JSON object: ok, return, info, error, stats")
    run.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                     help="override one limit, e.g. statements=5000 (see --limits)")
    run.add_argument("--profile", default="crm", choices=["crm", "creator"],
                     help="limits profile: crm (200,000 statements) or creator (5,000)")
    run.add_argument("--limits", action="store_true", help="list every limit and exit")
    run.add_argument("--isolate", action="store_true",
                     help="run in a separate worker process under OS memory and CPU limits "
                          "(for code you do not trust)")
    run.add_argument("--no-cache", action="store_true",
                     help="compile the script even if the compiled-program cache holds it, "
                          "and store nothing (also: DG_NO_PROGRAM_CACHE=1). The cache keeps "
                          "each script's compiled program in a private per-user directory ("
                          + _cache_directory() + ", 0700; $DG_CACHE_DIR moves it), so the "
                          "next run of an unchanged script skips parsing and compiling; an "
                          "entry is used only for the same source, file name, limits, Python "
                          "and engine")
    run.add_argument("--trace", action="store_true",
                     help="print each executed line and the variables it changed to stderr, "
                          "then statement counts per line; with --json, put both under \"trace\"")
    run.set_defaults(handler=run_command)

    check = sub.add_parser("check", help="report every static error in .dg files",
                           description="Parse and check .dg files without running them. "
                                       "Every error is shown with its line, column and a caret. "
                                       "A directory stands for every .dg file under it "
                                       "(hidden folders skipped), in name order.",
                           epilog=CHECK_EPILOG,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("files", nargs="+", metavar="FILE",
                       help=".dg files or directories of them, or - for stdin")
    check.add_argument("--json", action="store_true", help="print problems as one JSON object")
    check.set_defaults(handler=check_command)


def _cache_directory() -> str:
    from .program_cache import cache_directory
    return cache_directory()


# ---------------------------------------------------------------- input

def read_source(path: str, max_bytes: int | None = None) -> tuple[str, str]:
    """(source, display name) for a path or '-'. With `max_bytes` (the source_bytes limit)
    no more than one byte past it is read, so /dev/zero or a huge file is refused by the
    size check instead of filling memory."""
    if path == "-":  # as strict as a file: text that is not UTF-8 is refused, not mangled
        data = sys.stdin.buffer.read(-1 if max_bytes is None else max_bytes + 1)
        try:
            return data.decode("utf-8"), "<stdin>"
        except UnicodeDecodeError:
            if max_bytes is not None and len(data) > max_bytes:  # cut inside a character
                return data.decode("utf-8", "replace"), "<stdin>"
            raise UsageError("<stdin> is not UTF-8 text") from None
    return read_script(path, max_bytes), path


def read_script(path: str, max_bytes: int | None = None) -> str:
    """A .dg file's text; a UsageError saying why it cannot be read."""
    try:
        with open(path, encoding="utf-8") as fh:
            # Each character is at least one byte: max_bytes + 1 of them is too large.
            return fh.read(-1 if max_bytes is None else max_bytes + 1)
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


def parse_args_options(args) -> dict:
    values: dict = {}
    if args.args_json:
        try:
            loaded = json.loads(args.args_json)
        except json.JSONDecodeError as exc:
            raise UsageError(f"--args-json is not valid JSON: {exc.msg}") from None
        if not isinstance(loaded, dict):
            raise UsageError("--args-json must be a JSON object, like {\"id\": 42}")
        values.update(loaded)
    for pair in args.arg:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--arg needs NAME=VALUE, not {pair!r}")
        values[name] = value
    return values


def read_record(option: str | None) -> tuple[str | None, dict]:
    if not option:
        return None, {}
    module, sep, path = option.partition("=")
    if not sep or not module or not path:
        raise UsageError(f"--record needs MODULE=FILE.json, like Contacts=contact.json, not {option!r}")
    _check_record_module(module)
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise UsageError(f"no such record file: {path}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"record file {path} is not valid JSON: {exc.msg} at line {exc.lineno}") \
            from None
    except UnicodeDecodeError:
        raise UsageError(f"record file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"cannot read record file {path}: {exc.strerror}") from None
    data = first_record(data, f"record file {path}")
    if not isinstance(data, dict):
        raise UsageError(f"record file {path} must hold one JSON object (the record's fields)")
    return module, data


def _check_record_module(module: str) -> None:
    """The record store's module-name rule; loaded only when --record is given."""
    from ..records.backend import check_module_name
    from ..records.errors import RecordError
    try:
        check_module_name(module)
    except RecordError as exc:
        raise UsageError(f"--record {exc.message}") from None


def make_limits(args):
    from ..limits import profile
    try:
        return profile(args.profile).with_overrides(args.limit)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def make_services(args, module: str | None, limits):
    """HTTP through the guarded client; connectors when the workspace defines some;
    fixtures stub tasks on top."""
    from ..invokeurl import HttpTaskService
    from ..services import Services

    connectors = None
    workspace = workspace_option(args)
    if not os.path.isdir(workspace):  # a mistyped --workspace or $DG_WORKSPACE
        raise UsageError(f"the workspace {workspace} is not a directory")
    if os.path.isdir(os.path.join(workspace, "connectors")):
        from ..connectors import ConnectorError, ConnectorService
        try:
            connectors = ConnectorService(workspace, extension=args.extension)
        except ConnectorError as exc:
            raise UsageError(f"--extension {args.extension}: {exc.message}") from None
    elif args.extension:
        raise UsageError(f"--extension {args.extension}: the workspace {workspace} defines "
                         f"no connectors")
    # zoho.crm.* record tasks use the workspace's record store (and its workflow rules)
    # when the workspace has state. The record machinery loads only then (start-up time);
    # ".dg" is delugelang.state.store.STATE_DIR, spelled out to avoid importing it.
    records = None
    if os.path.isdir(os.path.join(workspace, ".dg")):
        from ..workflow.services import workspace_records
        records = workspace_records(workspace)
    services = Services(http=HttpTaskService.from_env(limits, connectors), connectors=connectors,
                        records=records)
    if args.fixtures:
        from ..fixtures import load_fixtures, with_fixtures
        try:
            services = with_fixtures(services, load_fixtures(args.fixtures))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return services


# ---------------------------------------------------------------- dg run

def run_command(args) -> int:
    from ..errors import DelugeError
    from ..program import compile as compile_program

    started = time.perf_counter()
    try:
        limits = make_limits(args)
        if args.limits:
            return _print_limits(limits)
        if args.file is None:
            raise UsageError("the .dg file to run is missing (or - to read standard input)")
        source, name = read_source(args.file, limits.source_bytes)
        call_args = parse_args_options(args)
        module, record = read_record(args.record)
        services = make_services(args, module, limits)
        if args.trace and args.isolate:
            raise UsageError("--trace cannot follow a run in a separate worker process; "
                             "drop --isolate to trace")
    except UsageError as exc:
        print(f"dg run: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DelugeError as exc:  # the workspace state cannot be opened (read-only, damaged)
        print(f"dg run: {exc.message}", file=sys.stderr)
        return EXIT_RUNTIME
    tracer = None
    try:
        if _use_cache(args):
            from .program_cache import compile_cached
            program = compile_cached(source, name, limits)
        else:
            program = compile_program(source, name, limits=limits)
        for warning in program.warnings:
            if not args.json:
                print(warning.render(source, name), file=sys.stderr)
        tracer = _make_tracer(args, source, name)
        result = _run_program(program, args, call_args, record, services, limits, tracer)
    except DelugeError as err:
        return _report_failure(err, args, source, name, started, tracer)
    _print_result(result, args, tracer)
    return EXIT_OK


def _run_program(program, args, call_args, record, services, limits, tracer):
    """The run itself, traced when `tracer` is given."""
    def run():
        return program.run(call_args, record=record, services=services, limits=limits,
                           function=args.function, isolation="process" if args.isolate else None)
    if tracer is None:
        return run()
    with tracer:
        return run()


def _use_cache(args) -> bool:
    """The compiled-program cache, unless --no-cache or DG_NO_PROGRAM_CACHE=1 says not."""
    from .program_cache import enabled
    return enabled(args.no_cache)


def _print_result(result, args, tracer) -> None:
    """A finished run: its info lines and returned value (escaped), or the --json object."""
    if tracer is not None and not args.json:
        tracer.write_profile()
    if args.json:
        _print_json(_with_trace(result.to_json(), tracer))
        return
    for line in result.info:
        print(safe_line(line))
    if result.value is not None:
        from ..values import to_text
        print(safe_line(to_text(result.value)))


def _make_tracer(args, source: str, name: str):
    """`--trace`: a Tracer writing to stderr, or collecting for --json (see trace.py)."""
    if not args.trace:
        return None
    from ..trace import Tracer
    return Tracer(source, name, None if args.json else sys.stderr, collect=args.json)


def _with_trace(obj: dict, tracer) -> dict:
    """--trace --json adds one key, "trace": {lines, profile, statements}."""
    if tracer is not None:
        obj["trace"] = tracer.to_json()
    return obj


def _report_failure(err, args, source, name, started, tracer=None) -> int:
    code = EXIT_DATAERR if err.kind in ("syntax", "check") else EXIT_RUNTIME
    if err.kind == "runtime" and err.line is None and not isinstance(err, _script_errors()):
        code = EXIT_USAGE  # e.g. an unknown --function or a bad argument
    if args.json:
        _print_json(_with_trace({
            "ok": False, "return": None, "info": list(getattr(err, "info", ()) or ()),
            "error": err.to_json(),
            "stats": {"statements": getattr(err, "statements", 0) or 0,
                      "ms": round((time.perf_counter() - started) * 1000, 3)}}, tracer))
    else:
        for line in getattr(err, "info", ()) or ():
            print(safe_line(line))
        if tracer is not None:
            tracer.write_profile()
        print(err.render(source, name), file=sys.stderr)
    return code


def _script_errors():
    from ..errors import LimitError, ScriptError
    return (ScriptError, LimitError)


def _print_limits(limits) -> int:
    for name, value, reason in limits.describe():
        print(f"{name:22} {value!s:>12}  {reason}")
    return EXIT_OK


def _print_json(obj) -> None:
    from ..values import _decimals_to_raw
    sys.stdout.write(json.dumps(_decimals_to_raw(obj), ensure_ascii=False) + "\n")


# ---------------------------------------------------------------- dg check

def check_command(args) -> int:
    from ..errors import DelugeError
    from ..limits import CRM
    from ..program import check_source

    reports = []
    failed = unreadable = False
    for path in args.files:
        if path != "-" and os.path.isdir(path) and not expand_dg_files([path]):
            print(f"dg check: no .dg files under {path}", file=sys.stderr)
            unreadable = True
    for path in expand_dg_files(args.files):
        try:
            source, name = read_source(path, CRM.source_bytes)
        except UsageError as exc:  # reported, and the other files are still checked
            print(f"dg check: {exc}", file=sys.stderr)
            unreadable = True
            continue
        try:
            problems = check_source(source)
        except DelugeError as err:
            problems = [err]
        for p in problems:
            severity = getattr(p, "severity", "error")
            failed = failed or severity == "error"
            reports.append((name, source, p, severity))
    if args.json:
        _print_json({"ok": not (failed or unreadable), "problems": [
            {"file": name, "severity": sev, "kind": getattr(p, "kind", "check"),
             "message": p.message, "line": p.line, "column": p.column}
            for name, _, p, sev in reports]})
    else:
        for name, source, p, _ in reports:
            print(p.render(source, name), file=sys.stderr)
        errors = sum(1 for r in reports if r[3] == "error")
        if errors:
            print(f"{errors} error{'s' if errors != 1 else ''} found", file=sys.stderr)
    if unreadable:
        return EXIT_USAGE
    return EXIT_DATAERR if failed else EXIT_OK
