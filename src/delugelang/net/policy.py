"""HttpPolicy: the SSRF guard's rules, the static URL check and the resolve-once address check."""

from __future__ import annotations

import ipaddress
import os
import socket
import ssl
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import httpx

from ..errors import ScriptError
from .addresses import METADATA_NAMES, IPAddress, blocked_reason, parse_ip
from .allowlist import (HOST_NAME, Allowlist, normalize_name, parse_pins, parse_resolve_env,
                        split_list)

Resolver = Callable[[str, int], Iterable[str]]
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Target:
    """Where one request goes: scheme, host as sent on the wire (ASCII, lower case), port."""

    scheme: str
    host: str
    port: int
    ip: IPAddress | None  # set when the URL names an address rather than a host name

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)


@dataclass(frozen=True)
class HttpPolicy:
    """What the one HTTP client may reach, and how long and how much it may take.

    allow_hosts: host names (`api.corp`, `*.corp`), addresses or CIDR ranges that may be
        reached although internal. Also read from DG_ALLOW_HOSTS by `from_env`.
    resolve: host name -> address pins, like curl --resolve (DG_RESOLVE). The pinned
        address is still checked.
    verify: TLS verification: True (certifi bundle), False, a CA file/dir path or an SSLContext.
    resolver: `(host, port) -> addresses`, replacing the system DNS lookup (tests, hosts).
    label: the prefix of every error message ("invokeurl: ...").
    sensitive_headers: request headers dropped when a redirect leaves the origin.
    """

    allow_hosts: tuple[str, ...] = ()
    resolve: Mapping[str, str | Iterable[str]] = field(default_factory=dict)
    max_redirects: int = 5
    connect_timeout: float = 10.0
    read_timeout: float = 40.0
    total_timeout: float = 60.0
    max_response_bytes: int = 5 * 1024 * 1024
    allowed_schemes: tuple[str, ...] = ("http", "https")
    verify: bool | str | ssl.SSLContext = True
    resolver: Resolver | None = None
    label: str = "invokeurl"
    sensitive_headers: tuple[str, ...] = ("authorization", "proxy-authorization", "cookie")
    _allow: Allowlist = field(init=False, repr=False, compare=False)
    _pins: Mapping[str, tuple[IPAddress, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        hosts = (self.allow_hosts,) if isinstance(self.allow_hosts, str) else self.allow_hosts
        setattr_ = object.__setattr__
        setattr_(self, "allow_hosts", tuple(hosts))
        setattr_(self, "allowed_schemes", tuple(s.lower() for s in self.allowed_schemes))
        setattr_(self, "sensitive_headers", tuple(h.lower() for h in self.sensitive_headers))
        setattr_(self, "resolve", MappingProxyType(dict(self.resolve or {})))
        setattr_(self, "_allow", Allowlist.parse(self.allow_hosts))
        setattr_(self, "_pins", MappingProxyType(parse_pins(self.resolve)))
        if self.max_redirects < 0 or self.max_response_bytes < 0:
            raise ValueError("max_redirects and max_response_bytes must not be negative")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "HttpPolicy":
        """A policy from DG_ALLOW_HOSTS and DG_RESOLVE, merged with `overrides`.

        `allow_hosts` given here adds to the environment's list; `resolve` given here adds
        to (and wins over) the environment's pins. Other overrides replace the defaults.
        """
        env = os.environ if environ is None else environ
        allow = split_list(env.get("DG_ALLOW_HOSTS", ""))
        extra = overrides.pop("allow_hosts", ())
        allow += [extra] if isinstance(extra, str) else list(extra)
        pins = parse_resolve_env(env.get("DG_RESOLVE", ""))
        pins.update(overrides.pop("resolve", {}))
        return cls(allow_hosts=tuple(allow), resolve=pins, **overrides)

    # -- errors --------------------------------------------------------------------------

    def error(self, text: str) -> ScriptError:
        """A user-facing ScriptError, prefixed with the label: `invokeurl: <text>`."""
        return ScriptError(f"{self.label}: {text}")

    def _refuse(self, text: str) -> ScriptError:
        return self.error(f"destination not allowed: {text}")

    # -- static checks (no DNS, no connection) -------------------------------------------

    def check_url(self, url: str | httpx.URL) -> None:
        """Refuse `url` with a ScriptError if it is certainly not allowed. Does no DNS lookup."""
        self.check_target(self.parse_url(url))

    def parse_url(self, url: str | httpx.URL, params=None) -> httpx.URL:
        """Parse with httpx (the parser whose host is the one connected to)."""
        if isinstance(url, httpx.URL) and params is None:
            return url
        try:
            return httpx.URL(url, params=params) if params else httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError, UnicodeError):
            raise self._invalid_url(url) from None

    def _invalid_url(self, url) -> ScriptError:
        """Say 'not allowed' for an odd IPv4 spelling httpx refuses (0177.0.0.1), else 'invalid'."""
        host = _rough_host(str(url))
        ip = parse_ip(host) if host else None
        if ip is not None:
            try:
                self.check_address(host, ip)
            except ScriptError as refusal:
                return refusal
        return self.error("invalid URL")

    def check_target(self, url: httpx.URL) -> Target:
        """The static part of the guard: scheme, host syntax, literal addresses, pins."""
        target = self._target(url)
        if target.ip is not None:
            self.check_address(target.host, target.ip)
        elif not self._allow.allows_name(target.host):
            self._check_name(target.host)
        return target

    def _target(self, url: httpx.URL) -> Target:
        scheme = url.scheme.lower()
        if not scheme:
            raise self.error("invalid URL: it must start with http:// or https://")
        if scheme not in self.allowed_schemes:
            shown = scheme if scheme.isalnum() and len(scheme) <= 20 else "this"
            allowed = " or ".join(self.allowed_schemes) or "nothing"
            raise self._refuse(f"the {shown} scheme is not supported (use {allowed})")
        host = url.raw_host.decode("ascii", "replace").lower()
        if not host:
            raise self.error("invalid URL: it has no host")
        port = url.port or DEFAULT_PORTS.get(scheme)
        if port is None or not 0 < port < 65536:
            raise self.error("invalid URL: bad port")
        ip = parse_ip(host)
        if ip is None and not HOST_NAME.match(host):
            raise self.error("invalid URL: bad host name")
        return Target(scheme, host, port, ip)

    def _check_name(self, host: str) -> None:
        name = normalize_name(host)
        if name == "localhost" or name.endswith(".localhost"):
            raise self._refuse(f"{name} is a loopback host name")
        if name in METADATA_NAMES:
            raise self._refuse(f"{name} is a cloud metadata host name")
        for ip in self._pins.get(name, ()):
            self.check_address(host, ip)

    def check_address(self, host: str, ip: IPAddress) -> None:
        """Refuse `ip` (which `host` names or resolved to) unless public or allowlisted."""
        if self._allow.allows_ip(ip):
            return
        reason = blocked_reason(ip)
        if reason is None:
            return
        literal = host.strip("[]")
        if literal == str(ip) or ":" in literal:
            raise self._refuse(f"{literal} is {reason}")
        if parse_ip(host) is not None:
            raise self._refuse(f"{host} is {ip}, {reason}")
        raise self._refuse(f"{normalize_name(host)} resolves to {ip}, {reason}")

    # -- resolve once ---------------------------------------------------------------------

    def addresses(self, target: Target, timeout: float | None = None) -> tuple[IPAddress, ...]:
        """The checked addresses to connect to: looked up once, each one checked.

        A name that resolves to any blocked address is refused outright, so a public
        decoy next to an internal address does not get through.
        """
        if target.ip is not None:
            self.check_address(target.host, target.ip)
            return (target.ip,)
        name = normalize_name(target.host)
        trusted = self._allow.allows_name(name)
        if not trusted:
            self._check_name(name)
        found = self._pins.get(name) or self._lookup(name, target.port, timeout)
        if not trusted:
            for ip in found:
                self.check_address(name, ip)
        return found

    def _lookup(self, name: str, port: int, timeout: float | None) -> tuple[IPAddress, ...]:
        lookup = self.resolver or _system_lookup
        try:
            answers = _call_with_timeout(lambda: list(lookup(name, port)), timeout)
        except TimeoutError:
            raise self.error(f"socket timeout error: looking up {name} took too long") from None
        except (OSError, UnicodeError, ValueError):
            raise self.error(f"unknown host {name}") from None
        found = _unique(_as_ip(a) for a in answers)
        if not found or None in found:
            raise self.error(f"unknown host {name}")
        return found


def _system_lookup(name: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [info[4][0] for info in infos]


def _as_ip(answer) -> IPAddress | None:
    text = str(answer).split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _unique(items: Iterable) -> tuple:
    return tuple(dict.fromkeys(items))


def _call_with_timeout(fn: Callable, timeout: float | None):
    """Run `fn` in a daemon thread and wait at most `timeout` seconds (DNS cannot time out)."""
    box: dict = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed back to the caller below
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name="dg-dns", daemon=True).start()
    if not done.wait(timeout):
        raise TimeoutError
    if "error" in box:
        raise box["error"]
    return box["value"]


def _rough_host(url: str) -> str:
    """The host part of a URL httpx would not parse, for a better refusal message only."""
    rest = url.split("://", 1)[-1]
    for stop in "/?#\\":
        rest = rest.split(stop, 1)[0]
    host = rest.rsplit("@", 1)[-1]
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
