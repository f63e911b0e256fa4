"""ConnectorService: invokeConnector's shape, no existence oracle, host binding, extensions."""

from __future__ import annotations

import pytest
from connector_helpers import authorize, define_crm

import delugelang
from delugelang import ScriptError, Services
from delugelang.connectors import Api, ConnectorError, ConnectorRegistry, ConnectorService
from delugelang.connectors.storage import ConnectionKey


@pytest.fixture
def crm(provider, workspace, service_factory):
    define_crm(workspace, provider)
    registry = ConnectorRegistry(workspace)
    registry.add_api("crm", Api(name="echo", url=f"{provider.base}/api/echo?v=${{v}}"))
    registry.publish_api("crm.me")
    registry.publish_api("crm.echo")
    service = service_factory()
    authorize(service)
    return service


def test_invoke_returns_status_and_body_as_text(crm):
    result = crm.invoke("crm.me", {})
    assert result == {"status_code": "200",
                      "response": '{"email":"alice@example.test","sub":"alice"}\n'}


def test_unknown_unpublished_and_foreign_apis_fail_identically(crm, workspace):
    ConnectorRegistry(workspace).create_extension("sales")
    messages = set()
    for api_id, service in [("crm.nothing", crm), ("nope.me", crm), ("crm.contacts", crm),
                            ("../tenantB/crm.me", crm), ("tenantB:crm.me", crm), ("crm", crm),
                            ("crm.me", ConnectorService(workspace, extension="sales",
                                                        http=crm.http))]:
        with pytest.raises(ConnectorError) as info:
            service.invoke(api_id, {})
        messages.add(info.value.message.replace(api_id, "ID"))
    assert messages == {"connector API 'ID' does not exist or is not accessible"}


def test_tokens_echoed_by_an_api_are_masked(crm, provider):
    result = crm.invoke("crm.echo", {"v": "1"})
    token = crm.registry.state.connection(ConnectionKey("crm")).token.access_token
    assert token not in result["response"]
    assert "Bearer ********" in result["response"]


def test_authorize_request_binds_the_token_to_registered_hosts(crm, provider):
    headers = crm.authorize_request("crm", f"{provider.base}/api/me")
    assert headers["Authorization"].startswith("Bearer ")
    for url in ("https://attacker.test/collect", "http://127.0.0.2:1/api/me",
                provider.base.replace("127.0.0.1", "localhost") + "/api/me"):
        with pytest.raises(ConnectorError, match="not allowed for this host"):
            crm.authorize_request("crm", url)
    for name in ("nope", "../tenantB/crm", "tenantB:crm"):
        with pytest.raises(ConnectorError, match="does not exist or is not accessible"):
            crm.authorize_request(name, f"{provider.base}/api/me")


def test_authorize_request_after_401_refreshes_once(crm, provider):
    first = crm.authorize_request("crm", f"{provider.base}/api/me")
    second = crm.authorize_request("crm", f"{provider.base}/api/me", after_401=True)
    assert first != second and provider.counters.refresh == 1
    assert crm.redact(f"echo {second['Authorization']}") == "echo Bearer ********"


def test_extension_with_its_own_client_uses_its_own_connection(crm, workspace, provider):
    registry = ConnectorRegistry(workspace)
    registry.create_extension("sales")
    with pytest.raises(ConnectorError, match="not in extension"):
        registry.set_credentials("crm", "x", "y", extension="sales")
    url = registry.add_to_extension("sales", "crm", None)
    assert url == "http://127.0.0.1:8719/oauth/callback/crm"  # shares the connector's client
    inside = ConnectorService(workspace, extension="sales", http=crm.http)
    assert inside.invoke("crm.me", {})["status_code"] == "200"
    from delugelang.connectors import ClientCredentials
    url = registry.add_to_extension("sales", "crm", ClientCredentials(provider.client.client_id,
                                                                      provider.client.secret))
    assert url == "http://127.0.0.1:8719/oauth/callback/sales/crm"
    inside = ConnectorService(workspace, extension="sales", http=crm.http)
    with pytest.raises(ConnectorError, match="not authorized yet.*--extension sales"):
        inside.invoke("crm.me", {})
    authorize(inside)
    assert inside.invoke("crm.me", {})["status_code"] == "200"
    assert inside.connection_key("crm") == ConnectionKey("crm", "sales")


def test_only_published_connectors_join_extensions(provider, workspace):
    define_crm(workspace, provider)
    registry = ConnectorRegistry(workspace)
    registry.create_extension("sales")
    with pytest.raises(ConnectorError, match="not published"):
        registry.add_to_extension("sales", "crm")
    assert registry.publish_api("crm.me") is True  # the first API publishes the connector
    assert registry.publish_api("crm.contacts") is False
    registry.add_to_extension("sales", "crm")


def test_publish_freezes_the_api_until_published_again(crm, workspace, provider):
    registry = ConnectorRegistry(workspace)
    registry.update_api("crm.me", url=f"{provider.base}/api/echo")
    assert registry.describe_api("crm.me")["status"] == "published (draft changes)"
    assert '"sub":"alice"' in crm.invoke("crm.me", {})["response"]  # still the published one
    assert "headers" in crm.execute("crm.me", {}).body  # execute runs the draft
    registry.publish_api("crm.me")
    assert "headers" in crm.invoke("crm.me", {})["response"]


def test_a_deluge_script_calls_the_connector(crm):
    program = delugelang.compile(
        'resp = zoho.crm.invokeConnector("CRM.Me", Map());\n'
        'info resp.get("status_code");\n'
        'info resp.get("response").toMap().get("sub");\n'
        'return resp;')
    result = program.run({}, services=Services(connectors=crm))
    assert list(result.info) == ["200", "alice"]


@pytest.mark.parametrize("values, ok", [("{}", True), ('{"v": 1}', True), ("Map()", True),
                                        ("{1, 2}", False), ('"text"', False)])
def test_invoke_connector_takes_a_map_or_an_empty_collection(crm, values, ok):
    program = delugelang.compile(f'return zoho.crm.invokeConnector("crm.me", {values})'
                                 '.get("status_code");')
    if ok:
        assert program.run({}, services=Services(connectors=crm)).value == "200"
    else:
        with pytest.raises(ScriptError, match="KEY-VALUE map|cannot be used as a map"):
            program.run({}, services=Services(connectors=crm))


def test_transport_errors_are_plain_and_hold_no_token(crm, workspace, provider):
    registry = ConnectorRegistry(workspace)
    registry.update_connector("crm", token_placement="query")
    registry.add_api("crm", Api(name="down", url="http://127.0.0.1:9/x"))
    with pytest.raises(ScriptError, match="could not connect") as info:
        crm.execute("crm.down", {})
    token = crm.registry.state.connection(ConnectionKey("crm")).token.access_token
    assert token not in info.value.message
    assert "Error" not in info.value.message and "Traceback" not in info.value.message
