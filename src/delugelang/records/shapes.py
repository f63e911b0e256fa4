"""The response shapes of the `zoho.crm.*` record tasks (deluge-reference.md §9.3).

Shared by the workspace store and `--fixtures`:

- getRecordById: the record as one flat map of field API names, lookups as nested maps
  (`"Owner": {"name", "id", "email"}`), empty fields as null.
- getRecords / getRelatedRecords: a LIST of such maps; searchRecords leaves out the fields
  that hold null ("Columns holding null values are left out of the results").
- createRecord / updateRecord / upsert: the creation and modification details
  (id, Created_Time, Created_By, Modified_Time, Modified_By).
- deleteRecord: {"code": "SUCCESS", "details": {"id"}, "message": "record deleted", ...}.
- Failures: a map {"code", "details", "message", "status": "error"} instead of an error.
"""

from __future__ import annotations

SYSTEM_FIELDS = ("id", "Owner", "Created_By", "Created_Time", "Modified_By", "Modified_Time")
READ_ONLY_FIELDS = frozenset(("id", "Created_By", "Created_Time", "Modified_By", "Modified_Time"))


def record_map(record: dict, fields: list[str] | None = None) -> dict:
    """getRecordById's flat map; with `fields` only those (and id) are kept."""
    if not fields:
        return dict(record)
    wanted = {f.lower() for f in fields} | {"id"}
    return {k: v for k, v in record.items() if k.lower() in wanted}


def without_nulls(record: dict) -> dict:
    return {k: v for k, v in record.items() if v is not None}


def write_details(record: dict) -> dict:
    """What createRecord, updateRecord and upsert return on success."""
    return {"Modified_Time": record.get("Modified_Time"), "Modified_By": record.get("Modified_By"),
            "Created_Time": record.get("Created_Time"), "id": record.get("id"),
            "Created_By": record.get("Created_By")}


def delete_success(record_id: str) -> dict:
    return {"code": "SUCCESS", "details": {"id": str(record_id)}, "message": "record deleted",
            "status": "success"}


def delete_failure(record_id: str) -> dict:
    return {"code": "INVALID_DATA", "details": {"id": str(record_id)},
            "message": "record not deleted", "status": "error"}


def zoho_plain(value, zone=None, depth: int = 0):
    """A task argument as plain data in Zoho's API formats: a DATE as `yyyy-MM-dd`, a
    DATE-TIME as ISO 8601 with the offset of `zone` (the run's time zone), the rest as
    `to_plain` gives it."""
    import datetime as _dt

    from delugelang.values import to_plain
    if depth > 200:
        return to_plain(value)
    if type(value) is _dt.datetime:
        if value.tzinfo is None and zone is not None:
            value = value.replace(tzinfo=zone)
        return value.isoformat(timespec="seconds")
    if type(value) is _dt.date:
        return value.isoformat()
    if type(value) is dict:
        return {to_plain(k): zoho_plain(v, zone, depth + 1) for k, v in value.items()}
    if type(value) is list:
        return [zoho_plain(v, zone, depth + 1) for v in value]
    return to_plain(value)
