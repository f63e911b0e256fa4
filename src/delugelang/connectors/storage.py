"""The connectors' tables in the workspace state: client credentials, connections, publish state."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from delugelang.connectors.model import Api
from delugelang.connectors.oauth import ClientCredentials, Token
from delugelang.state import StateStore

COMPONENT = "connectors"
MIGRATIONS = (
    (
        """CREATE TABLE connection (
               extension TEXT NOT NULL,
               connector TEXT NOT NULL,
               status TEXT NOT NULL,
               message TEXT,
               token BLOB,
               expires_at REAL,
               refresh_count INTEGER NOT NULL DEFAULT 0,
               updated_at REAL NOT NULL,
               PRIMARY KEY (extension, connector)
           )""",
        """CREATE TABLE api_publish (
               connector TEXT NOT NULL,
               api TEXT NOT NULL,
               definition TEXT NOT NULL,
               published_at REAL NOT NULL,
               PRIMARY KEY (connector, api)
           )""",
    ),
)

AUTHORIZED = "authorized"
NEEDS_REAUTHORIZATION = "needs_reauthorization"
NOT_AUTHORIZED = "not_authorized"


@dataclass(frozen=True)
class ConnectionKey:
    """Whose token: a connector, inside an extension that has its own client (or "")."""

    connector: str
    extension: str = ""

    @property
    def lock_name(self) -> str:
        return f"connection-{self.extension}-{self.connector}"

    def authorize_hint(self) -> str:
        ext = f" --extension {self.extension}" if self.extension else ""
        return f"run `dg connector authorize {self.connector}{ext}`"


@dataclass(frozen=True)
class ConnectionRecord:
    status: str
    token: Token | None = None
    message: str | None = None
    refresh_count: int = 0
    updated_at: float | None = None


@dataclass(frozen=True)
class Publication:
    api: Api
    published_at: float


class ConnectorState:
    """Typed access to the connector tables; tokens and secrets are sealed by StateStore."""

    def __init__(self, state: StateStore, clock=time.time):
        self.state = state
        self.clock = clock
        state.ensure_schema(COMPONENT, MIGRATIONS)

    # -- client credentials ----------------------------------------------------------

    @staticmethod
    def _client_scope(connector: str, extension: str) -> str:
        return f"connectors/client/{extension}/{connector}"

    def set_credentials(self, connector: str, creds: ClientCredentials, extension: str = "") -> None:
        scope = self._client_scope(connector, extension)
        self.state.put_secret(scope, "client_id", creds.client_id)
        self.state.put_secret(scope, "client_secret", creds.client_secret)

    def credentials(self, connector: str, extension: str = "") -> ClientCredentials | None:
        scope = self._client_scope(connector, extension)
        client_id = self.state.get_secret(scope, "client_id")
        secret = self.state.get_secret(scope, "client_secret")
        if client_id is None or secret is None:
            return None
        return ClientCredentials(client_id, secret)

    def delete_credentials(self, connector: str, extension: str = "") -> None:
        self.state.delete_secrets(self._client_scope(connector, extension))

    # -- connections (tokens) --------------------------------------------------------

    def lock(self, key: ConnectionKey, timeout: float = 60.0):
        return self.state.lock(key.lock_name, timeout)

    @staticmethod
    def _token_context(key: ConnectionKey) -> str:
        return f"token\x00{key.extension}\x00{key.connector}"

    def connection(self, key: ConnectionKey) -> ConnectionRecord:
        with self.state.transaction() as conn:
            row = conn.execute("SELECT * FROM connection WHERE extension = ? AND connector = ?",
                               (key.extension, key.connector)).fetchone()
        if row is None:
            return ConnectionRecord(NOT_AUTHORIZED)
        token = None
        if row["token"] is not None:
            token = Token.from_json(self.state.unseal(row["token"], self._token_context(key)))
        return ConnectionRecord(row["status"], token, row["message"], row["refresh_count"],
                                row["updated_at"])

    def save_token(self, key: ConnectionKey, token: Token, *, refreshed: bool = False) -> None:
        blob = self.state.seal(token.to_json(), self._token_context(key))
        with self.state.transaction(write=True) as conn:
            conn.execute(
                "INSERT INTO connection (extension, connector, status, message, token, expires_at,"
                " refresh_count, updated_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?)"
                " ON CONFLICT(extension, connector) DO UPDATE SET status = excluded.status,"
                " message = NULL, token = excluded.token, expires_at = excluded.expires_at,"
                " refresh_count = connection.refresh_count + ?, updated_at = excluded.updated_at",
                (key.extension, key.connector, AUTHORIZED, blob, token.expires_at,
                 int(refreshed), self.clock(), int(refreshed)))

    def mark_needs_reauthorization(self, key: ConnectionKey, message: str) -> None:
        with self.state.transaction(write=True) as conn:
            conn.execute("UPDATE connection SET status = ?, message = ?, token = NULL,"
                         " expires_at = NULL, updated_at = ? WHERE extension = ? AND connector = ?",
                         (NEEDS_REAUTHORIZATION, message, self.clock(), key.extension, key.connector))

    def delete_connections(self, connector: str, extension: str | None = None) -> None:
        with self.state.transaction(write=True) as conn:
            if extension is None:
                conn.execute("DELETE FROM connection WHERE connector = ?", (connector,))
            else:
                conn.execute("DELETE FROM connection WHERE connector = ? AND extension = ?",
                             (connector, extension))

    # -- publish state ---------------------------------------------------------------

    def publish(self, connector: str, api: Api) -> None:
        with self.state.transaction(write=True) as conn:
            conn.execute("INSERT INTO api_publish (connector, api, definition, published_at)"
                         " VALUES (?, ?, ?, ?) ON CONFLICT(connector, api) DO UPDATE SET"
                         " definition = excluded.definition, published_at = excluded.published_at",
                         (connector, api.name, json.dumps(api.to_dict()), self.clock()))

    def publication(self, connector: str, api: str) -> Publication | None:
        with self.state.transaction() as conn:
            row = conn.execute("SELECT definition, published_at FROM api_publish"
                               " WHERE connector = ? AND api = ?", (connector, api)).fetchone()
        if row is None:
            return None
        return Publication(Api.from_dict(json.loads(row["definition"])), row["published_at"])

    def publications(self, connector: str) -> dict[str, Publication]:
        with self.state.transaction() as conn:
            rows = conn.execute("SELECT api, definition, published_at FROM api_publish"
                                " WHERE connector = ?", (connector,)).fetchall()
        return {row["api"]: Publication(Api.from_dict(json.loads(row["definition"])),
                                        row["published_at"]) for row in rows}

    def unpublish(self, connector: str, api: str | None = None) -> None:
        with self.state.transaction(write=True) as conn:
            if api is None:
                conn.execute("DELETE FROM api_publish WHERE connector = ?", (connector,))
            else:
                conn.execute("DELETE FROM api_publish WHERE connector = ? AND api = ?",
                             (connector, api))
