"""HttpClient against real loopback servers: pinning, TLS, bodies, timeouts and the byte cap."""

from __future__ import annotations

import datetime as dt
import json
import re
import ssl
import threading
import time
import tracemalloc

import pytest

from delugelang.errors import LimitError, ScriptError
from delugelang.net import HttpClient, HttpPolicy, HttpResponse

from .net_servers import gzip_bomb, start_listener, stop_listener

PYTHON_NAMES = re.compile(r"[A-Z][a-z]+(Error|Exception|Timeout)\b|httpx|httpcore|Traceback|<")


def script_error(call, *args, **kwargs) -> str:
    with pytest.raises(ScriptError) as info:
        call(*args, **kwargs)
    message = info.value.message
    assert not PYTHON_NAMES.search(message), message
    return message


# -- pinning ------------------------------------------------------------------------------

def test_pinned_name_connects_to_the_pinned_ip_with_the_right_host_header(
        client, allowed, loopback, connects, no_real_dns):
    response = client.request("GET", allowed.url("/echo", host="public.test"))
    seen = allowed.seen[-1]
    assert response.status_code == 200
    assert seen.header("Host") == f"public.test:{allowed.port}"
    assert seen.local_address == "127.0.0.2"
    assert connects == [("127.0.0.2", allowed.port)]
    assert no_real_dns == [] and loopback.seen == []
    assert json.loads(response.text)["local"] == "127.0.0.2"


def test_allowlisted_address_works_directly(client, allowed):
    response = client.request("GET", allowed.url("/ok"))
    assert isinstance(response, HttpResponse)
    assert (response.status_code, response.content, response.text) == (200, b"ok", "ok")
    assert response.url == allowed.url("/ok")
    assert response.elapsed_ms > 0


def test_names_resolve_once_so_rebinding_cannot_switch_the_address(allowed, loopback, connects):
    answers = iter([["127.0.0.2"], ["127.0.0.1"]])
    lookups = []

    def resolver(host, port):
        lookups.append(host)
        return next(answers)

    policy = HttpPolicy(allow_hosts=("127.0.0.2",), resolver=resolver)
    with HttpClient(policy) as client:
        assert client.request("GET", allowed.url("/ok", host="rebind.test")).status_code == 200
        assert lookups == ["rebind.test"]
        message = script_error(client.request, "GET", allowed.url("/ok", host="rebind.test"))
    assert "rebind.test resolves to 127.0.0.1, a loopback address" in message
    assert loopback.seen == []
    assert [address[0] for address in connects] == ["127.0.0.2"]


def test_falls_back_to_the_next_checked_address(allowed, connects):
    policy = HttpPolicy(allow_hosts=("127.0.0.2", "127.0.0.3"),
                        resolve={"two.test": ["127.0.0.3", "127.0.0.2"]})
    with HttpClient(policy) as client:
        assert client.request("GET", allowed.url("/ok", host="two.test")).content == b"ok"
    assert connects == [("127.0.0.3", allowed.port), ("127.0.0.2", allowed.port)]


def test_concurrent_requests_keep_their_own_pins(client, allowed):
    results, errors = [], []

    def worker(name: str) -> None:
        try:
            for _ in range(5):
                body = json.loads(client.request("GET", allowed.url("/echo", host=name)).text)
                results.append((name, dict(body["headers"])["Host"]))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(name,))
               for name in ["public.test", "api.example.test"] * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 40
    assert all(host == f"{name}:{allowed.port}" for name, host in results)


def test_kept_alive_connections_are_reused_per_host_with_fresh_deadlines(env, connects):
    listener = start_listener("127.0.0.2", keep_alive=True)
    try:
        with HttpClient(HttpPolicy.from_env(total_timeout=0.5)) as client:
            for _ in range(2):
                assert client.request("GET", listener.url("/ok", host="public.test")).content == b"ok"
                time.sleep(0.6)  # longer than the first request's whole budget
            client.request("GET", listener.url("/ok", host="api.example.test"))
    finally:
        stop_listener(listener)
    assert connects == [("127.0.0.2", listener.port)] * 2  # one per host name, not per request
    assert [s.header("Host").split(":")[0] for s in listener.seen] == [
        "public.test", "public.test", "api.example.test"]


# -- TLS ----------------------------------------------------------------------------------

def _certificates(tmp_path, name: str):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def make(subject, issuer, key, signer, ca: bool, san=None):
        now = dt.datetime.now(dt.timezone.utc)
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(hours=1))
                   .not_valid_after(now + dt.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]),
                                            critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "delugelang test CA")])
    leaf_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    ca = make(ca_name, ca_name, ca_key, ca_key, True)
    leaf = make(leaf_name, ca_name, leaf_key, ca_key, False, san=name)
    pem = serialization.Encoding.PEM
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(pem))
    (tmp_path / "leaf.pem").write_bytes(leaf.public_bytes(pem))
    (tmp_path / "key.pem").write_bytes(leaf_key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return tmp_path / "ca.pem", tmp_path / "leaf.pem", tmp_path / "key.pem"


@pytest.fixture
def secure(tmp_path):
    """An HTTPS listener on 127.0.0.2 with a certificate for secure.test from a test CA."""
    ca, cert, key = _certificates(tmp_path, "secure.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = start_listener("127.0.0.2", tls=context)
    listener.ca = str(ca)
    yield listener
    stop_listener(listener)


def test_tls_uses_the_host_name_for_sni_and_certificate_while_dialing_the_pinned_ip(secure, connects):
    policy = HttpPolicy(allow_hosts=("127.0.0.2",), verify=secure.ca,
                        resolve={"secure.test": "127.0.0.2", "other.test": "127.0.0.2"})
    with HttpClient(policy) as client:
        response = client.request("GET", secure.url("/echo", host="secure.test"))
        assert response.status_code == 200
        assert secure.sni == ["secure.test"]
        assert secure.seen[-1].header("Host") == f"secure.test:{secure.port}"
        assert connects == [("127.0.0.2", secure.port)]
        message = script_error(client.request, "GET", secure.url("/ok", host="other.test"))
    assert message == "invokeurl: secure connection to other.test failed (TLS handshake or certificate)"


def test_tls_verification_is_on_by_default(secure):
    policy = HttpPolicy(allow_hosts=("127.0.0.2",), resolve={"secure.test": "127.0.0.2"})
    with HttpClient(policy) as client:
        message = script_error(client.request, "GET", secure.url("/ok", host="secure.test"))
    assert "secure connection to secure.test failed" in message
    assert secure.seen == []


# -- requests and responses ---------------------------------------------------------------

def echo(client, allowed, method="GET", path="/echo", **kwargs) -> dict:
    response = client.request(method, allowed.url(path, host="public.test"), **kwargs)
    body = json.loads(response.text)
    body["headers"] = dict(body["headers"])
    return body


def test_params_json_form_and_raw_bodies(client, allowed):
    assert echo(client, allowed, params={"q": "a b", "n": 1})["path"] == "/echo?q=a+b&n=1"
    sent = echo(client, allowed, "POST", json={"name": "Ann"})
    assert json.loads(sent["body"]) == {"name": "Ann"}
    assert sent["headers"]["Content-Type"] == "application/json"
    sent = echo(client, allowed, "PUT", data={"a": "1", "b": "x y"})
    assert (sent["method"], sent["body"]) == ("PUT", "a=1&b=x+y")
    sent = echo(client, allowed, "PATCH", content=b"raw", headers={"Content-Type": "text/plain"})
    assert (sent["method"], sent["body"], sent["headers"]["Content-Type"]) == ("PATCH", "raw", "text/plain")
    sent = echo(client, allowed, "POST", files={"file": ("a.txt", b"hello")})
    assert sent["headers"]["Content-Type"].startswith("multipart/form-data") and "hello" in sent["body"]
    assert echo(client, allowed, "DELETE")["method"] == "DELETE"


def test_request_headers(client, allowed):
    sent = echo(client, allowed, headers={"X-Name": "Zoë", "Host": "evil.test", "Accept": "text/csv"})
    assert sent["headers"]["Host"] == f"public.test:{allowed.port}"
    assert sent["headers"]["X-Name"].encode("latin-1").decode("utf-8") == "Zoë"
    assert sent["headers"]["Accept"] == "text/csv"
    assert sent["headers"]["Accept-Encoding"] == "gzip, deflate"


def test_header_injection_is_refused_without_echoing_the_value(client, allowed):
    message = script_error(client.request, "GET", allowed.url("/ok"),
                           headers={"X-Token": "SECRET-VALUE\r\nX-Evil: 1"})
    assert message == "invokeurl: invalid value for header X-Token"
    assert "invalid header name" in script_error(client.request, "GET", allowed.url("/ok"),
                                                 headers={"Bad Name": "v"})
    assert allowed.seen == []


def test_response_headers_keep_received_names_and_the_last_value(client, allowed):
    response = client.request("GET", allowed.url("/headers"))
    assert response.headers["X-Dup"] == "second"
    assert response.headers["X-Mixed-Case"] == "yes"
    assert "x-mixed-case" not in response.headers


def test_gzip_bodies_are_decoded(client, allowed):
    response = client.request("GET", allowed.url("/gzip"))
    assert response.content == b"hello " * 10
    assert response.headers["Content-Encoding"] == "gzip"


def test_corrupt_compressed_body_is_a_clear_error(client, allowed):
    message = script_error(client.request, "GET", allowed.url("/corrupt", host="public.test"))
    assert message == "invokeurl: the response from public.test could not be decompressed"


def test_head_has_no_body(client, allowed):
    response = client.request("HEAD", allowed.url("/ok"))
    assert (response.status_code, response.content) == (200, b"")


def test_unknown_method_is_refused(client, allowed):
    assert "unsupported request type" in script_error(client.request, "TRACE", allowed.url("/ok"))
    assert allowed.seen == []


def test_on_request_sees_the_url_without_credentials(env, allowed):
    calls = []
    with HttpClient(HttpPolicy.from_env(), on_request=lambda m, u: calls.append(u)) as client:
        client.request("GET", f"http://user:pw@public.test:{allowed.port}/ok#frag")
    assert calls == [f"http://public.test:{allowed.port}/ok"]


def test_connection_refused_is_a_clear_error(client, allowed):
    port = allowed.port
    stop_listener(allowed)
    message = script_error(client.request, "GET", f"http://public.test:{port}/ok")
    assert message == "invokeurl: could not connect to public.test"


def test_closed_client_refuses(env, allowed):
    client = HttpClient(HttpPolicy.from_env())
    client.close()
    assert "closed" in script_error(client.request, "GET", allowed.url("/ok"))


# -- timeouts -----------------------------------------------------------------------------

def test_slow_server_gives_socket_timeout(env, allowed):
    with HttpClient(HttpPolicy.from_env(read_timeout=0.3)) as client:
        started = time.monotonic()
        message = script_error(client.request, "GET", allowed.url("/slow?s=3", host="public.test"),
                               headers={"Authorization": "Bearer TEST-ACCESS-TOKEN-9f3b"})
    assert time.monotonic() - started < 2
    assert message == "invokeurl: socket timeout error: no response from public.test within 0.3 s"


def test_slow_drip_is_cut_by_the_total_deadline(env, allowed):
    with HttpClient(HttpPolicy.from_env(read_timeout=5, total_timeout=0.5)) as client:
        started = time.monotonic()
        message = script_error(client.request, "GET", allowed.url("/drip"))
    assert time.monotonic() - started < 2
    assert "socket timeout" in message and "took longer than 0.5 s" in message


def test_per_request_timeout_lowers_the_policy(client, allowed):
    started = time.monotonic()
    message = script_error(client.request, "GET", allowed.url("/slow?s=3"), timeout=0.3)
    assert "socket timeout" in message
    assert time.monotonic() - started < 2


def test_connect_timeout_is_a_socket_timeout(env, allowed, monkeypatch):
    import httpcore

    def never_connects(self, host, port, timeout=None, local_address=None, socket_options=None):
        assert timeout == pytest.approx(0.25, abs=0.01)
        raise httpcore.ConnectTimeout("timed out")

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", never_connects)
    with HttpClient(HttpPolicy.from_env(connect_timeout=0.25)) as client:
        message = script_error(client.request, "GET", allowed.url("/ok", host="public.test"))
    assert message == "invokeurl: socket timeout error: could not connect to public.test within 0.25 s"


# -- response size --------------------------------------------------------------------------

def small_client(cap: int) -> HttpClient:
    return HttpClient(HttpPolicy.from_env(max_response_bytes=cap, total_timeout=10))


def test_gzip_bomb_is_cut_off_by_the_byte_cap(env, allowed):
    cap = 1024 * 1024
    with small_client(cap) as client:
        client.request("GET", allowed.url("/ok"))  # warm up outside the measurement
        assert len(gzip_bomb()) < cap // 2  # built before measuring: the server's copy is small
        tracemalloc.start()
        started = time.monotonic()
        try:
            with pytest.raises(LimitError) as info:
                client.request("GET", allowed.url("/bomb", host="public.test"))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert (info.value.limit, info.value.value) == ("http_response_bytes", cap)
    assert info.value.message == (
        f"invokeurl: the response from public.test is larger than the {cap}-byte limit")
    assert peak < 8 * cap  # the bomb inflates to 200 MB; we never hold more than a few caps
    assert time.monotonic() - started < 5


def test_declared_oversize_body_is_refused_before_reading(env, allowed):
    with small_client(1000) as client:
        with pytest.raises(LimitError):
            client.request("GET", allowed.url("/big?n=1001"))
        assert len(client.request("GET", allowed.url("/big?n=1000")).content) == 1000


def test_undeclared_oversize_body_is_cut_while_streaming(env, allowed):
    with small_client(100_000) as client:
        with pytest.raises(LimitError) as info:
            client.request("GET", allowed.url("/big?n=100001&declared=no"))
        assert info.value.limit == "http_response_bytes"
        body = client.request("GET", allowed.url("/big?n=100000&declared=no")).content
    assert body == b"a" * 100_000


def test_limit_error_is_not_a_script_error():
    assert not issubclass(LimitError, ScriptError)
