"""Fixtures for the HTTP client tests: loopback listeners that record what reaches them."""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path

import pytest

try:
    import delugelang.net  # noqa: F401
except ImportError:  # running from a checkout that is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from delugelang.net import HttpClient, HttpPolicy  # noqa: E402
from .net_servers import start_listener, stop_listener  # noqa: E402


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
