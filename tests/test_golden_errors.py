"""Error renderings against golden files: tests/golden/<name>.dg -> <name>.txt.

Each .txt holds what `dg check` (static errors) or `dg run` (runtime errors) prints on
stderr. Regenerate after an intended wording change with: UPDATE_GOLDEN=1 make test
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest

from delugelang.cli import main

HERE = Path(__file__).parent / "golden"
CASES = sorted(HERE.glob("*.dg"))
# Files that check cleanly but fail at run time are rendered by `dg run`.
RUN_WITH = {"runtime_index.dg": ["run"], "statement_limit.dg": ["run", "--limit", "statements=5000"]}


def render(path: Path) -> tuple[int, str]:
    command = RUN_WITH.get(path.name, ["check"])
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(command[:1] + [path.name] + command[1:])
    return code, err.getvalue()


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_golden(path: Path, monkeypatch):
    monkeypatch.chdir(HERE)
    code, text = render(path)
    golden = path.with_suffix(".txt")
    if os.environ.get("UPDATE_GOLDEN") or not golden.exists():
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert code in (1, 65)
