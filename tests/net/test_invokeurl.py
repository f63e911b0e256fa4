"""invokeurl through the guarded HTTP client, against loopback listeners reached by allowlist."""

from __future__ import annotations

import json

import pytest

import delugelang
from delugelang import LimitError, ScriptError, Services
from delugelang.invokeurl import HttpTaskService
from delugelang.limits import Limits
from delugelang.net import HttpClient, HttpPolicy

RESOLVE = {"api.example.test": "127.0.0.2", "loopback-alias.test": "127.0.0.1"}
# The listeners `allowed` (127.0.0.2) and `loopback` (127.0.0.1, never to be reached)
# come from tests/net/conftest.py.


@pytest.fixture
def services():
    policy = HttpPolicy.from_env({}, allow_hosts=("127.0.0.2",), resolve=RESOLVE,
                                 connect_timeout=2.0)
    with HttpClient(policy) as client:
        yield Services(http=HttpTaskService(client))


def run(source: str, services: Services, **limits):
    program = delugelang.compile(source, "<invokeurl>")
    return program.run(services=services, limits=Limits(**limits) if limits else None)


def echo_url(listener, path: str = "/echo") -> str:
    return listener.url(path, host="api.example.test")


def test_get_with_parameters_sends_a_query_and_reads_json_as_a_map(allowed, services):
    result = run(f'''
        r = invokeurl [ url: "{echo_url(allowed)}" type: GET parameters: {{"q": "a b&c", "n": 3}} ];
        info r.get("method");
        info r.get("path");
    ''', services)
    assert result.info == ("GET", "/echo?q=a+b%26c&n=3")


def test_post_parameters_are_form_fields(allowed, services):
    run(f'r = invokeurl [ url: "{echo_url(allowed)}" type: POST parameters: {{"name": "Ada & co"}} ];',
        services)
    seen = allowed.seen[-1]
    assert seen.method == "POST" and seen.body == b"name=Ada+%26+co"
    assert seen.header("Content-Type") == "application/x-www-form-urlencoded"


def test_json_body_headers_and_content_type(allowed, services):
    run(f'''
        payload = {{"email": "ada@example.com", "tags": {{"a", "b"}}}};
        r = invokeurl [
            url: "{echo_url(allowed)}"
            type: PUT
            headers: {{"X-Api-Key": "k1"}}
            body: payload
            content-type: "application/json"
        ];
    ''', services)
    seen = allowed.seen[-1]
    assert seen.method == "PUT" and seen.header("X-Api-Key") == "k1"
    assert seen.header("Content-Type") == "application/json"
    assert json.loads(seen.body) == {"email": "ada@example.com", "tags": ["a", "b"]}


def test_text_body_is_sent_as_is(allowed, services):
    run(f'r = invokeurl [ url: "{echo_url(allowed)}" type: POST body: "<a>x</a>" '
        f'content-type: "application/xml" ];', services)
    assert allowed.seen[-1].body == b"<a>x</a>"


def test_plain_text_response_stays_text(allowed, services):
    result = run(f'r = invokeurl [ url: "{echo_url(allowed, "/ok")}" type: GET ];\nreturn r;',
                 services)
    assert result.value == "ok"


def test_detailed_response_and_error_status_is_a_normal_result(allowed, services):
    url = echo_url(allowed, "/redirect?code=404&to=/nowhere")
    result = run(f'''
        r = invokeurl [ url: "{url}" type: GET detailed: true ];
        info r.get("responseCode");
        info r.get("responseHeader").get("Location");
        info r.get("responseText");
    ''', services)
    assert result.info == ("404", "/nowhere", "")


def test_slow_server_gives_the_documented_socket_timeout_error(allowed, services):
    # Deluge: invokeurl has a 40 s socket timeout and fails with "socket timeout error"
    # (deluge-reference.md §9.1); the limit is lowered here to keep the test quick.
    with pytest.raises(ScriptError, match="socket timeout error") as err:
        run(f'r = invokeurl [ url: "{echo_url(allowed, "/slow?s=3")}" type: GET ];', services,
            http_timeout_seconds=0.5)
    assert err.value.line == 1


def test_timeout_can_be_caught_by_try_catch(allowed, services):
    result = run(f'''
        try {{ r = invokeurl [ url: "{echo_url(allowed, "/slow?s=3")}" type: GET ]; }}
        catch (e) {{ info "failed: " + e; }}
    ''', services, http_timeout_seconds=0.5)
    assert result.info[0].startswith("failed: invokeurl: socket timeout error")


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}/admin", "http://loopback-alias.test:{port}/",
                                 "http://2130706433:{port}/", "http://[::ffff:127.0.0.1]:{port}/"])
def test_internal_targets_are_refused_before_any_connection(url, loopback, services):
    with pytest.raises(ScriptError, match="destination not allowed"):
        run(f'r = invokeurl [ url: "{url.format(port=loopback.port)}" type: GET ];', services)
    assert loopback.seen == []


def test_http_call_budget(allowed, services):
    with pytest.raises(LimitError, match="http_calls"):
        run(f'for each i in {{1,2,3}} {{ r = invokeurl [ url: "{echo_url(allowed, "/ok")}" ]; }}',
            services, http_calls=2)
    assert len(allowed.seen) == 2


def test_response_byte_cap(allowed, services):
    with pytest.raises(LimitError):
        run(f'r = invokeurl [ url: "{echo_url(allowed, "/big?n=200000")}" ];', services,
            http_response_bytes=1000)


@pytest.mark.parametrize("block, message", [
    ('url: "https://api.example.test/" headers: {"X": "a\\nb"}', "line break"),
    ('url: "https://api.example.test/" body: "x" parameters: {"a": 1}', "either body or parameters"),
    ('url: "https://api.example.test/" type: TRACE', "type must be one of"),
    ('url: ""', "url must be a non-empty TEXT"),
])
def test_requests_that_cannot_be_sent_are_clear_errors(block, message, services, allowed):
    with pytest.raises(ScriptError, match=message):
        run(f"r = invokeurl [ {block} ];", services)
    assert allowed.seen == []


def test_without_an_http_service_the_error_says_so():
    with pytest.raises(ScriptError, match="no HTTP service is configured"):
        delugelang.compile('r = invokeurl [ url: "https://api.example.test/" ];').run()
