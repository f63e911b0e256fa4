"""Access tokens on demand: refresh ahead of expiry, one refresh per connection across processes."""

from __future__ import annotations

import time

from delugelang.connectors.errors import AuthorizationRequired, OAuthError
from delugelang.connectors.oauth import OAuthClient, Token
from delugelang.connectors.storage import (
    AUTHORIZED,
    NEEDS_REAUTHORIZATION,
    ConnectionKey,
    ConnectionRecord,
    ConnectorState,
)

DEAD_GRANT = "invalid_grant"


class TokenManager:
    """Hands out a usable access token for a connection, refreshing when it must.

    A refresh takes the connection's lock (a thread lock plus flock on a file, so it
    holds across processes), then re-reads the stored token: if a sibling refreshed it
    meanwhile, that token is used and no second refresh is sent. The refreshed token set
    (including a rotated refresh token) is stored before the lock is released.
    """

    def __init__(self, store: ConnectorState, clock=time.time, lock_timeout: float = 60.0):
        self.store = store
        self.clock = clock
        self.lock_timeout = lock_timeout

    def token(self, key: ConnectionKey, client: OAuthClient) -> Token:
        """A token that is not within the connector's leeway of its expiry."""
        token = self._usable(key, self.store.connection(key))
        if not self._due(token, client):
            return token
        return self._refresh(key, client, stale=token, forced=False)

    def refresh_after_rejection(self, key: ConnectionKey, client: OAuthClient,
                                rejected: Token) -> Token:
        """A new token after the API answered 401 to `rejected` (or a sibling's newer one)."""
        return self._refresh(key, client, stale=rejected, forced=True)

    def refresh_now(self, key: ConnectionKey, client: OAuthClient) -> Token:
        token = self._usable(key, self.store.connection(key))
        return self._refresh(key, client, stale=token, forced=True)

    def save(self, key: ConnectionKey, token: Token) -> None:
        """Store a token from an authorization, under the same lock refreshes take."""
        with self.store.lock(key, self.lock_timeout):
            self.store.save_token(key, token)

    # -- internals -------------------------------------------------------------------

    def _due(self, token: Token, client: OAuthClient) -> bool:
        return token.expires_within(client.connector.refresh_leeway, self.clock())

    def _refresh(self, key: ConnectionKey, client: OAuthClient, *, stale: Token,
                 forced: bool) -> Token:
        with self.store.lock(key, self.lock_timeout):
            current = self._usable(key, self.store.connection(key))
            sibling_refreshed = current.access_token != stale.access_token
            if sibling_refreshed and not self._due(current, client):
                return current
            if not forced and not self._due(current, client):
                return current
            if not client.can_renew(current):
                raise self._dead(key, "its token expired or was rejected and it has no refresh token")
            fresh = self._redeem(key, client, current)
            self.store.save_token(key, fresh, refreshed=True)
            return fresh

    def _redeem(self, key: ConnectionKey, client: OAuthClient, current: Token) -> Token:
        try:
            return client.refresh(current)
        except OAuthError as exc:
            if exc.error != DEAD_GRANT:
                raise
        # A writer outside this lock (an authorization just finished) may have stored a
        # newer grant: use it rather than declaring the connection dead.
        latest = self.store.connection(key)
        if latest.status == AUTHORIZED and latest.token and \
                latest.token.refresh_token != current.refresh_token:
            return latest.token
        raise self._dead(key, "the provider rejected its refresh token (invalid_grant)")

    def _dead(self, key: ConnectionKey, reason: str) -> AuthorizationRequired:
        message = (f"connector {key.connector!r} needs re-authorization: {reason}; "
                   f"{key.authorize_hint()}")
        self.store.mark_needs_reauthorization(key, message)
        return AuthorizationRequired(message)

    @staticmethod
    def _usable(key: ConnectionKey, record: ConnectionRecord) -> Token:
        if record.status == NEEDS_REAUTHORIZATION:
            raise AuthorizationRequired(record.message or
                                        f"connector {key.connector!r} needs re-authorization; "
                                        f"{key.authorize_hint()}")
        if record.token is None:
            raise AuthorizationRequired(f"connector {key.connector!r} is not authorized yet; "
                                        f"{key.authorize_hint()}")
        return record.token
