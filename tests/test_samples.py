"""Every sample in samples/ compiles and runs, with its record, fixtures and test cases.

A sample's record and fixtures are used when present; a sample with a NAME.test.json runs
its cases.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import delugelang
from deluge_harness import services_for

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SCRIPTS = sorted(SAMPLES.glob("*.dg"))


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_sample_runs(path):
    test_file = path.with_name(path.stem + ".test.json")
    if test_file.exists():  # the sample runs with its own fixtures, through dg test
        from delugelang.testing import load_test_file, run_file
        result = run_file(load_test_file(test_file))
        assert result.cases and all(c.status == "passed" for c in result.cases), \
            [(c.case.name, [f.detail for f in c.failures]) for c in result.cases]
        return
    program = delugelang.compile(path.read_text(encoding="utf-8"), path.name)
    record_file = SAMPLES / "contact.json"
    record = json.loads(record_file.read_text()) if record_file.exists() else None
    result = program.run(record=record, services=services_for(None))
    assert result.stats.statements > 0


def test_welcome_demo_output():
    program = delugelang.compile((SAMPLES / "welcome.dg").read_text(), "welcome.dg")
    result = program.run(record=json.loads((SAMPLES / "contact.json").read_text()))
    assert result.info == ("Welcome, Ada Lovelace!", "Region: EMEA, interests: 2")
    assert result.plain_value() == {"email": "ada@example.com", "region": "EMEA",
                                    "tags": ["analytics", "automation"]}
