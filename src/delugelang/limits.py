"""Sandbox budgets: the Limits object, its named profiles, and `NAME=VALUE` overrides."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Limits:
    """Every budget one run of a function may spend. Immutable; `replace()` makes variants.

    Defaults are the `crm` profile. Sources: ../shared/reference/sandbox.md §4 and
    deluge-reference.md §10.
    """

    statements: int = 200_000
    """Executed statements. Zoho CRM allows 200,000 "lines of execution" per function;
    a `for each` counts once per iteration plus its body (Deluge limits page)."""

    time_seconds: float = 60.0
    """Wall-clock time per run. Zoho CRM: 1 minute per function execution."""

    call_depth: int = 75
    """Nested function calls. Deluge: at most 75 nested/recursive calls."""

    source_bytes: int = 1_000_000
    """Source size. The CRM editor caps a function at about 1 MB."""

    parse_nesting: int = 100
    """Nesting of brackets, blocks and operator chains in the source. CEL uses 250;
    100 keeps Python's own compiler far from its recursion limit."""

    value_nesting: int = 100
    """Lists and maps inside lists and maps. CPython's json fails near 1,000; CEL 250."""

    text_length: int = 5_000_000
    """Characters in one text. Deluge's invokeurl downloads are capped at 5 MB."""

    collection_size: int = 100_000
    """Elements in one list or map. Jinja's MAX_RANGE; simpleeval uses 10,000."""

    memory_bytes: int = 64 * 1024 * 1024
    """Memory attributable to script values (texts and collections), estimated as they grow.
    Anchors: Workers 128 MB, LuaSandbox example 50 MB, Apex 6-12 MB heap."""

    info_bytes: int = 500_000
    """`info` output. Deluge truncates it past 500 KB with a note."""

    return_bytes: int = 10_000_000
    """Size of the returned value as JSON. Zoho CRM: 10 MB response size."""

    http_calls: int = 100
    """HTTP requests (invokeurl, connectors). Apex allows 100 callouts per transaction."""

    http_response_bytes: int = 5_000_000
    """Decoded bytes of one HTTP response. Deluge invokeurl: 5 MB."""

    http_timeout_seconds: float = 40.0
    """Socket timeout of one HTTP request. Deluge: 40 s, then "socket timeout error"."""

    regex_seconds: float = 0.1
    """Time one regular expression may run before it is stopped (catastrophic backtracking)."""

    regex_pattern_length: int = 1_000
    """Characters in one regular expression pattern."""

    mails: int = 10
    """`sendmail` tasks per run. Apex sendEmail: 10 per transaction."""

    process_memory_bytes: int = 512 * 1024 * 1024
    """Isolation mode only: address space the worker process may add to what it inherits
    from the host when forked (its RLIMIT_AS is the host's size at fork plus this).
    sandbox.md §4: worker RLIMIT_AS 512 MiB; the in-process `memory_bytes` is an estimate,
    this is the operating system's hard stop."""

    cpu_seconds: float = 10.0
    """Isolation mode only: CPU time of the worker process (RLIMIT_CPU, rounded up; killed
    one second past it). Apex: 10,000 ms synchronous CPU time."""

    def replace(self, **changes) -> "Limits":
        return dataclasses.replace(self, **changes)

    def with_overrides(self, pairs: list[str]) -> "Limits":
        """Apply `NAME=VALUE` strings (the CLI's `--limit`); raises ValueError with a clear text."""
        changes = {}
        names = {f.name: f for f in dataclasses.fields(self)}
        for pair in pairs:
            name, sep, raw = pair.partition("=")
            name = name.strip().replace("-", "_")
            if not sep or name not in names:
                raise ValueError(f"unknown limit {name!r}; known limits: {', '.join(names)}")
            kind = type(getattr(self, name))
            try:
                value = kind(raw.replace("_", ""))
            except ValueError:
                raise ValueError(f"limit {name} needs a number, not {raw!r}") from None
            if not value > 0 or value == float("inf"):  # NaN would switch the limit off
                raise ValueError(f"limit {name} must be positive and finite, not {raw!r}")
            changes[name] = value
        return self.replace(**changes)

    def describe(self) -> list[tuple[str, object, str]]:
        """(name, value, reason) for every limit, for `--help` and the REPL's `:limits`."""
        out = []
        for f in dataclasses.fields(self):
            out.append((f.name, getattr(self, f.name), field_docs().get(f.name, "")))
        return out


_FIELD_DOCS: dict[str, str] = {}


def _collect_field_docs() -> None:
    """Read each field's docstring (the string literal after it) from this module's source."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(Limits))
    body = tree.body[0].body
    for stmt, nxt in zip(body, body[1:]):
        if isinstance(stmt, ast.AnnAssign) and isinstance(nxt, ast.Expr) \
                and isinstance(nxt.value, ast.Constant) and isinstance(nxt.value.value, str):
            _FIELD_DOCS[stmt.target.id] = " ".join(nxt.value.value.split())


CRM = Limits()
CREATOR = Limits(statements=5_000)
PROFILES = {"crm": CRM, "creator": CREATOR}


def profile(name: str) -> Limits:
    try:
        return PROFILES[name.lower()]
    except KeyError:
        raise ValueError(f"unknown limits profile {name!r}; choose one of: {', '.join(PROFILES)}") from None


def field_docs() -> dict[str, str]:
    if not _FIELD_DOCS:
        _collect_field_docs()
    return _FIELD_DOCS
