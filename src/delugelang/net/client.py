"""HttpClient: the engine's one HTTP client; every hop is checked, pinned, timed and size-capped."""

from __future__ import annotations

import codecs
import re
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

import httpx

from ..errors import LimitError, ScriptError
from .body import BodyReader, BodyTooLarge, BodyUndecodable
from .policy import HttpPolicy, Target
from .transport import PinnedTransport, Route, active_route, make_ssl_context

OnRequest = Callable[[str, str], object]

METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
DEFAULT_HEADERS = {"User-Agent": "delugelang", "Accept": "*/*", "Accept-Encoding": "gzip, deflate"}
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_BAD_VALUE = re.compile(r"[\r\n\x00]")
_CHARSET = re.compile(r"charset\s*=\s*\"?([\w.:-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class HttpResponse:
    """A finished response. `headers` keeps names as received; for repeats the last one wins."""

    status_code: int
    headers: dict[str, str]
    content: bytes
    url: str
    elapsed_ms: float

    @cached_property
    def text(self) -> str:
        """The body decoded with the Content-Type charset (UTF-8 by default), never failing."""
        return self.content.decode(self.encoding, errors="replace")

    @property
    def encoding(self) -> str:
        content_type = next((v for k, v in self.headers.items() if k.lower() == "content-type"), "")
        match = _CHARSET.search(content_type)
        if match:
            try:
                return codecs.lookup(match.group(1)).name
            except LookupError:
                pass
        return "utf-8"


class _Budget:
    """One request's limits: the total deadline, the per-operation timeouts, the body size."""

    def __init__(self, policy: HttpPolicy, timeout: float | None, max_bytes: int | None = None):
        cap = policy.total_timeout if timeout is None else min(timeout, policy.total_timeout)
        self.max_bytes = policy.max_response_bytes if max_bytes is None else \
            min(max_bytes, policy.max_response_bytes)
        self.started = time.monotonic()
        self.total = cap
        self.read = policy.read_timeout if timeout is None else min(timeout, policy.read_timeout)
        self.connect = min(policy.connect_timeout, cap)
        self.deadline = self.started + cap

    def left(self) -> float:
        return max(self.deadline - time.monotonic(), 0.0)

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline

    def extension(self) -> dict[str, float]:
        return {"connect": self.connect, "read": self.read, "write": self.read, "pool": self.connect}

    def elapsed_ms(self) -> float:
        return (time.monotonic() - self.started) * 1000.0


class HttpClient:
    """The one HTTP client. Thread-safe; close() it or use it as a context manager.

    on_request(method, url) is called once per attempt, redirect hops included, before
    the host is looked up or connected to; raising from it (a budget) stops the request.
    """

    def __init__(self, policy: HttpPolicy | None = None, on_request: OnRequest | None = None, *,
                 max_connections: int = 20):
        self.policy = policy if policy is not None else HttpPolicy.from_env()
        self.on_request = on_request
        self._ssl_context: ssl.SSLContext = make_ssl_context(self.policy.verify)
        self._transport = PinnedTransport(self._ssl_context, max_connections=max_connections)
        self._lock = threading.Lock()
        self._calls = 0
        self._closed = False

    @property
    def calls(self) -> int:
        """How many request attempts (redirect hops included) this client has made."""
        return self._calls

    def close(self) -> None:
        self._closed = True
        self._transport.close()

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- the request loop -----------------------------------------------------------------

    def request(self, method: str, url: str, *, headers: Mapping[str, str] | None = None,
                params=None, content: bytes | str | None = None, data=None, json=None,
                files=None, timeout: float | None = None, max_bytes: int | None = None,
                follow_redirects: bool = True) -> HttpResponse:
        """Send one request, following up to `policy.max_redirects` redirects, each checked.

        `timeout` and `max_bytes` can only tighten the policy's limits for this request.
        """
        if self._closed:
            raise self.policy.error("the HTTP client is closed")
        budget = _Budget(self.policy, timeout, max_bytes)
        request = self._build(method, url, headers, params, content, data, json, files)
        route = Route(deadline=budget.deadline, check=self.policy.check_address)
        with active_route(route):
            return self._follow(request, route, budget, follow_redirects)

    def _follow(self, request: httpx.Request, route: Route, budget: _Budget,
                follow_redirects: bool) -> HttpResponse:
        redirects = 0
        while True:
            target, response = self._send(request, route, budget)
            location = response.headers.get("location")
            if not follow_redirects or response.status_code not in REDIRECTS or not location:
                return self._finish(response, request.url, target, budget)
            response.close()
            if redirects >= self.policy.max_redirects:
                raise self.policy.error(
                    f"too many redirects (more than {self.policy.max_redirects})")
            redirects += 1
            request = self._redirect(request, response.status_code, location)

    def _send(self, request: httpx.Request, route: Route,
              budget: _Budget) -> tuple[Target, httpx.Response]:
        target = self.policy.check_target(request.url)
        self._count(request)
        route.host, route.addresses = target.host, ()
        route.addresses = self.policy.addresses(target, timeout=budget.left())
        request.extensions["timeout"] = budget.extension()
        try:
            return target, self._transport.handle_request(request)
        except httpx.HTTPError as exc:
            raise self._failure(exc, target, budget) from None

    def _count(self, request: httpx.Request) -> None:
        with self._lock:
            self._calls += 1
        if self.on_request is not None:
            self.on_request(request.method, _shown_url(request.url))

    def _finish(self, response: httpx.Response, url: httpx.URL, target: Target,
                budget: _Budget) -> HttpResponse:
        try:
            body = self._read_body(response, target, budget)
        finally:
            response.close()
        return HttpResponse(
            status_code=response.status_code,
            headers={k.decode("latin-1"): v.decode("latin-1") for k, v in response.headers.raw},
            content=body, url=_shown_url(url), elapsed_ms=budget.elapsed_ms())

    def _read_body(self, response: httpx.Response, target: Target, budget: _Budget) -> bytes:
        cap = budget.max_bytes
        reader = BodyReader(response.headers.get("content-encoding", ""), cap)
        try:
            if _declared_length(response) > cap:
                raise BodyTooLarge
            for chunk in response.stream:
                reader.feed(chunk)
            return reader.finish()
        except BodyTooLarge:
            raise LimitError(limit="http_response_bytes", value=cap, message=(
                f"{self.policy.label}: the response from {target.host} is larger than "
                f"the {cap}-byte limit")) from None
        except BodyUndecodable:
            raise self.policy.error(
                f"the response from {target.host} could not be decompressed") from None
        except httpx.HTTPError as exc:
            raise self._failure(exc, target, budget) from None

    # -- building requests ----------------------------------------------------------------

    def _build(self, method, url, headers, params, content, data, json, files) -> httpx.Request:
        verb = str(method).upper()
        if verb not in METHODS:
            raise self.policy.error(f"unsupported request type {verb[:20]!r}")
        parsed = self.policy.parse_url(url, params)
        parsed = parsed.copy_with(username="", password="", fragment=None)
        header_list = _prepare_headers(self.policy, headers)
        if isinstance(content, str):
            content = content.encode("utf-8")
        try:
            request = httpx.Request(verb, parsed, headers=header_list, content=content,
                                    data=data, json=json, files=files)
            request.read()
        except (TypeError, ValueError, UnicodeError, httpx.HTTPError):
            raise self.policy.error("the request body could not be encoded") from None
        return request

    def _redirect(self, request: httpx.Request, status: int, location: str) -> httpx.Request:
        try:
            url = request.url.join(location).copy_with(username="", password="", fragment=None)
        except (httpx.InvalidURL, TypeError, ValueError, UnicodeError):
            raise self.policy.error("the server sent an invalid redirect") from None
        method = request.method
        if status == 303 and method != "HEAD" or status in (301, 302) and method == "POST":
            method = "GET"
        keep_body = method == request.method and status in (307, 308)
        headers = self._redirect_headers(request, url, keep_body)
        return httpx.Request(method, url, headers=headers,
                             content=request.content if keep_body else None)

    def _redirect_headers(self, request: httpx.Request, url: httpx.URL,
                          keep_body: bool) -> list[tuple[bytes, bytes]]:
        drop = {b"host", b"content-length", b"transfer-encoding"}
        if not keep_body:
            drop.add(b"content-type")
        if _origin(request.url) != _origin(url):
            drop.update(h.encode("latin-1") for h in self.policy.sensitive_headers)
        return [(k, v) for k, v in request.headers.raw if k.lower() not in drop]

    # -- errors ---------------------------------------------------------------------------

    def _failure(self, exc: httpx.HTTPError, target: Target, budget: _Budget) -> ScriptError:
        """A user-facing message for a transport failure: no exception names, no header values."""
        host = target.host
        if isinstance(exc, httpx.TimeoutException) or budget.expired():
            return self.policy.error(f"socket timeout error: {_timeout_text(exc, host, budget)}")
        if isinstance(exc, httpx.ConnectError):
            if _caused_by(exc, ssl.SSLError):
                return self.policy.error(
                    f"secure connection to {host} failed (TLS handshake or certificate)")
            return self.policy.error(f"could not connect to {host}")
        if isinstance(exc, httpx.LocalProtocolError):
            return self.policy.error("the request is not valid HTTP")
        if isinstance(exc, httpx.RemoteProtocolError):
            return self.policy.error(f"the server at {host} sent an invalid response")
        return self.policy.error(f"the connection to {host} failed")


def _timeout_text(exc: Exception, host: str, budget: _Budget) -> str:
    if budget.expired():
        return f"the request to {host} took longer than {_seconds(budget.total)}"
    if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        return f"could not connect to {host} within {_seconds(budget.connect)}"
    return f"no response from {host} within {_seconds(budget.read)}"


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _prepare_headers(policy: HttpPolicy, headers) -> list[tuple[str, bytes]]:
    """Check names and values (no header injection), drop Host, add defaults, UTF-8 values."""
    given: list[tuple[str, bytes]] = []
    pairs = headers.items() if hasattr(headers, "items") else (headers or ())
    for name, value in pairs:
        name = str(name)
        text = "" if value is None else str(value)
        if not _TOKEN.match(name):
            raise policy.error(f"invalid header name {name[:40]!r}")
        if _BAD_VALUE.search(text):
            raise policy.error(f"invalid value for header {name}")
        if name.lower() != "host":
            given.append((name, text.encode("utf-8")))
    present = {name.lower() for name, _ in given}
    defaults = [(k, v.encode()) for k, v in DEFAULT_HEADERS.items() if k.lower() not in present]
    return defaults + given


def _declared_length(response: httpx.Response) -> int:
    try:
        return int(response.headers.get("content-length", "0"))
    except ValueError:
        return 0


def _origin(url: httpx.URL) -> tuple[str, bytes, int | None]:
    scheme = url.scheme.lower()
    port = url.port or {"http": 80, "https": 443}.get(scheme)
    return (scheme, url.raw_host.lower(), port)


def _shown_url(url: httpx.URL) -> str:
    """The URL without user name and password, for callbacks and HttpResponse.url."""
    return str(url.copy_with(username="", password=""))


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
