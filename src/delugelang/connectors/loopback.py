"""A one-shot HTTP server on 127.0.0.1 that receives the OAuth redirect (RFC 8252)."""

from __future__ import annotations

import html
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Callable
from urllib.parse import urlsplit

from delugelang.connectors.errors import ConnectorError
from delugelang.errors import DelugeError

LOOPBACK = "127.0.0.1"


class _Server(HTTPServer):
    allow_reuse_address = False  # never share the port with another listener


class LoopbackReceiver:
    """Listens on 127.0.0.1 for exactly one request to `path`, the authorization callback.

    Use it as a context manager: entering binds the port (0 picks a free one), so
    `redirect_uri` is known before the authorization URL is built.
    """

    def __init__(self, path: str, port: int = 0):
        self.path = path
        self.requested_port = port
        self._server: HTTPServer | None = None

    def __enter__(self) -> "LoopbackReceiver":
        try:
            self._server = _Server((LOOPBACK, self.requested_port), self._handler_class())
        except OSError:
            raise ConnectorError(f"cannot listen on {LOOPBACK}:{self.requested_port} "
                                 "(is the port in use? pass another with --port)") from None
        return self

    def __exit__(self, *exc) -> None:
        if self._server is not None:
            self._server.server_close()
            self._server = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def redirect_uri(self) -> str:
        return f"http://{LOOPBACK}:{self.port}{self.path}"

    def wait(self, timeout: float, on_callback: Callable[[str], str]):
        """Serve until the callback arrives; `on_callback(url)` handles it (may raise).

        Requests to other paths get 404 and do not count. Returns what on_callback
        returned, or re-raises its error after showing it on the browser page.
        """
        server = self._server
        server.outcome = None
        server.on_callback = on_callback
        server.redirect_uri = self.redirect_uri
        deadline = time.monotonic() + timeout
        while server.outcome is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ConnectorError(f"no authorization callback arrived within {timeout:g} seconds")
            server.timeout = remaining
            server.handle_request()
        ok, value = server.outcome
        if not ok:
            raise value
        return value

    def _handler_class(self):
        path = self.path

        class Handler(BaseHTTPRequestHandler):
            timeout = 10  # a client that connects and sends nothing must not stall the wait

            def do_GET(self):  # noqa: N802 (http.server's naming)
                if urlsplit(self.path).path != path:
                    self._reply(404, "Not found.")
                    return
                url = self.server.redirect_uri + self.path[len(path):]
                try:
                    message = self.server.on_callback(url)
                    self.server.outcome = (True, message)
                    self._reply(200, message)
                except DelugeError as exc:
                    self.server.outcome = (False, exc)
                    self._reply(400, f"Authorization failed: {exc.message}")

            def _reply(self, status: int, text: str) -> None:
                page = (f"<!doctype html><title>delugelang</title><p>{html.escape(text)}</p>"
                        ).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):  # the query holds the code: never log it
                pass

        return Handler
