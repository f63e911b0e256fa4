"""Shared test helpers: where ../shared lives, and a runner for Deluge snippets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_REASON = ("../shared is not present next to this checkout (a user's clone); "
                 "the shared conformance and attack corpora are skipped")


def shared_file(relative: str) -> Path:
    path = SHARED / relative
    if not path.is_file():
        pytest.skip(SHARED_REASON)
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def shared_cases(relative: str) -> list[dict]:
    """Cases of a shared JSONL corpus, or [] when ../shared is absent."""
    path = SHARED / relative
    return read_jsonl(path) if path.is_file() else []


# Pass counts by category, printed at the end of the session.
CONFORMANCE_COUNTS: dict[str, list[int]] = {}


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
