"""Sandbox budgets: the Limits object, its named profiles, and `NAME=VALUE` overrides."""

from __future__ import annotations

from .frozen import Frozen, _set


class Limits(Frozen):
    """Every budget one run of a function may spend. Immutable; `replace()` makes variants.
    Built by keyword only: `Limits(statements=5000)`.

    Defaults are the `crm` profile. Sources: ../shared/reference/sandbox.md §4 and
    deluge-reference.md §10. Each field's default is in `__init__`, its reason in the
    string after its name here (`describe()` and `--limits` show it).
    """

    __slots__ = _fields = (
        "statements", "time_seconds", "call_depth", "source_bytes", "parse_nesting",
        "value_nesting", "text_length", "collection_size", "memory_bytes", "info_bytes",
        "return_bytes", "http_calls", "http_response_bytes", "http_timeout_seconds",
        "regex_seconds", "regex_pattern_length", "mails", "process_memory_bytes",
        "cpu_seconds",
    )

    statements: int
    """Executed statements. Zoho CRM allows 200,000 "lines of execution" per function;
    a `for each` counts once per iteration plus its body (Deluge limits page)."""

    time_seconds: float
    """Wall-clock time per run. Zoho CRM: 1 minute per function execution."""

    call_depth: int
    """Nested function calls. Deluge: at most 75 nested/recursive calls."""

    source_bytes: int
    """Source size. The CRM editor caps a function at about 1 MB."""

    parse_nesting: int
    """Nesting of brackets, blocks and operator chains in the source. CEL uses 250;
    100 keeps Python's own compiler far from its recursion limit."""

    value_nesting: int
    """Lists and maps inside lists and maps. CPython's json fails near 1,000; CEL 250."""

    text_length: int
    """Characters in one text. Deluge's invokeurl downloads are capped at 5 MB."""

    collection_size: int
    """Elements in one list or map. Jinja's MAX_RANGE; simpleeval uses 10,000."""

    memory_bytes: int
    """Memory attributable to script values (texts and collections), estimated as they grow.
    Anchors: Workers 128 MB, LuaSandbox example 50 MB, Apex 6-12 MB heap."""

    info_bytes: int
    """`info` output. Deluge truncates it past 500 KB with a note."""

    return_bytes: int
    """Size of the returned value as JSON. Zoho CRM: 10 MB response size."""

    http_calls: int
    """HTTP requests (invokeurl, connectors). Apex allows 100 callouts per transaction."""

    http_response_bytes: int
    """Decoded bytes of one HTTP response. Deluge invokeurl: 5 MB."""

    http_timeout_seconds: float
    """Socket timeout of one HTTP request. Deluge: 40 s, then "socket timeout error"."""

    regex_seconds: float
    """Time one regular expression may run before it is stopped (catastrophic backtracking)."""

    regex_pattern_length: int
    """Characters in one regular expression pattern."""

    mails: int
    """`sendmail` tasks per run. Apex sendEmail: 10 per transaction."""

    process_memory_bytes: int
    """Isolation mode only: address space the worker process may add to what it inherits
    from the host when forked (its RLIMIT_AS is the host's size at fork plus this).
    sandbox.md §4: worker RLIMIT_AS 512 MiB; the in-process `memory_bytes` is an estimate,
    this is the operating system's hard stop."""

    cpu_seconds: float
    """Isolation mode only: CPU time of the worker process (RLIMIT_CPU, rounded up; killed
    one second past it). Apex: 10,000 ms synchronous CPU time."""

    def __init__(self, *,
                 statements: int = 200_000,
                 time_seconds: float = 60.0,
                 call_depth: int = 75,
                 source_bytes: int = 1_000_000,
                 parse_nesting: int = 100,
                 value_nesting: int = 100,
                 text_length: int = 5_000_000,
                 collection_size: int = 100_000,
                 memory_bytes: int = 64 * 1024 * 1024,
                 info_bytes: int = 500_000,
                 return_bytes: int = 10_000_000,
                 http_calls: int = 100,
                 http_response_bytes: int = 5_000_000,
                 http_timeout_seconds: float = 40.0,
                 regex_seconds: float = 0.1,
                 regex_pattern_length: int = 1_000,
                 mails: int = 10,
                 process_memory_bytes: int = 512 * 1024 * 1024,
                 cpu_seconds: float = 10.0):
        _set(self, "statements", statements)
        _set(self, "time_seconds", time_seconds)
        _set(self, "call_depth", call_depth)
        _set(self, "source_bytes", source_bytes)
        _set(self, "parse_nesting", parse_nesting)
        _set(self, "value_nesting", value_nesting)
        _set(self, "text_length", text_length)
        _set(self, "collection_size", collection_size)
        _set(self, "memory_bytes", memory_bytes)
        _set(self, "info_bytes", info_bytes)
        _set(self, "return_bytes", return_bytes)
        _set(self, "http_calls", http_calls)
        _set(self, "http_response_bytes", http_response_bytes)
        _set(self, "http_timeout_seconds", http_timeout_seconds)
        _set(self, "regex_seconds", regex_seconds)
        _set(self, "regex_pattern_length", regex_pattern_length)
        _set(self, "mails", mails)
        _set(self, "process_memory_bytes", process_memory_bytes)
        _set(self, "cpu_seconds", cpu_seconds)

    def with_overrides(self, pairs: list[str]) -> "Limits":
        """Apply `NAME=VALUE` strings (the CLI's `--limit`); raises ValueError with a clear text."""
        changes = {}
        names = self._fields
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
        for name in self._fields:
            out.append((name, getattr(self, name), field_docs().get(name, "")))
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


def compile_limits(limits: Limits) -> tuple:
    """The limits a compiled program depends on (the parser's): part of every cache key."""
    return (limits.parse_nesting, limits.source_bytes)


def profile(name: str) -> Limits:
    try:
        return PROFILES[name.lower()]
    except KeyError:
        raise ValueError(f"unknown limits profile {name!r}; choose one of: {', '.join(PROFILES)}") from None


def field_docs() -> dict[str, str]:
    if not _FIELD_DOCS:
        _collect_field_docs()
    return _FIELD_DOCS
