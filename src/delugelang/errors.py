"""The error types a script, the checker or the engine can raise, and how they render."""

from __future__ import annotations

import re

from .frozen import Frozen, _set


class DelugeError(Exception):
    """Base of every error delugelang reports to users.

    `kind` is one of "syntax", "check", "runtime", "limit" (DESIGN.md's --json contract).
    `line` and `column` are 1-based and may be None when the error has no source position.
    """

    kind = "runtime"

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 *, stack: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.stack = stack

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}, column {self.column or 1}: {self.message}"

    def at(self, line: int | None, column: int | None) -> "DelugeError":
        """Fill in the position if the raiser did not know it; returns self."""
        if self.line is None:
            self.line, self.column = line, column
        return self

    def to_json(self) -> dict:
        return {"kind": self.kind, "message": self.message, "line": self.line, "column": self.column}

    def render(self, source: str | None, filename: str = "<script>") -> str:
        """The message with the source line and a caret under the column."""
        return render_snippet(self.kind, self.message, source, filename, self.line, self.column)


class ScriptError(DelugeError):
    """A Deluge runtime error (bad index, division by zero, throw...). `try/catch` catches it."""

    kind = "runtime"


class HostDataError(ScriptError):
    """Data the host handed over (a record) that is no Deluge value. When a script finds it
    as it reads a field, `try/catch` cannot catch it (run_helpers._enter_catch raises it
    again): the host's data is not the script's to repair (DESIGN.md invariant 2: host data
    converts at the boundary, or the run stops)."""

    kind = "runtime"


class LimitError(DelugeError):
    """A sandbox budget ran out. Never catchable by `try/catch`: it is not a ScriptError."""

    kind = "limit"

    def __init__(self, limit: str, value, message: str, line=None, column=None):
        super().__init__(message, line, column)
        self.limit = limit
        self.value = value


class ParseError(DelugeError):
    """The source is not valid Deluge."""

    kind = "syntax"


class Problem(Frozen):
    """One static error or warning found by the checker. Immutable."""

    __slots__ = _fields = ("message", "line", "column", "severity")
    message: str
    line: int | None
    column: int | None
    severity: str  # "error" or "warning"

    def __init__(self, message: str, line: int | None, column: int | None,
                 severity: str = "error"):
        _set(self, "message", message)
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "severity", severity)

    def render(self, source: str | None, filename: str = "<script>") -> str:
        return render_snippet(self.severity if self.severity == "warning" else "check",
                              self.message, source, filename, self.line, self.column)


class CheckError(DelugeError):
    """The checker found static errors. `problems` holds all of them, in source order."""

    kind = "check"

    def __init__(self, problems: list[Problem]):
        first = problems[0]
        extra = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first.message + extra, first.line, first.column)
        self.problems = problems

    def render(self, source: str | None, filename: str = "<script>") -> str:
        return "\n".join(p.render(source, filename) for p in self.problems)


_KIND_TITLES = {
    "syntax": "syntax error",
    "check": "error",
    "warning": "warning",
    "runtime": "runtime error",
    "limit": "limit exceeded",
}


def render_snippet(kind: str, message: str, source: str | None, filename: str,
                   line: int | None, column: int | None) -> str:
    """Format `file:line:col: kind: message`, then the source line and a caret."""
    title = _KIND_TITLES.get(kind, kind)
    message = printable(message)  # a thrown text is script data: it must not forge lines
    if line is None:
        return f"{filename}: {title}: {message}"
    col = column or 1
    head = f"{filename}:{line}:{col}: {title}: {message}"
    if not source:
        return head
    # Lines end as the parser counts them: not at the other breaks splitlines() knows
    # (U+2028, form feed...), which may sit inside a text or a comment.
    lines = re.split(_LINE_BREAK, source)
    if not 1 <= line <= len(lines):
        return head
    raw = lines[line - 1]
    text = printable(raw).expandtabs(4)
    # Keep the caret under the right character when the line holds tabs or escapes.
    caret_col = len(printable(raw[: col - 1]).expandtabs(4))
    text, caret_col = _window(text, caret_col)
    gutter = f"{line:>4} | "
    return f"{head}\n{gutter}{text}\n{' ' * len(gutter)}{' ' * caret_col}^"


# Patterns, compiled by `re` (and cached there) on the first error rendered: compiling
# them at import cost about 1 ms of every start-up.
_LINE_BREAK = r"\r\n|\r|\n"
_UNPRINTABLE = r"[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]"


def printable(text: str) -> str:
    """Control characters (tab aside) and lone surrogates escaped, so an error never moves
    the terminal's cursor, colours it, or starts a line of its own (as `dg run` does for
    `info` output)."""
    return re.sub(_UNPRINTABLE, _escape_char, text)


def _escape_char(match) -> str:
    code = ord(match.group())
    if code == 10:
        return "\\n"
    return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"


_SNIPPET_WIDTH = 120


def _window(text: str, caret_col: int) -> tuple[str, int]:
    """A long line cut to the part around the caret, with '...' where it was cut."""
    if len(text) <= _SNIPPET_WIDTH:
        return text, caret_col
    start = max(0, min(caret_col - _SNIPPET_WIDTH // 2, len(text) - _SNIPPET_WIDTH))
    part = text[start:start + _SNIPPET_WIDTH]
    if start > 0:
        part, caret_col = "..." + part, caret_col - start + 3
    if start + _SNIPPET_WIDTH < len(text):
        part += "..."
    return part, caret_col
