"""Every sample in samples/ compiles and runs (with its record and fixtures when present)."""

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
