"""JSON and XML builtins: the lenient JSON reader behind toMap/toJSONList/getJSON, executeXPath.

Deluge reads JSON the way Java's org.json does (deluge-reference.md §7.9 [doc]): keys and
values may be unquoted (`{company:Zoho, product:Creator}`), strings may use single quotes
(`{Name:'Lia Shelton'}`). Objects become KEY-VALUE maps in their text order, arrays
become lists. XML is parsed only through defusedxml, with DTDs refused outright.
"""

from __future__ import annotations

import json

from ..errors import ScriptError
from ..values import DEC, INT_MAX, INT_MIN, Collection, key_in, to_text
from .registry import COLLECTION, LIST, MAP, TEXT, method

# org.json ends an unquoted value at any of these characters (JSONTokener.nextValue).
_STOPS = frozenset(',:]}/\\"[{;=#')
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r",
            '"': '"', "'": "'", "\\": "\\", "/": "/"}


class _Reader:
    """A recursive-descent reader for org.json's lenient JSON, with depth and size caps."""

    def __init__(self, rt, text: str, op: str):
        self.rt = rt
        self.text = text
        self.pos = 0
        self.op = op
        self.max_depth = rt.limits.value_nesting
        self.max_size = rt.limits.collection_size

    def fail(self, what: str):
        raise ScriptError(f"{self.op}: the text is not valid JSON ({what} at character {self.pos})")

    def skip(self) -> str:
        """Skips white space (every character up to U+0020) and returns the next character."""
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] <= " ":
            pos += 1
        self.pos = pos
        return text[pos] if pos < len(text) else ""

    def value(self, depth: int):
        c = self.skip()
        if c == "{":
            return self.obj(depth + 1)
        if c == "[":
            return self.array(depth + 1)
        if c in ('"', "'"):
            self.pos += 1
            return self.string(c)
        return self.bare()

    def obj(self, depth: int) -> dict:
        if depth > self.max_depth:
            self.fail("objects nested too deeply")
        self.pos += 1
        out: dict = {}
        while True:
            c = self.skip()
            if c == "":
                self.fail("an object must end with '}'")
            if c == "}":
                self.pos += 1
                return out
            if c in "{[":
                self.fail("a key must be text")
            key = self.value(depth)
            key = key if type(key) is str else to_text(key)
            if self.skip() != ":":
                self.fail("expected ':' after a key")
            self.pos += 1
            if key not in out and len(out) >= self.max_size:
                self.rt.check_size(len(out) + 1)
            out[key] = self.value(depth)
            c = self.skip()
            if c in ",;":
                self.pos += 1
                if self.skip() == "}":
                    self.pos += 1
                    return out
                continue
            if c == "}":
                self.pos += 1
                return out
            self.fail("expected ',' or '}'")

    def array(self, depth: int) -> list:
        if depth > self.max_depth:
            self.fail("arrays nested too deeply")
        self.pos += 1
        out: list = []
        if self.skip() == "]":
            self.pos += 1
            return out
        while True:
            if len(out) >= self.max_size:
                self.rt.check_size(len(out) + 1)
            if self.skip() == ",":
                out.append(None)  # org.json reads `[1,,2]` as [1, null, 2]
            else:
                out.append(self.value(depth))
            c = self.skip()
            if c == ",":
                self.pos += 1
                if self.skip() == "]":
                    self.pos += 1
                    return out
                continue
            if c == "]":
                self.pos += 1
                return out
            self.fail("expected ',' or ']'")

    def string(self, quote: str) -> str:
        text, pos = self.text, self.pos
        parts = []
        while True:
            end = pos
            while end < len(text) and text[end] not in (quote, "\\", "\n", "\r"):
                end += 1
            parts.append(text[pos:end])
            if end >= len(text) or text[end] in "\n\r":
                self.pos = end
                self.fail("unterminated string")
            if text[end] == quote:
                self.pos = end + 1
                return "".join(parts)
            esc = text[end + 1:end + 2]
            if esc == "u":
                digits = text[end + 2:end + 6]
                if len(digits) != 4 or any(ch not in "0123456789abcdefABCDEF" for ch in digits):
                    self.pos = end
                    self.fail("bad \\u escape")
                parts.append(chr(int(digits, 16)))
                pos = end + 6
            elif esc in _ESCAPES:
                parts.append(_ESCAPES[esc])
                pos = end + 2
            else:
                self.pos = end
                self.fail("illegal escape")

    def bare(self):
        text, start = self.text, self.pos
        pos = start
        while pos < len(text) and text[pos] >= " " and text[pos] not in _STOPS:
            pos += 1
        self.pos = pos
        token = text[start:pos].strip()
        if not token:
            self.fail("missing value")
        return bare_value(token)


def bare_value(token: str):
    """org.json's JSONObject.stringToValue: true/false/null, numbers, else the text."""
    low = token.lower()
    if low == "true":
        return True
    if low == "false":
        return False
    if low == "null":
        return None
    if token[0] in "0123456789-." and len(token) <= 400:
        try:
            number = DEC.create_decimal(token)
        except (ArithmeticError, ValueError):
            return token
        if not number.is_finite():
            return token
        if any(ch in token for ch in ".eE") or token == "-0":
            return number
        as_int = int(number)
        return as_int if INT_MIN <= as_int <= INT_MAX else number
    return token


def parse_json(rt, text: str, op: str):
    """Read lenient JSON text into Deluge values; anything that is not JSON is an error."""
    rt.check_text(len(text))
    reader = _Reader(rt, text, op)
    first = reader.skip()
    if first not in ("{", "["):
        raise ScriptError(f"{op}: the text is not JSON (it must start with '{{' or '[')")
    strict = _strict_json(text)
    if strict is not _NOT_STRICT:
        _check_shape(rt, strict, op)
        return strict
    try:
        value = reader.value(0)
    except RecursionError:
        raise ScriptError(f"{op}: the JSON is nested too deeply") from None
    if reader.skip() != "":
        reader.fail("unexpected text after the JSON value")
    return value


_NOT_STRICT = object()


def _no_constants(name):
    raise ValueError(name)


def _strict_json(text: str):
    """Standard JSON parsed at C speed, with numbers read the org.json way; _NOT_STRICT when
    the text needs the lenient reader (or is not JSON at all)."""
    try:
        return json.loads(text, parse_int=bare_value, parse_float=bare_value,
                          parse_constant=_no_constants)
    except (ValueError, RecursionError):
        return _NOT_STRICT


def _check_shape(rt, value, op: str) -> None:
    """The caps the lenient reader applies while reading: nesting depth and container size."""
    max_depth, max_size = rt.limits.value_nesting, rt.limits.collection_size
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth:
            raise ScriptError(f"{op}: the text is not valid JSON (objects nested too deeply)")
        if len(item) > max_size:
            rt.check_size(len(item))
        children = item.values() if type(item) is dict else item
        stack.extend((child, depth + 1) for child in children
                     if type(child) is dict or type(child) is list)


# ---------------------------------------------------------------- toMap / toJSONList

@method("toMap", on=TEXT)
def text_to_map(rt, text):
    """Reads JSON-object text into a KEY-VALUE map (reference §7.9 [doc]).

    The reader is lenient like org.json: unquoted keys and values and single-quoted
    strings are accepted; nested objects become maps and arrays lists [inf]. Non-JSON
    text, or JSON that is not an object, is a runtime error [doc]. Empty text gives an
    empty map [inf]. The input must be under 5 MB [doc], within the text budget here.

    >>> "{company:Zoho, product:Creator}".toMap().get("company")
    "Zoho"
    >>> "{\\"a\\": [1, 2.5, true, null]}".toMap()
    {"a": [1, 2.5, true, null]}
    """
    if text.strip() == "":
        return {}
    value = parse_json(rt, text, "toMap")
    if type(value) is not dict:
        raise ScriptError("toMap: the text holds a JSON list, not an object")
    return value


@method("toMap", on=MAP + COLLECTION)
def map_to_map(rt, value):
    """A KEY-VALUE map is already a map: `toMap()` returns it (handy on invokeurl results).

    >>> {"a": 1}.toMap()
    {"a": 1}
    """
    if type(value) is Collection:
        if value.kind == "list":
            raise ScriptError("toMap: an index-value collection is not a map")
        return value.as_map()
    return value


@method("toJSONList", "toJsonList", on=TEXT)
def text_to_json_list(rt, text):
    """Reads JSON-array text into a LIST; objects inside stay maps, so each element can be
    read with getJSON [doc]. Non-JSON text is a runtime error [doc].

    >>> "[343,443,577]".toJSONList()
    [343, 443, 577]
    >>> "[{id:1},{id:2}]".toJSONList().get(1).getJSON("id")
    2
    """
    value = parse_json(rt, text, "toJSONList")
    if type(value) is not list:
        raise ScriptError("toJSONList: the text holds a JSON object, not a list")
    return value


@method("toJSONList", "toJsonList", on=LIST + COLLECTION)
def list_to_json_list(rt, value):
    """A LIST read by `getJSON` from JSON text is already a list: returned as it is [doc:
    `json_text.getJSON("OrderNo").toJSONList()`].

    >>> {1, 2}.toJSONList()
    [1, 2]
    """
    if type(value) is Collection:
        return value.as_list()
    return value


# ---------------------------------------------------------------- getJSON

def _key(key, op: str):
    if key is None:
        raise ScriptError(f"{op}: the key cannot be null")
    return key if type(key) is str else to_text(key)


@method("getJSON", "getJson", on=TEXT, args=(1, 1))
def text_get_json(rt, text, key):
    """The value under `key` in JSON-object text, or null when the key is missing [doc].

    Nested objects come back as maps and arrays as lists, so calls chain
    (`t.getJSON("response").getJSON("employee")`) and arrays can be iterated with
    `for each` [doc]. Non-JSON text is a runtime error [doc].

    Returns: the value (TEXT, NUMBER, DECIMAL, BOOLEAN, KEY-VALUE or LIST), or null

    >>> "{\\"response\\": {\\"id\\": \\"EMP-001\\"}}".getJSON("response").getJSON("id")
    "EMP-001"
    >>> isNull("{a:1}".getJSON("b"))
    true
    """
    value = parse_json(rt, text, "getJSON")
    if type(value) is not dict:
        raise ScriptError("getJSON: the text holds a JSON list, not an object with keys")
    return value.get(_key(key, "getJSON"))


@method("getJSON", "getJson", on=MAP + COLLECTION, args=(1, 1))
def map_get_json(rt, m, key):
    """For a map, `getJSON` is `get`: the value, or null when the key is missing [doc].

    Returns: the stored value (any type), or null

    >>> {"a": 1}.getJSON("a")
    1
    >>> isNull({"a": 1}.getJSON("b"))
    true
    """
    if type(m) is Collection:
        if m.kind == "list":
            raise ScriptError("getJSON: an index-value collection has no keys")
        m = m.items
    if key is None:
        return None
    return m.get(key if type(key) is str else key_in(key))


# ---------------------------------------------------------------- XML

def _parse_xml(rt, text: str, op: str):
    import xml.etree.ElementTree as std_et

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    rt.check_text(len(text))
    try:
        return fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ScriptError(f"{op}: XML with a DTD or entities is refused") from None
    except (std_et.ParseError, ValueError, RecursionError) as exc:
        raise ScriptError(f"{op}: the text is not well-formed XML ({_xml_reason(exc)})") from None


def _xml_reason(exc) -> str:
    pos = getattr(exc, "position", None)
    return f"line {pos[0]}, column {pos[1]}" if pos else "malformed"


def _split_steps(path: str) -> list[tuple[bool, str]]:
    """`/a//b/c` -> [(False, "a"), (True, "b"), (False, "c")]: (descendant?, step)."""
    steps, i, n = [], 0, len(path)
    while i < n:
        deep = path.startswith("//", i)
        i += 2 if deep else (1 if path[i] == "/" else 0)
        depth, j = 0, i
        while j < n and (depth or path[j] != "/"):
            depth += path[j] == "["
            depth -= path[j] == "]"
            j += 1
        if j == i:
            raise ScriptError(f"executeXPath: empty step in {path!r}")
        steps.append((deep, path[i:j]))
        i = j
    return steps


def _select(root, path: str):
    """Evaluate the XPath subset Deluge scripts use: absolute or `//` steps, `*`, `[n]`,
    `[@a='v']`, `[tag='v']`, a final `text()` or `@attr`. Returns nodes or strings."""
    if not path.startswith("/"):
        path = "//" + path
    steps = _split_steps(path)
    tail = None
    if steps and (steps[-1][1] == "text()" or steps[-1][1].startswith("@")):
        tail = steps.pop()
    # A virtual document node holds the root, so `/root` and `//x` both work.
    nodes = [None]
    for deep, step in steps:
        found = []
        for node in nodes:
            found.extend(_step(root, node, deep, step))
        nodes = _unique(found)
    if tail is None:
        return nodes
    deep, step = tail
    out = []
    for node in nodes:
        targets = _descendants_or_self(root, node) if deep else ([node] if node is not None else [])
        for target in targets:
            if step == "text()":
                out.extend(t for t in _texts(target) if t)
            else:
                name = step[1:]
                out.extend(v for k, v in target.attrib.items() if name in ("*", k))
    return out


def _step(root, node, deep: bool, step: str):
    name, _, predicate = step.partition("[")
    if node is None:
        pool = list(root.iter()) if deep else [root]
    elif deep:
        pool = [e for child in node for e in child.iter()]
    else:
        pool = list(node)
    matches = [e for e in pool if name in ("*", e.tag)]
    if not predicate:
        return matches
    return _filter(matches, "[" + predicate, step)


def _filter(nodes, predicates: str, step: str):
    import regex
    for pred in regex.findall(r"\[([^\]]*)\]", predicates):
        pred = pred.strip()
        if pred.isdigit():
            idx = int(pred)
            nodes = [nodes[idx - 1]] if 1 <= idx <= len(nodes) else []
        elif pred == "last()":
            nodes = nodes[-1:]
        else:
            m = regex.fullmatch(r"(@?)([\w.:-]+)\s*=\s*(['\"])(.*)\3", pred)
            if not m:
                raise ScriptError(f"executeXPath: unsupported predicate [{pred}] in {step!r}")
            attr, name, value = m.group(1), m.group(2), m.group(4)
            if attr:
                nodes = [e for e in nodes if e.get(name) == value]
            else:
                nodes = [e for e in nodes if any((c.text or "") == value for c in e if c.tag == name)]
    return nodes


def _descendants_or_self(root, node):
    return list(root.iter()) if node is None else list(node.iter())


def _texts(element):
    yield element.text or ""
    for child in element:
        yield child.tail or ""


def _unique(nodes):
    seen, out = set(), []
    for node in nodes:
        if id(node) not in seen:
            seen.add(id(node))
            out.append(node)
    return out


@method("executeXPath", "executeXpath", on=TEXT, args=(1, 1))
def execute_xpath(rt, xml_text, path):
    """Runs an XPath over XML text and returns the result as TEXT (old Developer guide,
    reference §7.9). Elements come back as their XML, `text()` and `@attr` as their
    values; several results are joined; no match gives "" [inf].

    Parsing goes through defusedxml with DTDs, entities and external references refused,
    so entity-expansion and XXE inputs are runtime errors. The XPath subset: `/a/b`,
    `//b`, `*`, `[n]`, `[last()]`, `[@a='v']`, `[child='v']`, final `text()` or `@a`.

    >>> "<a><b>1</b><b>2</b></a>".executeXPath("/a/b[2]/text()")
    "2"
    >>> "<a><b id='x'>1</b></a>".executeXPath("//b/@id")
    "x"
    """
    path = path if type(path) is str else None
    if not path:
        raise ScriptError("executeXPath: the XPath must be non-empty TEXT")
    if len(path) > rt.limits.regex_pattern_length:
        raise ScriptError("executeXPath: the XPath is too long")
    root = _parse_xml(rt, xml_text, "executeXPath")
    from xml.etree.ElementTree import tostring
    parts = []
    total = 0
    for item in _select(root, path.strip()):
        piece = item if type(item) is str else _element_xml(item, tostring)
        total += len(piece)
        rt.check_text(total)
        parts.append(piece)
    return "".join(parts)


def _element_xml(element, tostring) -> str:
    tail, element.tail = element.tail, None
    try:
        return tostring(element, encoding="unicode")
    finally:
        element.tail = tail


@method("toXmlList", "toXMLList", on=TEXT)
def to_xml_list(rt, xml_text):
    """Splits XML text holding sibling elements (what `executeXPath` returns for several
    nodes) into a LIST of XML texts, one per element, so they can be iterated [3p/inf:
    listed in reference §7.9, page not researched]. Text between the elements is dropped;
    malformed XML is a runtime error.

    >>> "<a>1</a><a>2</a>".toXmlList()
    ["<a>1</a>", "<a>2</a>"]
    """
    from xml.etree.ElementTree import tostring
    body = xml_text.strip()
    if body.startswith("<?xml"):
        end = body.find("?>")
        body = body[end + 2:] if end > 0 else body
    root = _parse_xml(rt, "<deluge-list>" + body + "</deluge-list>", "toXmlList")
    rt.check_size(len(root))
    return [_element_xml(child, tostring) for child in root]
