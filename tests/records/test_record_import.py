"""Import: bad rows reported with row and reason, good rows kept, nothing reported lost."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from delugelang.records import RecordStore
from delugelang.records.importer import import_rows, read_rows

CSV = ("Last_Name,Email,Mailing_Country\n"
       "Byrne,a@x.ie,Ireland\n"
       ",b@x.fr,France\n"
       "Kelly,c@x.ie,Ireland,extra\n"
       "\n"
       "Murphy,d@x.ie,Ireland\n")


def test_csv_rows_with_errors_are_reported_and_good_rows_kept(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text(CSV)
    store = RecordStore.open(tmp_path)
    report = import_rows(store, "Contacts", read_rows(path), batch_size=2)
    assert report.imported == 2 and report.total == 4
    assert [(p.row, p.reason) for p in report.problems] == [
        (3, "a Contacts record needs a value for Last_Name"),
        (4, "the row has 4 cells, the header 3")]
    assert [r["Last_Name"] for r in store.list("Contacts")] == ["Byrne", "Murphy"]
    assert store.get("Contacts", report.ids[0])["Email"] == "a@x.ie"


def test_json_rows(tmp_path):
    path = tmp_path / "leads.json"
    path.write_text(json.dumps({"data": [{"Last_Name": "A", "Score": 5}, "oops",
                                         {"Company": "no name"}]}))
    report = import_rows(RecordStore.open(tmp_path), "Leads", read_rows(path))
    assert report.imported == 1
    assert [p.row for p in report.problems] == [2, 3]


def test_unreadable_files_are_refused(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        read_rows(tmp_path / "missing.csv")
    bad = tmp_path / "bad.json"
    bad.write_text("[{")
    with pytest.raises(ValueError, match="not valid JSON"):
        read_rows(bad)
    with pytest.raises(ValueError, match=".csv or .json"):
        read_rows(tmp_path / "x.xlsx")


CRASHING_IMPORT = textwrap.dedent("""
    import os, sys
    from delugelang.records import RecordStore
    from delugelang.records.importer import import_rows

    store = RecordStore.open(sys.argv[1])
    rows = [(i + 2, {"Last_Name": f"L{i}"}) for i in range(10)]
    real_create = store.create
    calls = 0

    def create(*args, **kwargs):
        global calls
        calls += 1
        if calls == 6:          # in the middle of the third batch of two
            os._exit(9)         # the process dies: no cleanup, no rollback code runs
        return real_create(*args, **kwargs)

    store.create = create

    def committed(report):
        print(f"imported {report.imported}", flush=True)

    import_rows(store, "Leads", rows, batch_size=2, on_batch=committed)
""")


def test_a_crash_mid_import_loses_nothing_reported_as_imported(tmp_path):
    script = tmp_path / "crash.py"
    script.write_text(CRASHING_IMPORT)
    out = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 9, out.stderr
    reported = int(out.stdout.split()[-1])
    assert reported == 4
    names = [r["Last_Name"] for r in RecordStore.open(tmp_path).list("Leads")]
    assert names == ["L0", "L1", "L2", "L3"]  # the half-written third batch is gone
