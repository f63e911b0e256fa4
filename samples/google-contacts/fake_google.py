"""A local stand-in for Google's OAuth 2.0 server and legacy Contacts API, on 127.0.0.1.

It lets the Google Contacts sample run offline, in `make run` and in the tests. It checks
what Google checks: the client id and secret, the registered loopback redirect URL, the
`state` round trip, the PKCE S256 verifier, a single-use code, and the bearer token on
every API call. Like Google, it only returns a refresh token when the authorization asked
for `access_type=offline` and `prompt=consent`. Consent is given at once, as if the user
clicked "Allow".

    with FakeGoogle(client_id="demo-client", client_secret="demo-secret") as google:
        google.base          # http://127.0.0.1:PORT
        google.contacts      # every contact in the feed
        google.received      # the contacts that arrived as Atom entries, in order
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from defusedxml import ElementTree

AUTHORIZE_PATH = "/o/oauth2/v2/auth"
TOKEN_PATH = "/token"
FEED_PATH = "/m8/feeds/contacts/default/full"
SCOPE = "https://www.google.com/m8/feeds"
NS = {"atom": "http://www.w3.org/2005/Atom", "gd": "http://schemas.google.com/g/2005"}


@dataclass
class Contact:
    """One contact as the feed holds it."""

    given_name: str
    family_name: str
    email: str
    mobile: str
    raw: str = field(repr=False, default="")


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    offline: bool


class FakeGoogle:
    """The OAuth server and the contacts feed, served from one loopback port."""

    def __init__(self, client_id: str, client_secret: str, contacts: list[Contact] | None = None):
        self.client_id, self.client_secret = client_id, client_secret
        self.contacts: list[Contact] = list(contacts or [])
        self.received: list[Contact] = []
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request
        self._codes: dict[str, _Grant] = {}
        self._access: dict[str, float] = {}  # token -> expiry (epoch seconds)
        self._refresh: set[str] = set()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> "FakeGoogle":
        handler = type("Handler", (_Handler,), {"google": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- OAuth ---------------------------------------------------------------------------

    def authorize(self, query: dict) -> tuple[int, dict, str]:
        """Consent at once: redirect back with a code, or with an OAuth error."""
        redirect = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or not redirect.startswith("http://127.0.0.1:"):
            return 400, {}, "invalid_client or redirect_uri_mismatch"
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256" \
                or SCOPE not in query.get("scope", "").split():
            return _redirect(redirect, error="invalid_request", state=query.get("state"))
        code = secrets.token_urlsafe(24)
        offline = query.get("access_type") == "offline" and query.get("prompt") == "consent"
        with self._lock:
            self._codes[code] = _Grant(self.client_id, redirect, query["code_challenge"], offline)
        return _redirect(redirect, code=code, state=query.get("state"))

    def token(self, form: dict) -> tuple[int, dict]:
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client"}
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            with self._lock:
                grant = self._codes.pop(form.get("code", ""), None)  # single use
            if grant is None or grant.redirect_uri != form.get("redirect_uri"):
                return 400, {"error": "invalid_grant"}
            if _challenge(form.get("code_verifier", "")) != grant.challenge:
                return 400, {"error": "invalid_grant", "error_description": "PKCE check failed"}
            return 200, self._issue(refresh=grant.offline)
        if grant_type == "refresh_token":
            if form.get("refresh_token") not in self._refresh:
                return 400, {"error": "invalid_grant"}
            return 200, self._issue(refresh=False)  # Google keeps the refresh token as it is
        return 400, {"error": "unsupported_grant_type"}

    def _issue(self, refresh: bool) -> dict:
        access = "ya29." + secrets.token_urlsafe(32)
        body = {"access_token": access, "token_type": "Bearer", "expires_in": 3599,
                "scope": SCOPE}
        with self._lock:
            self._access[access] = time.time() + 3599
            if refresh:
                body["refresh_token"] = "1//" + secrets.token_urlsafe(32)
                self._refresh.add(body["refresh_token"])
        return body

    def authorized(self, header: str | None) -> bool:
        scheme, _, token = (header or "").partition(" ")
        with self._lock:
            return scheme == "Bearer" and self._access.get(token, 0) > time.time()

    # -- the contacts feed ---------------------------------------------------------------

    def add_entry(self, body: bytes) -> tuple[int, str]:
        """Store one Atom entry; answer 201 with it, as Google does, or 400 if malformed."""
        try:
            entry = ElementTree.fromstring(body)
        except ElementTree.ParseError as exc:
            return 400, f"Invalid XML: {exc}"
        if entry.tag != "{%s}entry" % NS["atom"]:
            return 400, "the body must be one atom:entry"
        email = entry.find("gd:email", NS)
        contact = Contact(given_name=_text(entry, "gd:name/gd:givenName"),
                          family_name=_text(entry, "gd:name/gd:familyName"),
                          email=email.get("address", "") if email is not None else "",
                          mobile=_text(entry, "gd:phoneNumber"), raw=body.decode("utf-8"))
        with self._lock:
            self.contacts.append(contact)
            self.received.append(contact)
        return 201, body.decode("utf-8")

    def feed_json(self, limit: int) -> dict:
        """The feed in Google's `alt=json` shape: `$t` for text, `gd$` for the gd namespace."""
        entries = [{"gd$name": {"gd$givenName": {"$t": c.given_name},
                                "gd$familyName": {"$t": c.family_name}},
                    "gd$email": [{"address": c.email, "primary": "true"}],
                    "gd$phoneNumber": [{"$t": c.mobile}]} for c in self.contacts[:limit]]
        return {"version": "1.0", "encoding": "UTF-8",
                "feed": {"openSearch$totalResults": {"$t": str(len(self.contacts))},
                         "entry": entries}}


class _Handler(BaseHTTPRequestHandler):
    google: FakeGoogle
    protocol_version = "HTTP/1.0"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.google.requests.append(("GET", parts.path))
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == AUTHORIZE_PATH:
            status, headers, text = self.google.authorize(query)
            self._reply(status, text.encode(), headers)
        elif parts.path == FEED_PATH and self._bearer_ok():
            limit = int(query.get("max-results", "25") or 25)
            self._json(200, self.google.feed_json(limit))

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        self.google.requests.append(("POST", parts.path))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if parts.path == TOKEN_PATH:
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            self._json(*self.google.token(form))
        elif parts.path == FEED_PATH and self._bearer_ok():
            if not (self.headers.get("Content-Type") or "").startswith("application/atom+xml"):
                self._reply(415, b"Content-Type must be application/atom+xml")
                return
            status, text = self.google.add_entry(body)
            self._reply(status, text.encode(), {"Content-Type": "application/atom+xml"})

    def _bearer_ok(self) -> bool:
        if self.google.authorized(self.headers.get("Authorization")):
            return True
        self._json(401, {"error": {"code": 401, "message": "Invalid Credentials"}})
        return False

    def _json(self, status: int, payload: dict) -> None:
        self._reply(status, json.dumps(payload).encode(), {"Content-Type": "application/json"})

    def _reply(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _redirect(uri: str, **params) -> tuple[int, dict, str]:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return 302, {"Location": f"{uri}{'&' if '?' in uri else '?'}{query}"}, ""


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _text(entry, path: str) -> str:
    found = entry.find(path, NS)
    return (found.text or "") if found is not None else ""
