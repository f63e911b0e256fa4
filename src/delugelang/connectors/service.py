"""The runtime side: `zoho.crm.invokeConnector`, `invokeurl ... connection:`, authorization flows."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import quote, urlsplit

from delugelang.connectors.errors import ConnectorError, DefinitionError
from delugelang.connectors.http import default_http, send
from delugelang.connectors.model import Api, Connector, origin_of, parse_api_id, redirect_path
from delugelang.connectors.oauth import OAuthClient, PendingAuthorization, Token
from delugelang.connectors.redact import quote_for_message, redact
from delugelang.connectors.registry import ConnectorRegistry, iso_time
from delugelang.connectors.storage import ConnectionKey
from delugelang.connectors.templating import RenderedRequest, render_request
from delugelang.connectors.tokens import TokenManager
from delugelang.state import StateStore

DEFAULT_AUTHORIZE_TIMEOUT = 300.0


@dataclass(frozen=True)
class ApiResult:
    """What an API call answered, with every token and secret masked."""

    status_code: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    def to_deluge(self) -> dict[str, str]:
        """Deluge's documented invokeConnector shape: status code and body, both text."""
        return {"status_code": str(self.status_code), "response": self.body}


class ConnectorService:
    """Runs connector APIs for scripts and hosts, inside one extension or the workspace default.

    `extension=None` is the workspace default: every published connector, each with its
    own client and connection. With an extension, only its connectors are reachable, and
    one that carries its own client id/secret uses its own connection.
    `http` is any object with `request(method, url, headers=, content=)`; it defaults to
    the guarded client of delugelang.net. `clock` returns epoch seconds.
    """

    def __init__(self, workspace_dir: str | os.PathLike, *, extension: str | None = None,
                 http=None, clock: Callable[[], float] = time.time,
                 state: StateStore | None = None):
        self.registry = ConnectorRegistry(workspace_dir, state=state, clock=clock)
        self.tokens = TokenManager(self.registry.state, clock)
        self.extension = self.registry.extension(extension) if extension else None
        self.clock = clock
        self._http = http
        self._handed_out: dict[ConnectionKey, Token] = {}
        self._seen_secrets: set[str] = set()
        self._guard = threading.Lock()

    @property
    def http(self):
        if self._http is None:
            self._http = default_http()
        return self._http

    # -- zoho.crm.invokeConnector ----------------------------------------------------

    def invoke(self, api_id: str, params: dict[str, Any]) -> dict[str, str]:
        """Run a published API; returns {"status_code": "200", "response": "<body text>"}.

        An HTTP error status is a normal return. An unknown, unpublished or out-of-
        extension API raises the same ConnectorError (no existence oracle).
        """
        if not isinstance(params, dict) or not all(isinstance(k, str) for k in params):
            raise ConnectorError("invokeConnector needs a map of values")
        connector, api, canonical = self._published_api(api_id)
        return self._call(connector, api, canonical, params).to_deluge()

    def execute(self, api_id: str, variables: dict[str, Any]) -> ApiResult:
        """Run an API as currently defined (draft or not), to validate it before publishing."""
        connector, api = self.registry.api(api_id)
        if self.extension and connector.name not in self.extension.connectors:
            raise ConnectorError(f"connector {connector.name!r} is not in extension "
                                 f"{self.extension.name!r}")
        return self._call(connector, api, f"{connector.name}.{api.name}", variables)

    def _published_api(self, api_id: str) -> tuple[Connector, Api, str]:
        denied = ConnectorError(f"connector API '{quote_for_message(api_id, 120)}' "
                                "does not exist or is not accessible")
        parsed = parse_api_id(api_id)
        connector = self.registry.definitions.find_connector(parsed[0]) if parsed else None
        if connector is None or not self._in_scope(connector.name):
            raise denied
        publication = self.registry.state.publication(connector.name, parsed[1])
        if publication is None:
            raise denied
        return connector, publication.api, f"{connector.name}.{parsed[1]}"

    def _in_scope(self, connector: str) -> bool:
        return self.extension is None or connector in self.extension.connectors

    def _call(self, connector: Connector, api: Api, api_id: str,
              variables: dict[str, Any]) -> ApiResult:
        request = render_request(api_id, api, variables)
        self._require_registered(connector, request.url, extra={api.origin})
        key, client = self._connection(connector)
        token = self.tokens.token(key, client)
        response = self._send(connector, request, token)
        if response.status_code == 401 and client.can_renew(token):
            token = self.tokens.refresh_after_rejection(key, client, token)
            response = self._send(connector, request, token)
        self._remember(token, client)
        return self._result(response)

    def _send(self, connector: Connector, request: RenderedRequest, token: Token):
        url, headers = with_token(connector, request.url, dict(request.headers), token)
        return send(self.http, request.method, url, headers=headers, content=request.content,
                    what=origin_of(request.url),
                    secrets=[token.access_token, token.refresh_token])

    def _result(self, response) -> ApiResult:
        secrets = self._secrets()
        headers = {k: redact(v, secrets) for k, v in dict(response.headers).items()}
        return ApiResult(response.status_code, headers, redact(response.text, secrets))

    # -- invokeurl ... connection: ---------------------------------------------------

    def authorize_request(self, connection_name: str, url: str, *,
                          after_401: bool = False) -> dict[str, str]:
        """Headers that authorize a request to `url` with the named connection.

        Refuses any host outside the connector's registered hosts, so a script cannot
        send the token elsewhere. With `after_401`, the token handed out last is
        refreshed first (once; siblings that already refreshed are reused).
        """
        connector = self._connection_connector(connection_name)
        try:
            self._require_registered(connector, url)
        except DefinitionError:
            raise ConnectorError("the URL is not a valid http(s) URL") from None
        if connector.token_placement != "header":
            raise ConnectorError(f"connection {connector.name!r} sends its token as a URL "
                                 "parameter, which invokeurl cannot use: call it through "
                                 "invokeConnector")
        key, client = self._connection(connector)
        if after_401:
            stale = self._handed_out.get(key) or self.tokens.token(key, client)
            token = self.tokens.refresh_after_rejection(key, client, stale)
        else:
            token = self.tokens.token(key, client)
        with self._guard:
            self._handed_out[key] = token
        self._remember(token, client)
        return {"Authorization": f"{connector.auth_scheme} {token.access_token}"}

    def redact(self, text: str) -> str:
        """`text` with every token or client secret this service has used masked."""
        return redact(text, self._secrets())

    def _connection_connector(self, name: str) -> Connector:
        denied = ConnectorError(f"connection '{quote_for_message(name, 60)}' "
                                "does not exist or is not accessible")
        connector = self.registry.definitions.find_connector(name) if isinstance(name, str) else None
        if connector is None or not self._in_scope(connector.name):
            raise denied
        return connector

    def _require_registered(self, connector: Connector, url: str, extra=frozenset()) -> None:
        allowed = connector.registered_origins() | set(extra)
        allowed |= {p.api.origin for p in self.registry.state.publications(connector.name).values()}
        if origin_of(url) not in allowed:
            raise ConnectorError(f"connection {connector.name!r} is not allowed for this host")

    # -- connections and authorization -----------------------------------------------

    def _connection(self, connector: Connector) -> tuple[ConnectionKey, OAuthClient]:
        key = self.connection_key(connector.name)
        creds = self.registry.client_credentials(key)
        return key, OAuthClient(connector, creds, self.http, self.clock)

    def connection_key(self, connector_name: str) -> ConnectionKey:
        extension = self.extension.name if self.extension else None
        return self.registry.connection_key(connector_name.lower(), extension)

    def begin_authorization(self, connector_name: str, redirect_uri: str) -> PendingAuthorization:
        """Start the authorization-code flow for a host that serves its own callback."""
        connector = self._authorizable(connector_name)
        return self._connection(connector)[1].begin(redirect_uri)

    def complete_authorization(self, connector_name: str, pending: PendingAuthorization,
                               callback_url: str) -> dict[str, Any]:
        """Check the callback against `pending`, exchange the code and store the tokens."""
        connector = self._authorizable(connector_name)
        key, client = self._connection(connector)
        self.tokens.save(key, client.complete(pending, callback_url))
        return self.token_status(connector.name)

    def authorize(self, connector_name: str, *, port: int | None = None,
                  timeout: float = DEFAULT_AUTHORIZE_TIMEOUT,
                  on_url: Callable[[str], None] | None = None) -> dict[str, Any]:
        """Authorize a connection end to end and return its token status.

        Authorization code: listen on 127.0.0.1 (the connector's redirect port unless
        `port` is given; 0 picks a free one), hand the URL to `on_url`, take exactly one
        callback, check `state`, exchange the code with the PKCE verifier and store the
        tokens. Client credentials: fetch a token directly.
        """
        connector = self.registry.connector(connector_name)
        key, client = self._connection(connector)
        if connector.grant_type == "client_credentials":
            self.tokens.save(key, client.client_credentials())
            return self.token_status(connector.name)
        from delugelang.connectors.loopback import LoopbackReceiver  # http.server: only here

        path = redirect_path(connector.name, key.extension or None)
        with LoopbackReceiver(path, connector.redirect_port if port is None else port) as receiver:
            pending = client.begin(receiver.redirect_uri)
            if on_url is not None:
                on_url(pending.url)

            def finish(callback_url: str) -> str:
                self.tokens.save(key, client.complete(pending, callback_url))
                return f"Connector {connector.name} is authorized. You can close this window."

            receiver.wait(timeout, finish)
        return self.token_status(connector.name)

    def fetch_client_credentials_token(self, connector_name: str) -> dict[str, Any]:
        """Run the client-credentials grant now and store the token."""
        connector = self.registry.connector(connector_name)
        key, client = self._connection(connector)
        self.tokens.save(key, client.client_credentials())
        return self.token_status(connector.name)

    def refresh(self, connector_name: str) -> dict[str, Any]:
        """Refresh the connection's token now (under the same lock as automatic refreshes)."""
        connector = self.registry.connector(connector_name)
        key, client = self._connection(connector)
        self.tokens.refresh_now(key, client)
        return self.token_status(connector.name)

    def token_status(self, connector_name: str) -> dict[str, Any]:
        """The connection's state without any token value."""
        connector = self.registry.connector(connector_name)
        key = self.connection_key(connector.name)
        record = self.registry.state.connection(key)
        token = record.token
        now = self.clock()
        return {
            "connector": connector.name, "extension": key.extension or None,
            "status": record.status, "message": record.message,
            "expires_at": iso_time(token.expires_at) if token else None,
            "expires_in": int(token.expires_at - now) if token and token.expires_at else None,
            "expiry_assumed": bool(token and token.expiry_assumed),
            "has_refresh_token": bool(token and token.refresh_token),
            "scope": token.scope if token else None,
            "obtained_at": iso_time(token.obtained_at) if token else None,
            "refresh_count": record.refresh_count,
        }

    def _authorizable(self, connector_name: str) -> Connector:
        connector = self.registry.connector(connector_name)
        if connector.grant_type != "authorization_code":
            raise ConnectorError(f"connector {connector.name!r} uses the client-credentials grant")
        return connector

    def _remember(self, token: Token, client: OAuthClient) -> None:
        with self._guard:
            self._seen_secrets.update(s for s in (token.access_token, token.refresh_token,
                                                  client.credentials.client_secret) if s)

    def _secrets(self) -> list[str]:
        with self._guard:
            return list(self._seen_secrets)


def with_token(connector: Connector, url: str, headers: dict[str, str],
               token: Token) -> tuple[str, dict[str, str]]:
    """Attach the access token where the connector says: a header, or a URL parameter."""
    if connector.token_placement == "header":
        headers["Authorization"] = f"{connector.auth_scheme} {token.access_token}"
        return url, headers
    separator = "&" if urlsplit(url).query else "?"
    pair = f"{quote(connector.token_param, safe='')}={quote(token.access_token, safe='')}"
    return f"{url}{separator}{pair}", headers
