"""B7: workflow throughput, records created per second with one matching rule."""

from __future__ import annotations


def measure(records: int, rounds: int) -> dict:
    try:
        import delugelang.workflow  # noqa: F401
    except ImportError:
        return {"skipped": "workflow engine not available (delugelang.workflow is not installed)"}
    return {"skipped": "workflow engine not available (its API is not wired into the bench yet)"}
