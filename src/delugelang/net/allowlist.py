"""The explicit allowlist (DG_ALLOW_HOSTS) and the name pins (DG_RESOLVE) the SSRF guard honours."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network

from .addresses import METADATA_ADDRESSES, IPAddress

HOST_NAME = re.compile(r"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$")


def normalize_name(name: str) -> str:
    """Lower-case a host name and drop one trailing dot, so `Api.Test.` matches `api.test`."""
    name = name.strip().lower()
    return name[:-1] if name.endswith(".") else name


def split_list(text: str) -> list[str]:
    """Split an environment list on commas and whitespace, dropping empty items."""
    return [item for item in re.split(r"[,\s]+", text) if item]


@dataclass(frozen=True)
class Allowlist:
    """Host names, `*.suffix` wildcards and IP networks that may be reached even if internal."""

    names: frozenset[str]
    suffixes: tuple[str, ...]
    networks: tuple[IPv4Network | IPv6Network, ...]

    @classmethod
    def parse(cls, entries: Iterable[str]) -> "Allowlist":
        names, suffixes, networks = set(), [], []
        for raw in entries:
            entry = normalize_name(raw)
            network = _as_network(entry)
            if network is not None:
                networks.append(network)
            elif entry.startswith("*.") and HOST_NAME.match(entry[2:]):
                suffixes.append(entry[1:])
            elif HOST_NAME.match(entry):
                names.add(entry)
            else:
                raise ValueError(f"allow_hosts: {raw!r} is not a host name, address or CIDR range")
        return cls(frozenset(names), tuple(suffixes), tuple(networks))

    def allows_name(self, host: str) -> bool:
        host = normalize_name(host)
        return host in self.names or host.endswith(self.suffixes)

    def allows_ip(self, ip: IPAddress) -> bool:
        """True if a listed network holds `ip` (or the IPv4 address it maps).

        A cloud metadata address passes only when listed as a single address: a broad
        range such as 169.254.0.0/16 or 0.0.0.0/0 never opens it by accident.
        """
        candidates = [ip]
        mapped = getattr(ip, "ipv4_mapped", None)
        if mapped is not None:
            candidates.append(mapped)
        for candidate in candidates:
            for network in self.networks:
                if candidate.version == network.version and candidate in network:
                    if candidate not in METADATA_ADDRESSES or network.num_addresses == 1:
                        return True
        return False


def _as_network(entry: str) -> IPv4Network | IPv6Network | None:
    text = entry[1:-1] if entry.startswith("[") and "]" in entry else entry
    text = text.replace("]/", "/")
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def parse_pins(pins: Mapping[str, str | Iterable[str]]) -> dict[str, tuple[IPAddress, ...]]:
    """Normalize `{"api.test": "127.0.0.2"}` (or a list of addresses) to parsed addresses."""
    result: dict[str, tuple[IPAddress, ...]] = {}
    for name, value in pins.items():
        host = normalize_name(name)
        if not HOST_NAME.match(host):
            raise ValueError(f"resolve: {name!r} is not a host name")
        values = [value] if isinstance(value, str) else list(value)
        result[host] = tuple(_pin_address(name, v) for v in values)
        if not result[host]:
            raise ValueError(f"resolve: {name!r} has no address")
    return result


def _pin_address(name: str, value: str) -> IPAddress:
    text = value.strip()
    text = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise ValueError(f"resolve: {name!r} maps to {value!r}, which is not an IP address") from None


def parse_resolve_env(text: str) -> dict[str, str]:
    """Parse `DG_RESOLVE=public.test=127.0.0.2,api.example.test=127.0.0.2`."""
    pins: dict[str, str] = {}
    for item in split_list(text):
        name, sep, address = item.partition("=")
        if not sep or not name or not address:
            raise ValueError(f"DG_RESOLVE: {item!r} is not NAME=ADDRESS")
        pins[name] = address
    return pins
