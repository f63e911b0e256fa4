"""`dg test`: run the `*.test.json` unit tests of Deluge functions."""

from __future__ import annotations

import argparse
import os
import sys

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
    from ..testing import discover, load_test_file, run_file
    from ..testing.discovery import DiscoveryError
    from ..testing.report import TerminalReport, junit_xml
    from ..testing.spec import SpecError

    try:
        paths = discover(args.paths)
    except DiscoveryError as exc:
        print(f"dg test: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not paths:
        print(f"dg test: no *.test.json files under {', '.join(args.paths)}", file=sys.stderr)
        return EXIT_USAGE
    files, problems = [], []
    for path in paths:
        try:
            files.append(load_test_file(path))
        except SpecError as exc:
            problems.append(str(exc))
    if problems:
        for problem in problems:
            print(f"dg test: {problem}", file=sys.stderr)
        print(f"dg test: {len(problems)} invalid test file{'s' if len(problems) > 1 else ''}; "
              f"nothing was run", file=sys.stderr)
        return EXIT_USAGE
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
    if args.junit_xml:
        try:
            with open(args.junit_xml, "wb") as fh:
                fh.write(junit_xml(results))
        except OSError as exc:
            print(f"dg test: cannot write {args.junit_xml}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
    if any(r.compile_error is not None for r in results):
        return EXIT_DATAERR
    failed = any(c.status == "failed" for r in results for c in r.cases)
    return EXIT_RUNTIME if failed else EXIT_OK


def _selector(text: str | None):
    if not text:
        return lambda test_file, case: True
    needle = text.lower()
    return lambda test_file, case: needle in f"{test_file.display}::{case.name}".lower()
