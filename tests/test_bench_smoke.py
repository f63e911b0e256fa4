"""The benchmark harness runs end to end at tiny sizes.

Speed is measured by `make bench`, never asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_harness_runs_every_benchmark_at_tiny_sizes(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--scale", "0.002", "--rounds", "1",
         "--output", str(out)],
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    for key in ("B1", "B2", "B3", "B4", "B5", "B6", "B7"):
        assert f"\n{key} " in "\n" + done.stdout, f"{key} missing from:\n{done.stdout}"
    data = json.loads(out.read_text())
    results = data["results"]
    for key in ("B1", "B2", "B3", "B4"):
        assert results[key]["deluge_ms"] > 0 and results[key]["python_ms"] > 0
        assert results[key]["ratio"] > 0
    assert results["B5"]["cold_ms"] > results["B5"]["cached_ms"] > 0
    assert results["B6"]["peak_mb"] > 0
    assert "skipped" in results["B7"] or results["B7"]["records_per_second"] > 0
    assert {c["target"] for c in data["targets"]} >= {"B1", "B2", "B3", "B4", "B6"}


def test_bench_refuses_a_wrong_result(tmp_path):
    """The harness compares delugelang's value with CPython's before timing anything."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import run as bench_run
        from programs import WORKLOADS
    finally:
        sys.path.remove(str(ROOT / "bench"))
    broken = WORKLOADS[0].__class__(**{**WORKLOADS[0].__dict__,
                                       "python_call": lambda nums: -1})
    try:
        bench_run.run_workload(broken, 0.001, 1)
    except SystemExit as exc:
        assert "CPython -1" in str(exc)
    else:
        raise AssertionError("a wrong result was timed")
