"""Fixtures for the HTTP client tests: loopback listeners that record what reaches them."""

from __future__ import annotations

import gzip
import ipaddress
import json
import socket
import ssl
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

try:
    import delugelang.net  # noqa: F401
except ImportError:  # running from a checkout that is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from delugelang.net import HttpClient, HttpPolicy  # noqa: E402


@dataclass
class Seen:
    """One request as a listener received it."""

    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes
    local_address: str

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


@dataclass
class Listener:
    """A threaded HTTP(S) server on one loopback address that records every request."""

    host: str
    server: ThreadingHTTPServer
    scheme: str = "http"
    seen: list[Seen] = field(default_factory=list)
    sni: list[str | None] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str = "/", host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"


_BOMB: dict[str, bytes] = {}


def gzip_bomb() -> bytes:
    """About 200 KB of gzip that inflates to 200 MB of zeros (built once per session)."""
    if "bomb" not in _BOMB:
        _BOMB["bomb"] = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)
    return _BOMB["bomb"]


class Handler(BaseHTTPRequestHandler):
    """Routes: /ok /echo /redirect?to=&code= /chain?n= /slow?s= /drip /bomb /big?n= /headers."""

    listener: Listener  # set on the per-server subclass

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        local = self.connection.getsockname()[0]
        self.listener.seen.append(Seen(self.command, self.path, list(self.headers.items()), body,
                                       local))
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        route = getattr(self, "route_" + parts.path.strip("/").replace("-", "_"), self.route_ok)
        try:
            route(query)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch

    def _reply(self, status: int, body: bytes, headers: list[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def route_ok(self, query) -> None:
        self._reply(200, b"ok", [("Content-Type", "text/plain; charset=utf-8")])

    def route_echo(self, query) -> None:
        seen = self.listener.seen[-1]
        payload = {"method": seen.method, "path": seen.path, "headers": seen.headers,
                   "body": seen.body.decode("latin-1"), "local": seen.local_address}
        self._reply(200, json.dumps(payload).encode(), [("Content-Type", "application/json")])

    def route_redirect(self, query) -> None:
        self._reply(int(query.get("code", 302)), b"", [("Location", query["to"])])

    def route_chain(self, query) -> None:
        n = int(query["n"])
        if n <= 0:
            self._reply(200, b"done")
        else:
            self._reply(302, b"", [("Location", f"/chain?n={n - 1}")])

    def route_slow(self, query) -> None:
        time.sleep(float(query.get("s", 2)))
        self._reply(200, b"late")

    def route_drip(self, query) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        for _ in range(100):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.1)

    def route_bomb(self, query) -> None:
        self._reply(200, gzip_bomb(), [("Content-Encoding", "gzip")])

    def route_corrupt(self, query) -> None:
        self._reply(200, b"this is not gzip", [("Content-Encoding", "gzip")])

    def route_gzip(self, query) -> None:
        self._reply(200, gzip.compress(b"hello " * 10), [("Content-Encoding", "gzip")])

    def route_big(self, query) -> None:
        n = int(query.get("n", 0))
        if query.get("declared") == "no":  # HTTP/1.0: the body runs until the server closes
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"a" * n)
        else:
            self._reply(200, b"a" * n)

    def route_headers(self, query) -> None:
        self._reply(200, b"", [("X-Dup", "first"), ("X-Dup", "second"), ("X-Mixed-Case", "yes")])


def start_listener(host: str, tls: ssl.SSLContext | None = None) -> Listener:
    """Start a listener on `host` (a loopback address) on a free port."""
    server = ThreadingHTTPServer((host, 0), Handler, bind_and_activate=True)
    server.daemon_threads = True
    listener = Listener(host, server, scheme="https" if tls else "http")
    server.RequestHandlerClass = type("BoundHandler", (Handler,), {"listener": listener})
    if tls is not None:
        tls.sni_callback = lambda sock, name, ctx: listener.sni.append(name)
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return listener


def stop_listener(listener: Listener) -> None:
    listener.server.shutdown()
    listener.server.server_close()


@pytest.fixture
def loopback():
    """The forbidden listener on 127.0.0.1: any request it records is an SSRF bug."""
    listener = start_listener("127.0.0.1")
    yield listener
    stop_listener(listener)


@pytest.fixture
def allowed():
    """The allowlisted listener on 127.0.0.2 (public.test and api.example.test point here)."""
    listener = start_listener("127.0.0.2")
    yield listener
    stop_listener(listener)


RESOLVE = {
    "public.test": "127.0.0.2",
    "api.example.test": "127.0.0.2",
    "loopback-alias.test": "127.0.0.1",
    "imds.test": "169.254.169.254",
    "imds6.test": "fd00:ec2::254",
    "private.test": "10.0.0.5",
    "cgnat.test": "100.64.0.1",
    "mapped.test": "::ffff:127.0.0.1",
}


@pytest.fixture
def env(monkeypatch):
    """DG_ALLOW_HOSTS / DG_RESOLVE as the design's tests use them: only 127.0.0.2 is allowed."""
    monkeypatch.setenv("DG_ALLOW_HOSTS", "127.0.0.2")
    monkeypatch.setenv("DG_RESOLVE", ",".join(f"{k}={v}" for k, v in RESOLVE.items()))


@pytest.fixture
def client(env):
    """A client with test-friendly timeouts; its policy comes from the environment."""
    with HttpClient(HttpPolicy.from_env(connect_timeout=2.0, read_timeout=5.0,
                                        total_timeout=10.0)) as made:
        yield made


@pytest.fixture
def connects(monkeypatch):
    """Every address any socket in this process tries to connect to."""
    attempts: list = []
    original = socket.socket.connect

    def spy(sock, address):
        attempts.append(address)
        return original(sock, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    return attempts


@pytest.fixture(autouse=True)
def no_real_dns(monkeypatch):
    """Tests never reach the internet: a name lookup that gets to the system resolver fails."""
    original = socket.getaddrinfo
    names: list[str] = []

    def guarded(host, *args, **kwargs):
        try:
            ipaddress.ip_address(str(host).split("%")[0])
        except ValueError:
            names.append(host)
            raise socket.gaierror(socket.EAI_NONAME, "name lookups are disabled in tests")
        return original(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    return names
