"""The `invokeurl` task over the guarded HTTP client, with `connection:` tokens from connectors.

    response = invokeurl
    [
        url: "https://api.example.com/v1/orders"
        type: POST                       // GET (default), POST, PUT, PATCH, DELETE
        parameters: {"status": "open"}   // query string for GET/DELETE, form data otherwise
        body: "..."                      // TEXT or KEY-VALUE; not together with parameters
        headers: {"X-Api-Key": key}
        content-type: "application/json"
        connection: "crm_conn"           // a connector: its OAuth token is applied
        detailed: true                   // {responseCode, responseText, responseHeader}
    ];

Without `detailed: true` the result is the response text, converted to a map or list when
it is JSON (reference §9.1). An HTTP error status is a normal result, never an error.
"""

from __future__ import annotations

import json

from .errors import LimitError, ScriptError
from .values import to_json_text, to_text

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
_QUERY_METHODS = {"GET", "DELETE", "HEAD", "OPTIONS"}


class HttpTaskService:
    """Runs `invokeurl` for scripts. `client` is a delugelang.net.HttpClient (or anything
    with its `request` method); `connectors` is a ConnectorService for `connection:`."""

    def __init__(self, client=None, connectors=None, *, make_client=None):
        self._client = client
        self._make_client = make_client
        self.connectors = connectors

    @property
    def client(self):
        """The HTTP client, created on first use so that runs without HTTP never import it."""
        if self._client is None:
            if self._make_client is None:
                raise ScriptError("invokeurl: no HTTP service is configured for this run")
            self._client = self._make_client()
        return self._client

    @classmethod
    def from_env(cls, limits, connectors=None) -> "HttpTaskService":
        """The guarded client with DG_ALLOW_HOSTS / DG_RESOLVE and the run's HTTP limits."""
        def make():
            from .net import HttpClient, HttpPolicy
            return HttpClient(HttpPolicy.from_env(read_timeout=limits.http_timeout_seconds,
                                                  max_response_bytes=limits.http_response_bytes))
        return cls(connectors=connectors, make_client=make)

    def run_task(self, rt, name: str, params: dict):
        if name != "invokeurl":
            raise ScriptError(f"{name} is not supported by this host")
        request = build_request(params)
        if params.get("connection") is not None:
            return self._with_connection(rt, request, params)
        return self._respond(self._send(rt, request), request["detailed"])

    def _send(self, rt, request: dict, extra_headers: dict | None = None):
        _count_call(rt)
        headers = dict(request["headers"])
        headers.update(extra_headers or {})
        return self.client.request(request["method"], request["url"], headers=headers,
                                   params=request["query"], content=request["content"],
                                   data=request["form"], timeout=rt.limits.http_timeout_seconds,
                                   max_bytes=rt.limits.http_response_bytes)

    def _with_connection(self, rt, request: dict, params: dict):
        if self.connectors is None:
            raise ScriptError("invokeurl: connection is not available on this host "
                              "(run with a workspace that defines connectors)")
        name = params["connection"]
        if type(name) is not str:
            raise ScriptError("invokeurl: connection must be the connection's name as TEXT")
        auth = self._authorize(name, request["url"])
        response = self._send(rt, request, auth)
        if response.status_code == 401:
            # A rejected token is refreshed once and the call retried once (DESIGN.md).
            auth = self._authorize(name, request["url"], after_401=True)
            response = self._send(rt, request, auth)
        return self._respond(response, request["detailed"], self.connectors.redact)

    def _authorize(self, name: str, url: str, after_401: bool = False) -> dict:
        """The connection's Authorization header; its errors are worded as invokeurl's."""
        try:
            return self.connectors.authorize_request(name, url, after_401=after_401)
        except ScriptError as exc:
            raise type(exc)(f"invokeurl: {exc.message}") from None

    @staticmethod
    def _respond(response, detailed: bool, redact=None):
        text = response.text
        headers = dict(response.headers)
        if redact is not None:
            text = redact(text)
            headers = {k: redact(v) for k, v in headers.items()}
        if detailed:
            return {"responseCode": response.status_code, "responseText": text,
                    "responseHeader": headers}
        return json_or_text(text)


def json_or_text(text: str):
    """Response text as a map or list when it is JSON, else the text itself."""
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


def _count_call(rt) -> None:
    rt.http_calls += 1
    if rt.http_calls > rt.limits.http_calls:
        n = rt.limits.http_calls
        raise LimitError("http_calls", n, f"more than {n} HTTP calls (limit 'http_calls' = {n})")


def build_request(params: dict) -> dict:
    """The HTTP request an invokeurl block describes; refuses what it cannot send."""
    url = params.get("url")
    if type(url) is not str or not url:
        raise ScriptError("invokeurl: url must be a non-empty TEXT")
    method = str(params.get("type") or "GET").upper()
    if method not in METHODS:
        raise ScriptError(f"invokeurl: type must be one of {', '.join(sorted(METHODS))}, "
                          f"not {method}")
    if params.get("files") is not None:
        raise ScriptError("invokeurl: files: uploads are not supported by delugelang yet")
    if str(params.get("response-format") or params.get("response format") or "").upper() == "FILE":
        raise ScriptError("invokeurl: response-format: FILE is not supported by delugelang yet")
    if params.get("body") is not None and params.get("parameters") is not None:
        raise ScriptError("invokeurl: give either body or parameters, not both")
    headers = _headers(params.get("headers"))
    content_type = params.get("content-type") or params.get("content type")
    if content_type is not None:
        headers["Content-Type"] = to_text(content_type)
    query, form, content = _payload(method, params, headers)
    return {"method": method, "url": url, "headers": headers, "query": query, "form": form,
            "content": content, "detailed": params.get("detailed") is True}


def _headers(value) -> dict:
    if value is None:
        return {}
    if type(value) is not dict:
        raise ScriptError("invokeurl: headers must be a KEY-VALUE map")
    out = {}
    for k, v in value.items():
        name, text = to_text(k), to_text(v)
        if any(c in name + text for c in "\r\n\x00"):
            raise ScriptError(f"invokeurl: header {name!r} holds a line break, which is not allowed")
        out[name] = text
    return out


def _payload(method: str, params: dict, headers: dict):
    """(query params, form fields, raw body) for the parameters/body keys."""
    parameters = params.get("parameters")
    body = params.get("body")
    if parameters is not None:
        fields = _fields(parameters)
        if method in _QUERY_METHODS:
            return fields, None, None
        if isinstance(fields, str):
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
            return None, None, fields.encode()
        return None, fields, None
    if body is None:
        return None, None, None
    if type(body) is dict:
        content_type = _content_type(headers)
        if "json" in content_type:
            return None, None, to_json_text(body).encode()
        return None, _fields(body), None
    text = to_text(body)
    headers.setdefault("Content-Type", "text/plain; charset=utf-8")
    return None, None, text.encode("utf-8", "surrogatepass")


def _content_type(headers: dict) -> str:
    return next((v for k, v in headers.items() if k.lower() == "content-type"), "").lower()


def _fields(value):
    if type(value) is str:
        return value
    if type(value) is not dict:
        raise ScriptError("invokeurl: parameters must be a KEY-VALUE map or TEXT")
    return {to_text(k): to_text(v) for k, v in value.items()}
