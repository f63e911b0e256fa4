"""The `zoho.crm.*` record tasks over a RecordStore, with their documented arguments and shapes.

Signatures (deluge-reference.md §9.3; v2 and v8 spellings share them):
    getRecordById(module, id[, query][, connection])
    getRecords(module[, page][, perPage][, optionalMap][, connection])
    searchRecords(module, criteria[, page][, perPage][, searchValue][, connection])
    createRecord(module, dataMap[, optionsMap][, connection])
    updateRecord(module, id, dataMap[, optionsMap][, connection])
    getRelatedRecords(relation, parentModule, id[, page][, perPage][, query][, connection])
    upsert(module, values[, optionalData][, connection])
    deleteRecord(module, id[, connection])
A `connection` names a Zoho connection; the local store needs none, so it is accepted and unused.
A refused operation returns Zoho's error map rather than failing the script.
"""

from __future__ import annotations

from delugelang.errors import ScriptError
from delugelang.records import shapes
from delugelang.records.errors import RecordError


def run_record_task(store, name: str, args: tuple):
    """Run the task `name` (e.g. "zoho.crm.v8.createRecord") with plain-data arguments."""
    base = name.rsplit(".", 1)[-1].lower()
    handler = _HANDLERS.get(base)
    if handler is None:
        raise ScriptError(f"{name} is not supported by the local record store yet")
    try:
        return handler(store, _Args(name, args))
    except RecordError as err:
        return err.to_map()


class _Args:
    """Positional task arguments with type checks that name the task."""

    def __init__(self, task: str, values: tuple):
        self.task = task
        self.values = values

    def get(self, index: int, default=None):
        return self.values[index] if index < len(self.values) else default

    def module(self, index: int = 0) -> str:
        value = self.get(index)
        if type(value) is not str:
            raise ScriptError(f"{self.task}: argument {index + 1} must be the module's API name "
                              f"as TEXT, like \"Contacts\"")
        return value

    def record_id(self, index: int):
        value = self.get(index)
        if type(value) not in (int, str) or (type(value) is str and not value.strip()):
            raise ScriptError(f"{self.task}: argument {index + 1} must be the record's id "
                              f"(a NUMBER or TEXT)")
        return value

    def map(self, index: int, what: str) -> dict:
        value = self.get(index)
        if value is None:
            return {}
        if type(value) is not dict:
            raise ScriptError(f"{self.task}: argument {index + 1} ({what}) must be a KEY-VALUE map")
        return value

    def number(self, index: int, what: str, default: int) -> int:
        value = self.get(index)
        if value is None:
            return default
        if type(value) is str and value.strip().isdigit():
            return int(value)
        if type(value) is not int:
            raise ScriptError(f"{self.task}: argument {index + 1} ({what}) must be a NUMBER")
        return value


def _fields(query: dict) -> list[str] | None:
    value = query.get("fields")
    if value in (None, ""):
        return None
    if isinstance(value, list):
        return [str(v).strip() for v in value]
    return [f.strip() for f in str(value).split(",") if f.strip()]


def _v8_fields(a: _Args, query: dict) -> list[str] | None:
    """The v8 tasks need the fields to return: "Only the <field> key and its corresponding
    value are mandatory" (get-record-by-id-V8.html); Zoho's v8 API answers
    REQUIRED_PARAM_MISSING without them."""
    fields = _fields(query)
    if fields is None and ".v8." in a.task.lower():
        raise RecordError("REQUIRED_PARAM_MISSING", "One of the expected parameter is missing",
                          {"param_name": "fields"},
                          explanation=f"{a.task} needs {{\"fields\": \"Field1,Field2\"}}")
    return fields


def _fires_workflows(options: dict) -> bool:
    """Workflow rules run only when the options name them: without `trigger`, Zoho runs
    approval, blueprint and orchestration, not workflow (reference §9.3, createRecord)."""
    trigger = options.get("trigger")
    if trigger is None:
        return False
    items = trigger if isinstance(trigger, list) else [trigger]
    return any(str(t).strip().lower() == "workflow" for t in items)


def _get_record_by_id(store, a: _Args):
    module, record_id = a.module(), a.record_id(1)
    fields = _v8_fields(a, a.map(2, "query"))
    return shapes.record_map(store.require(module, record_id), fields)


def _get_records(store, a: _Args):
    options = a.map(3, "optional map")
    fields = _v8_fields(a, options)
    return store.list(a.module(), page=a.number(1, "page", 1), per_page=a.number(2, "perPage", 200),
                      sort_by=options.get("sort_by"), sort_order=options.get("sort_order", "asc"),
                      fields=fields)


def _search_records(store, a: _Args):
    module, criteria = a.module(), a.get(1)
    page, per_page = a.number(2, "page", 1), a.number(3, "perPage", 200)
    search_value = a.map(4, "search value")
    if criteria in (None, "") and search_value:
        rows = _search_by_value(store, module, search_value)
        rows = rows[(page - 1) * per_page:page * per_page]
    else:
        if type(criteria) is not str:
            raise ScriptError(f"{a.task}: argument 2 must be the criteria as TEXT, like "
                              f"\"(Mailing_Country:equals:Ireland)\"")
        rows = store.search(module, criteria, page=page, per_page=per_page)
    return [shapes.without_nulls(r) for r in rows]


def _search_by_value(store, module: str, search_value: dict) -> list[dict]:
    """searchValue {"email": x}, {"phone": x} or {"word": x}: Zoho's other search forms."""
    key, wanted = next(iter(search_value.items()))
    key, wanted = str(key).lower(), str(wanted).lower()
    kinds = {"email": ("email",), "phone": ("phone", "mobile")}

    def matches(record: dict) -> bool:
        for name, value in record.items():
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                continue
            if key == "word":
                if wanted in str(value).lower():
                    return True
            elif any(k in name.lower() for k in kinds.get(key, (key,))) \
                    and str(value).lower() == wanted:
                return True
        return False

    return [r for r in store.list(module) if matches(r)]


def _create_record(store, a: _Args):
    record = store.create(a.module(), a.map(1, "data map"),
                          workflows=_fires_workflows(a.map(2, "options map")), create_module=False)
    return shapes.write_details(record)


def _update_record(store, a: _Args):
    record = store.update(a.module(), a.record_id(1), a.map(2, "data map"),
                          workflows=_fires_workflows(a.map(3, "options map")))
    return shapes.write_details(record)


def _get_related_records(store, a: _Args):
    relation, parent = a.module(0), a.module(1)
    return store.related(relation, parent, a.record_id(2), page=a.number(3, "page", 1),
                         per_page=a.number(4, "perPage", 200))


def _upsert(store, a: _Args):
    options = a.map(2, "optional data")
    check = options.get("duplicate_check_fields") or []
    check = check if isinstance(check, list) else [check]
    # The response is the record's creation and modification details (reference §9.3).
    _, record = store.upsert(a.module(), a.map(1, "values"), duplicate_check_fields=check,
                             workflows=_fires_workflows(options), create_module=False)
    return shapes.write_details(record)


def _delete_record(store, a: _Args):
    module, record_id = a.module(), a.record_id(1)
    if store.delete(module, record_id):
        return shapes.delete_success(record_id)
    return shapes.delete_failure(record_id)


_HANDLERS = {
    "getrecordbyid": _get_record_by_id,
    "getrecords": _get_records,
    "searchrecords": _search_records,
    "createrecord": _create_record,
    "updaterecord": _update_record,
    "getrelatedrecords": _get_related_records,
    "upsert": _upsert,
    "deleterecord": _delete_record,
}
