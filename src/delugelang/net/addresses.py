"""IP address classification for the SSRF guard: which addresses a script may never reach."""

from __future__ import annotations

import ipaddress
import re
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

IPAddress = IPv4Address | IPv6Address

# Cloud metadata services. They hand out credentials, so they are named separately and
# only an allowlist entry naming the exact address opens them (a broad CIDR does not).
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",  # AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean IMDS
    "169.254.170.2",    # AWS ECS task metadata
    "169.254.170.23",   # AWS EKS pod identity agent
    "100.100.100.200",  # Alibaba Cloud
    "192.0.0.192",      # Oracle Cloud (classic)
    "fd00:ec2::254",    # AWS IMDS over IPv6
    "fd00:ec2::23",     # AWS EKS pod identity over IPv6
    "fd20:ce::254",     # GCP metadata over IPv6
))

METADATA_NAMES = frozenset((
    "metadata", "metadata.google.internal", "metadata.goog", "instance-data",
    "instance-data.ec2.internal", "metadata.azure.internal", "metadata.tencentyun.com",
))

# Every IPv4 range in the IANA special-purpose registry that is not reachable on the
# public internet. Order matters: the first match names the reason.
_IPV4_RULES: tuple[tuple[IPv4Network, str], ...] = tuple(
    (IPv4Network(net), reason) for net, reason in (
        ("0.0.0.0/32", "an unspecified address"),
        ("0.0.0.0/8", "a reserved address"),
        ("10.0.0.0/8", "a private address"),
        ("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", "a private address"),
        ("192.0.0.0/24", "a reserved address"),
        ("192.0.2.0/24", "a reserved (documentation) address"),
        ("192.88.99.0/24", "a reserved address"),
        ("192.168.0.0/16", "a private address"),
        ("198.18.0.0/15", "a reserved (benchmarking) address"),
        ("198.51.100.0/24", "a reserved (documentation) address"),
        ("203.0.113.0/24", "a reserved (documentation) address"),
        ("224.0.0.0/4", "a multicast address"),
        ("255.255.255.255/32", "a broadcast address"),
        ("240.0.0.0/4", "a reserved address"),
    )
)

_IPV6_RULES: tuple[tuple[IPv6Network, str], ...] = tuple(
    (IPv6Network(net), reason) for net, reason in (
        ("::/128", "an unspecified address"),
        ("::1/128", "a loopback address"),
        ("64:ff9b:1::/48", "a private (local NAT64) address"),
        ("::/8", "a reserved address"),
        ("100::/64", "a reserved (discard) address"),
        ("2001::/32", "a reserved (Teredo) address"),
        ("2001:2::/48", "a reserved (benchmarking) address"),
        ("2001:10::/28", "a reserved address"),
        ("2001:20::/28", "a reserved address"),
        ("2001:db8::/32", "a reserved (documentation) address"),
        ("3fff::/20", "a reserved (documentation) address"),
        ("5f00::/16", "a reserved address"),
        ("fc00::/7", "a unique local (private) address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a private (site-local) address"),
        ("ff00::/8", "a multicast address"),
    )
)

_GLOBAL_UNICAST = IPv6Network("2000::/3")
_NAT64 = IPv6Network("64:ff9b::/96")
_DOTTED_PART = re.compile(r"^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)$")


def blocked_reason(ip: IPAddress) -> str | None:
    """Why a script may not connect to `ip` ("a loopback address"...), or None if it is public."""
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if isinstance(ip, IPv4Address):
        return _ipv4_reason(ip)
    return _ipv6_reason(ip)


def _ipv4_reason(ip: IPv4Address) -> str | None:
    for net, reason in _IPV4_RULES:
        if ip in net:
            return reason
    return None


def _ipv6_reason(ip: IPv6Address) -> str | None:
    if ip.ipv4_mapped is not None:
        return _embedded_reason(ip.ipv4_mapped, "IPv4-mapped")
    embedded = embedded_ipv4(ip)
    if embedded is not None:
        reason = _embedded_reason(embedded, "embedded IPv4")
        if reason or ip in _NAT64:
            return reason
    for net, reason in _IPV6_RULES:
        if ip in net:
            return reason
    if ip not in _GLOBAL_UNICAST:
        return "a reserved address"
    return None


def _embedded_reason(embedded: IPv4Address, how: str) -> str | None:
    reason = blocked_reason(embedded)
    return f"{reason} ({how} {embedded})" if reason else None


def embedded_ipv4(ip: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address carries: IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def parse_ip(host: str) -> IPAddress | None:
    """`host` as an IP address, accepting every IPv4 spelling inet_aton does, else None.

    Handles 127.0.0.1, [::1], 2130706433, 0x7f000001, 0177.0.0.1, 017700000001, 127.1
    and a single trailing dot; the odd spellings are how SSRF filters get bypassed.
    """
    text = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if "%" in text:
        return None
    if ":" in text:
        try:
            return IPv6Address(text)
        except ValueError:
            return None
    return parse_loose_ipv4(text)


def parse_loose_ipv4(text: str) -> IPv4Address | None:
    """Parse IPv4 like inet_aton: 1-4 parts, each decimal, octal (0...) or hex (0x...)."""
    if text.endswith("."):
        text = text[:-1]
    parts = text.split(".")
    if not text or len(parts) > 4 or not all(_DOTTED_PART.match(p) for p in parts):
        return None
    values = [_part_value(p) for p in parts]
    if any(v is None for v in values):
        return None
    return _combine_parts(values)


def _part_value(part: str) -> int | None:
    if part[:2] in ("0x", "0X"):
        return int(part[2:], 16) if len(part) > 2 else None
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part)


def _combine_parts(values: list[int]) -> IPv4Address | None:
    *head, last = values
    if any(v > 0xFF for v in head):
        return None
    last_bits = 8 * (4 - len(head))
    if last >= 1 << last_bits:
        return None
    number = 0
    for value in head:
        number = (number << 8) | value
    return IPv4Address((number << last_bits) | last)
