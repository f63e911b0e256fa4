"""Reporting test results: a pytest-like terminal report, and JUnit XML for CI."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .runner import FAILED, PASSED, SKIPPED, FileResult

_MARKS = {PASSED: ".", FAILED: "F", SKIPPED: "s"}
WIDTH = 72


class TerminalReport:
    """Writes one progress line per file as it runs, then failures, then the summary."""

    def __init__(self, stream, verbose: bool = False):
        self.stream = stream
        self.verbose = verbose

    def file_done(self, result: FileResult) -> None:
        name = result.test_file.display
        if result.compile_error is not None:
            self.stream.write(result.compile_error + "\n")
        if self.verbose:
            for r in result.cases:
                self.stream.write(f"{name}::{r.case.name} {r.status.upper()}\n")
        else:
            marks = "".join(_MARKS[r.status] for r in result.cases)
            self.stream.write(f"{name} {marks}\n")
        self.stream.flush()

    def finish(self, results: list[FileResult]) -> None:
        failed = [(f, r) for f in results for r in f.cases if r.status == FAILED]
        if failed:
            self.stream.write("\n" + _rule("FAILURES", "=") + "\n")
            for f, r in failed:
                self.stream.write(_rule(f"{f.test_file.display}::{r.case.name}", "_") + "\n")
                for failure in r.failures:
                    self.stream.write(f"{failure.what}:\n{failure.detail}\n\n")
        skipped = [(f, r) for f in results for r in f.cases if r.status == SKIPPED]
        if skipped and self.verbose:
            for f, r in skipped:
                self.stream.write(f"SKIPPED {f.test_file.display}::{r.case.name}: {r.reason}\n")
        self.stream.write(summary_line(results) + "\n")
        self.stream.flush()


def summary_line(results: list[FileResult]) -> str:
    """`N passed, N failed`, then `, N skipped` when some were."""
    counts = {PASSED: 0, FAILED: 0, SKIPPED: 0}
    for f in results:
        for r in f.cases:
            counts[r.status] += 1
    line = f"{counts[PASSED]} passed, {counts[FAILED]} failed"
    if counts[SKIPPED]:
        line += f", {counts[SKIPPED]} skipped"
    return line


def _rule(title: str, char: str) -> str:
    pad = max(WIDTH - len(title) - 2, 4)
    return f"{char * (pad // 2)} {title} {char * (pad - pad // 2)}"


def junit_xml(results: list[FileResult]) -> bytes:
    """The results as JUnit XML: one testsuite per test file, one testcase per case."""
    suites = ET.Element("testsuites", name="dg test")
    totals = {"tests": 0, "failures": 0, "skipped": 0, "time": 0.0}
    for f in results:
        counts = {"tests": len(f.cases),
                  "failures": sum(r.status == FAILED for r in f.cases),
                  "skipped": sum(r.status == SKIPPED for r in f.cases),
                  "time": sum(r.seconds for r in f.cases)}
        suite = ET.SubElement(suites, "testsuite", name=f.test_file.display,
                              tests=str(counts["tests"]), failures=str(counts["failures"]),
                              errors="0", skipped=str(counts["skipped"]),
                              time=f"{counts['time']:.3f}")
        for r in f.cases:
            case = ET.SubElement(suite, "testcase", classname=f.test_file.display,
                                 name=r.case.name, time=f"{r.seconds:.3f}")
            if r.status == FAILED:
                failure = ET.SubElement(case, "failure",
                                        message="; ".join(x.what for x in r.failures))
                text = "\n\n".join(f"{x.what}:\n{x.detail}" for x in r.failures)
                if f.compile_error is not None:
                    text = f.compile_error + "\n\n" + text
                failure.text = text
            elif r.status == SKIPPED:
                ET.SubElement(case, "skipped", message=r.reason)
        for key in totals:
            totals[key] += counts[key]
    for key in ("tests", "failures", "skipped"):
        suites.set(key, str(totals[key]))
    suites.set("errors", "0")
    suites.set("time", f"{totals['time']:.3f}")
    ET.indent(suites)
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True)
