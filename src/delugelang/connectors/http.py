"""The HTTP seam: the guarded client by default, any object with the same `request` method injected."""

from __future__ import annotations

from delugelang.connectors.errors import ConnectorError
from delugelang.errors import DelugeError


def default_http():
    """The engine's guarded client (SSRF policy from DG_ALLOW_HOSTS / DG_RESOLVE)."""
    from delugelang.net import HttpClient, HttpPolicy

    return HttpClient(HttpPolicy.from_env(label="connector"))


def send(http, method: str, url: str, *, headers: dict[str, str], content: bytes | None = None,
         what: str):
    """`http.request(...)`, with transport failures turned into a plain user-facing error."""
    try:
        return http.request(method, url, headers=headers, content=content)
    except DelugeError:
        raise  # the guarded client's own errors are already written for users
    except OSError:
        raise ConnectorError(f"could not reach {what}") from None
    except Exception as exc:  # httpx (or another transport) failed; keep its details out
        if type(exc).__module__.split(".")[0] in ("httpx", "httpcore", "h11", "ssl"):
            raise ConnectorError(f"could not reach {what}") from None
        raise
