"""A test OAuth 2.0 authorization server plus a bearer-protected API, on 127.0.0.1.

Built on authlib's server parts (AuthorizationServer, AuthorizationCodeGrant with
CodeChallenge, RefreshTokenGrant, ClientCredentialsGrant) on Flask. It rotates refresh
tokens (a replayed one gets invalid_grant), counts token and API calls, and exposes knobs
for the failure modes in reference/connectors.md §4.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import flask
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.models import AuthorizationCodeMixin, ClientMixin, TokenMixin
from authlib.oauth2.rfc7636 import CodeChallenge
from werkzeug.serving import make_server

USER = "alice"
logging.getLogger("werkzeug").setLevel(logging.ERROR)


class Client(ClientMixin):
    def __init__(self, client_id: str, secret: str, auth_method: str):
        self.client_id, self.secret, self.auth_method = client_id, secret, auth_method

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        return scope

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri.startswith("http://127.0.0.1:")  # any loopback port, RFC 8252 §7.3

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method == self.auth_method if endpoint == "token" else True

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return True


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    code_challenge: str | None
    code_challenge_method: str | None

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope


@dataclass
class IssuedToken(TokenMixin):
    access_token: str
    refresh_token: str | None
    client_id: str
    scope: str
    expires_at: float
    revoked: bool = False

    def check_client(self, client):
        return client.client_id == self.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return int(self.expires_at - time.time())

    def is_expired(self):
        return time.time() >= self.expires_at

    def is_revoked(self):
        return self.revoked

    def get_user(self):
        return USER

    def get_client(self):
        return None


@dataclass
class Knobs:
    expires_in: int | None = 3600      # None: the token response omits expires_in
    rotate: bool = True                # issue a new refresh token on every refresh
    refresh_delay: float = 0.0         # seconds the refresh grant takes (widens races)
    api_scheme: str = "Bearer"         # the Authorization scheme the API accepts
    form_encoded: bool = False         # answer the token endpoint with form data, not JSON


@dataclass
class Counters:
    authorize: int = 0
    code: int = 0
    refresh: int = 0
    client_credentials: int = 0
    api: int = 0
    token_requests: list = field(default_factory=list)


class ProviderDouble:
    """The server; use as a context manager. `base` is its http://127.0.0.1:PORT URL."""

    def __init__(self, client_id="test-client", client_secret="TEST-CLIENT-SECRET-77aa",
                 auth_method="client_secret_post"):
        self.client = Client(client_id, client_secret, auth_method)
        self.knobs = Knobs()
        self.counters = Counters()
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, IssuedToken] = {}
        self.by_refresh: dict[str, IssuedToken] = {}
        self.lock = threading.Lock()
        self.app = self._build_app()
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.base = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),
                                        daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    # -- helpers for tests -------------------------------------------------------------

    def revoke_access_tokens(self) -> None:
        """The API will answer 401 to every access token issued so far."""
        with self.lock:
            for token in self.tokens.values():
                token.expires_at = 0

    def live_refresh_tokens(self) -> list[str]:
        with self.lock:
            return [t.refresh_token for t in self.by_refresh.values() if not t.revoked]

    # -- the app -----------------------------------------------------------------------

    def _build_app(self) -> flask.Flask:
        app = flask.Flask("provider_double")
        app.config["OAUTH2_REFRESH_TOKEN_GENERATOR"] = True
        server = AuthorizationServer(app, query_client=self._query_client,
                                     save_token=self._save_token)
        server.register_grant(self._code_grant(), [CodeChallenge(required=True)])
        server.register_grant(self._refresh_grant())
        server.register_grant(self._client_credentials_grant())
        app.add_url_rule("/authorize", "authorize", lambda: self._authorize(server))
        app.add_url_rule("/token", "token", lambda: self._token(server), methods=["POST"])
        app.add_url_rule("/api/me", view_func=self._me)
        app.add_url_rule("/api/contacts", view_func=self._contacts, methods=["POST"])
        app.add_url_rule("/api/echo", view_func=self._echo, methods=["GET", "POST"])
        return app

    def _query_client(self, client_id):
        return self.client if client_id == self.client.client_id else None

    def _save_token(self, token: dict, request) -> None:
        lifetime = self.knobs.expires_in or 3600
        issued = IssuedToken(token["access_token"], token.get("refresh_token"),
                             request.client.client_id, token.get("scope", ""),
                             time.time() + lifetime)
        with self.lock:
            self.tokens[issued.access_token] = issued
            if issued.refresh_token:
                self.by_refresh[issued.refresh_token] = issued

    def _authorize(self, server):
        """Auto-consent for alice; PKCE S256 is mandatory for every client here."""
        self.counters.authorize += 1
        if flask.request.args.get("code_challenge_method") != "S256":
            return flask.jsonify(error="invalid_request", error_description="PKCE S256 required"), 400
        grant = server.get_consent_grant(end_user=USER)
        return server.create_authorization_response(grant=grant, grant_user=USER)

    def _token(self, server):
        form = flask.request.form.to_dict()
        self.counters.token_requests.append(
            {"form": form, "authorization": flask.request.headers.get("Authorization")})
        grant_type = form.get("grant_type")
        if grant_type == "refresh_token":
            with self.lock:
                self.counters.refresh += 1
            time.sleep(self.knobs.refresh_delay)
        elif grant_type == "authorization_code":
            self.counters.code += 1
        elif grant_type == "client_credentials":
            self.counters.client_credentials += 1
        return self._shape(server.create_token_response())

    def _shape(self, response):
        payload = json.loads(response.get_data(as_text=True))
        if "access_token" in payload:
            if self.knobs.expires_in is None:
                payload.pop("expires_in", None)
            else:
                payload["expires_in"] = self.knobs.expires_in
        if self.knobs.form_encoded:
            response.set_data(urlencode(payload))
            response.headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            response.set_data(json.dumps(payload))
        return response

    def _bearer(self) -> IssuedToken | None:
        scheme, _, value = flask.request.headers.get("Authorization", "").partition(" ")
        if scheme != self.knobs.api_scheme:
            return None
        with self.lock:
            token = self.tokens.get(value)
        if token is None or token.is_expired() or token.revoked:
            return None
        return token

    def _me(self):
        self.counters.api += 1
        if self._bearer() is None:
            return flask.jsonify(error="invalid_token"), 401
        return flask.jsonify(sub=USER, email="alice@example.test")

    def _contacts(self):
        self.counters.api += 1
        if self._bearer() is None:
            return flask.jsonify(error="invalid_token"), 401
        return flask.jsonify(content_type=flask.request.content_type,
                             body=flask.request.get_data(as_text=True),
                             query=flask.request.args.to_dict(flat=False)), 201

    def _echo(self):
        """Echoes the request, Authorization included (a hostile or careless API)."""
        self.counters.api += 1
        return flask.jsonify(headers=dict(flask.request.headers), query=flask.request.args.to_dict())

    # -- grants ------------------------------------------------------------------------

    def _code_grant(self):
        double = self

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code, request):
                data = request.payload.data
                double.codes[code] = Code(code, request.client.client_id,
                                          request.payload.redirect_uri, request.payload.scope or "",
                                          data.get("code_challenge"),
                                          data.get("code_challenge_method"))

            def query_authorization_code(self, code, client):
                found = double.codes.get(code)
                return found if found and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code):
                double.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return USER

        return CodeGrant

    def _refresh_grant(self):
        double = self

        class RefreshGrant(grants.RefreshTokenGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
            INCLUDE_NEW_REFRESH_TOKEN = True

            def authenticate_refresh_token(self, refresh_token):
                with double.lock:
                    token = double.by_refresh.get(refresh_token)
                return token if token and not token.revoked else None

            def authenticate_user(self, refresh_token):
                return USER

            def revoke_old_credential(self, refresh_token):
                if double.knobs.rotate:
                    with double.lock:
                        refresh_token.revoked = True

            def issue_token(self, user, refresh_token):
                self.INCLUDE_NEW_REFRESH_TOKEN = double.knobs.rotate
                return super().issue_token(user, refresh_token)

        return RefreshGrant

    @staticmethod
    def _client_credentials_grant():
        class ClientCredentialsGrant(grants.ClientCredentialsGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        return ClientCredentialsGrant
