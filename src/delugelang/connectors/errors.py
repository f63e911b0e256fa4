"""User-facing errors of the connector registry; all are Deluge runtime errors a script can catch."""

from __future__ import annotations

from delugelang.errors import ScriptError


class ConnectorError(ScriptError):
    """A connector operation failed. The message never holds a secret or a token."""


class DefinitionError(ConnectorError):
    """A connector, API or extension definition (or the input for one) is invalid."""


class NotFoundError(ConnectorError):
    """A named connector, API or extension does not exist (management commands only)."""


class TemplateError(ConnectorError):
    """The variables given to an API do not fit its `${var}` template."""


class AuthorizationRequired(ConnectorError):
    """The connection has no usable token: authorize (again) first."""


class OAuthError(ConnectorError):
    """The authorization server refused or failed a request.

    `error` holds the OAuth error code (`invalid_grant`, ...) when the server sent one.
    """

    def __init__(self, message: str, error: str | None = None):
        super().__init__(message)
        self.error = error
