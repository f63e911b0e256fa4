"""Import records from CSV or JSON: committed in batches, bad rows reported, good rows kept.

Row numbers count as a spreadsheet shows them: in a CSV file the header is row 1 and the
first record is row 2; in a JSON list the first record is row 1. A batch is one
transaction, and rows count as imported only once their batch has committed, so a crash
loses nothing that was reported as imported.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from delugelang.records.errors import RecordError

DEFAULT_BATCH = 100


@dataclass(frozen=True)
class RowProblem:
    row: int
    reason: str


@dataclass
class ImportReport:
    total: int = 0
    imported: int = 0
    done: int = 0
    ids: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"total": self.total, "imported": self.imported, "ids": list(self.ids),
                "failed": [{"row": p.row, "reason": p.reason} for p in self.problems]}


def read_rows(path: str | Path) -> list[tuple[int, dict | str]]:
    """(row number, fields) for each row, or (row number, reason) for a row that cannot be read.
    Raises ValueError when the file itself cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ValueError(f"{path}: import reads .csv or .json files")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValueError(f"no such file: {path}") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise ValueError(f"{path} is not UTF-8 text (line {line})") from None
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    return _csv_rows(text) if suffix == ".csv" else _json_rows(path, text)


def _csv_rows(text: str) -> list[tuple[int, dict | str]]:
    # newline="" keeps a line break inside a quoted cell; strict reports a quote left open
    # instead of swallowing the rows after it.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return []
    except csv.Error as exc:
        raise ValueError(f"the CSV header cannot be read ({exc})") from None
    header = [h.strip() for h in header]
    named = [h for h in header if h]
    twice = sorted({h for h in named if named.count(h) > 1})
    if twice:  # one of the two cells would be dropped without a word
        raise ValueError(f"the CSV header names {', '.join(twice)} more than once")
    rows: list[tuple[int, dict | str]] = []
    number = 1
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            rows.append((number, f"the row cannot be read as CSV ({exc})"))
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            rows.append((number, f"the row has {len(cells)} cells, the header {len(header)}"))
            continue
        rows.append((number, {h: c for h, c in zip(header, cells) if h and c.strip() != ""}))


def _json_rows(path: Path, text: str) -> list[tuple[int, dict | str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, "
                         f"column {exc.colno}") from None
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]  # a Zoho API response {"data": [...]}
    if not isinstance(data, list):
        raise ValueError(f"{path} must hold a JSON list of records (or {{\"data\": [...]}})")
    return [(i, row if isinstance(row, dict) else "the row is not a JSON object")
            for i, row in enumerate(data, start=1)]


def import_rows(store, module: str, rows: list[tuple[int, dict | str]], *,
                batch_size: int = DEFAULT_BATCH, workflows: bool = True,
                on_batch: Callable[[ImportReport], None] | None = None) -> ImportReport:
    """Create a record per good row, `batch_size` rows per transaction. `on_batch` sees the
    report after each commit."""
    if batch_size < 1:
        raise ValueError("the batch size must be at least 1")
    module = store.module(module, create=True)
    report = ImportReport(total=len(rows))
    for start in range(0, len(rows), batch_size):
        chunk = rows[start:start + batch_size]
        ids, problems = [], []
        with store.batch():
            for number, row in chunk:
                if isinstance(row, str):
                    problems.append(RowProblem(number, row))
                    continue
                try:
                    ids.append(store.create(module, row, workflows=workflows)["id"])
                except RecordError as err:
                    problems.append(RowProblem(number, err.message))
        report.imported += len(ids)
        report.ids.extend(ids)
        report.problems.extend(problems)
        report.done += len(chunk)
        if on_batch is not None:
            on_batch(report)
    return report
