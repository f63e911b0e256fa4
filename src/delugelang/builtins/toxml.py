"""`toXml`: JSON text (or a KEY-VALUE map) written as XML the way Java's org.json XML does.

Zoho's page (https://www.zoho.com/deluge/help/functions/xml/toxml.html [doc]) shows
`"{Name:'Lia Shelton', OrderNo:[343,443,577]}".toXML()` giving a `<root>` element with one
`<OrderNo>` element per array item and a `<Name>` element: exactly org.json's
`XML.toString(object, "root")`, whose rules this module follows (arrays repeat their key,
empty text becomes `<key/>`, JSON null becomes the text `null`, `content` keys are bare text).
"""

from __future__ import annotations

from ..errors import ScriptError
from ..values import Collection, TypedList, key_out, to_text
from .jsonxml import parse_json
from .registry import COLLECTION, MAP, TEXT, method

_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}


def _escape(text: str) -> str:
    return "".join(_XML_ESCAPES.get(ch, ch) for ch in text)


class _Writer:
    """Appends XML pieces, keeping the output within the run's text budget."""

    def __init__(self, rt):
        self.rt = rt
        self.parts: list[str] = []
        self.length = 0

    def put(self, piece: str) -> None:
        self.length += len(piece)
        self.rt.check_text(self.length)
        self.parts.append(piece)

    def value(self, value, tag: str | None) -> None:
        """org.json XML.toString(value, tag)."""
        if type(value) is Collection:
            value = value.as_map() if value.kind == "map" else value.as_list()
        if type(value) is dict:
            self.obj(value, tag)
        elif type(value) is list or type(value) is TypedList:
            for item in value:
                self.value(item, "array" if tag is None else tag)
        else:
            text = "null" if value is None else _escape(to_text(value))
            if tag is None:
                self.put(f'"{text}"')
            elif text == "":
                self.put(f"<{tag}/>")
            else:
                self.put(f"<{tag}>{text}</{tag}>")

    def obj(self, m: dict, tag: str | None) -> None:
        if tag is not None:
            self.put(f"<{tag}>")
        for raw_key, item in m.items():
            key = to_text(key_out(raw_key))
            if type(item) is Collection:
                item = item.as_map() if item.kind == "map" else item.as_list()
            if key == "content":
                self._content(item)
            elif type(item) is list or type(item) is TypedList:
                for element in item:
                    if type(element) is list or type(element) is TypedList:
                        self.put(f"<{key}>")
                        self.value(element, None)
                        self.put(f"</{key}>")
                    else:
                        self.value(element, key)
            elif item == "":
                self.put(f"<{key}/>")
            else:
                self.value(item, key)
        if tag is not None:
            self.put(f"</{tag}>")

    def _content(self, item) -> None:
        """A `content` key is the element's own text (several values joined by newlines)."""
        if type(item) is list or type(item) is TypedList:
            self.put("\n".join(_escape("null" if v is None else to_text(v)) for v in item))
        else:
            self.put(_escape("null" if item is None else to_text(item)))


@method("toXml", "toXML", on=TEXT + MAP + COLLECTION)
def to_xml(rt, value):
    """JSON text, or a KEY-VALUE map, as XML inside a `<root>` element [doc: toxml.html].

    Each key becomes an element; an array repeats its key once per item; empty text gives
    `<key/>`; JSON null gives `<key>null</key>`; `<`, `>`, `&` and quotes are escaped
    (org.json XML rules [inf: the doc output matches them]). The doc comment prints the
    elements one per line and the keys in hash order; we write compact XML in the keys'
    text order (see docs/deviations.md). Non-JSON text is a runtime error.

    >>> "{Name:'Lia Shelton', OrderNo:[343,443,577]}".toXML()
    "<root><Name>Lia Shelton</Name><OrderNo>343</OrderNo><OrderNo>443</OrderNo><OrderNo>577</OrderNo></root>"
    >>> {"a": "x < y", "b": "", "c": {"d": true}}.toXml()
    "<root><a>x &lt; y</a><b/><c><d>true</d></c></root>"
    """
    if type(value) is str:
        value = parse_json(rt, value, "toXml")
    elif type(value) is Collection and value.kind == "list":
        raise ScriptError("toXml: an index-value collection has no keys to name XML elements")
    writer = _Writer(rt)
    writer.value(value, "root")
    return "".join(writer.parts)
