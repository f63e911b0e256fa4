"""The record store: Zoho-style records over a pluggable backend, with write events for rules."""

from __future__ import annotations

import json
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable
from zoneinfo import ZoneInfo

from delugelang.errors import DelugeError
from delugelang.records.backend import (
    DUPLICATE_CHECK_FIELDS,
    FIELD_NAME,
    STANDARD_MODULES,
    RecordBackend,
    check_module_name,
    mandatory_fields,
)
from delugelang.records.errors import RecordError
from delugelang.records.shapes import READ_ONLY_FIELDS, record_map
from delugelang.services import DEFAULT_TIMEZONE, system_clock
from delugelang.values import from_plain, to_json_text

MAX_PER_PAGE = 200  # Zoho's page size cap for getRecords and searchRecords


@dataclass(frozen=True)
class WriteEvent:
    """A committed create or edit: what workflow rules look at."""

    module: str
    kind: str                  # "create" or "edit"
    record: dict               # the record after the write
    before: dict | None        # the record before an edit
    changed: frozenset[str]    # fields whose value the write changed


Listener = Callable[[WriteEvent], None]


class RecordStore:
    """Leads, Contacts, Accounts, Deals and custom modules, as Zoho CRM keeps them.

    Every write is one transaction (or part of a `batch()`). After it commits, listeners
    (the workflow engine) see a WriteEvent; a listener that fails never undoes the write.
    Host methods raise RecordError; `task()` serves the `zoho.crm.*` tasks for scripts.
    """

    def __init__(self, backend: RecordBackend, *, clock=system_clock,
                 timezone: str = DEFAULT_TIMEZONE, user_name: str = "Local User",
                 user_email: str = "user@example.com"):
        self.backend = backend
        self.clock = clock
        self.zone = ZoneInfo(timezone)
        self.user_name = user_name
        self.user_email = user_email
        self.listeners: list[Listener] = []
        self.workflows = None  # a WorkflowEngine, when the workspace defines rules
        self._local = threading.local()

    @classmethod
    def open(cls, workspace_dir: str | os.PathLike, *, workflows: bool = True, state=None,
             **options) -> "RecordStore":
        """The store in `<workspace>/.dg/state.sqlite3`, with the workspace's workflow rules
        attached (when it has a `workflows/` directory and `workflows` is true)."""
        from delugelang.records.sqlite import SQLiteBackend
        from delugelang.state import StateStore
        store = cls(SQLiteBackend(state or StateStore(workspace_dir)), **options)
        if workflows:
            from delugelang.workflow import WorkflowEngine
            WorkflowEngine.attach_if_defined(workspace_dir, store)
        return store

    def __repr__(self) -> str:
        return f"RecordStore({self.backend!r})"

    def close(self) -> None:
        """Release the backend's connections (a SQLite store reopens one when used again)."""
        close = getattr(self.backend, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> "RecordStore":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- events and transactions -----------------------------------------------------

    def on_write(self, listener: Listener) -> None:
        self.listeners.append(listener)

    @contextmanager
    def batch(self):
        """Make every write in the block one transaction; events fire after it commits."""
        outer = getattr(self._local, "pending", None)
        if outer is not None:
            yield
            return
        self._local.pending = []
        try:
            with self.backend.batch():
                yield
            pending, self._local.pending = self._local.pending, None
        except BaseException:
            self._local.pending = None
            raise
        for event in pending:
            self._emit(event)

    def _written(self, event: WriteEvent, workflows: bool) -> None:
        if not workflows:
            return
        pending = getattr(self._local, "pending", None)
        if pending is not None:
            pending.append(event)
        else:
            self._emit(event)

    def _emit(self, event: WriteEvent) -> None:
        for listener in list(self.listeners):
            listener(event)

    # -- modules ---------------------------------------------------------------------

    def module(self, name, *, create: bool = False) -> str:
        """The module's canonical name. Custom modules come into being on their first write
        through the host API (`create=True`); scripts only see modules that exist."""
        check_module_name(name)
        found = self.backend.module(name)
        if found is not None:
            return found
        if not create:
            raise RecordError("INVALID_MODULE", "the module name given seems to be invalid",
                              explanation=f"there is no module named {name!r} "
                                          f"(modules: {', '.join(m for m, _ in self.modules())})")
        return self.backend.add_module(name)

    def modules(self) -> list[tuple[str, int]]:
        return self.backend.modules()

    # -- reading ---------------------------------------------------------------------

    def get(self, module: str, record_id) -> dict | None:
        return self.backend.fetch(self.module(module), _record_id(record_id))

    def require(self, module: str, record_id) -> dict:
        found = self.get(module, record_id)
        if found is None:
            # The message Zoho's tasks give for an id that is not in the module [inf, 3p].
            raise RecordError("INVALID_DATA", "the related id given seems to be invalid",
                              {"id": str(record_id)},
                              explanation=f"there is no {module} record with id {record_id}")
        return found

    def list(self, module: str, *, page: int = 1, per_page: int = MAX_PER_PAGE,
             sort_by: str | None = None, sort_order: str = "asc",
             fields: list[str] | None = None) -> list[dict]:
        rows = list(self.backend.scan(self.module(module)))
        if sort_by:
            rows = _sorted(rows, sort_by, sort_order)
        return [record_map(r, fields) for r in _page(rows, page, per_page)]

    def search(self, module: str, criteria: str, *, page: int = 1,
               per_page: int = MAX_PER_PAGE) -> list[dict]:
        from delugelang.criteria import CriteriaError, parse_criteria
        canonical = self.module(module)
        try:
            test = parse_criteria(criteria)
        except CriteriaError as err:
            raise RecordError("INVALID_QUERY", "invalid query formed", {"reason": err.message},
                              explanation=err.message) from None
        return _page([r for r in self.backend.scan(canonical) if test(r)], page, per_page)

    def related(self, relation: str, parent_module: str, parent_id, *, page: int = 1,
                per_page: int = MAX_PER_PAGE) -> list[dict]:
        """Records of `relation` whose lookup field (a map with "id", or the id itself)
        points at the parent record: Contacts of an Account, Deals of a Contact."""
        parent = self.require(parent_module, parent_id)
        target = str(parent["id"])
        rows = [r for r in self.backend.scan(self.module(relation)) if _points_at(r, target)]
        return _page(rows, page, per_page)

    # -- writing ---------------------------------------------------------------------

    def create(self, module: str, data: dict, *, workflows: bool = True,
               create_module: bool = True) -> dict:
        canonical = self.module(module, create=create_module)
        fields = self._clean(canonical, data)
        _check_mandatory(canonical, fields, fields.keys() | set(mandatory_fields(canonical)))
        with self.batch():
            record = self._new_record(canonical, fields)
            self.backend.insert(canonical, record)
            event = WriteEvent(canonical, "create", record, None, frozenset(fields))
            self._written(event, workflows)
        return dict(record)

    def update(self, module: str, record_id, data: dict, *, workflows: bool = True) -> dict:
        canonical = self.module(module)
        fields = self._clean(canonical, data)
        _check_mandatory(canonical, fields, fields.keys())
        with self.batch():
            before = self.require(canonical, record_id)
            record = dict(before)
            record.update(fields)
            record["Modified_By"] = self._user()
            record["Modified_Time"] = self._now()
            self.backend.replace(canonical, record)
            changed = frozenset(k for k in fields if before.get(k) != record.get(k))
            self._written(WriteEvent(canonical, "edit", record, before, changed), workflows)
        return dict(record)

    def upsert(self, module: str, data: dict, *, duplicate_check_fields=(),
               workflows: bool = True, create_module: bool = True) -> tuple[str, dict]:
        """Update the record named by data's `id`, or the first whose duplicate-check fields
        match (the module's system-defined ones when none are given, like Email for
        Contacts); otherwise create one. Returns ("update" | "insert", record)."""
        if not isinstance(data, dict):
            raise _bad_data("the record data must be a map of field API names to values")
        canonical = self.module(module, create=create_module)
        with self.batch():
            check = tuple(duplicate_check_fields) or DUPLICATE_CHECK_FIELDS.get(canonical, ())
            target = self._upsert_target(canonical, data, check)
            values = {k: v for k, v in data.items() if k != "id"}
            if target is None:
                return "insert", self.create(canonical, values, workflows=workflows)
            return "update", self.update(canonical, target, values, workflows=workflows)

    def load(self, module: str, record: dict) -> dict:
        """Insert a record as given, keeping its id and system fields (filling those it
        lacks); no checks, no events. For fixtures and seeding."""
        canonical = self.module(module, create=True)
        if not isinstance(record, dict):
            raise _bad_data(f"a {canonical} fixture record must be a map of fields")
        full = self._new_record(canonical, {})
        if record.get("id") not in (None, ""):
            full["id"] = str(record["id"])
        full.update({k: v for k, v in record.items() if k != "id"})
        full = json.loads(to_json_text(from_plain(full)))
        with self.batch():
            self.backend.insert(canonical, full)
        return full

    def delete(self, module: str, record_id) -> bool:
        canonical = self.module(module)
        with self.batch():
            return self.backend.remove(canonical, _record_id(record_id))

    # -- scripts ---------------------------------------------------------------------

    def task(self, name: str, args: tuple, rt=None):
        """Run the `zoho.crm.*` record task `name` (as documented, v2/v8 spellings too)."""
        from delugelang.records.tasks import run_record_task
        return run_record_task(self, name, args)

    # -- helpers ---------------------------------------------------------------------

    def _upsert_target(self, module: str, data: dict, check_fields) -> str | None:
        if data.get("id") not in (None, ""):
            return self.require(module, data["id"])["id"]
        for name in check_fields:  # in order: the first field that finds a record decides
            if data.get(name) in (None, ""):
                continue
            for row in self.backend.scan(module):
                if _same(row.get(name), data[name]):
                    return row["id"]
        return None

    def _clean(self, module: str, data) -> dict:
        if not isinstance(data, dict):
            raise _bad_data("the record data must be a map of field API names to values")
        fields = {}
        for key, value in data.items():
            if type(key) is not str or not FIELD_NAME.match(key):
                raise RecordError("INVALID_DATA", "invalid data", {"api_name": str(key)},
                                  explanation=f"{key!r} is not a field API name (letters, "
                                              f"digits and _, like Last_Name)")
            if key in READ_ONLY_FIELDS:
                continue  # system fields are set by the store, never by input
            fields[key] = value
        try:
            fields = json.loads(to_json_text(from_plain(fields)))
        except DelugeError as err:
            raise _bad_data(f"the record data holds a value that is not JSON data ({err.message})")
        if "Owner" in fields:
            fields["Owner"] = self._owner(fields["Owner"])
        return fields

    def _owner(self, value) -> dict:
        owner_id = value.get("id") if isinstance(value, dict) else value
        if owner_id is None or str(owner_id) == self.backend.user_id():
            return self._user()
        return {"id": str(owner_id)}

    def _new_record(self, module: str, fields: dict) -> dict:
        now, user = self._now(), self._user()
        record = {"Owner": user}
        record.update(fields)
        record.update({"Created_By": user, "Created_Time": now, "Modified_By": user,
                       "Modified_Time": now, "id": self.backend.new_id()})
        return record

    def _user(self) -> dict:
        return {"name": self.user_name, "id": self.backend.user_id(), "email": self.user_email}

    def _now(self) -> str:
        """Zoho's time format: ISO 8601 to the second, with the zone's offset."""
        return self.clock().astimezone(self.zone).replace(microsecond=0).isoformat()


def _record_id(value) -> str:
    text = str(value).strip() if value is not None else ""
    if not text:
        raise RecordError("INVALID_DATA", "the related id given seems to be invalid",
                          {"id": text}, explanation="the record id is empty")
    return text


def _bad_data(explanation: str) -> RecordError:
    return RecordError("INVALID_DATA", "invalid data", explanation=explanation)


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_mandatory(module: str, fields: dict, checked) -> None:
    for name in mandatory_fields(module):
        if name in checked and _empty(fields.get(name)):
            raise RecordError("MANDATORY_NOT_FOUND", "required field not found",
                              {"api_name": name},
                              explanation=f"a {module} record needs a value for {name}")


def _same(a, b) -> bool:
    return str(a).strip().lower() == str(b).strip().lower()


def _points_at(record: dict, target: str) -> bool:
    for key, value in record.items():
        if key in ("id", "Owner", "Created_By", "Modified_By"):
            continue
        if isinstance(value, dict) and str(value.get("id")) == target:
            return True
        if isinstance(value, (str, int)) and str(value) == target:
            return True
    return False


def _page(rows: list, page, per_page) -> list:
    if type(page) is not int or page < 1:
        raise _bad_data(f"page must be a number from 1 up, not {page!r}")
    if type(per_page) is not int or not 1 <= per_page <= MAX_PER_PAGE:
        raise _bad_data(f"per_page must be a number from 1 to {MAX_PER_PAGE}, not {per_page!r}")
    start = (page - 1) * per_page
    return rows[start:start + per_page]


def _sorted(rows: list, field: str, order: str) -> list:
    present = [r for r in rows if r.get(field) is not None]
    missing = [r for r in rows if r.get(field) is None]
    present.sort(key=lambda r: _sort_key(r[field]), reverse=str(order).lower() == "desc")
    return present + missing


def _sort_key(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, str(value).lower())


__all__ = ["RecordStore", "WriteEvent", "STANDARD_MODULES"]
