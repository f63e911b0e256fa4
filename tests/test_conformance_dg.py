"""Collects tests/conformance/<area>/*.dg: each script carries its expectations inline.

    // expect: LINE        one `info` line, in order (all lines are compared)
    // return: JSON        the returned value
    // error: TEXT         the run fails with a message containing TEXT
    // error-at: L:C       ...at this line and column
    // errors: N           `dg check` reports exactly N errors
    // statements: N       the run executed exactly N statements
    // function: NAME      run this function;  // args: JSON   its arguments
    // record: JSON        the record the function runs against
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import delugelang
from delugelang.errors import CheckError, DelugeError
from deluge_harness import same_value, services_for

HERE = Path(__file__).parent / "conformance"
SCRIPTS = sorted(HERE.rglob("*.dg"))
DIRECTIVE = re.compile(r"^\s*// (expect|return|error|error-at|errors|statements|function|args|record):"
                       r" ?(.*)$")


def expectations(source: str) -> dict:
    found: dict = {"expect": []}
    for line in source.splitlines():
        m = DIRECTIVE.match(line)
        if not m:
            continue
        key, value = m.groups()
        if key == "expect":
            found["expect"].append(value)
        else:
            found[key] = value
    return found


@pytest.mark.parametrize("path", SCRIPTS, ids=[str(p.relative_to(HERE)) for p in SCRIPTS])
def test_script(path: Path):
    source = path.read_text(encoding="utf-8")
    want = expectations(source)
    try:
        program = delugelang.compile(source, path.name)
        result = program.run(json.loads(want.get("args", "null")),
                             record=json.loads(want.get("record", "null")),
                             services=services_for(None), function=want.get("function"))
    except DelugeError as err:
        assert "error" in want, f"unexpected {err.kind} error: {err}"
        assert want["error"].lower() in err.message.lower(), err.message
        if "error-at" in want:
            line, col = (int(x) for x in want["error-at"].split(":"))
            assert (err.line, err.column) == (line, col), f"error at {err.line}:{err.column}"
        if "errors" in want:
            assert isinstance(err, CheckError)
            assert len(err.problems) == int(want["errors"]), [p.message for p in err.problems]
        return
    assert "error" not in want, f"expected an error containing {want['error']!r}"
    assert list(result.info) == want["expect"]
    if "return" in want:
        assert same_value(result.plain_value(), json.loads(want["return"]))
    if "statements" in want:
        assert result.stats.statements == int(want["statements"])
