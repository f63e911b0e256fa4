"""REPL completion: variables, functions, `zoho.` names, and methods by the receiver's type."""

from __future__ import annotations

import re

from . import tasks
from .builtins import load_all
from .builtins.registry import FUNCTIONS, METHODS
from .values import type_name

KEYWORDS = ("if", "else", "for each", "in", "return", "info", "try", "catch", "throw",
            "break", "continue", "true", "false", "null", "invokeurl", "sendmail")
COMMANDS = (":help", ":vars", ":reset", ":load", ":limits", ":record", ":quit")

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z|\Z")
# `name.` or `name.par` at the end of the text: the receiver and the method prefix.
_MEMBER = re.compile(r"(?:([A-Za-z_][A-Za-z0-9_]*)|(\"(?:\\.|[^\"\\])*\"))\s*\.\s*"
                     r"([A-Za-z_][A-Za-z0-9_]*)?\Z")
_ZOHO = re.compile(r"\b(zoho(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\.([A-Za-z_][A-Za-z0-9_]*)?\Z", re.I)


def complete(session, before: str) -> tuple[str, list[tuple[str, str]]]:
    """(the prefix being replaced, [(candidate, description)]), sorted, for the text before
    the cursor."""
    load_all()
    if before.lstrip().startswith(":") and " " not in before.strip():
        word = before.strip()
        return word, [(c, "command") for c in COMMANDS if c.startswith(word.lower())]
    zoho = _ZOHO.search(before)
    if zoho:
        return zoho.group(2) or "", _zoho_names(zoho.group(1), zoho.group(2) or "")
    member = _MEMBER.search(before)
    if member:
        return member.group(3) or "", _members(session, member)
    word = _WORD.search(before).group()
    return word, _names(session, word)


def _starts(candidate: str, prefix: str) -> bool:
    return candidate.lower().startswith(prefix.lower())


def _members(session, match) -> list[tuple[str, str]]:
    prefix = match.group(3) or ""
    if match.group(2) is not None:
        value = ""
    elif match.group(1) == "input":
        return sorted((f, "field of the record") for f in session.record if _starts(f, prefix))
    elif match.group(1) in session.variables:
        value = session.variables[match.group(1)]
    else:
        return []
    kind = type(value)
    out = {spec.name: f"method of {type_name(value)}" for spec in METHODS.values()
           if kind in spec.impls and _starts(spec.name, prefix)}
    return sorted(out.items(), key=lambda kv: kv[0].lower())


def _zoho_names(head: str, prefix: str) -> list[tuple[str, str]]:
    depth = head.count(".") + 1
    found: dict[str, str] = {}
    full = [(spec.name, "task") for spec in tasks.TASKS.values()]
    full += [("zoho." + name, "system variable") for name in sorted(tasks.SYSTEM_VARIABLES)]
    for name, what in full:
        parts = name.split(".")
        if len(parts) <= depth or ".".join(parts[:depth]).lower() != head.lower():
            continue
        part = parts[depth]
        if _starts(part, prefix):
            found.setdefault(part, what if len(parts) == depth + 1 else "namespace")
    return sorted(found.items(), key=lambda kv: kv[0].lower())


def _names(session, prefix: str) -> list[tuple[str, str]]:
    if not prefix:
        return []
    found: dict[str, str] = {}
    for name, value in session.variables.items():
        if _starts(name, prefix):
            found[name] = f"variable, {type_name(value)}"
    for fn in session.functions.values():
        if _starts(fn.name, prefix):
            found.setdefault(fn.name, "function defined here")
    for spec in FUNCTIONS.values():
        if _starts(spec.name, prefix):
            found.setdefault(spec.name, "builtin function")
    for spec in METHODS.values():
        if spec.function_form and _starts(spec.name, prefix):
            found.setdefault(spec.name, "builtin function")
    for word in KEYWORDS:
        if _starts(word, prefix):
            found.setdefault(word, "keyword")
    if "zoho".startswith(prefix.lower()):
        found.setdefault("zoho", "tasks and system variables")
    # Variables first, then everything else by name.
    return sorted(found.items(), key=lambda kv: (not kv[1].startswith("variable"),
                                                 kv[0].lower()))
