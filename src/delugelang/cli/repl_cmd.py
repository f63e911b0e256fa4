"""`dg repl`: an interactive Deluge session, or a script of snippets read from a pipe."""

from __future__ import annotations

import argparse
import sys

from . import EXIT_OK, EXIT_RUNTIME, EXIT_USAGE

REPL_EPILOG = """\
At a terminal: multi-line input (it continues while brackets are open or a statement is
unfinished; an empty line ends an `if` block), syntax highlighting, Tab completion of
variables, functions and methods, and history kept in the user's data directory.
Type :help in the session for its commands (:vars, :reset, :load, :limits, :record).

With piped input it reads snippets the same way, prints values and `info` lines on
stdout and problems on stderr, and exits 1 if any snippet failed, else 0.

examples:
  dg repl
  dg repl --record Contacts=samples/contact.json --limit statements=5000
  printf 'x = {1, 2};\\nx.add(3);\\nx.size()\\n' | dg repl
"""


def register(sub) -> None:
    repl = sub.add_parser("repl", help="an interactive Deluge session",
                          description="Run Deluge statements one snippet at a time; variables "
                                      "and functions stay defined between snippets.",
                          epilog=REPL_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    repl.add_argument("--history", metavar="FILE",
                      help="history file (default: $DG_HISTORY, else repl_history in the "
                           "user's data directory, e.g. ~/.local/share/delugelang/)")
    repl.add_argument("--record", metavar="MODULE=FILE.json",
                      help="the record `input.Field` reads (like :record)")
    repl.add_argument("--fixtures", metavar="FILE.json",
                      help="stub records, connector responses and HTTP responses")
    repl.add_argument("--workspace", metavar="DIR",
                      help="workspace directory for connectors (default: $DG_WORKSPACE, else "
                           "the current one)")
    repl.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                      help="override one limit for each statement, e.g. statements=5000")
    repl.add_argument("--profile", default="crm", choices=["crm", "creator"],
                      help="limits profile: crm (200,000 statements) or creator (5,000)")
    repl.set_defaults(handler=repl_command, extension=None)


def repl_command(args) -> int:
    from ..repl import Output, Session
    from ..repl_terminal import history_path, run_interactive, run_piped
    from .run_cmd import UsageError, make_limits, make_services, read_record

    try:
        limits = make_limits(args)
        module, record = read_record(args.record)
        services = make_services(args, module, limits)
    except UsageError as exc:
        print(f"dg repl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    session = Session(Output(_printer(sys.stdout), _printer(sys.stderr)), limits=limits,
                      services=services, record=record, record_module=module)
    if sys.stdin.isatty() and sys.stdout.isatty():
        return run_interactive(session, history_path(args.history))
    code = run_piped(session, sys.stdin)
    return EXIT_RUNTIME if code else EXIT_OK


def _printer(stream):
    def write(text: str) -> None:
        print(text, file=stream, flush=True)
    return write
