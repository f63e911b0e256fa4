"""The record store's host API over both backends: ids, system fields, checks, transactions."""

from __future__ import annotations

import re

import pytest

from delugelang.records import RecordError, RecordStore

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d\Z")


def test_create_gives_zoho_style_id_times_and_owner(store):
    record = store.create("Contacts", {"Last_Name": "Byrne", "Email": "a@x.ie"})
    assert re.fullmatch(r"[1-9]\d{18}", record["id"])
    assert record["Created_Time"] == record["Modified_Time"] == "2026-03-02T01:30:00-08:00"
    assert ISO.match(record["Created_Time"])
    owner = record["Owner"]
    assert set(owner) == {"name", "id", "email"} and re.fullmatch(r"\d{19}", owner["id"])
    assert record["Created_By"] == record["Modified_By"] == owner
    assert store.get("contacts", record["id"]) == record  # module names are case-insensitive


def test_ids_are_unique_and_increasing(store):
    ids = [store.create("Leads", {"Last_Name": f"L{i}"})["id"] for i in range(5)]
    assert len(set(ids)) == 5 and ids == sorted(ids)


def test_mandatory_fields_per_module(store):
    with pytest.raises(RecordError) as err:
        store.create("Contacts", {"Email": "a@x"})
    assert err.value.code == "MANDATORY_NOT_FOUND"
    assert err.value.details == {"api_name": "Last_Name"}
    with pytest.raises(RecordError):
        store.create("Deals", {"Deal_Name": "Big"})  # Stage is missing
    with pytest.raises(RecordError):
        store.create("Leads", {"Last_Name": "   "})  # blank text is no value
    assert store.create("Deals", {"Deal_Name": "Big", "Stage": "Qualification"})["Stage"]


def test_custom_modules_come_into_being_on_first_host_write(store):
    with pytest.raises(RecordError) as err:
        store.create("Vendors_X", {"Name": "Acme"}, create_module=False)
    assert err.value.code == "INVALID_MODULE"
    record = store.create("Vendors_X", {"Name": "Acme"})
    assert store.get("vendors_x", record["id"])["Name"] == "Acme"
    with pytest.raises(RecordError) as err:
        store.create("Vendors_X", {"Email": "x@y"})
    assert err.value.details == {"api_name": "Name"}
    assert ("Vendors_X", 1) in store.modules()


def test_bad_module_and_field_names(store):
    with pytest.raises(RecordError) as err:
        store.create("../etc", {"Name": "x"})
    assert err.value.code == "INVALID_MODULE"
    with pytest.raises(RecordError) as err:
        store.create("Leads", {"Last Name": "x"})
    assert err.value.code == "INVALID_DATA" and "field API name" in err.value.message
    with pytest.raises(RecordError):
        store.create("Leads", ["not", "a", "map"])


def test_system_fields_in_input_are_ignored(store):
    record = store.create("Leads", {"Last_Name": "X", "id": "1", "Created_Time": "yesterday"})
    assert record["id"] != "1" and record["Created_Time"] != "yesterday"


def test_update_merges_and_moves_modified_time(store, clock):
    record = store.create("Contacts", {"Last_Name": "Byrne", "Phone": "1"})
    clock.advance(60)
    updated = store.update("Contacts", record["id"], {"Phone": "2", "City": "Cork"})
    assert updated["Phone"] == "2" and updated["City"] == "Cork" and updated["Last_Name"] == "Byrne"
    assert updated["Created_Time"] == record["Created_Time"]
    assert updated["Modified_Time"] == "2026-03-02T01:31:00-08:00"
    assert store.get("Contacts", record["id"]) == updated
    with pytest.raises(RecordError) as err:
        store.update("Contacts", record["id"], {"Last_Name": ""})
    assert err.value.code == "MANDATORY_NOT_FOUND"
    with pytest.raises(RecordError) as err:
        store.update("Contacts", "123", {"Phone": "3"})
    assert err.value.code == "INVALID_DATA"


def test_batch_is_one_transaction(store):
    store.create("Leads", {"Last_Name": "kept"})
    with pytest.raises(RuntimeError):
        with store.batch():
            store.create("Leads", {"Last_Name": "gone 1"})
            store.create("Leads", {"Last_Name": "gone 2"})
            raise RuntimeError("crash")
    assert [r["Last_Name"] for r in store.list("Leads")] == ["kept"]


def test_a_failed_batch_undoes_deletes_new_modules_and_ids(store):
    first = store.create("Leads", {"Last_Name": "a"})
    store.create("Leads", {"Last_Name": "b"})
    modules = store.modules()
    with pytest.raises(RuntimeError):
        with store.batch():
            store.delete("Leads", first["id"])
            store.create("Projects", {"Name": "in a module of its own"})
            assert store.module("projects") == "Projects"
            raise RuntimeError("crash")
    assert [r["Last_Name"] for r in store.list("Leads")] == ["a", "b"]
    assert store.modules() == modules
    with pytest.raises(RecordError, match="no module named 'Projects'"):
        store.module("Projects")  # not remembered from the rolled-back batch
    assert int(store.create("Leads", {"Last_Name": "c"})["id"]) == int(first["id"]) + 2


def test_events_fire_after_commit_and_not_after_rollback(store):
    seen = []
    store.on_write(lambda e: seen.append((e.kind, e.record["Last_Name"], sorted(e.changed))))
    record = store.create("Leads", {"Last_Name": "A", "City": "Cork"})
    store.update("Leads", record["id"], {"City": "Cork", "Phone": "1"})
    with pytest.raises(RuntimeError):
        with store.batch():
            store.create("Leads", {"Last_Name": "B"})
            raise RuntimeError
    store.create("Leads", {"Last_Name": "C"}, workflows=False)
    assert seen == [("create", "A", ["City", "Last_Name"]), ("edit", "A", ["Phone"])]


def test_list_pages_and_sorts(store):
    for name, score in (("a", 5), ("b", 1), ("c", 9), ("d", None)):
        store.create("Leads", {"Last_Name": name, "Score": score})
    assert [r["Last_Name"] for r in store.list("Leads")] == ["a", "b", "c", "d"]
    assert [r["Last_Name"] for r in store.list("Leads", page=2, per_page=3)] == ["d"]
    assert [r["Last_Name"] for r in store.list("Leads", sort_by="Score", sort_order="desc")] == \
        ["c", "a", "b", "d"]
    assert set(store.list("Leads", fields=["Score"])[0]) == {"id", "Score"}
    with pytest.raises(RecordError):
        store.list("Leads", per_page=201)


def test_search_with_zoho_criteria(store):
    store.create("Contacts", {"Last_Name": "A", "Mailing_Country": "Ireland", "Score": 10})
    store.create("Contacts", {"Last_Name": "B", "Mailing_Country": "France", "Score": 20})
    names = lambda c: [r["Last_Name"] for r in store.search("Contacts", c)]  # noqa: E731
    assert names("(Mailing_Country:equals:ireland)") == ["A"]
    assert names("((Score:greater_than:5) and (Mailing_Country:starts_with:F))") == ["B"]
    assert names("((Last_Name:equals:A) or (Last_Name:equals:B))") == ["A", "B"]
    with pytest.raises(RecordError) as err:
        store.search("Contacts", "(Mailing_Country:eq:Ireland)")
    assert err.value.code == "INVALID_QUERY" and "column 18" in err.value.message


def test_related_records_follow_lookups(store):
    account = store.create("Accounts", {"Account_Name": "Zylker"})
    store.create("Contacts", {"Last_Name": "A", "Account_Name": {"id": account["id"],
                                                                  "name": "Zylker"}})
    store.create("Contacts", {"Last_Name": "B"})
    related = store.related("Contacts", "Accounts", account["id"])
    assert [r["Last_Name"] for r in related] == ["A"]
    with pytest.raises(RecordError):
        store.related("Contacts", "Accounts", "42")


def test_upsert_by_id_and_duplicate_check_fields(store):
    action, first = store.upsert("Leads", {"Last_Name": "A", "Email": "a@x"})
    assert action == "insert"
    action, again = store.upsert("Leads", {"Last_Name": "A2", "Email": "A@x"},
                                 duplicate_check_fields=["Email"])
    assert action == "update" and again["id"] == first["id"] and again["Last_Name"] == "A2"
    action, by_id = store.upsert("Leads", {"id": first["id"], "Phone": "9"})
    assert action == "update" and by_id["Phone"] == "9"
    action, _ = store.upsert("Leads", {"Last_Name": "A3", "Email": "a@X"})  # Email by default
    assert action == "update"
    action, _ = store.upsert("Leads", {"Last_Name": "A3", "Phone": "9"})
    assert action == "insert"  # Phone is not a duplicate check field unless named
    assert len(store.list("Leads")) == 2


def test_delete(store):
    record = store.create("Leads", {"Last_Name": "A"})
    assert store.delete("Leads", record["id"]) is True
    assert store.delete("Leads", record["id"]) is False
    assert store.get("Leads", record["id"]) is None


def test_sqlite_store_persists_and_shares_the_state_file(tmp_path, clock):
    first = RecordStore.open(tmp_path, clock=clock)
    record = first.create("Leads", {"Last_Name": "A", "Amount": 12.5, "Tags": ["x", "y"]})
    again = RecordStore.open(tmp_path, clock=clock)
    assert again.get("Leads", record["id"]) == record
    assert (tmp_path / ".dg" / "state.sqlite3").is_file()
    from delugelang.state import StateStore
    assert StateStore(tmp_path).schema_versions()["records"] == 1


def test_every_id_fits_a_deluge_number(tmp_path, monkeypatch):
    import delugelang.records.sqlite as sqlite_backend
    monkeypatch.setattr(sqlite_backend.secrets, "randbelow", lambda n: n - 1)  # the top prefix
    record = RecordStore.open(tmp_path).create("Leads", {"Last_Name": "A"})
    assert len(record["id"]) == 19 and int(record["id"]) < 2 ** 63


def test_concurrent_writers_get_unique_ids(tmp_path):
    import threading
    RecordStore.open(tmp_path)  # create the schema once
    ids, errors = [], []

    def writer(n):
        store = RecordStore.open(tmp_path)
        try:
            for i in range(15):
                ids.append(store.create("Leads", {"Last_Name": f"w{n}-{i}"})["id"])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(ids)) == 60
    assert len(RecordStore.open(tmp_path).list("Leads")) == 60


def test_an_overlay_reads_through_and_keeps_writes_to_itself(tmp_path):
    from delugelang.records import OverlayBackend
    base = RecordStore.open(tmp_path)
    kept = base.create("Leads", {"Last_Name": "Base"})
    dry = RecordStore(OverlayBackend(base.backend))
    dry.update("Leads", kept["id"], {"Phone": "1"})
    new = dry.create("Leads", {"Last_Name": "Dry"})
    assert dry.delete("Leads", kept["id"]) is True
    assert [r["Last_Name"] for r in dry.list("Leads")] == ["Dry"]
    assert base.get("Leads", kept["id"]) == kept and base.get("Leads", new["id"]) is None
    assert [r["Last_Name"] for r in base.list("Leads")] == ["Base"]
