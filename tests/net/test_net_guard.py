"""The SSRF guard end to end: refusals happen before any connection, redirects included."""

from __future__ import annotations

import pytest

from delugelang.errors import ScriptError
from delugelang.net import HttpClient, HttpPolicy


def refused(client: HttpClient, url: str, **kwargs) -> str:
    with pytest.raises(ScriptError) as info:
        client.request("GET", url, **kwargs)
    return info.value.message


BLOCKED_HOSTS = [
    ("127.0.0.1", "127.0.0.1 is a loopback address"),
    ("loopback-alias.test", "loopback-alias.test resolves to 127.0.0.1, a loopback address"),
    ("mapped.test", "a loopback address (IPv4-mapped 127.0.0.1)"),
    ("[::ffff:127.0.0.1]", "a loopback address (IPv4-mapped 127.0.0.1)"),
    ("2130706433", "2130706433 is 127.0.0.1, a loopback address"),
    ("0x7f000001", "0x7f000001 is 127.0.0.1, a loopback address"),
    ("0177.0.0.1", "0177.0.0.1 is 127.0.0.1, a loopback address"),
    ("017700000001", "017700000001 is 127.0.0.1, a loopback address"),
    ("127.1", "127.1 is 127.0.0.1, a loopback address"),
    ("127.0.0.1.", "127.0.0.1. is 127.0.0.1, a loopback address"),
    ("public.test@127.0.0.1", "127.0.0.1 is a loopback address"),
    ("localhost", "localhost is a loopback host name"),
    ("0.0.0.0", "0.0.0.0 is an unspecified address"),
    ("[::]", ":: is an unspecified address"),
    ("[::1]", "::1 is a loopback address"),
    ("imds.test", "imds.test resolves to 169.254.169.254, a cloud metadata address"),
    ("imds6.test", "imds6.test resolves to fd00:ec2::254, a cloud metadata address"),
    ("169.254.169.254", "169.254.169.254 is a cloud metadata address"),
    ("[fd00:ec2::254]", "fd00:ec2::254 is a cloud metadata address"),
    ("metadata.google.internal", "metadata.google.internal is a cloud metadata host name"),
    ("private.test", "private.test resolves to 10.0.0.5, a private address"),
    ("10.0.0.5", "10.0.0.5 is a private address"),
    ("192.168.1.1", "192.168.1.1 is a private address"),
    ("cgnat.test", "a shared (carrier-grade NAT) address"),
    ("169.254.10.10", "a link-local address"),
    ("[fe80::1]", "a link-local address"),
    ("[fc00::1]", "a unique local (private) address"),
    ("224.0.0.1", "a multicast address"),
    ("240.0.0.1", "a reserved address"),
]


@pytest.mark.parametrize("host, expected", BLOCKED_HOSTS)
def test_blocked_destination_never_connects(client, loopback, connects, no_real_dns, host, expected):
    message = refused(client, f"http://{host}:{loopback.port}/admin")
    assert message.startswith("invokeurl: destination not allowed: ")
    assert expected in message
    assert loopback.seen == []
    assert connects == []
    assert no_real_dns == []


@pytest.mark.parametrize("url", ["gopher://127.0.0.1:{port}/_FLUSHALL", "file:///etc/passwd",
                                 "ftp://public.test:{port}/", "ws://public.test:{port}/"])
def test_other_schemes_are_refused(client, loopback, connects, url):
    message = refused(client, url.format(port=loopback.port))
    assert "destination not allowed" in message and "scheme is not supported" in message
    assert loopback.seen == [] and connects == []


def test_on_request_is_not_charged_for_a_refused_url(env, loopback):
    calls = []
    with HttpClient(HttpPolicy.from_env(), on_request=lambda m, u: calls.append(u)) as client:
        refused(client, f"http://127.0.0.1:{loopback.port}/")
    assert calls == [] and client.calls == 0


def test_redirect_to_loopback_is_refused_before_connecting(client, allowed, loopback, connects):
    target = loopback.url("/admin")
    message = refused(client, allowed.url(f"/redirect?to={target}", host="public.test"))
    assert message == "invokeurl: destination not allowed: 127.0.0.1 is a loopback address"
    assert [s.path.split("?")[0] for s in allowed.seen] == ["/redirect"]
    assert loopback.seen == []
    assert all(address[0] == "127.0.0.2" for address in connects)


@pytest.mark.parametrize("location", [
    "http://loopback-alias.test:{port}/", "http://2130706433:{port}/",
    "http://[::ffff:7f00:1]:{port}/", "gopher://127.0.0.1:{port}/_x",
    "http://169.254.169.254/latest/", "http://public.test@127.0.0.1:{port}/",
])
def test_every_redirect_hop_is_checked(client, allowed, loopback, location):
    to = location.format(port=loopback.port)
    message = refused(client, allowed.url(f"/redirect?code=307&to={to}"))
    assert "destination not allowed" in message
    assert loopback.seen == []


def test_relative_redirect_chain_within_the_limit(client, allowed):
    response = client.request("GET", allowed.url("/chain?n=5", host="public.test"))
    assert (response.status_code, response.content) == (200, b"done")
    assert response.url.endswith("/chain?n=0")
    assert len(allowed.seen) == 6


def test_too_many_redirects(client, allowed):
    message = refused(client, allowed.url("/chain?n=6", host="public.test"))
    assert message == "invokeurl: too many redirects (more than 5)"
    assert len(allowed.seen) == 6


def test_redirect_limit_is_configurable(env, allowed):
    with HttpClient(HttpPolicy.from_env(max_redirects=1)) as client:
        assert client.request("GET", allowed.url("/chain?n=1")).content == b"done"
        assert "more than 1" in refused(client, allowed.url("/chain?n=2"))
    with HttpClient(HttpPolicy.from_env(max_redirects=0)) as client:
        assert "more than 0" in refused(client, allowed.url("/chain?n=1"))


def test_redirects_can_be_returned_instead_of_followed(client, allowed):
    response = client.request("GET", allowed.url("/redirect?to=http://127.0.0.1/"),
                              follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"] == "http://127.0.0.1/"


def test_on_request_counts_every_hop(env, allowed):
    calls = []
    policy = HttpPolicy.from_env()
    with HttpClient(policy, on_request=lambda method, url: calls.append((method, url))) as client:
        client.request("GET", allowed.url("/chain?n=2", host="public.test"))
    assert [method for method, _ in calls] == ["GET"] * 3
    assert calls[0][1] == allowed.url("/chain?n=2", host="public.test")
    assert calls[-1][1].endswith("/chain?n=0")
    assert client.calls == 3


def test_on_request_can_stop_a_request_before_it_is_sent(env, allowed):
    class Budget(Exception):
        pass

    def charge(method, url):
        raise Budget

    with HttpClient(HttpPolicy.from_env(), on_request=charge) as client:
        with pytest.raises(Budget):
            client.request("GET", allowed.url("/ok"))
    assert allowed.seen == []


def test_authorization_is_dropped_on_cross_origin_redirects(client, allowed):
    echo = allowed.url("/echo", host="api.example.test")
    response = client.request("GET", allowed.url(f"/redirect?to={echo}", host="public.test"),
                              headers={"Authorization": "Bearer TEST-ACCESS-TOKEN-9f3b",
                                       "Cookie": "s=1", "X-Trace": "kept"})
    seen = allowed.seen[-1]
    assert seen.header("Host") == f"api.example.test:{allowed.port}"
    assert seen.header("Authorization") is None and seen.header("Cookie") is None
    assert seen.header("X-Trace") == "kept"
    assert "TEST-ACCESS-TOKEN" not in response.text


def test_authorization_is_kept_on_same_origin_redirects(client, allowed):
    response = client.request("GET", allowed.url("/redirect?to=/echo", host="public.test"),
                              headers={"Authorization": "Bearer same-origin"})
    assert response.status_code == 200
    assert allowed.seen[-1].header("Authorization") == "Bearer same-origin"


def test_303_becomes_get_and_307_keeps_the_body(client, allowed):
    client.request("POST", allowed.url("/redirect?code=303&to=/echo"), content=b"payload")
    assert (allowed.seen[-1].method, allowed.seen[-1].body) == ("GET", b"")
    client.request("POST", allowed.url("/redirect?code=307&to=/echo"), content=b"payload",
                   headers={"Content-Type": "text/plain"})
    last = allowed.seen[-1]
    assert (last.method, last.body, last.header("Content-Type")) == ("POST", b"payload", "text/plain")


def test_secrets_never_appear_in_refusals(client, loopback):
    secret = "TEST-ACCESS-TOKEN-9f3b"
    url = f"http://user:{secret}@127.0.0.1:{loopback.port}/?token=x"
    message = refused(client, url, headers={"Authorization": f"Bearer {secret}",
                                            "X-Api-Key": secret})
    assert secret not in message and "token=" not in message
