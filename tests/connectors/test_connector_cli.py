"""The seed story end to end through `dg`, against oidc-provider-mock (an independent OAuth server)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import oidc_provider_mock
import pytest
from werkzeug.serving import make_server

import delugelang
from delugelang import Services
from delugelang.cli import main
from delugelang.connectors import ConnectorService
from delugelang.connectors.storage import ConnectionKey, ConnectorState
from delugelang.state import StateStore

CLIENT_ID = "seed-client"
SECRET = "SEED-CLIENT-SECRET-5f1e"
EXT_SECRET = "EXTENSION-SECRET-9c2d"
AUTHORIZE = ("import sys\nfrom delugelang.cli import main\nsys.exit(main(sys.argv[1:]))")
CONTACT_XML = """<entry xmlns="http://www.w3.org/2005/Atom">
  <title>${Fname} ${Lname}</title><email address="${Email}"/>
</entry>"""


@pytest.fixture
def oidc():
    """oidc-provider-mock served on 127.0.0.1 in a thread."""
    server = make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


class Shell:
    """Runs `dg` in-process, keeping every line it printed to check for secrets later."""

    def __init__(self, workspace: Path, capsys, monkeypatch):
        self.workspace, self.capsys, self.monkeypatch = workspace, capsys, monkeypatch
        self.transcript: list[str] = []

    def __call__(self, *argv: str, stdin: str | None = None, code: int = 0) -> str:
        if stdin is not None:
            self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        status = main([*argv, "--workspace", str(self.workspace)])
        out, err = self.capsys.readouterr()
        self.transcript += [out, err]
        assert status == code, (argv, out, err)
        return out

    def authorize(self, *argv: str) -> str:
        """`dg connector authorize` in a child process; the test plays the browser."""
        child = subprocess.Popen(
            [sys.executable, "-c", AUTHORIZE, "connector", "authorize", *argv, "--no-browser",
             "--port", "0", "--timeout", "15", "--workspace", str(self.workspace)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        url = child.stdout.readline().strip()
        with httpx.Client(follow_redirects=True, timeout=10) as browser:
            form = browser.get(url)
            assert form.status_code == 200 and 'name="sub"' in form.text
            done = browser.post(url, data={"sub": "alice@example.test"})
        out, err = child.communicate(timeout=15)
        self.transcript += [url, out, err, done.text]
        assert child.returncode == 0, err
        assert "is authorized" in done.text
        return out


def test_seed_story_through_the_cli(oidc, workspace, capsys, monkeypatch, tmp_path):
    dg = Shell(workspace, capsys, monkeypatch)
    dg("connector", "create", "contacts", "--authorize-url", f"{oidc}/oauth2/authorize",
       "--token-url", f"{oidc}/oauth2/token", "--scope", "openid", "--scope", "email",
       "--param", "access_type=offline", "--param", "prompt=consent",
       "--description", "Contacts (seed)")
    dg("connector", "credentials", "contacts", "--client-id", CLIENT_ID, "--client-secret-stdin",
       stdin=SECRET + "\n")
    assert dg("connector", "redirect-url", "contacts").strip() == \
        "http://127.0.0.1:8719/oauth/callback/contacts"

    assert "is authorized" in dg.authorize("contacts")
    status = json.loads(dg("connector", "token", "contacts", "--json"))
    assert status["status"] == "authorized" and status["has_refresh_token"]

    body = tmp_path / "contact.xml"
    body.write_text(CONTACT_XML)
    dg("api", "add", "contacts", "me", "--url", f"{oidc}/userinfo")
    dg("api", "add", "contacts", "create", "--method", "post",
       "--url", f"{oidc}/userinfo?email=${{Email}}", "--body-file", str(body),
       "--content-type", "application/atom+xml", "--header", "GData-Version: 3.0")
    out = dg("api", "execute", "contacts.me")
    assert out.startswith("HTTP 200\n") and "alice@example.test" in out
    executed = json.loads(dg("api", "execute", "contacts.create", "--var", "Fname=Ada",
                             "--var", "Lname=<Lovelace>", "--var", "Email=ada@x.test", "--json"))
    assert executed["status_code"] == 200 and "alice@example.test" in executed["response"]

    assert "published connector contacts" in dg("api", "publish", "contacts.me")
    listed = json.loads(dg("api", "list", "contacts", "--json"))
    assert [(a["id"], a["status"]) for a in listed] == [("contacts.me", "published"),
                                                       ("contacts.create", "draft")]

    dg("extension", "create", "sales", "--description", "Sales tools")
    out = dg("extension", "add-connector", "sales", "contacts", "--client-id", CLIENT_ID,
             "--client-secret-stdin", stdin=EXT_SECRET + "\n")
    assert "http://127.0.0.1:8719/oauth/callback/sales/contacts" in out
    shown = json.loads(dg("extension", "show", "sales", "--json"))
    assert shown["connectors"][0]["own_client"] is True
    dg.authorize("contacts", "--extension", "sales")

    service = ConnectorService(workspace, extension="sales")  # the guarded client, 127.0.0.1 allowed
    program = delugelang.compile('r = zoho.crm.invokeConnector("contacts.me", Map());\n'
                                 'return r.get("status_code") + " " + r.get("response");')
    result = program.run({}, services=Services(connectors=service))
    assert result.value.startswith("200 ") and "alice@example.test" in result.value

    script = tmp_path / "me.dg"
    script.write_text('r = zoho.crm.invokeConnector("contacts.me", Map());\n'
                      'info r.get("status_code");\nreturn r.get("response").toMap().get("sub");\n')
    for extension in (["--extension", "sales"], []):  # the extension's client, then the default
        ran = json.loads(dg("run", str(script), "--json", *extension))
        assert ran["ok"] and ran["info"] == ["200"] and ran["return"] == "alice@example.test", ran
    dg("extension", "create", "empty")
    failed = json.loads(dg("run", str(script), "--json", "--extension", "empty", code=1))
    assert "does not exist or is not accessible" in failed["error"]["message"]
    dg("run", str(script), "--extension", "nope", code=2)

    shown = json.loads(dg("connector", "show", "contacts", "--json"))
    assert shown["client_secret"] == "set" and shown["published"] and shown["extensions"] == ["sales"]
    dg("connector", "show", "contacts")
    dg("connector", "list")
    _assert_no_secrets(workspace, dg.transcript)


def _assert_no_secrets(workspace: Path, transcript: list[str]) -> None:
    state = ConnectorState(StateStore(workspace))
    tokens = []
    for key in (ConnectionKey("contacts"), ConnectionKey("contacts", "sales")):
        token = state.connection(key).token
        tokens += [token.access_token, token.refresh_token]
    secrets = [SECRET, EXT_SECRET, *[t for t in tokens if t]]
    definitions = [p.read_text() for p in workspace.rglob("*.json") if ".dg" not in p.parts]
    assert len(definitions) == 3  # the connector and the extensions sales and empty
    raw_state = b"".join(p.read_bytes() for p in (workspace / ".dg").glob("state.sqlite3*"))
    for secret in secrets:
        assert not any(secret in text for text in transcript + definitions), "secret leaked"
        assert secret.encode() not in raw_state, "secret stored in clear"


def test_exit_codes_and_error_messages(workspace, capsys, monkeypatch):
    dg = Shell(workspace, capsys, monkeypatch)
    dg("connector", "create", "Bad Name!", "--authorize-url", "https://a.test/auth",
       "--token-url", "https://a.test/token", code=65)
    dg("connector", "show", "missing", code=1)
    dg("connector", "create", "crm", "--authorize-url", "https://a.test/auth",
       "--token-url", "https://a.test/token")
    dg("connector", "create", "crm", "--authorize-url", "https://a.test/auth",
       "--token-url", "https://a.test/token", code=65)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    dg("connector", "credentials", "crm", "--client-id", "x", code=2)
    monkeypatch.setenv("DG_CLIENT_SECRET", "FROM-ENV-SECRET-1")
    dg("connector", "credentials", "crm", "--client-id", "x")
    dg("api", "add", "crm", "get", "--url", "https://${host}/x", code=65)
    dg("api", "add", "crm", "get", "--url", "https://a.test/x/${id}")
    dg("api", "execute", "crm.get", "--vars-json", "[1]", code=65)
    dg("api", "execute", "crm.get", code=1)  # missing ${id}
    dg("api", "execute", "crm.get", "--var", "id=1", code=1)  # not authorized yet
    dg("api", "update", "crm.get", "--header", "X-Trace: ${id}")
    dg("extension", "create", "sales")
    dg("extension", "add-connector", "sales", "crm", code=1)  # not published
    dg("connector", "update", "crm", "--scope", "a", "--scope", "b", "--scope-separator", ",")
    assert json.loads(dg("connector", "show", "crm", "--json"))["scopes"] == ["a", "b"]
    dg("api", "publish", "crm.get")
    dg("extension", "add-connector", "sales", "crm")
    dg("connector", "delete", "crm", code=1)  # still in an extension
    dg("extension", "remove-connector", "sales", "crm")
    dg("connector", "delete", "crm")
    assert json.loads(dg("connector", "list", "--json")) == []
    assert "not authorized yet" in "".join(dg.transcript)
    assert "FROM-ENV-SECRET-1" not in "".join(dg.transcript)
    with pytest.raises(SystemExit) as info:
        main(["connector", "credentials", "crm", "--client-id", "x", "--client-secret", "s"])
    assert info.value.code == 2


def test_every_command_explains_itself(capsys):
    for argv in (["connector"], ["api"], ["extension"], ["connector", "authorize"],
                 ["api", "execute"], ["extension", "add-connector"]):
        with pytest.raises(SystemExit):
            main([*argv, "--help"])
        assert "usage: dg" in capsys.readouterr().out
