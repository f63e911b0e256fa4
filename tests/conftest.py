"""Pytest hooks for the whole suite: the conformance summary at the end of a run."""

from shared_corpus import CONFORMANCE_COUNTS


def pytest_terminal_summary(terminalreporter):
    if not CONFORMANCE_COUNTS:
        return
    terminalreporter.section("Deluge conformance (../shared/conformance/public.jsonl)")
    total_pass = total = 0
    for category in sorted(CONFORMANCE_COUNTS):
        passed, count = CONFORMANCE_COUNTS[category]
        total_pass += passed
        total += count
        terminalreporter.write_line(f"  {category:12} {passed:4} / {count}")
    terminalreporter.write_line(f"  {'all':12} {total_pass:4} / {total}")
