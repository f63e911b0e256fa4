"""An httpx transport that connects only to the addresses the guard checked (no second lookup).

The client puts a `Route` (host, checked addresses, deadline) in a context variable for
the duration of one request. The network backend refuses any connection the route does
not name, dials the checked IP itself, and lets httpcore keep the host name for the Host
header and for TLS (SNI and certificate checks). Every socket operation is clamped to the
request's total deadline, so a slow drip cannot outlive it.
"""

from __future__ import annotations

import contextlib
import os
import ssl
import time
import typing
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

import httpcore
import httpx

from .addresses import IPAddress


@dataclass
class Route:
    """The one host a request may connect to right now, its checked addresses, the deadline."""

    deadline: float  # time.monotonic() value
    check: Callable[[str, IPAddress], None]  # raises if an address is not allowed
    host: str = ""
    addresses: tuple[IPAddress, ...] = field(default_factory=tuple)

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def clamp(self, timeout: float | None, expired: type[Exception]) -> float:
        """`timeout` cut to the time left; raises `expired` once the deadline has passed."""
        left = self.remaining()
        if left <= 0:
            raise expired("the request's total time limit was reached")
        return left if timeout is None else min(timeout, left)


_ROUTE: ContextVar[Route | None] = ContextVar("delugelang_http_route", default=None)


@contextlib.contextmanager
def active_route(route: Route) -> Iterator[Route]:
    """Make `route` the one the backend consults in this thread (or task) while inside."""
    token = _ROUTE.set(route)
    try:
        yield route
    finally:
        _ROUTE.reset(token)


def _clamp(timeout: float | None, expired: type[Exception]) -> float | None:
    route = _ROUTE.get()
    return timeout if route is None else route.clamp(timeout, expired)


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read, write and TLS handshake respects the deadline."""

    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class PinnedBackend(httpcore.NetworkBackend):
    """Dials the route's checked addresses instead of looking the host name up again."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: typing.Iterable | None = None) -> httpcore.NetworkStream:
        route = _ROUTE.get()
        if route is None or host.lower() != route.host or not route.addresses:
            raise httpcore.ConnectError("no checked address for this host")
        failure: Exception | None = None
        for ip in route.addresses:
            route.check(host, ip)  # defence in depth: the address was checked already
            wait = route.clamp(timeout, httpcore.ConnectTimeout)
            try:
                stream = self._inner.connect_tcp(str(ip), port, wait, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
                continue
            return DeadlineStream(stream)
        raise failure or httpcore.ConnectError("could not connect")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: typing.Iterable | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


# httpcore -> httpx exception types, most specific first (as httpx's own transport maps them).
_EXCEPTIONS: tuple[tuple[type[Exception], type[Exception]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _httpx_exceptions() -> Iterator[None]:
    try:
        yield
    except tuple(core for core, _ in _EXCEPTIONS) as exc:
        mapped = next(ours for core, ours in _EXCEPTIONS if isinstance(exc, core))
        raise mapped(str(exc)) from exc


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, stream: typing.Iterable[bytes]):
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_exceptions():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class PinnedTransport(httpx.BaseTransport):
    """httpx transport over an httpcore pool whose backend is `PinnedBackend`. Thread-safe."""

    def __init__(self, ssl_context: ssl.SSLContext, max_connections: int = 20,
                 keepalive_expiry: float = 5.0):
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, max_connections=max_connections,
            max_keepalive_connections=max_connections, keepalive_expiry=keepalive_expiry,
            http1=True, http2=False, retries=0, network_backend=PinnedBackend())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                             port=request.url.port, target=request.url.raw_path),
            headers=request.headers.raw, content=request.stream, extensions=request.extensions)
        with _httpx_exceptions():
            response = self._pool.handle_request(core_request)
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_ResponseStream(response.stream),
                              extensions=response.extensions)

    def close(self) -> None:
        self._pool.close()


def make_ssl_context(verify: bool | str | ssl.SSLContext) -> ssl.SSLContext:
    """The TLS context for `HttpPolicy.verify`: certifi's bundle, none, a CA path, or as given."""
    if isinstance(verify, ssl.SSLContext):
        return verify
    if isinstance(verify, str):
        if os.path.isdir(verify):
            return ssl.create_default_context(capath=verify)
        return ssl.create_default_context(cafile=verify)
    return httpx.create_ssl_context(verify=bool(verify), trust_env=False)
