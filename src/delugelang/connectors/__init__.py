"""Connectors backed by OAuth 2.0: definitions, authorization, token refresh, and invokeConnector."""

from delugelang.connectors.errors import (
    AuthorizationRequired,
    ConnectorError,
    DefinitionError,
    NotFoundError,
    OAuthError,
    TemplateError,
)
from delugelang.connectors.model import Api, Connector, Extension, redirect_url
from delugelang.connectors.oauth import ClientCredentials, OAuthClient, PendingAuthorization, Token
from delugelang.connectors.registry import ConnectorRegistry
from delugelang.connectors.service import ApiResult, ConnectorService

__all__ = [
    "Api", "ApiResult", "AuthorizationRequired", "ClientCredentials", "Connector",
    "ConnectorError", "ConnectorRegistry", "ConnectorService", "DefinitionError", "Extension",
    "NotFoundError", "OAuthClient", "OAuthError", "PendingAuthorization", "TemplateError",
    "Token", "redirect_url",
]
