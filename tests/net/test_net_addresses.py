"""Address classification and the odd IPv4 spellings the SSRF guard must see through."""

from __future__ import annotations

import ipaddress

import pytest

from delugelang.net.addresses import blocked_reason, embedded_ipv4, parse_ip, parse_loose_ipv4

BLOCKED = [
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("10.0.0.5", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.255", "private"),
    ("192.168.1.1", "private"),
    ("169.254.1.1", "link-local"),
    ("169.254.169.254", "metadata"),
    ("169.254.170.2", "metadata"),
    ("100.100.100.200", "metadata"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("0.0.0.0", "unspecified"),
    ("0.1.2.3", "reserved"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "broadcast"),
    ("192.0.2.10", "reserved"),
    ("198.18.0.1", "reserved"),
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:a9fe:a9fe", "metadata"),
    ("::ffff:10.1.2.3", "private"),
    ("fd00:ec2::254", "metadata"),
    ("fc00::1", "unique local"),
    ("fdff:ffff::1", "unique local"),
    ("fe80::1", "link-local"),
    ("fec0::1", "site-local"),
    ("ff02::1", "multicast"),
    ("64:ff9b::7f00:1", "loopback"),
    ("64:ff9b:1::1", "private"),
    ("2002:7f00:1::1", "loopback"),
    ("2002:a9fe:a9fe::1", "metadata"),
    ("2001:db8::1", "reserved"),
    ("2001::1", "Teredo"),
    ("::7f00:1", "reserved"),
    ("100::1", "reserved"),
    ("4000::1", "reserved"),
]

PUBLIC = ["8.8.8.8", "93.184.216.34", "1.1.1.1", "100.63.255.255", "100.128.0.1",
          "172.32.0.1", "2606:4700::1111", "2001:4860:4860::8888", "64:ff9b::808:808",
          "::ffff:8.8.8.8", "2002:808:808::1"]


@pytest.mark.parametrize("address, word", BLOCKED)
def test_blocked_classes_name_their_reason(address, word):
    reason = blocked_reason(ipaddress.ip_address(address))
    assert reason is not None and word in reason


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert blocked_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("spelling", [
    "2130706433", "0x7f000001", "0X7F000001", "0177.0.0.1", "017700000001", "127.1",
    "127.0.1", "0x7f.1", "0x7f.0.0.0x1", "127.0.0.1.", "0177.0.0.01",
])
def test_odd_ipv4_spellings_mean_loopback(spelling):
    assert parse_ip(spelling) == ipaddress.IPv4Address("127.0.0.1")


@pytest.mark.parametrize("spelling, address", [
    ("0", "0.0.0.0"), ("0x0", "0.0.0.0"), ("2852039166", "169.254.169.254"),
    ("0xa9fea9fe", "169.254.169.254"), ("10.1", "10.0.0.1"), ("192.168.257", "192.168.1.1"),
])
def test_other_short_forms(spelling, address):
    assert parse_loose_ipv4(spelling) == ipaddress.IPv4Address(address)


@pytest.mark.parametrize("text", [
    "", "example.test", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "08.0.0.1", "0x", "1..2",
    "4294967296", "0x1ffffffff", "12a.0.0.1", "-1.0.0.1", "[::1", "fe80::1%eth0",
])
def test_not_an_address(text):
    assert parse_ip(text) is None


def test_ipv6_literals_with_brackets():
    assert parse_ip("[::1]") == ipaddress.IPv6Address("::1")
    assert parse_ip("::ffff:127.0.0.1") == ipaddress.IPv6Address("::ffff:7f00:1")


def test_embedded_ipv4():
    assert embedded_ipv4(ipaddress.IPv6Address("::ffff:1.2.3.4")) == ipaddress.IPv4Address("1.2.3.4")
    assert embedded_ipv4(ipaddress.IPv6Address("64:ff9b::102:304")) == ipaddress.IPv4Address("1.2.3.4")
    assert embedded_ipv4(ipaddress.IPv6Address("2002:102:304::")) == ipaddress.IPv4Address("1.2.3.4")
    assert embedded_ipv4(ipaddress.IPv6Address("2606:4700::1111")) is None
