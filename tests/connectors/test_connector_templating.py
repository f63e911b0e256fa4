"""`${var}` templating: escaping by destination, missing names, host pinning (pytest-httpx)."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from delugelang.connectors import Api, ConnectorService, DefinitionError, TemplateError
from delugelang.connectors.model import Connector
from delugelang.connectors.oauth import Token
from delugelang.connectors.registry import ConnectorRegistry
from delugelang.connectors.storage import ConnectionKey
from delugelang.connectors.templating import placeholders, render_request

GOOGLE = "https://www.google.com"
ATOM = """<atom:entry xmlns:atom="http://www.w3.org/2005/Atom" xmlns:gd="http://schemas.google.com/g/2005">
  <atom:category scheme="http://schemas.google.com/g/2005#kind" term="http://schemas.google.com/contact/2008#contact"/>
  <gd:name><gd:givenName>${Fname}</gd:givenName><gd:familyName>${Lname}</gd:familyName></gd:name>
  <gd:email rel="http://schemas.google.com/g/2005#work" address="${Email}"/>
</atom:entry>"""


class HttpxAdapter:
    """The HTTP seam over a plain httpx.Client, so pytest-httpx can intercept requests."""

    def __init__(self):
        self.client = httpx.Client()

    def request(self, method, url, *, headers=None, content=None, **_):
        return self.client.request(method, url, headers=headers, content=content)


@pytest.fixture
def google(workspace):
    """A Google Contacts connector with a stored (never expiring) token; no network needed."""
    registry = ConnectorRegistry(workspace)
    registry.create_connector(Connector(
        name="googlecontacts", authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",
        scopes=["https://www.google.com/m8/feeds"],
        auth_params={"access_type": "offline", "prompt": "consent"}))
    registry.add_api("googlecontacts", Api(
        name="createcontact", method="POST",
        url=GOOGLE + "/m8/feeds/contacts/default/full?alt=${alt}", body=ATOM,
        content_type="application/atom+xml", headers={"GData-Version": "3.0"}))
    registry.set_credentials("googlecontacts", "client-id.apps", "GOOGLE-SECRET-0001")
    registry.state.save_token(ConnectionKey("googlecontacts"),
                              Token(access_token="ya29.TOKEN-XYZ", refresh_token="1//REFRESH"))
    registry.publish_api("googlecontacts.createcontact")
    return ConnectorService(workspace, http=HttpxAdapter())


def test_seed_atom_body_is_xml_escaped(google, httpx_mock):
    httpx_mock.add_response(status_code=201, text="<entry>created</entry>")
    result = google.invoke("googlecontacts.createcontact",
                           {"Fname": 'Tom & "Jerry"', "Lname": "<Cat>", "Email": "t@x.test",
                            "alt": "atom", "Unused": "ignored"})
    assert result == {"status_code": "201", "response": "<entry>created</entry>"}
    request = httpx_mock.get_request()
    body = request.content.decode()
    assert "<gd:givenName>Tom &amp; &quot;Jerry&quot;</gd:givenName>" in body
    assert "<gd:familyName>&lt;Cat&gt;</gd:familyName>" in body
    assert request.headers["Content-Type"] == "application/atom+xml"
    assert request.headers["Authorization"] == "Bearer ya29.TOKEN-XYZ"
    assert request.headers["GData-Version"] == "3.0"
    assert str(request.url) == GOOGLE + "/m8/feeds/contacts/default/full?alt=atom"


def test_missing_variables_are_listed_together(google, httpx_mock):
    with pytest.raises(TemplateError) as info:
        google.invoke("googlecontacts.createcontact", {"Email": "x"})
    assert "alt, Fname, Lname" in info.value.message
    assert not httpx_mock.get_requests()


def api(**fields) -> Api:
    return Api(name="t", **{"url": "https://api.test/v1/items", **fields}).validated()


def test_url_values_are_percent_encoded_and_cannot_move_the_host():
    request = render_request("c.t", api(url="https://api.test/v1/${id}?q=${q}",
                                        params={"key": "${key}"}),
                             {"id": "../admin?x=1#f", "q": "a&b=c d", "key": "k/+ v"})
    assert request.url == ("https://api.test/v1/..%2Fadmin%3Fx%3D1%23f?q=a%26b%3Dc%20d"
                           "&key=k%2F%2B%20v")
    dots = render_request("c.t", api(url="https://api.test/v1/${id}/x"), {"id": ".."})
    assert dots.url == "https://api.test/v1/%2E%2E/x"
    evil = render_request("c.t", api(url="https://api.test/${p}"), {"p": "@attacker.test/"})
    assert evil.url.startswith("https://api.test/")


def test_host_may_not_be_templated():
    for url in ("https://${host}/x", "https://api.test${port}/x", "https://u@api.test/x",
                "ftp://api.test/x"):
        with pytest.raises(DefinitionError):
            api(url=url)


def test_json_body_escapes_inside_strings_and_writes_literals_outside():
    request = render_request("c.t", api(method="POST", content_type="application/json",
                                        body='{"name": "${name}", "age": ${age}, "tags": ${tags},'
                                             ' "vip": ${vip}, "note": ${note}, "score": ${score}}'),
                             {"name": 'He said "hi"\n\\', "age": 42, "tags": ["a", "b"],
                              "vip": True, "note": None, "score": Decimal("9.50")})
    assert json.loads(request.content) == {"name": 'He said "hi"\n\\', "age": 42,
                                           "tags": ["a", "b"], "vip": True, "note": None,
                                           "score": 9.5}
    injected = render_request("c.t", api(method="POST", content_type="application/json",
                                         body='{"a": "${x}", "admin": false}'),
                              {"x": '", "admin": true, "y": "'})
    assert json.loads(injected.content)["admin"] is False


def test_header_values_refuse_line_breaks():
    template = api(headers={"X-Name": "${name}"})
    assert render_request("c.t", template, {"name": "ok"}).headers["X-Name"] == "ok"
    with pytest.raises(TemplateError, match="line break"):
        render_request("c.t", template, {"name": "a\r\nX-Evil: 1"})
    with pytest.raises(DefinitionError):
        api(headers={"Authorization": "Bearer ${t}"})


def test_form_and_text_bodies():
    form = render_request("c.t", api(method="POST", body="a=${a}&b=${b}",
                                     content_type="application/x-www-form-urlencoded"),
                          {"a": "x&y=z", "b": 7})
    assert form.content == b"a=x%26y%3Dz&b=7"
    text = render_request("c.t", api(method="POST", body="Hi ${n}", content_type="text/plain"),
                          {"n": "<b>"})
    assert text.content == b"Hi <b>"


def test_xml_refuses_characters_xml_cannot_hold():
    with pytest.raises(TemplateError, match="XML"):
        render_request("c.t", api(method="POST", body="<a>${v}</a>", content_type="text/xml"),
                       {"v": "bell\x07"})


def test_placeholders_in_order():
    assert placeholders(api(url="https://api.test/${a}?b=${b}", params={"c": "${c}"},
                            headers={"X": "${d}"}, body="${a}${e}")) == ["a", "b", "c", "d", "e"]
