"""Loopback HTTP(S) listeners for the net tests: they record every request that reaches them."""

from __future__ import annotations

import gzip
import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


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


def start_listener(host: str, tls: ssl.SSLContext | None = None,
                   keep_alive: bool = False) -> Listener:
    """Start a listener on `host` (a loopback address) on a free port."""
    server = ThreadingHTTPServer((host, 0), Handler, bind_and_activate=True)
    server.daemon_threads = True
    listener = Listener(host, server, scheme="https" if tls else "http")
    protocol = "HTTP/1.1" if keep_alive else "HTTP/1.0"
    server.RequestHandlerClass = type("BoundHandler", (Handler,),
                                      {"listener": listener, "protocol_version": protocol})
    if tls is not None:
        tls.sni_callback = lambda sock, name, ctx: listener.sni.append(name)
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return listener


def stop_listener(listener: Listener) -> None:
    listener.server.shutdown()
    listener.server.server_close()
