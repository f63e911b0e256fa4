"""`dg fmt`: rewrite .dg files in Deluge's conventional layout, or check or diff them."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile

from . import EXIT_DATAERR, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE
from .common import expand_dg_files

FMT_DESCRIPTION = """\
Lay out Deluge files the way Zoho's script editor saves them: tab indentation, braces on
lines of their own, `if(` / `else if(` / `catch (e)`, task parameters one per line between
`[` and `]`, spaces around binary operators, none after commas, blank lines kept (at most
one in a row). Comments stay where they are, and line breaks inside a statement are kept
after commas, around operators and before `.`.

A file is only written when its formatted text builds exactly the same syntax tree and
keeps every comment; otherwise dg fmt reports the place and leaves the file untouched.
Files are rewritten atomically and keep their newline style (LF or CRLF)."""

FMT_EPILOG = """\
exit codes: 0 ok (or nothing to change); 1 --check found files that would change;
2 usage (a missing, unreadable or unwritable file); 65 a syntax error, or a layout that
would not keep the code's meaning (either way the file is left untouched).

examples:
  dg fmt samples/welcome.dg
  dg fmt --check samples/          # a directory: every .dg file under it
  dg fmt --diff notify.dg
  cat notify.dg | dg fmt -
"""


def register(sub) -> None:
    fmt = sub.add_parser("fmt", help="format .dg files in Deluge's conventional layout",
                         description=FMT_DESCRIPTION, epilog=FMT_EPILOG,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    fmt.add_argument("files", nargs="+", metavar="FILE",
                     help=".dg files (or directories of them) to rewrite in place, or - to "
                          "read standard input and write the result to standard output")
    fmt.add_argument("--check", action="store_true",
                     help="write nothing; list the files that would change and exit 1 if any")
    fmt.add_argument("--diff", action="store_true",
                     help="write nothing; print a unified diff of what would change")
    fmt.set_defaults(handler=fmt_command)


def fmt_command(args) -> int:
    statuses = [_one(path, args) for path in expand_dg_files(args.files)]
    for bad in (EXIT_DATAERR, EXIT_USAGE, EXIT_RUNTIME):
        if bad in statuses:
            return bad
    return EXIT_OK


def _one(path: str, args) -> int:
    from ..errors import DelugeError
    from ..formatter import format_source

    try:
        source, name = _read(path)
    except OSError as exc:
        print(f"dg fmt: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        formatted = format_source(source)
    except DelugeError as err:
        print(err.render(source, name), file=sys.stderr)
        return EXIT_DATAERR
    changed = formatted != source
    if args.diff and changed:
        sys.stdout.write(_diff(source, formatted, name))
    if args.check:
        if changed:
            print(f"would reformat {name}")
        return EXIT_RUNTIME if changed else EXIT_OK
    if args.diff:
        return EXIT_OK
    if path == "-":
        sys.stdout.write(formatted)
    elif changed:
        try:
            _write_atomically(path, formatted)
        except OSError as exc:
            print(f"dg fmt: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"reformatted {name}", file=sys.stderr)
    return EXIT_OK


def _read(path: str) -> tuple[str, str]:
    """(source, display name); newlines are read as they are (no translation)."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            raise OSError(f"no such file: {path}") from None
        except OSError as exc:
            raise OSError(f"cannot read {path}: {exc.strerror}") from None
        name = path
    try:
        return data.decode("utf-8"), name
    except UnicodeDecodeError:
        raise OSError(f"{name} is not UTF-8 text") from None


def _diff(before: str, after: str, name: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"{name} (original)", tofile=f"{name} (formatted)")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _write_atomically(path: str, text: str) -> None:
    """Write beside the file, then rename over it: a reader sees the old or the new text.
    A symbolic link stays a link: its target is rewritten."""
    path = os.path.realpath(path)
    directory = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o7777
    fd, temp = tempfile.mkstemp(prefix=".dgfmt-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
