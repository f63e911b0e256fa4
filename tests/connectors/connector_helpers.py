"""Helpers shared by the connector tests: a connector for the provider double, a browser stand-in."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx

from delugelang.connectors import Api, Connector, ConnectorRegistry

TEST_KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"


def define_crm(workspace: Path, provider, name: str = "crm", **fields) -> Connector:
    """A connector to the provider double with a `me` and a `contacts` API, credentials set."""
    registry = ConnectorRegistry(workspace)
    settings = {"authorize_url": f"{provider.base}/authorize",
                "token_url": f"{provider.base}/token", "scopes": ["contacts", "profile"], **fields}
    connector = registry.create_connector(Connector(name=name, **settings))
    registry.add_api(name, Api(name="me", url=f"{provider.base}/api/me"))
    registry.add_api(name, Api(name="contacts", method="POST",
                               url=f"{provider.base}/api/contacts?owner=${{owner}}",
                               body="<entry><title>${Name}</title></entry>",
                               content_type="application/atom+xml"))
    registry.set_credentials(name, provider.client.client_id, provider.client.secret)
    return connector


def browse(url: str) -> threading.Thread:
    """Act as the user's browser: open the URL and follow redirects to the loopback callback."""
    def run():
        with httpx.Client(follow_redirects=True, timeout=10) as browser:
            browser.get(url)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def authorize(service, name: str = "crm") -> dict:
    """Run the authorization-code flow with a browser stand-in; returns the token status."""
    browsers = []
    status = service.authorize(name, port=0, timeout=10,
                               on_url=lambda url: browsers.append(browse(url)))
    for thread in browsers:
        thread.join(5)
    return status
