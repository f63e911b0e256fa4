"""The main demo: the Google Contacts scenario end to end, offline, through the `dg` command.

A Contact is created in the local CRM; the workflow rule "Mailing country is Ireland"
matches; the custom function runs and calls the Google Contacts connector, which POSTs an
Atom entry over OAuth 2.0. Google is played by a local stand-in (fake_google.py) on
127.0.0.1, reached through the HTTP allowlist. Run it with `make run`, or:

    python samples/google-contacts/demo.py [--workspace DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from delugelang.cli import main as dg_main
from fake_google import Contact, FakeGoogle

SAMPLE = Path(__file__).resolve().parent
CLIENT_ID = "1234-demo.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-demo-client-secret"
GOOGLE_ORIGINS = ("https://accounts.google.com", "https://oauth2.googleapis.com",
                  "https://www.google.com")
IRISH = {"First_Name": "Aoife", "Last_Name": "O'Brien & Sons <Ltd>", "Email": "aoife@example.ie",
         "Mobile": "+353 85 555 0100", "Mailing_Country": "Ireland"}
# A contact someone made in Google itself: the reverse direction brings it into the CRM.
IN_GOOGLE = Contact("Grace", "Hopper", "grace@example.com", "+1 555 0199")
FRENCH = {"First_Name": "Camille", "Last_Name": "Durand", "Email": "camille@example.fr",
          "Mailing_Country": "France"}


def dg(*argv: str) -> None:
    """Run one `dg` command in this process, showing it as a user would type it."""
    print(f"\n$ dg {shlex.join(argv)}", flush=True)
    status = dg_main([*argv])
    if status != 0:
        raise SystemExit(f"demo: `dg {argv[0]} {argv[1]}` failed with exit code {status}")


def prepare_workspace(workspace: Path, google: FakeGoogle) -> None:
    """Copy the sample's definitions and point Google's URLs at the local stand-in."""
    for part in ("connectors", "functions", "workflows"):
        shutil.copytree(SAMPLE / part, workspace / part, dirs_exist_ok=True)
    path = workspace / "connectors" / "googlecontacts.json"
    connector = json.loads(path.read_text(encoding="utf-8"))
    connector["authorize_url"] = _local(connector["authorize_url"], google)
    connector["token_url"] = _local(connector["token_url"], google)
    for api in connector["apis"]:
        api["url"] = _local(api["url"], google)
    path.write_text(json.dumps(connector, indent=2) + "\n", encoding="utf-8")
    print(f"Google is played by a local stand-in at {google.base}: the connector's URLs\n"
          f"(accounts.google.com, oauth2.googleapis.com, www.google.com) point there.")


def _local(url: str, google: FakeGoogle) -> str:
    """A Google URL moved to the stand-in: same path and query, local origin."""
    origin = next(o for o in GOOGLE_ORIGINS if url.startswith(o))
    return google.base + url[len(origin):]


def authorize(workspace: Path) -> None:
    """`dg connector authorize`, with this demo clicking "Allow" in place of a browser."""
    argv = ["connector", "authorize", "googlecontacts", "--no-browser", "--port", "0",
            "--timeout", "30", "--workspace", str(workspace)]
    print(f"\n$ dg {shlex.join(argv)}", flush=True)
    child = subprocess.Popen([sys.executable, "-m", "delugelang.cli", *argv],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=os.environ.copy())
    url = child.stdout.readline().strip()
    print(url)
    print("(the demo opens it as your browser would, and the stand-in consents at once)")
    with httpx.Client(follow_redirects=True, timeout=10) as browser:
        browser.get(url)  # the redirect lands on dg's loopback port with the code and state
    out, err = child.communicate(timeout=30)
    print(err, end="", file=sys.stderr)
    print(out, end="")
    if child.returncode != 0:
        raise SystemExit("demo: authorization failed")


def show_provider(google: FakeGoogle) -> None:
    print(f"\nGoogle received {len(google.received)} contact(s):")
    for contact in google.received:
        print(contact.raw.rstrip())


def run(workspace: Path) -> None:
    os.environ.setdefault("DG_ALLOW_HOSTS", "127.0.0.1")  # the stand-in lives on loopback
    with FakeGoogle(CLIENT_ID, CLIENT_SECRET, contacts=[IN_GOOGLE]) as google:
        scenario(workspace, google)


def scenario(workspace: Path, google: FakeGoogle) -> None:
    """Every step of the seed, each a `dg` command against `workspace`."""
    os.environ["DG_CLIENT_SECRET"] = CLIENT_SECRET  # dg never takes a secret from argv
    ws = ["--workspace", str(workspace)]
    prepare_workspace(workspace, google)
    dg("connector", "list", *ws)
    dg("connector", "credentials", "googlecontacts", "--client-id", CLIENT_ID, *ws)
    authorize(workspace)
    dg("api", "execute", "googlecontacts.listcontacts", "--var", "limit=5", *ws)
    dg("api", "publish", "googlecontacts.createcontact", *ws)
    dg("api", "publish", "googlecontacts.listcontacts", *ws)
    dg("extension", "create", "crm_google", *ws)
    dg("extension", "add-connector", "crm_google", "googlecontacts", *ws)
    dg("workflow", "list", *ws)
    dg("record", "create", "Contacts", "--data", json.dumps(IRISH), *ws)
    dg("record", "create", "Contacts", "--data", json.dumps(FRENCH), *ws)
    show_provider(google)
    dg("workflow", "log", *ws)
    print("\nThe reverse direction: read Google's contacts into the CRM.")
    dg("run", str(workspace / "functions" / "import_google_contacts.dg"),
       "--extension", "crm_google", *ws)
    dg("record", "search", "Contacts", "--criteria", "(Lead_Source:equals:Google Contacts)", *ws)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", metavar="DIR",
                        help="an empty directory to build the workspace in (default: a temporary one)")
    args = parser.parse_args()
    if args.workspace:
        workspace = Path(args.workspace)
        workspace.mkdir(parents=True, exist_ok=True)
        if any(workspace.iterdir()):
            parser.error(f"--workspace {workspace} is not empty")
        run(workspace)
        return 0
    with tempfile.TemporaryDirectory(prefix="dg-demo-") as tmp:
        run(Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
