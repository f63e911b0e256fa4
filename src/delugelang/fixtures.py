"""`dg run --fixtures`: stubbed records, connector responses and HTTP responses for local runs.

The file holds (DESIGN.md):
    {"records": {"Leads": [{"id": "...", ...}]},
     "connectors": {"<connector>.<api>": {"status_code": ..., "response": ...}},
     "http": [{"method": "GET", "url": "...", "status": 200, "headers": {}, "body": "..."}]}
"""

from __future__ import annotations

import json

from .errors import DelugeError, ScriptError
from .records import MemoryBackend, RecordStore
from .services import Services


def load_fixtures(path: str) -> dict:
    """Read and validate a fixtures file; raises ValueError with a clear message."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except UnicodeDecodeError:
        raise ValueError(f"fixtures file {path} is not UTF-8 text") from None
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
    _check_connectors(data.get("connectors", {}))
    _check_http(data.get("http", []))
    return data


def _check_connectors(connectors) -> None:
    if not isinstance(connectors, dict) or not all(
            isinstance(v, dict) for v in connectors.values()):
        raise ValueError('fixtures: connectors must map "<connector>.<api>" names to responses, '
                         'like {"crm.sub": {"status_code": 200, "response": {}}}')


def _check_http(entries) -> None:
    if not isinstance(entries, list):
        raise ValueError('fixtures: http must be a list of responses, like [{"method": "GET", '
                         '"url": "https://...", "status": 200, "body": {}}]')
    for number, entry in enumerate(entries, start=1):
        where = f"fixtures: http response {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            raise ValueError(f'{where} must be an object with a "url" text')
        status = entry.get("status", 200)
        if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
            raise ValueError(f'{where}: "status" must be an HTTP status number, like 200')
        if not isinstance(entry.get("headers", {}) or {}, dict):
            raise ValueError(f'{where}: "headers" must be an object of names to values')


def with_fixtures(services: Services, data: dict) -> Services:
    """Services whose tasks are served from fixture data. Fixture records live in an
    in-memory RecordStore, so `zoho.crm.*` answers exactly as the workspace store does."""
    tasks = dict(services.tasks)
    records = services.records
    if "records" in data:
        records = fixture_records(data["records"])
    if "connectors" in data:
        tasks["zoho.crm.invokeconnector"] = _connector_handler(data["connectors"])
    if "http" in data:
        tasks["invokeurl"] = _http_handler(data["http"])
    return services.replace(tasks=tasks, records=records)


def fixture_records(modules) -> RecordStore:
    """An in-memory store seeded with {"Module": [record, ...]}; the run may write to it."""
    if not isinstance(modules, dict):
        raise ValueError("fixtures: records must be an object of module names to lists of records")
    store = RecordStore(MemoryBackend())
    for module, rows in modules.items():
        if not isinstance(rows, list):
            raise ValueError(f"fixtures: records.{module} must be a list of records")
        for row in rows:
            try:
                store.load(module, row)
            except DelugeError as exc:
                raise ValueError(f"fixtures: records.{module}: {exc.message}") from None
    return store


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
