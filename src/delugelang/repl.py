"""The REPL session: variables and functions kept between snippets, commands, completion."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable

from . import repl_snippets as rs
from .checker import check
from .errors import CheckError, DelugeError, Problem
from .limits import CRM, Limits
from .program import Program
from .services import NO_SERVICES, Services
from .values import to_text, type_name

HELP = """\
Type Deluge statements; each expression's value is shown as `info` would print it.
Input continues on the next line while brackets are open or a statement is unfinished;
after an `if` block that spans lines, an empty line ends it (or type `else`). A line
may leave out its last `;`. Alt-Enter adds a line; Tab completes names and methods.
Variables and functions stay defined until :reset. Each top-level statement runs under
the limits shown by :limits; a statement that fails leaves the variables it assigns
unchanged.

Commands:
  :help                    this text
  :vars                    the variables, with their Deluge types and values
  :reset                   forget every variable and function
  :load FILE.dg            run a file here: its functions and variables stay defined
  :limits [NAME=VALUE...]  show the limits, or change some (e.g. :limits statements=1000)
  :record MODULE=FILE.json the record `input.Field` reads (e.g. Contacts=contact.json)
  :quit                    leave (Ctrl-D does too)
Ctrl-C cancels a running statement, or clears the input line."""


@dataclass
class Output:
    """Where a session writes: values and `info` lines to `out`, problems to `err`."""

    out: Callable[[str], None]
    err: Callable[[str], None]


@dataclass
class Session:
    """One REPL session. `execute` runs a snippet or a `:command`; True when it succeeded."""

    output: Output
    limits: Limits = CRM
    services: Services = NO_SERVICES
    variables: dict = field(default_factory=dict)
    functions: dict = field(default_factory=dict)  # name -> nodes.FunctionDef
    record: dict = field(default_factory=dict)
    record_module: str | None = None
    transcript: rs.Transcript = field(default_factory=rs.Transcript)
    finished: bool = False  # set by :quit

    # ---------------------------------------------------------------- entry

    def execute(self, text: str, name: str = "<repl>") -> bool:
        stripped = text.strip()
        if not stripped:
            return True
        if stripped.startswith(":"):
            from .repl_commands import run_command
            return run_command(self, stripped)
        return self.run_snippet(text, name)

    # ---------------------------------------------------------------- snippets

    def run_snippet(self, text: str, name: str = "<repl>") -> bool:
        padded = self.transcript.add(text, name)
        try:
            module = rs.parse_snippet(padded, self.limits)
            functions = dict(self.functions)
            functions.update((fn.name, fn) for fn in module.functions)
            self._check(module, functions)
        except DelugeError as err:
            self.output.err(self.transcript.render_error(err))
            return False
        for fn in module.functions:
            if fn.name not in self.functions:
                self.output.err(f"defined function {fn.display_name}")
        self.functions = functions
        for stmt in module.body:
            status = self._run_statement(stmt, text, name)
            if status != "next":
                return status == "stop"
        return True

    def _check(self, module, functions) -> None:
        reserved = rs.reserved_name_use(module)
        if reserved is not None:
            raise CheckError([Problem(f"names that start with {rs.RESERVED_PREFIX} are "
                                      f"reserved by the REPL; rename this one",
                                      reserved.span.line, reserved.span.column)])
        checked = rs.wrapper_module(functions.values(), rs.check_body(module.body),
                                    self.variables, module.span)
        problems = check(checked)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise CheckError(errors)
        for warning in problems:
            self.output.err(self.transcript.render_problem(warning))

    def _run_statement(self, stmt, text: str, name: str) -> str:
        """'next' after a statement that ran, 'stop' after a top-level return, 'failed'."""
        body = rs.statement_body(stmt)
        module = rs.wrapper_module(self.functions.values(), body, self.variables, stmt.span)
        results: list = []
        preset = dict(self.variables)
        preset[rs.OUT] = results
        try:
            program = Program(text, name, module, ())
            result = program.run(preset=preset, function=rs.WRAPPER, record=self.record,
                                 services=self.services, limits=self.limits)
        except DelugeError as err:
            self._show_info(getattr(err, "info", ()) or ())
            self.output.err(self.transcript.render_error(err))
            return "failed"
        except KeyboardInterrupt:
            self.output.err("cancelled (Ctrl-C): the variables this statement assigns keep "
                            "their earlier values")
            return "failed"
        except Exception:  # a defect in the engine: report it, keep the session
            if os.environ.get("DG_DEBUG"):
                raise
            self.output.err(self.transcript.render(
                "runtime", "internal error in the engine while running this statement "
                "(DG_DEBUG=1 shows the details)", stmt.span.line, stmt.span.column))
            return "failed"
        self._show_info(result.info)
        kind, value, *assigned = results
        names = [] if rs.is_shown_expression(stmt) else rs.assigned_names([stmt])
        self.variables.update(zip(names, assigned))
        if kind == rs.VALUE or (kind in (rs.CALL, rs.RETURN) and value is not None):
            self.output.out(_safe(self._text(value)))
        return "stop" if kind == rs.RETURN else "next"

    def _show_info(self, lines) -> None:
        for line in lines:
            self.output.out(_safe(line))

    def _text(self, value) -> str:
        try:
            return to_text(value)
        except DelugeError as err:
            return f"<{type_name(value)} value that cannot be shown: {err.message}>"

    # ---------------------------------------------------------------- state

    def reset(self) -> None:
        self.variables.clear()
        self.functions.clear()

    def describe_variables(self) -> list[str]:
        return [f"{name} = {self._text(value)}  ({type_name(value)})"
                for name, value in sorted(self.variables.items(), key=lambda kv: kv[0].lower())]

    # ---------------------------------------------------------------- completion

    def completions(self, before_cursor: str) -> tuple[str, list[tuple[str, str]]]:
        """(the word being completed, [(candidate, description)]) for the text before the
        cursor: methods after `receiver.`, `zoho.` names, else variables and functions."""
        from .repl_complete import complete
        return complete(self, before_cursor)


def _safe(text: str) -> str:
    from .cli.common import safe_line
    return safe_line(text)
