"""Connector, API and extension definitions: validated dataclasses that round-trip to JSON."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import urlsplit

from delugelang.connectors.errors import DefinitionError

NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,49}\Z")
NAME_RULE = "start with a lower-case letter and use only a-z, 0-9 and _ (50 at most)"
GRANT_TYPES = ("authorization_code", "client_credentials")
TOKEN_AUTH_METHODS = ("client_secret_post", "client_secret_basic")
TOKEN_PLACEMENTS = ("header", "query")
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
DEFAULT_REDIRECT_PORT = 8719
CALLBACK_PREFIX = "/oauth/callback/"
DEFAULT_EXPIRES_IN = 3600
DEFAULT_LEEWAY = 60
# Parameters the authorization request sets itself; a connector may not override them.
RESERVED_AUTH_PARAMS = frozenset({"response_type", "client_id", "redirect_uri", "scope", "state",
                                  "code_challenge", "code_challenge_method"})
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def check_name(name: str, what: str) -> str:
    """Return `name` lower-cased if it is a valid connector/API/extension name."""
    lowered = name.lower() if isinstance(name, str) else ""
    if not NAME_PATTERN.match(lowered):
        raise DefinitionError(f"{what} name {name!r} is invalid: {NAME_RULE}")
    return lowered


def parse_api_id(api_id: object) -> tuple[str, str] | None:
    """Split `<connector>.<api>` (any case) into two valid lower-case names, or None."""
    if not isinstance(api_id, str) or api_id.count(".") != 1:
        return None
    connector, api = api_id.lower().split(".")
    if NAME_PATTERN.match(connector) and NAME_PATTERN.match(api):
        return connector, api
    return None


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of an absolute http(s) URL, lower-cased, default port dropped."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise DefinitionError(f"{url!r} is not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        raise DefinitionError(f"{url!r} must be an http:// or https:// URL with a host")
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def template_origin(url_template: str) -> str:
    """The origin of an API URL template; its scheme, host and port must be literal."""
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)", url_template or "")
    if not match:
        raise DefinitionError("an API URL must start with http:// or https://")
    if "$" in match.group(2) or "@" in match.group(2):
        raise DefinitionError("an API URL's host must be written out: no ${...} or user@ "
                              "before the path")
    return origin_of(match.group(0))


def redirect_path(connector: str, extension: str | None = None) -> str:
    return CALLBACK_PREFIX + (f"{extension}/{connector}" if extension else connector)


def redirect_url(connector: str, extension: str | None = None,
                 port: int = DEFAULT_REDIRECT_PORT) -> str:
    """The loopback redirect URL (RFC 8252) to register with the provider."""
    return f"http://127.0.0.1:{port}{redirect_path(connector, extension)}"


def _str_map(value: Any, what: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                              for k, v in value.items()):
        raise DefinitionError(f"{what} must map text to text")
    return dict(value)


def _check_header_templates(headers: dict[str, str]) -> None:
    for name, value in headers.items():
        if not _HEADER_NAME.match(name):
            raise DefinitionError(f"header name {name!r} is invalid")
        if name.lower() == "authorization":
            raise DefinitionError("an API may not set Authorization: its connection sends the token")
        if any(ch in value for ch in "\r\n\x00"):
            raise DefinitionError(f"header {name!r} contains a line break")


@dataclass
class Api:
    """One request template of a connector; its id is `<connector>.<name>`."""

    name: str
    method: str = "GET"
    url: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    content_type: str | None = None
    description: str = ""

    def validated(self) -> "Api":
        method = (self.method or "").upper()
        if method not in HTTP_METHODS:
            raise DefinitionError(f"method {self.method!r} is not one of {', '.join(HTTP_METHODS)}")
        headers = _str_map(self.headers, "headers")
        _check_header_templates(headers)
        template_origin(self.url)
        if self.content_type is not None and any(ch in self.content_type for ch in "\r\n"):
            raise DefinitionError("the content type contains a line break")
        return replace(self, name=check_name(self.name, "API"), method=method, headers=headers,
                       params=_str_map(self.params, "params"))

    @property
    def origin(self) -> str:
        return template_origin(self.url)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "method": self.method,
                "url": self.url, "headers": dict(self.headers), "params": dict(self.params),
                "content_type": self.content_type, "body": self.body}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Api":
        return _from_dict(cls, data, "API").validated()


@dataclass
class Connector:
    """A third-party service reached over OAuth 2.0, with its APIs. Holds no secret."""

    name: str
    description: str = ""
    grant_type: str = "authorization_code"
    authorize_url: str | None = None
    token_url: str = ""
    refresh_url: str | None = None
    scopes: list[str] = field(default_factory=list)
    scope_separator: str = " "
    auth_params: dict[str, str] = field(default_factory=dict)
    token_auth_method: str = "client_secret_post"
    pkce: bool = True
    token_placement: str = "header"
    auth_scheme: str = "Bearer"
    token_param: str = "access_token"
    hosts: list[str] = field(default_factory=list)
    default_expires_in: int = DEFAULT_EXPIRES_IN
    refresh_leeway: int = DEFAULT_LEEWAY
    redirect_port: int = DEFAULT_REDIRECT_PORT
    apis: list[Api] = field(default_factory=list)

    def validated(self) -> "Connector":
        self._check_choices()
        self._check_urls()
        self._check_numbers()
        auth_params = _str_map(self.auth_params, "authorization parameters")
        reserved = sorted(RESERVED_AUTH_PARAMS & set(auth_params))
        if reserved:
            raise DefinitionError(f"authorization parameter {reserved[0]!r} is set by the flow itself")
        if not isinstance(self.scopes, list) or not all(isinstance(s, str) and s for s in self.scopes):
            raise DefinitionError("scopes must be a list of non-empty text")
        apis = [api.validated() for api in self.apis]
        names = [api.name for api in apis]
        if len(set(names)) != len(names):
            raise DefinitionError(f"connector {self.name!r} defines an API twice")
        return replace(self, name=check_name(self.name, "connector"), auth_params=auth_params,
                       hosts=sorted({origin_of(h) for h in self.hosts}), apis=apis)

    def _check_choices(self) -> None:
        for value, allowed, what in ((self.grant_type, GRANT_TYPES, "grant type"),
                                     (self.token_auth_method, TOKEN_AUTH_METHODS,
                                      "token endpoint authentication"),
                                     (self.token_placement, TOKEN_PLACEMENTS, "token placement")):
            if value not in allowed:
                raise DefinitionError(f"{what} {value!r} is not one of {', '.join(allowed)}")
        if not isinstance(self.pkce, bool):
            raise DefinitionError("pkce must be true or false")
        if not self.auth_scheme or not _HEADER_NAME.match(self.auth_scheme):
            raise DefinitionError(f"authorization scheme {self.auth_scheme!r} is invalid")
        if not self.token_param or any(ch in self.token_param for ch in "&=#? \r\n"):
            raise DefinitionError(f"token parameter name {self.token_param!r} is invalid")

    def _check_urls(self) -> None:
        if not self.token_url:
            raise DefinitionError("a connector needs a token URL (token_url)")
        origin_of(self.token_url)
        if self.refresh_url:
            origin_of(self.refresh_url)
        if self.grant_type == "authorization_code":
            if not self.authorize_url:
                raise DefinitionError("the authorization-code grant needs an authorization URL")
            origin_of(self.authorize_url)

    def _check_numbers(self) -> None:
        for value, what in ((self.default_expires_in, "default token lifetime"),
                            (self.refresh_leeway, "refresh leeway")):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise DefinitionError(f"the {what} must be a whole number of seconds, 0 or more")
        port = self.redirect_port
        if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
            raise DefinitionError("the redirect port must be between 1 and 65535")

    def api(self, name: str) -> Api | None:
        name = name.lower()
        return next((api for api in self.apis if api.name == name), None)

    def registered_origins(self) -> set[str]:
        """Where this connector's token may go: its APIs' origins plus its declared hosts."""
        return {api.origin for api in self.apis} | set(self.hosts)

    def scope_text(self) -> str | None:
        return self.scope_separator.join(self.scopes) if self.scopes else None

    @property
    def effective_refresh_url(self) -> str:
        return self.refresh_url or self.token_url

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "apis"}
        data["scopes"], data["hosts"] = list(self.scopes), list(self.hosts)
        data["auth_params"] = dict(self.auth_params)
        data["apis"] = [api.to_dict() for api in self.apis]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Connector":
        if not isinstance(data, dict):
            raise DefinitionError("a connector definition must be a JSON object")
        data = dict(data)
        apis = data.pop("apis", None) or []
        if not isinstance(apis, list) or not all(isinstance(a, dict) for a in apis):
            raise DefinitionError("apis must be a list of objects")
        connector = _from_dict(cls, data, "connector")
        connector.apis = [Api.from_dict(a) for a in apis]
        return connector.validated()


@dataclass
class Extension:
    """A bundle of published connectors that functions run inside."""

    name: str
    description: str = ""
    connectors: list[str] = field(default_factory=list)

    def validated(self) -> "Extension":
        if not isinstance(self.connectors, list):
            raise DefinitionError("an extension's connectors must be a list of names")
        names = [check_name(n, "connector") for n in self.connectors]
        return replace(self, name=check_name(self.name, "extension"),
                       connectors=list(dict.fromkeys(names)))

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description,
                "connectors": list(self.connectors)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Extension":
        return _from_dict(cls, data, "extension").validated()


def _article(word: str) -> str:
    return "an" if word[0].lower() in "aeiou" else "a"


def _from_dict(cls, data: dict[str, Any], what: str):
    if not isinstance(data, dict):
        raise DefinitionError(f"{_article(what)} {what} definition must be a JSON object")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise DefinitionError(f"unknown {what} field {unknown[0]!r}")
    if "name" not in data:
        raise DefinitionError(f"{_article(what)} {what} definition needs a name")
    try:
        return cls(**data)
    except TypeError:
        raise DefinitionError(f"{_article(what)} {what} definition has a field of the wrong "
                              f"type") from None
