"""What the `dg` subcommands share: usage errors, exit-code wrappers, workspace, safe output."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from delugelang.errors import DelugeError

from . import EXIT_DATAERR, EXIT_RUNTIME, EXIT_USAGE

WORKSPACE_HELP = "workspace directory (default: $DG_WORKSPACE, else the current one)"


class UsageError(Exception):
    """The command line is wrong in a way argparse cannot see (exit code 2)."""


def fail(command: str, message: str) -> None:
    """`<command>: error: <message>` on stderr."""
    print(f"{command}: error: {message}", file=sys.stderr)


def guarded(handler: Callable[[object], int], command: str,
            data_error: Callable[[DelugeError], str | None]) -> Callable[[object], int]:
    """`handler` with its errors turned into a message on stderr and the documented exit
    code: a UsageError 2; a DelugeError that `data_error` describes (it returns the whole
    text to print, or None for any other error) 65; any other DelugeError 1."""
    def run(args) -> int:
        try:
            return handler(args)
        except UsageError as exc:
            fail(command, str(exc))
            return EXIT_USAGE
        except DelugeError as exc:
            text = data_error(exc)
            if text is None:
                fail(command, exc.message)
                return EXIT_RUNTIME
            print(text, file=sys.stderr)
            return EXIT_DATAERR
    return run


def workspace_option(args) -> str:
    """--workspace, else $DG_WORKSPACE, else the current directory."""
    return args.workspace or os.environ.get("DG_WORKSPACE") or os.getcwd()


def existing_workspace(args):
    """The workspace directory as a `pathlib.Path`; a UsageError when it is not a directory."""
    from pathlib import Path  # not at import: `dg run` does not need pathlib

    path = Path(workspace_option(args))
    if not path.is_dir():
        raise UsageError(f"the workspace {path} is not a directory")
    return path


def print_json(data) -> None:
    import json

    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def parse_json(text: str, where: str):
    """The JSON value in `text`; a UsageError naming `where` and the place otherwise."""
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{where} is not valid JSON: {exc.msg} at line {exc.lineno}, "
                         f"column {exc.colno}") from None


ZOHO_BODY_KEYS = frozenset({"data", "info"})  # a Zoho API v2+ body: {"data": [...], "info": {...}}


def first_record(data, where: str):
    """The record of a Zoho API body `{"data": [record]}`; else `data` itself (an object
    with other keys is a record, even with a "data" field). A body whose "data" list holds
    no record or several is a UsageError naming `where`: it is not a record, and which of
    its records was meant cannot be guessed."""
    if (isinstance(data, dict) and isinstance(data.get("data"), list)
            and data.keys() <= ZOHO_BODY_KEYS):
        records = data["data"]
        if len(records) != 1:
            count = "no record" if not records else f"{len(records)} records"
            raise UsageError(f'{where} is a Zoho API body with {count} in its "data" list; '
                             f"give exactly one record")
        return records[0]
    return data


def expand_dg_files(paths: list[str]) -> list[str]:
    """Paths as given; a directory stands for the .dg files under it (hidden folders
    skipped), in name order."""
    out = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = []
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [os.path.join(folder, f) for f in files if f.endswith(".dg")]
            out += sorted(found)
        else:
            out.append(path)
    return out


def safe_line(text: str) -> str:
    """Script output is data: escape control characters so it cannot forge log lines or
    drive the terminal (attack out-004), and lone surrogates so printing never fails."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\t" or (code >= 32 and code != 127 and not 0xD800 <= code <= 0xDFFF):
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}")
    return "".join(out)


def run_details(run, *, error: bool = True) -> list[str]:
    """A workflow run's `info` lines, its returned value and (with `error`) what failed."""
    import json

    lines = [f"info: {safe_line(line)}" for line in run.info]  # script data: escaped
    if run.result is not None:
        lines.append(f"returned: {json.dumps(run.result, ensure_ascii=False)}")
    if error and run.error:
        lines.append(f"error: {safe_line(run.error)}")
    return lines
