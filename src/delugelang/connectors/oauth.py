"""OAuth 2.0 client side: authorization URL with PKCE, code exchange, refresh, client credentials."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from authlib.common.security import generate_token
from authlib.oauth2.auth import ClientAuth
from authlib.oauth2.rfc6749.errors import MismatchingStateException, MissingCodeException
from authlib.oauth2.rfc6749.parameters import (
    parse_authorization_code_response,
    prepare_grant_uri,
    prepare_token_request,
)
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from delugelang.connectors.errors import OAuthError
from delugelang.connectors.http import send
from delugelang.connectors.model import Connector, origin_of
from delugelang.connectors.redact import quote_for_message, redact

FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class ClientCredentials:
    """The OAuth client registered with the provider. The secret never shows in repr."""

    client_id: str
    client_secret: str = field(repr=False)


@dataclass(frozen=True)
class Token:
    """A stored token set. `expires_at` is None for a token that does not expire.

    `expiry_assumed` is True when the provider sent no `expires_in` and the
    documented policy (see `parse_token_response`) supplied the lifetime.
    """

    access_token: str = field(repr=False)
    token_type: str = "Bearer"
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: float | None = None
    lifetime: int | None = None
    expiry_assumed: bool = False
    scope: str | None = None
    obtained_at: float = 0.0

    def expires_within(self, seconds: float, now: float) -> bool:
        return self.expires_at is not None and self.expires_at - seconds <= now

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "Token":
        return cls(**json.loads(text))


@dataclass(frozen=True)
class PendingAuthorization:
    """One authorization-code attempt: the URL to open and what the callback must match."""

    url: str
    redirect_uri: str
    state: str = field(repr=False)
    code_verifier: str | None = field(default=None, repr=False)


def parse_token_response(payload: dict[str, Any], connector: Connector, now: float,
                         previous: Token | None = None) -> Token:
    """Turn a token endpoint answer into a Token, applying the missing-`expires_in` policy.

    Policy: a numeric `expires_in` > 0 sets the expiry. Without one, a token that can be
    renewed (it came with a refresh token, or the grant is client credentials) is assumed
    to live as long as the previous token did, else `connector.default_expires_in`
    seconds (0 there means "treat as non-expiring"); a token that cannot be renewed is
    treated as non-expiring. Every connection still refreshes once after a 401.
    A response without `refresh_token` keeps the previous refresh token.
    """
    access = payload.get("access_token")
    if not isinstance(access, str) or not access:
        raise OAuthError("the token endpoint's answer holds no access token")
    refresh = payload.get("refresh_token") or (previous.refresh_token if previous else None)
    lifetime, assumed = _seconds(payload.get("expires_in")), False
    renewable = bool(refresh) or connector.grant_type == "client_credentials"
    if lifetime is None and renewable:
        lifetime = (previous.lifetime if previous else None) or connector.default_expires_in or None
        assumed = lifetime is not None
    scope = payload.get("scope")
    return Token(access_token=access, token_type=str(payload.get("token_type") or "Bearer"),
                 refresh_token=refresh if isinstance(refresh, str) else None,
                 expires_at=now + lifetime if lifetime else None, lifetime=lifetime,
                 expiry_assumed=assumed, obtained_at=now,
                 scope=scope if isinstance(scope, str) else (previous.scope if previous else None))


def _seconds(value: Any) -> int | None:
    try:
        seconds = int(float(value))
    except (TypeError, ValueError):
        return None
    return seconds if seconds > 0 else None


class OAuthClient:
    """Talks to one connector's authorization server with one set of client credentials."""

    def __init__(self, connector: Connector, credentials: ClientCredentials, http,
                 clock=time.time):
        self.connector = connector
        self.credentials = credentials
        self.http = http
        self.clock = clock

    def __repr__(self) -> str:
        return f"OAuthClient({self.connector.name!r})"

    # -- authorization code ----------------------------------------------------------

    def begin(self, redirect_uri: str) -> PendingAuthorization:
        """The authorization URL with `state` and (unless turned off) a PKCE S256 challenge."""
        connector = self.connector
        state = generate_token(43)
        verifier = generate_token(64) if connector.pkce else None
        extra = dict(connector.auth_params)
        if verifier:
            extra.update(code_challenge=create_s256_code_challenge(verifier),
                         code_challenge_method="S256")
        url = prepare_grant_uri(connector.authorize_url, self.credentials.client_id, "code",
                                redirect_uri=redirect_uri, scope=connector.scope_text(),
                                state=state, **extra)
        return PendingAuthorization(url, redirect_uri, state, verifier)

    def complete(self, pending: PendingAuthorization, callback_url: str) -> Token:
        """Check the callback's `state`, then exchange its code (with the PKCE verifier)."""
        query = dict(parse_qsl(urlsplit(callback_url).query))
        if "error" in query:
            raise OAuthError(f"the provider refused the authorization "
                             f"({quote_for_message(query['error'], 60)})", query["error"])
        try:
            params = parse_authorization_code_response(callback_url, pending.state)
        except MismatchingStateException:
            raise OAuthError("the callback's state does not match this authorization") from None
        except MissingCodeException:
            raise OAuthError("the callback holds no authorization code") from None
        if params.get("state") != pending.state:
            raise OAuthError("the callback's state does not match this authorization")
        body = prepare_token_request("authorization_code", code=params["code"],
                                     redirect_uri=pending.redirect_uri,
                                     code_verifier=pending.code_verifier)
        return self._token(self.connector.token_url, body, None, "authorization code exchange")

    # -- refresh and client credentials ----------------------------------------------

    def refresh(self, token: Token) -> Token:
        if self.connector.grant_type == "client_credentials" and not token.refresh_token:
            return self.client_credentials(previous=token)
        if not token.refresh_token:
            raise OAuthError("the connection has no refresh token", "no_refresh_token")
        body = prepare_token_request("refresh_token", refresh_token=token.refresh_token)
        return self._token(self.connector.effective_refresh_url, body, token, "token refresh")

    def can_renew(self, token: Token) -> bool:
        return bool(token.refresh_token) or self.connector.grant_type == "client_credentials"

    def client_credentials(self, previous: Token | None = None) -> Token:
        body = prepare_token_request("client_credentials", scope=self.connector.scope_text())
        return self._token(self.connector.token_url, body, previous, "client-credentials grant")

    # -- the token endpoint ----------------------------------------------------------

    def _token(self, url: str, body: str, previous: Token | None, what: str) -> Token:
        headers = {"Accept": "application/json", "Content-Type": FORM}
        url, headers, body = self._authenticate(url, headers, body)
        secrets = [self.credentials.client_secret,
                   *((previous.access_token, previous.refresh_token) if previous else ())]
        response = send(self.http, "POST", url, headers=headers, content=body.encode("utf-8"),
                        what=f"the token endpoint {origin_of(url)}", secrets=secrets)
        payload = _payload(response)
        error = payload.get("error") if isinstance(payload, dict) else None
        if response.status_code >= 400 or error:
            raise self._refusal(what, response.status_code, payload, secrets)
        return parse_token_response(payload, self.connector, self.clock(), previous)

    def _authenticate(self, url: str, headers: dict, body: str) -> tuple[str, dict, str]:
        creds = self.credentials
        if self.connector.token_auth_method == "client_secret_basic":
            # RFC 6749 §2.3.1: form-encode both parts before joining them.
            pair = f"{quote(creds.client_id, safe='')}:{quote(creds.client_secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
            return url, headers, body
        auth = ClientAuth(creds.client_id, creds.client_secret, "client_secret_post")
        return auth.prepare("POST", url, headers, body)

    @staticmethod
    def _refusal(what: str, status: int, payload: dict, secrets: list) -> OAuthError:
        error = payload.get("error")
        code = error if isinstance(error, str) else None
        detail = payload.get("error_description") or ""
        parts = [quote_for_message(p, 160) for p in (code, detail) if p]
        reason = ": ".join(parts) if parts else f"HTTP {status}"
        reason = redact(reason, secrets)
        return OAuthError(f"the authorization server refused the {what} ({reason})", code)


def _payload(response) -> dict[str, Any]:
    """The token endpoint's answer as a dict: JSON, or form-encoded as GitHub may send."""
    text = response.text
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        return data
    if "=" in text and "<" not in text:
        return dict(parse_qsl(text.strip()))
    if response.status_code >= 400:
        return {}
    raise OAuthError("the token endpoint's answer is neither JSON nor form data")
