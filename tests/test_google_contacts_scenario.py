"""The seed's scenario end to end through `dg`: samples/google-contacts against a local Google."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from defusedxml import ElementTree

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "google-contacts"
sys.path.insert(0, str(SAMPLE))

import demo  # noqa: E402
from fake_google import NS, Contact, FakeGoogle  # noqa: E402


@pytest.fixture
def google(monkeypatch):
    monkeypatch.setenv("DG_ALLOW_HOSTS", "127.0.0.1")
    monkeypatch.setenv("DG_SECRET_KEY", "cd" * 32)
    monkeypatch.delenv("DG_WORKSPACE", raising=False)
    with FakeGoogle(demo.CLIENT_ID, demo.CLIENT_SECRET,
                    contacts=[Contact("Grace", "Hopper", "grace@example.com", "")]) as double:
        yield double


def test_only_the_irish_contact_reaches_google_as_escaped_atom(google, tmp_path, capsys):
    demo.scenario(tmp_path, google)
    out = capsys.readouterr().out

    assert len(google.received) == 1, "the French contact must not reach Google"
    contact = google.received[0]
    assert (contact.given_name, contact.family_name, contact.email, contact.mobile) == (
        "Aoife", "O'Brien & Sons <Ltd>", "aoife@example.ie", "+353 85 555 0100")
    assert "&amp; Sons &lt;Ltd&gt;" in contact.raw and "O&apos;Brien" in contact.raw
    entry = ElementTree.fromstring(contact.raw)  # well-formed, one atom:entry
    assert entry.tag == "{%s}entry" % NS["atom"]
    assert [("POST", "/m8/feeds/contacts/default/full")] == [
        r for r in google.requests if r[0] == "POST" and r[1] != "/token"]

    assert "workflow irish_contacts_to_google: create_google_contact ok" in out
    assert "info: Google contact created for aoife@example.ie" in out
    assert out.count("create_google_contact") >= 2  # the run and its log line
    assert "created Contact" in out and "grace@example.com" in out  # the reverse direction
    assert demo.CLIENT_SECRET not in out


def test_the_rule_does_not_fire_for_other_countries(google, tmp_path, capsys):
    demo.prepare_workspace(tmp_path, google)
    from delugelang.records import RecordStore

    store = RecordStore.open(tmp_path)
    store.create("Contacts", dict(demo.FRENCH))
    store.create("Contacts", {"Last_Name": "Nobody"})
    assert google.received == [] and google.requests == []


def test_make_run_demo_runs_as_a_script(tmp_path):
    """What `make run` does, in a child process with nothing but the environment."""
    done = subprocess.run([sys.executable, str(SAMPLE / "demo.py"), "--workspace",
                           str(tmp_path / "ws")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Google received 1 contact(s):" in done.stdout
    assert "create_google_contact ok" in done.stdout
