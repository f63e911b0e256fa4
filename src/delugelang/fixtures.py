"""`dg run --fixtures`: stubbed records, connector responses and HTTP responses for local runs.

The file holds (DESIGN.md):
    {"records": {"Leads": [{"id": "...", ...}]},
     "connectors": {"<connector>.<api>": {"status_code": ..., "response": ...}},
     "http": [{"method": "GET", "url": "...", "status": 200, "headers": {}, "body": "..."}]}
"""

from __future__ import annotations

import json
from dataclasses import replace

from .errors import ScriptError
from .services import Services

_ID_START = 5_725_767_000_000_000_000


def load_fixtures(path: str) -> dict:
    """Read and validate a fixtures file; raises ValueError with a clear message."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise ValueError(f"cannot read fixtures file {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"fixtures file {path} is not valid JSON: {exc.msg} "
                         f"at line {exc.lineno}, column {exc.colno}") from None
    if not isinstance(data, dict):
        raise ValueError(f"fixtures file {path} must hold a JSON object")
    unknown = set(data) - {"records", "connectors", "http"}
    if unknown:
        raise ValueError(f"fixtures file {path} has unknown sections: {', '.join(sorted(unknown))}; "
                         f"expected records, connectors, http")
    return data


def with_fixtures(services: Services, data: dict) -> Services:
    """Services whose tasks are served from fixture data."""
    tasks = dict(services.tasks)
    if "records" in data:
        tasks.update(FixtureRecords(data["records"]).handlers())
    if "connectors" in data:
        tasks["zoho.crm.invokeconnector"] = _connector_handler(data["connectors"])
    if "http" in data:
        tasks["invokeurl"] = _http_handler(data["http"])
    return replace(services, tasks=tasks)


class FixtureRecords:
    """An in-memory record set for the `zoho.crm.*` tasks; the run may create and update."""

    def __init__(self, modules: dict):
        self.modules = {name.lower(): [dict(r) for r in rows] for name, rows in modules.items()}
        self.next_id = _ID_START

    def rows(self, module) -> list:
        return self.modules.setdefault(str(module).lower(), [])

    def find(self, module, record_id):
        for row in self.rows(module):
            if str(row.get("id")) == str(record_id):
                return row
        return None

    def handlers(self) -> dict:
        return {
            "zoho.crm.getrecordbyid": lambda rt, a: self.get_by_id(*a[:2]),
            "zoho.crm.getrecords": lambda rt, a: list(self.rows(a[0])),
            "zoho.crm.searchrecords": lambda rt, a: self.search(a[0], a[1]),
            "zoho.crm.createrecord": lambda rt, a: self.create(a[0], a[1]),
            "zoho.crm.updaterecord": lambda rt, a: self.update(a[0], a[1], a[2]),
        }

    def get_by_id(self, module, record_id):
        row = self.find(module, record_id)
        if row is None:
            # Zoho's tasks answer with an error map rather than failing (reference §9.3).
            return {"code": "INVALID_DATA", "message": "the record id given seems to be invalid",
                    "status": "error"}
        return dict(row)

    def search(self, module, criteria):
        from .criteria import parse_criteria
        test = parse_criteria(str(criteria))
        return [dict(r) for r in self.rows(module) if test(r)]

    def create(self, module, data):
        self.next_id += 1
        row = dict(data or {})
        row["id"] = str(self.next_id)
        self.rows(module).append(row)
        return {"id": row["id"], "Created_Time": "", "Modified_Time": ""}

    def update(self, module, record_id, data):
        row = self.find(module, record_id)
        if row is None:
            return {"code": "INVALID_DATA", "message": "the record id given seems to be invalid",
                    "status": "error"}
        row.update(data or {})
        return {"id": str(record_id), "Modified_Time": ""}


def _connector_handler(responses: dict):
    table = {k.lower(): v for k, v in responses.items()}

    def invoke(rt, args):
        api_id = str(args[0]).lower()
        if api_id not in table:
            raise ScriptError(f"zoho.crm.invokeConnector: no connector API named {args[0]!r} "
                              f"is available")
        resp = dict(table[api_id])
        # Deluge: status_code is TEXT and response is JSON text (reference §9.3).
        if "status_code" in resp:
            resp["status_code"] = str(resp["status_code"])
        if "response" in resp and not isinstance(resp["response"], str):
            resp["response"] = json.dumps(resp["response"], separators=(",", ":"))
        return resp

    return invoke


def _http_handler(entries: list):
    def invoke(rt, params):
        url = params.get("url")
        method = str(params.get("type") or "GET").upper()
        for entry in entries:
            if entry.get("url") == url and str(entry.get("method", "GET")).upper() == method:
                return http_response(entry.get("status", 200), entry.get("headers") or {},
                                     entry.get("body", ""), bool(params.get("detailed")))
        raise ScriptError(f"invokeurl: no HTTP fixture for {method} {url}")

    return invoke


def http_response(status: int, headers: dict, body, detailed: bool):
    """invokeurl's documented result: the body (a map or list when it is JSON), or with
    `detailed: true` the map {responseCode, responseText, responseHeader}."""
    text = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"))
    if detailed:
        return {"responseCode": status, "responseText": text, "responseHeader": dict(headers)}
    try:
        parsed = json.loads(text)
    except ValueError:
        return text
    return parsed if isinstance(parsed, (dict, list)) else text
