"""The HTTP seam: the guarded client by default, any object with the same `request` method injected."""

from __future__ import annotations

from typing import Iterable

from delugelang.connectors.errors import ConnectorError
from delugelang.connectors.redact import redact
from delugelang.errors import DelugeError


def default_http():
    """The engine's guarded client (SSRF policy from DG_ALLOW_HOSTS / DG_RESOLVE)."""
    from delugelang.net import HttpClient, HttpPolicy

    return HttpClient(HttpPolicy.from_env(label="connector"))


def send(http, method: str, url: str, *, headers: dict[str, str], content: bytes | None = None,
         what: str, secrets: Iterable[str | None] = ()):
    """`http.request(...)`, with transport failures turned into a plain user-facing error.

    The guarded client's own errors are already written for users; any of `secrets`
    (a token in the URL, say) is masked out of them all the same.
    """
    try:
        return http.request(method, url, headers=headers, content=content)
    except DelugeError as exc:
        exc.message = redact(exc.message, secrets)  # same error type: limits stay uncatchable
        exc.args = (exc.message,)
        raise
    except OSError:
        raise ConnectorError(f"could not reach {what}") from None
    except Exception as exc:  # httpx (or another transport) failed; keep its details out
        if type(exc).__module__.split(".")[0] in ("httpx", "httpcore", "h11", "ssl"):
            raise ConnectorError(f"could not reach {what}") from None
        raise
