"""The `dg` command: argument parsing and dispatch to subcommand modules."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# Each module here exposes register(subparsers); a parser it adds sets
# `handler=callable(args) -> int exit code`. Modules load lazily by name so that
# `dg run` does not import the connector or record machinery.
SUBCOMMAND_MODULES = {
    "run": "delugelang.cli.run_cmd",
    "check": "delugelang.cli.run_cmd",
    "connector": "delugelang.cli.connector",
    "extension": "delugelang.cli.connector",
    "api": "delugelang.cli.connector",
    "record": "delugelang.cli.record_cmd",
    "workflow": "delugelang.cli.workflow_cmd",
    "repl": "delugelang.cli.repl_cmd",
    "test": "delugelang.cli.test_cmd",
    "fmt": "delugelang.cli.fmt_cmd",
}

EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, EXIT_DATAERR = 0, 1, 2, 65
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


class _Sized:
    """A help formatter class, called with the terminal's width. argparse would find the
    width with `shutil.get_terminal_size()`, and importing shutil (with bz2, lzma,
    fnmatch) costs about 3 ms of every `dg` start-up; argparse makes a formatter for each
    `add_argument` even when no help is printed."""

    def __init__(self, formatter_class):
        self.formatter_class = formatter_class

    def __call__(self, prog: str):
        return self.formatter_class(prog, width=terminal_columns() - 2)  # as argparse does


def terminal_columns() -> int:
    """shutil.get_terminal_size().columns: $COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class DgArgumentParser(argparse.ArgumentParser):
    """argparse's parser with its help formatter given the width (see `_Sized`). The
    subcommand parsers are of this class too (argparse makes them with the parent's)."""

    def __init__(self, *args, formatter_class=argparse.HelpFormatter, **kwargs):
        if not isinstance(formatter_class, _Sized):
            formatter_class = _Sized(formatter_class)
        super().__init__(*args, formatter_class=formatter_class, **kwargs)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = DgArgumentParser(
        prog="dg",
        description="Run, check and test Deluge functions; manage connectors, records and rules.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    seen = set()
    for name, module_name in SUBCOMMAND_MODULES.items():
        if only is not None and name != only:
            continue
        if module_name in seen:
            continue
        seen.add(module_name)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    only = argv[0] if argv and argv[0] in SUBCOMMAND_MODULES else None
    parser = build_parser(only)
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # said by the (sub)command they were given to, with its usage; exits 2
        named = _named_parser(parser, argv) if only else parser
        named.error(f"unrecognized arguments: {' '.join(unknown)}")
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return handler(args)
    except KeyboardInterrupt:  # Ctrl-C: stop with the shell's convention, no traceback
        print(f"dg {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `dg ... | head`: the reader left; stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # as Python's docs advise
        return EXIT_RUNTIME


def _named_parser(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.ArgumentParser:
    """The deepest (sub)command parser that `argv` (a subcommand first) names, e.g.
    `dg record create`'s."""
    for token in argv:
        choices = next((action.choices for action in parser._actions  # argparse has no
                        if isinstance(action, argparse._SubParsersAction)), None)  # public way
        if choices is None:
            break
        if token in choices:
            parser = choices[token]
    return parser


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
