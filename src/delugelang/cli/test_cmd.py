"""`dg test`: run the `*.test.json` unit tests of Deluge functions."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import EXIT_DATAERR, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE

TEST_EPILOG = """\
A test file (NAME.test.json beside NAME.dg) holds cases: the function, its args and/or
record, fixtures (records, connector responses, HTTP responses), and what to expect
(return, info, error, the http/connectors calls made, the records created/updated).
See README.md, "Testing functions with dg test".

exit codes: 0 every case passed; 1 some failed; 2 usage (bad path, invalid test file);
65 a script does not compile.

examples:
  dg test                       # every *.test.json under the current directory
  dg test samples/              # a directory, recursively
  dg test samples/welcome.dg    # the tests beside one script
  dg test -k EMEA -v samples/   # only cases whose name contains EMEA, one line each
  dg test --junit-xml report.xml samples/
"""


def register(sub) -> None:
    test = sub.add_parser("test", help="run unit tests of Deluge functions (*.test.json)",
                          epilog=TEST_EPILOG,
                          formatter_class=argparse.RawDescriptionHelpFormatter,
                          description="Run the cases of *.test.json files against their .dg "
                                      "scripts, with every outside call stubbed by fixtures "
                                      "and recorded. Nothing reaches the network.")
    test.add_argument("paths", nargs="*", metavar="PATH", default=["."],
                      help="test files, .dg files (their NAME.test.json) or directories "
                           "(searched recursively; default: the current directory)")
    test.add_argument("-k", metavar="TEXT", dest="select",
                      help="run only cases whose FILE::NAME contains TEXT (any case)")
    test.add_argument("-v", "--verbose", action="store_true",
                      help="one line per case with its outcome, and the reasons for skips")
    test.add_argument("--junit-xml", metavar="FILE", help="also write the results as JUnit XML")
    test.set_defaults(handler=test_command)


def test_command(args) -> int:
    try:
        return _run_tests(args)
    except BrokenPipeError:  # `dg test | head`: the reader left; stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # as Python's docs advise
        return EXIT_RUNTIME


def _run_tests(args) -> int:
    if args.junit_xml and not _junit_path_ok(args.junit_xml):
        return EXIT_USAGE  # a usage error: said before anything runs
    files = _load_files(args.paths)
    if files is None:
        return EXIT_USAGE
    results = _run_files(files, args)
    if args.select and not results:  # a -k that matches nothing is most likely a typo
        total = sum(len(f.cases) for f in files)
        _complain(f"no case matches -k {args.select!r} ({total} case{'s' if total != 1 else ''}"
                  f" in {len(files)} file{'s' if len(files) != 1 else ''})")
    if args.junit_xml and not _write_junit(args.junit_xml, results):
        return EXIT_USAGE
    if any(r.compile_error is not None for r in results):
        return EXIT_DATAERR
    failed = any(c.status == "failed" for r in results for c in r.cases)
    return EXIT_RUNTIME if failed else EXIT_OK


def _load_files(paths: list[str]) -> list | None:
    """Every test file found under `paths`, checked; None (said why) when there are none
    or any is invalid: then nothing runs."""
    from ..testing import discover, load_test_file
    from ..testing.discovery import DiscoveryError
    from ..testing.spec import SpecError

    try:
        found = discover(paths)
    except DiscoveryError as exc:
        _complain(str(exc))
        return None
    if not found:
        _complain(f"no *.test.json files under {', '.join(paths)}")
        return None
    files, problems = [], []
    for path in found:
        try:
            files.append(load_test_file(path))
        except SpecError as exc:
            problems.append(str(exc))
    if problems:
        for problem in problems:
            _complain(problem)
        _complain(f"{len(problems)} invalid test file{'s' if len(problems) > 1 else ''}; "
                  f"nothing was run")
        return None
    return files


def _run_files(files: list, args) -> list:
    """Run the selected cases file by file, reporting each file as it finishes."""
    from ..testing import run_file
    from ..testing.report import TerminalReport

    selected = _selector(args.select)
    report = TerminalReport(sys.stdout, verbose=args.verbose)
    results = []
    for test_file in files:
        result = run_file(test_file, lambda case, f=test_file: selected(f, case))
        if not result.cases:
            continue
        results.append(result)
        report.file_done(result)
    report.finish(results)
    return results


def _junit_path_ok(path: str) -> bool:
    target = Path(path)
    if target.is_dir():
        _complain(f"--junit-xml {path} is a directory; name the report file")
        return False
    if not target.parent.is_dir():
        _complain(f"--junit-xml {path}: the directory {target.parent} does not exist")
        return False
    return True


def _write_junit(path: str, results: list) -> bool:
    from ..testing.report import junit_xml

    try:
        with open(path, "wb") as fh:
            fh.write(junit_xml(results))
    except OSError as exc:
        _complain(f"cannot write {path}: {exc.strerror}")
        return False
    return True


def _complain(message: str) -> None:
    print(f"dg test: {message}", file=sys.stderr)


def _selector(text: str | None):
    if not text:
        return lambda test_file, case: True
    needle = text.lower()
    return lambda test_file, case: needle in f"{test_file.display}::{case.name}".lower()
