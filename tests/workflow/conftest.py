"""A workspace with rule and function files written by the test."""

from __future__ import annotations

import json

import pytest


class Workspace:
    def __init__(self, root):
        self.root = root
        (root / "workflows").mkdir()
        (root / "functions").mkdir()

    def rule(self, file_name: str, **definition) -> None:
        path = self.root / "workflows" / f"{file_name}.json"
        path.write_text(json.dumps(definition, indent=2))

    def function(self, name: str, source: str) -> None:
        (self.root / "functions" / f"{name}.dg").write_text(source)

    def store(self):
        from delugelang.records import RecordStore
        return RecordStore.open(self.root)


@pytest.fixture
def ws(tmp_path):
    return Workspace(tmp_path)
