"""B7: workflow throughput, records created per second with one matching rule whose
function calls a stubbed `zoho.crm.invokeConnector`.

The workspace is real (a temporary directory with its SQLite state, the rule file and
the function file); only the connector answer is stubbed, as `dg run --fixtures` does.
The same records are also created with no rule attached, to show the cost of the rule.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

RULE = {"module": "Leads", "trigger": "on create", "criteria": "Lead source is Web",
        "actions": [{"call": "notifyCrm", "arguments": {"leadId": "#{Leads.id}",
                                                          "email": "#{Leads.Email}"}}]}

FUNCTION = """\
map notifyCrm(string leadId, string email)
{
	payload = Map();
	payload.put("lead", leadId);
	payload.put("email", email.toLowerCase());
	resp = zoho.crm.invokeConnector("crmhub.notify", payload);
	if (resp.get("status_code") != "200")
	{
		info "notify failed: " + resp.get("status_code");
	}
	return {"lead": leadId, "status": resp.get("status_code")};
}
"""

CONNECTORS = {"crmhub.notify": {"status_code": 200, "response": {"ok": True}}}


def _workspace(root: Path) -> None:
    import json
    (root / "workflows").mkdir()
    (root / "functions").mkdir()
    (root / "workflows" / "notify.json").write_text(json.dumps(RULE), encoding="utf-8")
    (root / "functions" / "notifyCrm.dg").write_text(FUNCTION, encoding="utf-8")


def _lead(i: int) -> dict:
    return {"Last_Name": f"Lead{i}", "Email": f"Person{i}@Example.com", "Lead_Source": "Web"}


def _create_all(store, count: int, offset: int) -> float:
    started = time.perf_counter()
    for i in range(offset, offset + count):
        store.create("Leads", _lead(i))
    return time.perf_counter() - started


def measure(records: int, rounds: int) -> dict:
    """Median seconds to create `records` records, with the rule and without rules."""
    try:
        from delugelang.fixtures import with_fixtures
        from delugelang.records import RecordStore
        from delugelang.services import Services
        from delugelang.workflow import WorkflowEngine
    except ImportError as exc:
        return {"skipped": f"workflow engine not available ({exc})"}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _workspace(root)
        services = with_fixtures(Services(), {"connectors": CONNECTORS})
        with_rule = RecordStore.open(root, workflows=False)
        engine = WorkflowEngine(root, with_rule, services=services).attach()
        runs = []
        engine.observers.append(runs.append)
        plain = RecordStore.open(root, workflows=False)
        _create_all(with_rule, 3, 0), _create_all(plain, 3, 0)  # warm: compile, open the log
        ruled, bare = [], []
        for r in range(rounds):
            offset = 10 + r * records
            ruled.append(_create_all(with_rule, records, offset))
            bare.append(_create_all(plain, records, offset))
        failed = [run for run in runs if run.status != "ok"]
        if failed:
            raise SystemExit(f"B7: the rule's function did not run cleanly: {failed[0].error}")
        expected = 3 + rounds * records
        if len(runs) != expected or runs[-1].result != {"lead": runs[-1].record_id,
                                                         "status": "200"}:
            raise SystemExit(f"B7: {len(runs)} workflow runs, expected {expected} "
                             f"(last result {runs[-1].result if runs else None})")
    per_record = statistics.median(ruled) / records
    bare_per_record = statistics.median(bare) / records
    return {"records": records, "rounds": rounds, "ms_per_record": per_record * 1000,
            "records_per_second": 1 / per_record,
            "no_rule_ms_per_record": bare_per_record * 1000,
            "no_rule_records_per_second": 1 / bare_per_record}
