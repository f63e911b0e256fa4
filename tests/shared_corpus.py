"""Where ../shared lives, its corpora, and the conformance pass counts by category."""

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
