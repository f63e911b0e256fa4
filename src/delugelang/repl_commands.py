"""The REPL's `:commands`: help, vars, reset, load, limits, record, quit."""

from __future__ import annotations

import shlex

from .repl import HELP


def run_command(session, line: str) -> bool:
    """Run one `:command` line; True when it succeeded."""
    try:
        words = shlex.split(line[1:])
    except ValueError as exc:
        session.output.err(f"cannot read the command {line!r}: {exc}")
        return False
    if not words:
        session.output.err("a command name must follow ':'; :help lists the commands")
        return False
    name, args = words[0].lower(), words[1:]
    handler = COMMANDS.get(name)
    if handler is None:
        session.output.err(f"unknown command ':{name}'; :help lists the commands")
        return False
    return handler(session, args)


def _help(session, args) -> bool:
    session.output.out(HELP)
    return True


def _vars(session, args) -> bool:
    lines = session.describe_variables()
    session.output.out("\n".join(lines) if lines else "no variables yet")
    if session.functions:
        names = ", ".join(fn.display_name for fn in session.functions.values())
        session.output.out(f"functions: {names}")
    return True


def _reset(session, args) -> bool:
    session.reset()
    session.output.err("variables and functions cleared")
    return True


def _load(session, args) -> bool:
    if len(args) != 1:
        session.output.err(":load needs one file, like :load samples/welcome.dg")
        return False
    from .cli.run_cmd import UsageError, read_script
    path = args[0]
    try:
        source = read_script(path)
    except UsageError as exc:
        session.output.err(f":load: {exc}")
        return False
    return session.run_snippet(source, path)


def _limits(session, args) -> bool:
    if args:
        try:
            session.limits = session.limits.with_overrides(args)
        except ValueError as exc:
            session.output.err(f":limits: {exc}")
            return False
    changed = {pair.partition("=")[0].strip().replace("-", "_") for pair in args}
    for name, value, reason in session.limits.describe():
        if not changed or name in changed:
            session.output.out(f"{name:22} {value!s:>12}  {reason}")
    return True


def _record(session, args) -> bool:
    from .cli.run_cmd import UsageError, read_record
    if not args:
        if session.record_module is None:
            session.output.out("no record: :record MODULE=FILE.json sets the one `input` reads")
        else:
            fields = ", ".join(session.record) or "no fields"
            session.output.out(f"input is a {session.record_module} record: {fields}")
        return True
    if len(args) != 1:
        session.output.err(":record needs one MODULE=FILE.json, like Contacts=contact.json")
        return False
    try:
        module, record = read_record(args[0])
    except UsageError as exc:
        session.output.err(f":record: {exc}")
        return False
    session.record, session.record_module = record, module
    session.output.err(f"input is now the {module} record from {args[0].partition('=')[2]} "
                       f"({len(record)} fields)")
    return True


def _quit(session, args) -> bool:
    session.finished = True
    return True


COMMANDS = {"help": _help, "vars": _vars, "reset": _reset, "load": _load, "limits": _limits,
            "record": _record, "quit": _quit, "exit": _quit}
