"""`${var}` substitution into API templates, escaped for where each value lands."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable
from urllib.parse import quote, quote_plus, urlencode

from delugelang.connectors.errors import TemplateError
from delugelang.connectors.model import Api, template_origin

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}")
# XML 1.0 forbids these characters outright, escaped or not.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class RenderedRequest:
    """A request ready to send (before the connection adds its token)."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None


def placeholders(api: Api) -> list[str]:
    """Every variable name an API uses, in first-seen order."""
    texts = [api.url, *api.params.values(), *api.headers.values(), api.body or ""]
    seen: dict[str, None] = {}
    for text in texts:
        for match in PLACEHOLDER.finditer(text):
            seen.setdefault(match.group(1))
    return list(seen)


def check_variables(api_id: str, api: Api, variables: dict[str, Any]) -> None:
    """Raise one error naming every variable the API needs but was not given."""
    missing = [name for name in placeholders(api) if name not in variables]
    if missing:
        names = ", ".join(missing)
        raise TemplateError(f"connector API {api_id!r} needs a value for: {names}")


def render_request(api_id: str, api: Api, variables: dict[str, Any]) -> RenderedRequest:
    """Fill the API's templates from `variables`; extra keys are ignored."""
    check_variables(api_id, api, variables)
    url = _render(api.url, variables, _url_component)
    if api.params:
        query = urlencode({k: _render(v, variables, _to_text) for k, v in api.params.items()},
                          quote_via=quote)
        url += ("&" if "?" in url else "?") + query
    if template_origin(url) != api.origin:  # defence in depth: values never move the host
        raise TemplateError(f"connector API {api_id!r} would leave its host")
    headers = {name: _render(value, variables, _header_value(name))
               for name, value in api.headers.items()}
    content = None
    if api.body is not None:
        content = render_body(api.body, api.content_type, variables).encode("utf-8")
    if api.content_type:
        headers["Content-Type"] = api.content_type
    return RenderedRequest(api.method, url, headers, content)


def render_body(template: str, content_type: str | None, variables: dict[str, Any]) -> str:
    """Render a body, escaping by its content type: XML, JSON, form or plain text."""
    kind = (content_type or "").lower()
    if "json" in kind:
        return _render_json(template, variables)
    if "xml" in kind:
        return _render(template, variables, _xml_text)
    if "x-www-form-urlencoded" in kind:
        return _render(template, variables, lambda v: quote_plus(_to_text(v), safe=""))
    return _render(template, variables, _to_text)


def to_text(value: Any) -> str:
    """A script value as Deluge writes it in text."""
    return _to_text(value)


# -- escapers ---------------------------------------------------------------------------

def _to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(_jsonable(value), ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _url_component(value: Any) -> str:
    text = _to_text(value)
    if text and set(text) == {"."}:  # "." and ".." would walk the path; keep them literal
        return "%2E" * len(text)
    return quote(text, safe="")


def _header_value(header: str) -> Callable[[Any], str]:
    def escape(value: Any) -> str:
        text = _to_text(value)
        if any(ch in text for ch in "\r\n\x00"):
            raise TemplateError(f"the value for header {header!r} contains a line break")
        return text
    return escape


def _xml_text(value: Any) -> str:
    text = _to_text(value)
    if _XML_FORBIDDEN.search(text):
        raise TemplateError("a value contains a control character that XML does not allow")
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value.as_tuple().exponent < 0 else int(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _json_literal(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return json.dumps(_jsonable(value), ensure_ascii=False, separators=(",", ":"))


def _json_in_string(value: Any) -> str:
    return json.dumps(_to_text(value), ensure_ascii=False)[1:-1]


# -- substitution -----------------------------------------------------------------------

def _render(template: str, variables: dict[str, Any], escape: Callable[[Any], str]) -> str:
    return PLACEHOLDER.sub(lambda m: escape(variables[m.group(1)]), template)


def _render_json(template: str, variables: dict[str, Any]) -> str:
    """Inside a JSON string a value is string-escaped; elsewhere it becomes a JSON literal."""
    out: list[str] = []
    position, in_string = 0, False
    for match in PLACEHOLDER.finditer(template):
        chunk = template[position:match.start()]
        in_string = _json_string_state(chunk, in_string)
        value = variables[match.group(1)]
        out += [chunk, _json_in_string(value) if in_string else _json_literal(value)]
        position = match.end()
    out.append(template[position:])
    return "".join(out)


def _json_string_state(chunk: str, in_string: bool) -> bool:
    escaped = False
    for ch in chunk:
        if escaped:
            escaped = False
        elif ch == "\\" and in_string:
            escaped = True
        elif ch == '"':
            in_string = not in_string
    return in_string
