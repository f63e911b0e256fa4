"""OAuth 2.0 against the authlib-based provider double: code + PKCE, refresh, rotation, failures."""

from __future__ import annotations

import time

import pytest
from connector_helpers import authorize, browse, define_crm

from delugelang.connectors import (
    AuthorizationRequired,
    ConnectorRegistry,
    OAuthError,
)
from delugelang.connectors.storage import ConnectionKey


def test_authorization_code_flow_with_pkce_and_state(provider, workspace, service_factory):
    define_crm(workspace, provider)
    status = authorize(service_factory())
    assert status["status"] == "authorized" and status["has_refresh_token"]
    assert provider.counters.code == 1
    form = provider.counters.token_requests[-1]["form"]
    assert form["code_verifier"] and form["redirect_uri"].startswith("http://127.0.0.1:")
    assert form["client_secret"] == provider.client.secret  # client_secret_post


def test_callback_with_wrong_state_is_refused(provider, workspace, service_factory):
    define_crm(workspace, provider)
    service = service_factory()

    def forge(url):
        redirect = url.split("redirect_uri=")[1].split("&")[0]
        from urllib.parse import unquote
        browse(unquote(redirect) + "?code=stolen&state=forged")

    with pytest.raises(OAuthError, match="state does not match"):
        service.authorize("crm", port=0, timeout=10, on_url=forge)
    assert provider.counters.code == 0
    assert service.token_status("crm")["status"] == "not_authorized"


def test_authorize_times_out_without_callback(provider, workspace, service_factory):
    define_crm(workspace, provider)
    with pytest.raises(Exception, match="no authorization callback arrived"):
        service_factory().authorize("crm", port=0, timeout=0.3)


def test_expired_token_is_refreshed_once_and_rotation_saved(provider, workspace, service_factory):
    define_crm(workspace, provider)
    ConnectorRegistry(workspace).publish_api("crm.me")
    provider.knobs.expires_in = 30  # inside the 60 s leeway: due at once
    service = service_factory()
    authorize(service)
    first = service.registry.state.connection(ConnectionKey("crm")).token
    provider.knobs.expires_in = 3600
    assert service.invoke("crm.me", {})["status_code"] == "200"
    assert service.invoke("CRM.ME", {})["status_code"] == "200"
    assert provider.counters.refresh == 1
    stored = service.registry.state.connection(ConnectionKey("crm")).token
    assert stored.refresh_token != first.refresh_token
    assert provider.live_refresh_tokens() == [stored.refresh_token]


def test_refresh_without_new_refresh_token_keeps_the_old_one(provider, workspace, service_factory):
    define_crm(workspace, provider)
    service = service_factory()
    authorize(service)
    old = service.registry.state.connection(ConnectionKey("crm")).token.refresh_token
    provider.knobs.rotate = False
    service.refresh("crm")
    assert service.registry.state.connection(ConnectionKey("crm")).token.refresh_token == old


def test_401_refreshes_once_and_retries_once(provider, workspace, service_factory):
    define_crm(workspace, provider)
    service = service_factory()
    authorize(service)
    provider.revoke_access_tokens()
    assert service.execute("crm.me", {}).status_code == 200
    assert (provider.counters.refresh, provider.counters.api) == (1, 2)
    provider.knobs.api_scheme = "Other"  # every call is now refused
    result = service.execute("crm.me", {})
    assert result.status_code == 401  # an HTTP error is a normal result
    assert (provider.counters.refresh, provider.counters.api) == (2, 4)


def test_replayed_refresh_token_needs_reauthorization(provider, workspace, service_factory):
    define_crm(workspace, provider)
    service = service_factory()
    authorize(service)
    key = ConnectionKey("crm")
    old = service.registry.state.connection(key).token
    service.refresh("crm")  # rotates: the old refresh token is now dead
    service.registry.state.save_token(key, old)  # e.g. a state backup restored
    provider.revoke_access_tokens()
    with pytest.raises(AuthorizationRequired, match="needs re-authorization.*invalid_grant"):
        service.execute("crm.me", {})
    status = service.token_status("crm")
    assert status["status"] == "needs_reauthorization"
    refreshes = provider.counters.refresh
    with pytest.raises(AuthorizationRequired, match="dg connector authorize crm"):
        service.execute("crm.me", {})
    assert provider.counters.refresh == refreshes  # no more calls to a dead grant
    authorize(service)
    assert service.execute("crm.me", {}).status_code == 200


def test_missing_expires_in_policy(provider, workspace, service_factory):
    define_crm(workspace, provider, default_expires_in=1800)
    provider.knobs.expires_in = None
    service = service_factory()
    status = authorize(service)
    assert status["expiry_assumed"] and 1790 <= status["expires_in"] <= 1800
    token = service.registry.state.connection(ConnectionKey("crm")).token
    assert token.lifetime == 1800


def test_missing_expires_in_without_refresh_token_is_non_expiring(provider, workspace,
                                                                 service_factory):
    define_crm(workspace, provider)
    provider.knobs.expires_in = None
    service = service_factory()
    authorize(service)
    key = ConnectionKey("crm")
    token = service.registry.state.connection(key).token
    from dataclasses import replace
    service.registry.state.save_token(key, replace(token, refresh_token=None, expires_at=None,
                                                   lifetime=None, expiry_assumed=False))
    late = service_factory(clock=lambda: time.time() + 10 * 86400)
    assert late.execute("crm.me", {}).status_code == 200
    assert provider.counters.refresh == 0


def test_client_secret_basic_and_form_encoded_token_response(provider, workspace, service_factory):
    provider.client.auth_method = "client_secret_basic"
    provider.knobs.form_encoded = True
    define_crm(workspace, provider, token_auth_method="client_secret_basic")
    service = service_factory()
    assert authorize(service)["status"] == "authorized"
    request = provider.counters.token_requests[-1]
    assert request["authorization"].startswith("Basic ")
    assert "client_secret" not in request["form"]
    assert service.execute("crm.me", {}).status_code == 200


def test_wrong_client_secret_is_a_clear_error_without_the_secret(provider, workspace,
                                                                 service_factory):
    define_crm(workspace, provider)
    ConnectorRegistry(workspace).set_credentials("crm", provider.client.client_id, "WRONG-SECRET-1234")
    with pytest.raises(OAuthError) as info:
        authorize(service_factory())
    assert "invalid_client" in info.value.message
    assert "WRONG-SECRET-1234" not in info.value.message


def test_client_credentials_grant_and_zoho_scheme(provider, workspace, service_factory):
    provider.knobs.api_scheme = "Zoho-oauthtoken"
    define_crm(workspace, provider, grant_type="client_credentials", authorize_url=None,
               auth_scheme="Zoho-oauthtoken")
    service = service_factory()
    status = service.authorize("crm")
    assert status["status"] == "authorized" and not status["has_refresh_token"]
    assert provider.counters.client_credentials == 1
    assert service.execute("crm.me", {}).status_code == 200
    provider.revoke_access_tokens()  # a 401 re-runs the client-credentials grant
    assert service.execute("crm.me", {}).status_code == 200
    assert provider.counters.client_credentials == 2


def test_extra_authorization_params_and_scope_separator(provider, workspace, service_factory):
    define_crm(workspace, provider, auth_params={"access_type": "offline", "prompt": "consent"},
               scope_separator=",")
    urls = []
    service = service_factory()
    service.authorize("crm", port=0, timeout=10,
                      on_url=lambda url: (urls.append(url), browse(url)))
    assert "access_type=offline" in urls[0] and "prompt=consent" in urls[0]
    assert "scope=contacts%2Cprofile" in urls[0]


def test_denied_consent_is_a_clear_error(provider, workspace, service_factory):
    define_crm(workspace, provider)
    service = service_factory()

    def deny(url):
        from urllib.parse import parse_qs, urlsplit
        query = parse_qs(urlsplit(url).query)
        browse(f"{query['redirect_uri'][0]}?error=access_denied&state={query['state'][0]}")

    with pytest.raises(OAuthError, match="refused the authorization .access_denied"):
        service.authorize("crm", port=0, timeout=10, on_url=deny)


def test_token_in_query_parameter(provider, workspace, service_factory):
    from delugelang.connectors import Api
    define_crm(workspace, provider, token_placement="query", token_param="auth_token")
    ConnectorRegistry(workspace).add_api("crm", Api(name="echo",
                                                    url=f"{provider.base}/api/echo?x=1"))
    service = service_factory()
    authorize(service)
    result = service.execute("crm.echo", {})
    assert '"auth_token":"********"' in result.body and '"x":"1"' in result.body
    assert "Authorization" not in result.body
