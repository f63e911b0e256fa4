"""Writes docs/builtins.md from the builtins' docstrings: one table per Deluge type.

    python -m delugelang.builtins.docgen            # print the page
    python -m delugelang.builtins.docgen docs/builtins.md

Each row shows a builtin's signature (with its other spellings), what it returns, its
summary and its docstring examples. The "Returns" column is not written by hand: the
generator runs every docstring example and records the Deluge type of each value the
builtin itself returned, so the column cannot drift from the implementation. A builtin
whose result type depends on its input (`get` returns whatever is stored) says so in a
`Returns: ...` line of its docstring instead.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import inspect
import sys
from dataclasses import dataclass, field

from .. import tasks
from ..values import Collection, Decimal, TypedList, type_name
from . import load_all
from .encoding_crypto import DOCUMENTED_NAMES, ENCRYPTION_TASKS
from .registry import FUNCTIONS, METHODS

# A fixed instant, so that examples using the clock give the same page every time.
DOC_NOW = _dt.datetime(2026, 11, 28, 17, 25, 24, tzinfo=_dt.timezone.utc)

# (title, receiver placeholder, python types) in page order.
TABLES = [
    ("Text", "text", (str,)),
    ("Number", "number", (int,)),
    ("Decimal", "decimal", (Decimal,)),
    ("List", "list", (list, TypedList)),
    ("Map (KEY-VALUE)", "map", (dict,)),
    ("Collection", "collection", (Collection,)),
    ("Date, date-time and time", "date", (_dt.date, _dt.datetime, _dt.time)),
    ("Boolean", "boolean", (bool,)),
]
ANY_TITLE = "Any value, and global functions"
TASKS_TITLE = "Tasks (zoho.encryption.*)"

# Names in the reference that are deliberately not provided, with the reason.
NOT_SUPPORTED = {
    "today": "a bare word in Creator scripts ([3p]: same as zoho.currentdate); use "
             "zoho.currentdate, which reads the host's clock",
    "now": "a bare word in Creator scripts ([3p]: same as zoho.currenttime); use "
           "zoho.currenttime, which reads the host's clock",
    "zoho.encryption.base64DecodeToFile": "returns a FILE; FILE values are out of scope "
                                          "(reference §3)",
}

# Built into the language rather than the registry; shown in the "Any value" section and
# their examples run by the tests like the docstrings' (signature, returns, summary, examples).
LANGUAGE_FORMS = [
    ("ifnull(value, alternate)", "the value's or the alternate's type",
     "`alternate` when `value` is null (or empty text, as `isNull` counts it), else `value` "
     "[doc: https://www.zoho.com/deluge/help/conditional-statements/condition.html].",
     [('ifnull(null, "none")', '"none"'), ('ifnull("a", "none")', '"a"')]),
    ("if(condition, valueIfTrue, valueIfFalse)", "either value's type",
     "The inline conditional: the first value when the condition is true, else the second "
     "[doc: condition.html].", [('if(5 > 4, "yes", "no")', '"yes"')]),
    ("zoho.currentdate", "DATE", "Today, from the host's clock, in the run's zone.",
     [("zoho.currentdate.getYear() > 2000", "true")]),
    ("zoho.currenttime", "DATE-TIME", "Now, from the host's clock, in the run's zone.",
     [('zoho.currenttime.toString("yyyy").length()', "4")]),
    ("zoho.loginuser / zoho.loginuserid / zoho.adminuser / zoho.adminuserid", "TEXT",
     "The users the host names (Services.user and Services.admin).",
     [('zoho.loginuser.contains("@")', "true")]),
]

_BROAD = {str, int, list, dict}  # an impl taking all of these belongs to "Any value"


@dataclass
class Entry:
    """One implementation as the page shows it."""

    names: list[str]
    impl: object
    receiver: str | None  # placeholder such as "text"; None for functions and tasks
    lo: int
    hi: int | None
    returns: set[str] = field(default_factory=set)

    def sort_key(self):
        return (self.names[0].lower(), self.names)


# ---------------------------------------------------------------- collecting

def implementations() -> list:
    """Every builtin implementation (methods, functions, encryption tasks), each once."""
    load_all()
    seen = {}
    for spec in METHODS.values():
        for impl, _, _ in spec.impls.values():
            seen[id(impl)] = impl
    for spec in FUNCTIONS.values():
        seen[id(spec.impl)] = spec.impl
    for impl, _, _ in ENCRYPTION_TASKS.values():
        seen[id(impl)] = impl
    return sorted(seen.values(), key=lambda f: (f.__module__, f.__qualname__))


def examples(impl) -> list[tuple[str, str]]:
    """The docstring's `>>> expression` lines, each with the expected JSON on the next."""
    lines = (inspect.getdoc(impl) or "").splitlines()
    return [(line.strip()[4:], lines[i + 1].strip()) for i, line in enumerate(lines)
            if line.strip().startswith(">>> ") and i + 1 < len(lines)]


def _table_for(types: set) -> list[str]:
    if _BROAD <= types:
        return [ANY_TITLE]
    if types & {_dt.date, _dt.datetime}:
        return ["Date, date-time and time"]
    return [title for title, _, py_types in TABLES if types & set(py_types)]


def collect() -> dict[str, list[Entry]]:
    """Entries by table title, before the Returns column is filled in."""
    load_all()
    by_table: dict[str, dict] = {}
    for spec in METHODS.values():
        groups: dict[int, tuple] = {}
        for py_type, (impl, lo, hi) in spec.impls.items():
            groups.setdefault(id(impl), (impl, lo, hi, set()))[3].add(py_type)
        for impl, lo, hi, types in groups.values():
            for title in _table_for(types):
                placeholder = _placeholder(title)
                key = (id(impl), lo, hi)
                entry = by_table.setdefault(title, {}).get(key)
                if entry is None:
                    entry = Entry([], impl, placeholder, lo, hi)
                    by_table[title][key] = entry
                if spec.name not in entry.names:
                    entry.names.append(spec.name)
    for spec in FUNCTIONS.values():
        key = (id(spec.impl), spec.min_args, spec.max_args)
        entry = by_table.setdefault(ANY_TITLE, {}).get(key)
        if entry is None:
            entry = Entry([], spec.impl, None, spec.min_args, spec.max_args)
            by_table[ANY_TITLE][key] = entry
        entry.names.append(spec.name)
    for dotted, (impl, lo, hi) in ENCRYPTION_TASKS.items():
        by_table.setdefault(TASKS_TITLE, {})[(id(impl), lo, hi)] = Entry(
            [DOCUMENTED_NAMES[dotted]], impl, None, lo, hi)
    return {title: sorted(entries.values(), key=Entry.sort_key)
            for title, entries in by_table.items()}


def _placeholder(title: str) -> str:
    for name, placeholder, _ in TABLES:
        if name == title:
            return placeholder
    return "value"


# ---------------------------------------------------------------- the Returns column

def record_returns(entries: list[Entry]) -> None:
    """Fill in each entry's returns from observed_returns()."""
    seen = observed_returns()
    for entry in entries:
        entry.returns = seen.get(id(entry.impl), set())


def observed_returns() -> dict[int, set]:
    """Run every docstring example with each builtin wrapped, noting the types it returns:
    {id(implementation): {Deluge type names}}."""
    import delugelang

    seen: dict[int, set] = {}
    all_examples = [ex for impl in implementations() for ex, _ in examples(impl)]
    originals = _wrap_all(seen)
    try:
        services = delugelang.Services(clock=lambda: DOC_NOW, random_seed=7)
        for expression in all_examples:
            program = delugelang.compile(f"return {expression};", "<docstring>", cache=False)
            program.run(services=services)
    finally:
        _restore(originals)
    return seen


def _recorder(impl, seen: dict):
    def recorded(rt, *args):
        value = impl(rt, *args)
        seen.setdefault(id(impl), set()).add(type_name(value))
        return value
    return recorded


def _wrap_all(seen: dict) -> dict:
    wrappers: dict[int, object] = {}

    def wrapper(impl):
        if id(impl) not in wrappers:
            wrappers[id(impl)] = _recorder(impl, seen)
        return wrappers[id(impl)]

    originals = {"methods": {}, "functions": {}, "tasks": {}}
    for key, spec in METHODS.items():
        originals["methods"][key] = dict(spec.impls)
        spec.impls.update({t: (wrapper(impl), lo, hi) for t, (impl, lo, hi) in spec.impls.items()})
    for key, spec in FUNCTIONS.items():
        originals["functions"][key] = spec
        FUNCTIONS[key] = spec.replace(impl=wrapper(spec.impl))
    for key, spec in tasks.TASKS.items():
        if spec.impl is not None:
            originals["tasks"][key] = spec
            tasks.TASKS[key] = spec.replace(impl=wrapper(spec.impl))
    return originals


def _restore(originals: dict) -> None:
    for key, impls in originals["methods"].items():
        METHODS[key].impls.clear()
        METHODS[key].impls.update(impls)
    FUNCTIONS.update(originals["functions"])
    tasks.TASKS.update(originals["tasks"])


# ---------------------------------------------------------------- rendering

def signature(entry: Entry) -> str:
    """`text.subString(start[, end])`, `isNull(value)`, `zoho.encryption.md5(text[, ...])`."""
    params = [p for p in inspect.signature(entry.impl).parameters.values()][1:]  # drop rt
    if entry.receiver is not None and params:
        params = params[1:]
    names = [p.name for p in params if p.kind is not p.VAR_POSITIONAL]
    names += [f"arg{i + 1}" for i in range(len(names), max(entry.lo, entry.hi or 0))]
    required = names[:entry.lo]
    optional = names[entry.lo:entry.hi] if entry.hi is not None else names[entry.lo:]
    text = ", ".join(required)
    for name in optional:
        text += f"[, {name}]" if text else f"[{name}]"
    if entry.hi is None:
        text += ", ..." if text else "..."
    head = f"{entry.receiver}." if entry.receiver else ""
    return f"{head}{entry.names[0]}({text})"


def returns(entry: Entry) -> str:
    """A docstring's own `Returns: ...` line, else the types recorded from its examples."""
    for line in (inspect.getdoc(entry.impl) or "").splitlines():
        if line.startswith("Returns: "):
            return line[len("Returns: "):].strip()
    kinds = sorted(k for k in entry.returns if k != "NULL")
    words = " or ".join(kinds) if kinds else ""
    if "NULL" in entry.returns:
        words = f"{words} or null" if words else "null"
    return words or "(no example)"


def summary(impl) -> str:
    """The docstring's first paragraph, on one line."""
    doc = inspect.getdoc(impl) or ""
    paragraph = doc.split("\n\n", 1)[0]
    return " ".join(paragraph.split())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{_cell(text)}{pad}{fence}"


def row(entry: Entry) -> str:
    sig = _code(signature(entry))
    others = [n for n in entry.names[1:]]
    if others:
        sig += "<br>also " + ", ".join(_code(n) for n in others)
    shown = "<br>".join(f"{_code(expr)} → {_code(want)}" for expr, want in examples(entry.impl))
    return f"| {sig} | {returns(entry)} | {_cell(summary(entry.impl))} | {shown} |"


def _anchor(title: str) -> str:
    keep = "".join(ch for ch in title.lower() if ch.isalnum() or ch in " -")
    return keep.replace(" ", "-")


def render() -> str:
    """The whole page."""
    tables = collect()
    record_returns([e for entries in tables.values() for e in entries])
    titles = [t for t, _, _ in TABLES] + [ANY_TITLE, TASKS_TITLE]
    out = [
        "# Deluge built-in functions",
        "",
        "Generated from the builtins' docstrings by `python -m delugelang.builtins.docgen "
        "docs/builtins.md`; do not edit by hand (a test regenerates it and fails when it "
        "differs). Every example below is run by the test suite. Most methods can also be "
        "called as functions, with the receiver first: `text.length()` or `length(text)`. "
        "Names are case-insensitive. \"Returns\" lists the types the builtin returned while "
        "its examples ran, unless its docstring states it. Deliberate departures from "
        "Zoho's documentation are in [deviations.md](deviations.md).",
        "",
    ]
    out += [f"- [{t}](#{_anchor(t)})" for t in titles if tables.get(t)]
    out += ["- [Integration tasks](#integration-tasks)", "- [Not supported](#not-supported)", ""]
    for title in titles:
        entries = tables.get(title)
        if not entries:
            continue
        out += [f"## {title}", ""]
        if title == "Boolean":
            out += ["The checks and conversions in the \"Any value\" table apply to booleans "
                    "as well.", ""]
        out += ["| Signature | Returns | Description | Examples |", "|---|---|---|---|"]
        out += [row(e) for e in entries]
        out.append("")
        if title == ANY_TITLE:
            out += _language_forms()
    out += _integration_tasks() + _not_supported()
    return "\n".join(out).rstrip() + "\n"


def _language_forms() -> list[str]:
    lines = ["Part of the language itself:", "",
             "| Form | Returns | Description | Examples |", "|---|---|---|---|"]
    for sig, result, text, shown in LANGUAGE_FORMS:
        cells = "<br>".join(f"{_code(expr)} → {_code(want)}" for expr, want in shown)
        lines.append(f"| {_code(sig)} | {result} | {_cell(text)} | {cells} |")
    return lines + [""]


def _integration_tasks() -> list[str]:
    lines = ["## Integration tasks", "",
             "These run through the host's services (a record store, the connector registry) "
             "or `--fixtures`; see README.md. Arguments as in reference §9.3.", "",
             "| Task | Arguments |", "|---|---|"]
    for spec in sorted(tasks.TASKS.values(), key=lambda s: s.name.lower()):
        if spec.impl is None:
            count = f"{spec.min_args} to {spec.max_args}" if spec.max_args != spec.min_args \
                else str(spec.min_args)
            lines.append(f"| `{spec.name}` | {count} |")
    return lines + [""]


def _not_supported() -> list[str]:
    lines = ["## Not supported", "", "Named in the reference but deliberately absent:", ""]
    lines += [f"- `{name}`: {reason}." for name, reason in NOT_SUPPORTED.items()]
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m delugelang.builtins.docgen",
        description="Generate the builtin reference page (docs/builtins.md) from the "
                    "builtins' docstrings; prints it when no output file is given.")
    parser.add_argument("output", nargs="?", help="file to write, e.g. docs/builtins.md")
    args = parser.parse_args(argv)
    page = render()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(page)
    else:
        sys.stdout.write(page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
