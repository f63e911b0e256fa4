"""Runs ../shared/attacks/public.jsonl: hostile scripts must end the way a safe engine ends.

For every case: the outcome class the corpus states (OK, ERROR/REJECT, BLOCKED), a
Deluge-worded failure (never a Python exception name, traceback, repr or address), the
host alive, and the time bound. Some cases also pin exact output.
"""

from __future__ import annotations

import re
import time

import pytest

import delugelang
from shared_corpus import SHARED_REASON, shared_cases
from delugelang.errors import DelugeError, LimitError, ScriptError
from delugelang.limits import Limits
from deluge_harness import services_for

CASES = shared_cases("attacks/public.jsonl")

PYTHON_LEAKS = re.compile(
    r"Traceback|NoneType|\bobject at 0x|<class |<built-in|<function |Error\(|"
    r"\b(Type|Value|Key|Attribute|Index|Name|Recursion|Memory|Overflow|ZeroDivision|"
    r"UnicodeEncode|UnboundLocal)Error\b|__import__ at|int_max_str_digits")

# Exact output where the corpus states it.
EXPECTED_INFO = {
    "esc-004": ["null", "null", "null"],
    "esc-005": ["data1", "data3", "__class__,__init__,get,keys", "4"],
    "esc-016": ["3", "o", "7"],
    "esc-020": ["safe"],
    "rec-004": ["2485"],
}
EXPECTED_FIRST_INFO = {"esc-008": "a{0.__class__}c", "type-007": "4"}
# Cases that run with the guarded HTTP client and a connection holding marker secrets.
NEEDS_HTTP = {"ssrf", "secret-leak"}
ACCESS_TOKEN = "TEST-ACCESS-TOKEN-9f3b"
REFRESH_TOKEN = "TEST-REFRESH-TOKEN-41c2"
CLIENT_SECRET = "TEST-CLIENT-SECRET-77aa"
# Only 127.0.0.2 is allowlisted; the names scripts use are pinned there (DG_RESOLVE style).
PINS = {name: "127.0.0.2" for name in ("public.test", "api.example.test", "attacker.test",
                                       "crm.test")}


def outcome_class(expect: str) -> set[str]:
    head = expect.split(":", 1)[0].upper()
    allowed = set()
    if head.startswith("OK"):
        allowed.add("ok")
    if "ERROR" in head or "REJECT" in head or "BLOCKED" in head:
        allowed.add("error")
    lowered = expect.lower()
    if "or error" in lowered or "deluge error" in lowered or "clean syntax error" in lowered \
            or "or reject" in lowered or "lexer error" in lowered:
        allowed.add("error")
    if not allowed:  # "Documented Deluge behaviour (error or wrap)..." and the like
        allowed = {"ok", "error"}
    return allowed


@pytest.fixture
def http_world(tmp_path, monkeypatch, connects):
    """The harness the secret-leak cases describe: connection crm_conn bound to
    https://crm.test/ with marker tokens and secret, behind the guarded client."""
    from delugelang.connectors import Connector, ConnectorRegistry, ConnectorService
    from delugelang.connectors.oauth import Token
    from delugelang.connectors.tokens import TokenManager
    from delugelang.invokeurl import HttpTaskService
    from delugelang.net import HttpClient, HttpPolicy

    monkeypatch.setenv("DG_SECRET_KEY", "ab" * 32)
    registry = ConnectorRegistry(tmp_path / "tenantA")
    registry.create_connector(Connector(name="crm_conn", authorize_url="https://crm.test/oauth/auth",
                                        token_url="https://crm.test/oauth/token"))
    registry.set_credentials("crm_conn", "tenant-a-client", CLIENT_SECRET)
    TokenManager(registry.state, time.time).save(
        registry.connection_key("crm_conn", None),
        Token(ACCESS_TOKEN, refresh_token=REFRESH_TOKEN, expires_at=time.time() + 3600,
              obtained_at=time.time()))
    policy = HttpPolicy.from_env({}, allow_hosts=("127.0.0.2",), resolve=PINS,
                                 connect_timeout=1.0, total_timeout=2.0)
    with HttpClient(policy) as client:
        connectors = ConnectorService(tmp_path / "tenantA", http=client)
        yield services_for(None).replace(http=HttpTaskService(client, connectors),
                      connectors=connectors), connects


def run_case(code: str, services=None):
    limits = Limits(time_seconds=5.0)
    started = time.monotonic()
    try:
        result = delugelang.compile(code, "<attack>").run(
            services=services or services_for(None), limits=limits)
        return "ok", list(result.info), None, time.monotonic() - started
    except DelugeError as err:
        return "error", list(getattr(err, "info", ()) or ()), err, time.monotonic() - started


@pytest.mark.skipif(not CASES, reason=SHARED_REASON)
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_attack(case, request):
    services = connects = None
    if case["category"] in NEEDS_HTTP:
        services, connects = request.getfixturevalue("http_world")
    kind, info, err, elapsed = run_case(case["code"], services)
    if case["id"] == "leak-010" or "run it twice" in case["expect"].lower():
        # A second tenant in the same process sees nothing of the first run.
        again_kind, again_info, again_err, _ = run_case(case["code"], services)
        assert (again_kind, again_info) == (kind, info)
        assert (again_err and again_err.message) == (err and err.message)
    allowed = outcome_class(case["expect"])
    detail = f"{kind}: {err.message if err else info[:5]}"
    assert kind in allowed, f"expected {sorted(allowed)}, got {detail}"
    assert elapsed < 3.0, f"took {elapsed:.1f}s"
    texts = info + ([err.message] if err else [])
    for text in texts:
        assert not PYTHON_LEAKS.search(text[:10_000]), f"Python internals leaked: {text[:200]!r}"
        for secret in (ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET):
            assert secret not in text, "a secret reached the script's output or error"
    if connects is not None and "before" in case["expect"].lower():
        # Refused before any connection: no socket tried to reach anything.
        assert connects == [], f"connected to {connects}"
    if case["id"] in EXPECTED_INFO:
        assert info == EXPECTED_INFO[case["id"]]
    if case["id"] in EXPECTED_FIRST_INFO:
        assert info and info[0] == EXPECTED_FIRST_INFO[case["id"]]


def test_limit_errors_are_not_catchable():
    code = "try { for each a in {1,2,3,4,5,6,7,8,9,10} { for each b in {1,2,3,4,5,6,7,8,9,10} " \
           "{ x = 1; } } } catch (e) { info \"caught\"; }"
    with pytest.raises(LimitError):
        delugelang.compile(code).run(limits=Limits(statements=50))


def test_division_by_zero_is_catchable():
    code = "try { x = 10 / 0; } catch (e) { info e; }"
    assert delugelang.compile(code).run().info == ("division by zero",)


def test_runs_do_not_share_state():
    program = delugelang.compile('m = Map();\nm.put("secret", "tenantA");\ninfo m.size();')
    first = program.run()
    second = program.run()
    assert first.info == second.info == ("1",)


def test_recursion_limit_is_a_deluge_error():
    code = "int down(int n) { return down(n + 1); }\ninfo down(1);"
    with pytest.raises(LimitError) as err:
        delugelang.compile(code).run()
    assert "75" in err.value.message and err.value.limit == "call_depth"


def test_script_error_for_number_overflow():
    with pytest.raises(ScriptError, match="NUMBER range"):
        delugelang.compile("n = 9223372036854775807;\ninfo n * n;").run()


def test_call_depth_error_points_at_the_call_that_went_too_deep():
    code = "int f(int n)\n{\n\treturn 1 + f(n - 1);\n}\ninfo f(3);\n"
    with pytest.raises(LimitError) as err:
        delugelang.compile(code).run()
    assert (err.value.line, err.value.column) == (3, 13)
