"""The zoho.crm.* record tasks from Deluge: documented shapes, error maps, v2/v8 spellings."""

from __future__ import annotations

import pytest

import delugelang
from delugelang.errors import ScriptError
from delugelang.fixtures import fixture_records

WRITE_KEYS = {"id", "Created_Time", "Created_By", "Modified_Time", "Modified_By"}


def run(store, code: str, **record):
    """Run `code`; keyword arguments are the input record (read as input.id)."""
    program = delugelang.compile(code)
    return program.run(record=record, services=delugelang.Services(records=store)).plain_value()


def test_get_record_by_id_is_a_flat_map(store):
    rec = store.create("Leads", {"Last_Name": "A", "Company": "Zylker", "Phone": None})
    got = run(store, 'return zoho.crm.getRecordById("Leads", input.id.toLong());', id=rec["id"])
    assert got == rec and "data" not in got
    assert got["Phone"] is None and got["Owner"]["name"]  # empty fields are null, lookups nested


def test_get_record_by_id_query_fields_and_connection(store):
    rec = store.create("Leads", {"Last_Name": "A", "Company": "Zylker"})
    got = run(store, 'return zoho.crm.getRecordById("Leads", input.id, {"fields": "Company"}, '
                     '"crm");', id=rec["id"])
    assert got == {"Company": "Zylker", "id": rec["id"]}
    empty_query = run(store, 'return zoho.crm.getRecordById("Leads", input.id, {"":""}, "crm");',
                      id=rec["id"])
    assert empty_query == rec


def test_missing_record_and_module_are_error_maps_not_failures(store):
    got = run(store, 'return zoho.crm.getRecordById("Leads", 4242);')
    assert got == {"code": "INVALID_DATA", "details": {"id": "4242"},
                   "message": "the related id given seems to be invalid", "status": "error"}
    got = run(store, 'return zoho.crm.getRecords("NoSuchModule");')
    assert got["code"] == "INVALID_MODULE" and got["status"] == "error"


def test_create_record_returns_creation_details(store):
    got = run(store, 'return zoho.crm.createRecord("Leads", {"Last_Name": "JoJo", '
                     '"Company": "Zoho"});')
    assert set(got) == WRITE_KEYS
    assert store.get("Leads", got["id"])["Company"] == "Zoho"


def test_create_record_without_a_mandatory_field(store):
    got = run(store, 'return zoho.crm.createRecord("Contacts", {"Email": "a@x"});')
    assert got == {"code": "MANDATORY_NOT_FOUND", "details": {"api_name": "Last_Name"},
                   "message": "required field not found", "status": "error"}
    assert store.list("Contacts") == []


def test_update_record(store, clock):
    rec = store.create("Leads", {"Last_Name": "A"})
    clock.advance(5)
    got = run(store, 'return zoho.crm.updateRecord("Leads", input.id, {"Phone": "555"});',
              id=rec["id"])
    assert set(got) == WRITE_KEYS and got["Modified_Time"] != rec["Modified_Time"]
    assert store.get("Leads", rec["id"])["Phone"] == "555"
    missing = run(store, 'return zoho.crm.updateRecord("Leads", 1, {"Phone": "5"});')
    assert missing["code"] == "INVALID_DATA"


def test_search_records_leaves_out_null_fields(store):
    store.create("Contacts", {"Last_Name": "A", "Mailing_Country": "Ireland", "Phone": None})
    store.create("Contacts", {"Last_Name": "B", "Mailing_Country": "France"})
    got = run(store, 'return zoho.crm.searchRecords("Contacts", '
                     '"(Mailing_Country:equals:Ireland)");')
    assert [r["Last_Name"] for r in got] == ["A"] and "Phone" not in got[0]
    none = run(store, 'return zoho.crm.searchRecords("Contacts", "(Last_Name:equals:Z)");')
    assert none == []


def test_search_records_bad_criteria_is_an_invalid_query_map(store):
    got = run(store, 'return zoho.crm.searchRecords("Contacts", "(Last_Name:equals:A");')
    assert got["code"] == "INVALID_QUERY" and got["message"] == "invalid query formed"
    assert "expected ')'" in got["details"]["reason"]


def test_search_by_search_value(store):
    store.create("Contacts", {"Last_Name": "A", "Email": "a@x.ie", "Mobile": "123"})
    by_email = run(store, 'return zoho.crm.searchRecords("Contacts", "", 1, 200, '
                          '{"email": "A@X.IE"});')
    by_phone = run(store, 'return zoho.crm.searchRecords("Contacts", "", 1, 200, '
                          '{"phone": "123"});')
    assert len(by_email) == len(by_phone) == 1


def test_get_records_pages(store):
    for i in range(5):
        store.create("Leads", {"Last_Name": f"L{i}"})
    got = run(store, 'return zoho.crm.getRecords("Leads", 2, 2);')
    assert [r["Last_Name"] for r in got] == ["L2", "L3"]
    sorted_desc = run(store, 'return zoho.crm.getRecords("Leads", 1, 200, '
                             '{"sort_by": "Last_Name", "sort_order": "desc"});')
    assert sorted_desc[0]["Last_Name"] == "L4"


def test_get_related_records(store):
    account = store.create("Accounts", {"Account_Name": "Zylker"})
    store.create("Contacts", {"Last_Name": "A", "Account_Name": {"id": account["id"]}})
    got = run(store, 'return zoho.crm.getRelatedRecords("Contacts", "Accounts", input.id);',
              id=account["id"])
    assert [r["Last_Name"] for r in got] == ["A"]


def test_upsert_and_delete(store):
    created = run(store, 'return zoho.crm.upsert("Leads", {"Last_Name": "A", "Email": "a@x"});')
    assert set(created) == WRITE_KEYS
    updated = run(store, 'return zoho.crm.upsert("Leads", {"Last_Name": "B", "Email": "a@x"}, '
                         '{"duplicate_check_fields": ["Email"]});')
    assert updated["id"] == created["id"] and len(store.list("Leads")) == 1
    deleted = run(store, 'return zoho.crm.deleteRecord("Leads", input.id);', id=created["id"])
    assert deleted == {"code": "SUCCESS", "details": {"id": created["id"]},
                       "message": "record deleted", "status": "success"}
    again = run(store, 'return zoho.crm.deleteRecord("Leads", input.id);', id=created["id"])
    assert again["status"] == "error" and again["message"] == "record not deleted"


@pytest.mark.parametrize("prefix", ["zoho.crm", "zoho.crm.v2", "zoho.crm.v8"])
def test_v2_and_v8_spellings_behave_alike(store, prefix):
    got = run(store, f'c = {prefix}.createRecord("Leads", {{"Last_Name": "A"}});\n'
                     f'q = {{"fields": "Last_Name"}};\n'
                     f'r = {prefix}.getRecordById("Leads", c.get("id"), q);\n'
                     f'return r.get("Last_Name");')
    assert got == "A"


def test_v8_reads_need_the_fields(store):
    rec = store.create("Leads", {"Last_Name": "A"})
    missing = {"code": "REQUIRED_PARAM_MISSING", "details": {"param_name": "fields"},
               "message": "One of the expected parameter is missing", "status": "error"}
    assert run(store, 'return zoho.crm.v8.getRecordById("Leads", input.id);', id=rec["id"]) == \
        missing
    assert run(store, 'return zoho.crm.v8.getRecords("Leads");') == missing
    assert run(store, 'return zoho.crm.v8.getRecords("Leads", 1, 200, {"fields": "Last_Name"});') \
        == [{"Last_Name": "A", "id": rec["id"]}]


def test_wrong_argument_types_are_script_errors(store):
    with pytest.raises(ScriptError, match="zoho.crm.createRecord: argument 2 .*KEY-VALUE"):
        run(store, 'zoho.crm.createRecord("Leads", "not a map");')
    with pytest.raises(ScriptError, match="module's API name"):
        run(store, 'zoho.crm.getRecords(42);')


def test_unsupported_tasks_say_so(store):
    with pytest.raises(ScriptError, match="not supported by the local record store yet"):
        run(store, 'zoho.crm.bulkCreate("Leads", [{"Last_Name": "A"}]);')


def test_fixture_records_answer_like_the_store(tmp_path, clock):
    """--fixtures records and the workspace store share the same shaping code."""
    from delugelang.records import RecordStore
    code = ('c = zoho.crm.createRecord("Leads", {"Last_Name": "A", "Phone": null});\n'
            'g = zoho.crm.getRecordById("Leads", c.get("id"));\n'
            's = zoho.crm.searchRecords("Leads", "(Last_Name:equals:A)");\n'
            'm = zoho.crm.createRecord("Leads", {"Company": "x"});\n'
            'return {"c": c.keys(), "g": g.keys(), "s": s.get(0).keys(), "m": m};')
    real = run(RecordStore.open(tmp_path, clock=clock), code)
    fixture = run(fixture_records({"Leads": []}), code)
    assert real == fixture


def test_fixture_records_keep_their_ids():
    store = fixture_records({"Leads": [{"id": "1", "Company": "Zylker"}]})
    assert run(store, 'return zoho.crm.getRecordById("Leads", 1).get("Company");') == "Zylker"
    with pytest.raises(ValueError, match="records.Leads must be a list"):
        fixture_records({"Leads": {"id": "1"}})


def test_dates_are_stored_in_zoho_formats(store):
    got = run(store, 'c = zoho.crm.createRecord("Deals", {"Deal_Name": "D", "Stage": "New", '
                     '"Closing_Date": \'01-Mar-2026\'.toDate(), '
                     '"Call_At": \'01-Mar-2026 10:20:30\'.toDateTime()});\n'
                     'return zoho.crm.getRecordById("Deals", c.get("id"));')
    assert got["Closing_Date"] == "2026-03-01"
    assert got["Call_At"] == "2026-03-01T10:20:30-08:00"  # the run's zone, Pacific by default
