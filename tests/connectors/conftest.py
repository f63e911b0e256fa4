"""Fixtures for the connector tests: the provider double, a workspace, the guarded HTTP client."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from connector_helpers import TEST_KEY  # noqa: E402
from provider_double import ProviderDouble  # noqa: E402

from delugelang.net import HttpClient, HttpPolicy  # noqa: E402


@pytest.fixture
def provider():
    with ProviderDouble() as double:
        yield double


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("DG_SECRET_KEY", TEST_KEY)
    monkeypatch.setenv("DG_ALLOW_HOSTS", "127.0.0.1")
    monkeypatch.delenv("DG_CLIENT_SECRET", raising=False)
    return tmp_path / "ws"


@pytest.fixture
def http():
    with HttpClient(HttpPolicy.from_env(allow_hosts=("127.0.0.1",))) as client:
        yield client


@pytest.fixture
def service_factory(workspace, http):
    from delugelang.connectors import ConnectorService

    def make(**kwargs):
        return ConnectorService(workspace, http=http, **kwargs)
    return make
