"""The stubbed world of one test case: fixture services that also record every call made.

Fixtures are served by `delugelang.fixtures` exactly as `dg run --fixtures` serves them;
this module only wraps the handlers, so each `invokeurl`, `zoho.crm.invokeConnector` and
record write is captured with its arguments before it is answered. A test run never
reaches the network: a call without a fixture fails with the fixtures' own error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..fixtures import with_fixtures
from ..services import Services

_VERSIONS = (".v2.", ".v8.")


@dataclass
class CallLog:
    """What the function asked of the outside world, in call order."""

    http: list = field(default_factory=list)
    connectors: list = field(default_factory=list)
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)

    def http_call(self, params: dict) -> None:
        call = {"method": str(params.get("type") or "GET").upper(), "url": params.get("url")}
        for key in ("headers", "parameters", "body", "connection"):
            if key in params:
                call[key] = params[key]
        self.http.append(call)

    def connector_call(self, args: tuple) -> None:
        call = {"api": args[0] if args else None}
        if len(args) > 1:
            call["params"] = args[1]
        self.connectors.append(call)

    def record_task(self, name: str, args: tuple) -> None:
        """createRecord / updateRecord and their bulk forms (v2 and v8 spellings too)."""
        task = _base_name(name)
        module = args[0] if args else None
        if task == "zoho.crm.createrecord" and len(args) > 1:
            self.created.append({"module": module, "fields": args[1]})
        elif task == "zoho.crm.updaterecord" and len(args) > 2:
            self.updated.append({"module": module, "id": _text(args[1]), "fields": args[2]})
        elif task == "zoho.crm.bulkcreate" and len(args) > 1 and isinstance(args[1], list):
            self.created.extend({"module": module, "fields": row} for row in args[1])
        elif task == "zoho.crm.bulkupdate" and len(args) > 1 and isinstance(args[1], list):
            for row in args[1]:
                fields = {k: v for k, v in row.items() if k != "id"} if isinstance(row, dict) \
                    else row
                self.updated.append({"module": module,
                                     "id": _text(row.get("id")) if isinstance(row, dict) else None,
                                     "fields": fields})


def recording_services(fixtures: dict, base: Services) -> tuple[Services, CallLog]:
    """Services answering from `fixtures` (every section present, empty when not given),
    and the log that their wrapped handlers fill."""
    data = {"records": fixtures.get("records", {}), "connectors": fixtures.get("connectors", {}),
            "http": fixtures.get("http", [])}
    services = with_fixtures(base, data)
    log = CallLog()
    tasks = {}
    for name, handler in services.tasks.items():
        tasks[name] = _wrap(name, handler, log)
    records = services.records
    if records is not None:
        records = RecordingStore(records, log)
    return services.replace(tasks=tasks, records=records), log


def _wrap(name: str, handler, log: CallLog):
    if name == "invokeurl":
        def invoke(rt, params):
            log.http_call(params)
            return handler(rt, params)
    elif name == "zoho.crm.invokeconnector":
        def invoke(rt, args):
            log.connector_call(args)
            return handler(rt, args)
    elif name.startswith("zoho.crm."):
        def invoke(rt, args):
            log.record_task(name, args)
            return handler(rt, args)
    else:
        return handler
    return invoke


class RecordingStore:
    """A record store that logs each task a script runs on it, then runs it."""

    def __init__(self, store, log: CallLog):
        self._store = store
        self._log = log

    def task(self, name: str, args: tuple, rt=None):
        self._log.record_task(name, args)
        return self._store.task(name, args, rt)

    def __getattr__(self, name):
        return getattr(self._store, name)


def _base_name(name: str) -> str:
    name = name.lower()
    for version in _VERSIONS:
        name = name.replace(version, ".")
    return name


def _text(value):
    return None if value is None else str(value)
