"""The workflow execution log in the workspace state: one row per rule run (or skip)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from delugelang.state import StateStore

COMPONENT = "workflow"
MIGRATIONS = (
    (
        """CREATE TABLE workflow_run (
               seq INTEGER PRIMARY KEY AUTOINCREMENT,
               at TEXT NOT NULL,
               rule TEXT NOT NULL,
               module TEXT NOT NULL,
               record_id TEXT NOT NULL,
               event TEXT NOT NULL,
               function TEXT,
               status TEXT NOT NULL,
               result TEXT,
               info TEXT NOT NULL,
               error TEXT,
               ms REAL NOT NULL,
               depth INTEGER NOT NULL
           )""",
        "CREATE INDEX workflow_run_by_rule ON workflow_run (rule, seq)",
    ),
    # has_run looks up (rule, record_id) on every edit a rule sees; IF NOT EXISTS keeps
    # the step safe on a workspace where it was applied by hand or half-way.
    ("CREATE INDEX IF NOT EXISTS workflow_run_by_record ON workflow_run (rule, record_id)",),
)

OK, FAILED, SKIPPED = "ok", "error", "skipped"


@dataclass(frozen=True)
class Execution:
    """One rule action run: `status` is ok, error or skipped; `result` is the function's
    return value as plain data; `info` its info lines; `error` what went wrong."""

    rule: str
    module: str
    record_id: str
    event: str
    function: str | None
    status: str
    at: str
    result: object = None
    info: tuple[str, ...] = ()
    error: str | None = None
    ms: float = 0.0
    depth: int = 0
    seq: int | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        data = asdict(self)
        data["info"] = list(self.info)
        return data


class WorkflowLog:
    def __init__(self, state: StateStore):
        self.state = state
        state.ensure_schema(COMPONENT, MIGRATIONS)

    def add(self, run: Execution) -> None:
        with self.state.transaction(write=True) as conn:
            conn.execute(
                "INSERT INTO workflow_run (at, rule, module, record_id, event, function, status,"
                " result, info, error, ms, depth) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run.at, run.rule, run.module, run.record_id, run.event, run.function, run.status,
                 json.dumps(run.result, ensure_ascii=False, default=str),
                 json.dumps(list(run.info), ensure_ascii=False), run.error, run.ms, run.depth))

    def has_run(self, rule: str, record_id: str) -> bool:
        """Whether `rule` ran (well or not) for the record before."""
        with self.state.transaction() as conn:
            row = conn.execute("SELECT 1 FROM workflow_run WHERE rule = ? AND record_id = ?"
                               " AND status != ? LIMIT 1", (rule, record_id, SKIPPED)).fetchone()
        return row is not None

    def entries(self, rule: str | None = None, limit: int = 50) -> list[Execution]:
        """The latest `limit` runs (of `rule`), oldest first."""
        sql = "SELECT * FROM workflow_run"
        params: tuple = ()
        if rule:
            sql += " WHERE rule = ?"
            params = (rule,)
        sql += " ORDER BY seq DESC LIMIT ?"
        with self.state.transaction() as conn:
            rows = conn.execute(sql, params + (limit,)).fetchall()
        return [_from_row(r) for r in reversed(rows)]


def _from_row(row) -> Execution:
    return Execution(row["rule"], row["module"], row["record_id"], row["event"], row["function"],
                     row["status"], row["at"], json.loads(row["result"]) if row["result"] else None,
                     tuple(json.loads(row["info"])), row["error"], row["ms"], row["depth"],
                     row["seq"])
