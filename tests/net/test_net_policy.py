"""HttpPolicy: the static URL check, the allowlist, DG_ALLOW_HOSTS / DG_RESOLVE, resolve-once."""

from __future__ import annotations

import ipaddress

import pytest

from delugelang.errors import ScriptError
from delugelang.net import HttpPolicy
from delugelang.net.policy import Target

POLICY = HttpPolicy(allow_hosts=("127.0.0.2", "10.0.0.0/8", "intranet.corp", "*.lab.corp"),
                    resolve={"public.test": "127.0.0.2", "alias.test": "127.0.0.1",
                             "imds.test": "169.254.169.254"})


def refusal(url: str, policy: HttpPolicy = POLICY) -> str:
    with pytest.raises(ScriptError) as info:
        policy.check_url(url)
    return info.value.message


@pytest.mark.parametrize("url, expected", [
    ("http://127.0.0.1:8080/admin", "invokeurl: destination not allowed: 127.0.0.1 is a loopback address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
    ("http://2130706433/", "2130706433 is 127.0.0.1, a loopback address"),
    ("http://0x7f000001/", "0x7f000001 is 127.0.0.1, a loopback address"),
    ("http://017700000001/", "017700000001 is 127.0.0.1, a loopback address"),
    ("http://0177.0.0.1/", "0177.0.0.1 is 127.0.0.1, a loopback address"),
    ("http://127.1/", "127.1 is 127.0.0.1, a loopback address"),
    ("http://0.0.0.0:8080/", "0.0.0.0 is an unspecified address"),
    ("http://[::]/", ":: is an unspecified address"),
    ("http://[::1]:8080/", "::1 is a loopback address"),
    ("http://[::ffff:127.0.0.1]/", "a loopback address (IPv4-mapped 127.0.0.1)"),
    ("http://[::ffff:a9fe:a9fe]/", "a cloud metadata address"),
    ("http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254 is a cloud metadata address"),
    ("http://[fc00::5]/", "unique local"),
    ("http://172.16.0.1/", "172.16.0.1 is a private address"),
    ("http://192.168.0.1/", "192.168.0.1 is a private address"),
    ("http://100.64.0.1/", "carrier-grade NAT"),
    ("http://100.100.100.200/", "cloud metadata"),
    ("http://224.0.0.1/", "multicast"),
    ("http://public.test@127.0.0.1:8080/", "127.0.0.1 is a loopback address"),
    ("http://127.0.0.1#@public.test/", "127.0.0.1 is a loopback address"),
    ("http://alias.test/", "alias.test resolves to 127.0.0.1, a loopback address"),
    ("http://imds.test/", "imds.test resolves to 169.254.169.254, a cloud metadata address"),
    ("http://localhost:8080/", "localhost is a loopback host name"),
    ("http://api.localhost/", "api.localhost is a loopback host name"),
    ("http://metadata.google.internal/computeMetadata/v1/", "cloud metadata host name"),
    ("gopher://127.0.0.1:6379/_FLUSHALL", "the gopher scheme is not supported (use http or https)"),
    ("file:///etc/passwd", "the file scheme is not supported"),
    ("ftp://public.test/", "the ftp scheme is not supported"),
    ("dict://public.test:11211/", "the dict scheme is not supported"),
])
def test_refused_urls(url, expected):
    message = refusal(url)
    assert expected in message
    assert message.startswith("invokeurl: destination not allowed: ")


@pytest.mark.parametrize("url", [
    "http://127.0.0.2:9000/", "https://public.test/x", "http://10.0.0.5:9200/_cat",
    "http://intranet.corp/", "http://db.lab.corp/", "http://[::ffff:127.0.0.2]/",
    "https://api.example.com/v1", "HTTP://PUBLIC.TEST/", "http://8.8.8.8/",
    "http://2130706434/",  # 127.0.0.2, allowlisted however it is spelled
])
def test_allowed_urls(url):
    assert POLICY.check_url(url) is None


@pytest.mark.parametrize("url", ["http:///x", "http://%31.0.0.1/", "http://a b/", "http://[::1/",
                                 "http://host:99999/", "not a url", "http://[fe80::1%25eth0]/"])
def test_invalid_urls(url):
    assert refusal(url).startswith("invokeurl: ")


def test_only_127_0_0_2_is_allowlisted_not_the_whole_loopback_range():
    assert "loopback" in refusal("http://127.0.0.1/")
    assert "loopback" in refusal("http://127.0.0.3/")


def test_metadata_needs_an_exact_allowlist_entry():
    broad = HttpPolicy(allow_hosts=("169.254.0.0/16", "0.0.0.0/0"))
    assert "metadata" in refusal("http://169.254.169.254/", broad)
    assert broad.check_url("http://169.254.1.1/") is None
    exact = HttpPolicy(allow_hosts=("169.254.169.254",))
    assert exact.check_url("http://169.254.169.254/") is None


def test_allowlisted_name_passes_its_internal_address():
    policy = HttpPolicy(allow_hosts=("internal.test",), resolve={"internal.test": "10.1.1.1"})
    assert policy.check_url("http://internal.test/") is None
    target = Target("http", "internal.test", 80, None)
    assert policy.addresses(target, timeout=1) == (ipaddress.ip_address("10.1.1.1"),)


def test_schemes_can_be_narrowed():
    policy = HttpPolicy(allowed_schemes=("https",))
    assert "the http scheme is not supported (use https)" in refusal("http://8.8.8.8/", policy)


def test_from_env_reads_allowlist_and_pins():
    env = {"DG_ALLOW_HOSTS": "127.0.0.2, 10.0.0.0/8 intranet.corp",
           "DG_RESOLVE": "public.test=127.0.0.2,api.example.test=127.0.0.2"}
    policy = HttpPolicy.from_env(env, allow_hosts=("192.168.5.5",), max_redirects=2)
    assert policy.allow_hosts == ("127.0.0.2", "10.0.0.0/8", "intranet.corp", "192.168.5.5")
    assert dict(policy.resolve) == {"public.test": "127.0.0.2", "api.example.test": "127.0.0.2"}
    assert policy.max_redirects == 2
    assert policy.check_url("http://192.168.5.5/") is None
    assert policy.check_url("http://api.example.test/") is None


def test_from_env_uses_os_environ(monkeypatch):
    monkeypatch.setenv("DG_ALLOW_HOSTS", "127.0.0.2")
    monkeypatch.setenv("DG_RESOLVE", "public.test=127.0.0.2")
    policy = HttpPolicy.from_env()
    assert policy.check_url("http://public.test/") is None


def test_from_env_without_variables_allows_nothing_internal():
    policy = HttpPolicy.from_env({})
    assert policy.allow_hosts == () and dict(policy.resolve) == {}
    assert "loopback" in refusal("http://127.0.0.2/", policy)


@pytest.mark.parametrize("env", [
    {"DG_ALLOW_HOSTS": "10.0.0.0/33"},
    {"DG_ALLOW_HOSTS": "bad/host"},
    {"DG_RESOLVE": "public.test"},
    {"DG_RESOLVE": "public.test=not-an-ip"},
    {"DG_RESOLVE": "=127.0.0.2"},
])
def test_bad_environment_is_a_configuration_error(env):
    with pytest.raises(ValueError):
        HttpPolicy.from_env(env)


def test_defaults_match_the_limits_table():
    policy = HttpPolicy()
    assert (policy.max_redirects, policy.connect_timeout, policy.read_timeout) == (5, 10.0, 40.0)
    assert policy.total_timeout == 60.0 and policy.max_response_bytes == 5 * 1024 * 1024
    assert policy.allowed_schemes == ("http", "https")


def test_check_url_never_looks_names_up(no_real_dns):
    calls = []
    policy = HttpPolicy(resolver=lambda host, port: calls.append(host) or ["8.8.8.8"])
    assert policy.check_url("https://api.example.com/") is None
    assert calls == [] and no_real_dns == []


def test_addresses_resolve_once_and_check_every_answer():
    calls = []

    def resolver(host, port):
        calls.append((host, port))
        return ["93.184.216.34", "127.0.0.1"]

    policy = HttpPolicy(resolver=resolver)
    with pytest.raises(ScriptError) as info:
        policy.addresses(Target("https", "mixed.test", 443, None), timeout=1)
    assert "mixed.test resolves to 127.0.0.1, a loopback address" in info.value.message
    assert calls == [("mixed.test", 443)]


def test_unknown_host_is_a_clear_error(no_real_dns):
    with pytest.raises(ScriptError) as info:
        HttpPolicy().addresses(Target("http", "nowhere.invalid", 80, None), timeout=1)
    assert info.value.message == "invokeurl: unknown host nowhere.invalid"


def test_slow_lookup_is_a_socket_timeout():
    import time

    policy = HttpPolicy(resolver=lambda host, port: time.sleep(2) or ["8.8.8.8"])
    with pytest.raises(ScriptError) as info:
        policy.addresses(Target("http", "slow-dns.test", 80, None), timeout=0.2)
    assert "socket timeout" in info.value.message


def test_label_prefixes_messages():
    policy = HttpPolicy(label="invokeConnector")
    assert refusal("http://127.0.0.1/", policy).startswith("invokeConnector: destination not allowed")
