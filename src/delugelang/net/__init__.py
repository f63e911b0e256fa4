"""The engine's one HTTP client, behind an SSRF guard (DESIGN.md, sandbox invariant 6).

    policy = HttpPolicy.from_env(max_redirects=5)      # DG_ALLOW_HOSTS, DG_RESOLVE
    with HttpClient(policy, on_request=budget.charge) as client:
        response = client.request("GET", "https://api.example.com/v1/items")

Every hop is checked before anything is sent: scheme, host, the address the name resolves
to (looked up once; the connection goes to that very address), then timeouts and a cap on
the decoded body. Refusals and failures are ScriptErrors with user-facing text; an
oversized body is a LimitError("http_response_bytes").
"""

from .addresses import blocked_reason, parse_ip
from .client import HttpClient, HttpResponse
from .policy import HttpPolicy

__all__ = ["HttpClient", "HttpPolicy", "HttpResponse", "blocked_reason", "parse_ip"]
