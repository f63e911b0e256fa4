"""`dg fmt`'s engine: lay a source out in Deluge's conventional form, and prove nothing changed.

format_source() refuses (FormatError) rather than return a text whose syntax tree differs
from the original's, or that lost, added or reordered a comment.
"""

from __future__ import annotations

import dataclasses

from . import nodes as n
from .builder import build
from .errors import DelugeError, ParseError
from .formatter_layout import Layout
from .formatter_tokens import read_units, scan_comments
from .parser import parse

BOM = "\ufeff"


class FormatError(DelugeError):
    """The formatter would have changed the script's meaning or its comments; nothing is written."""

    kind = "formatter error"


def format_source(source: str) -> str:
    """The formatted text of `source`. Raises ParseError for invalid Deluge, FormatError
    if the layout would not be faithful."""
    original = build(parse(source))
    tree, units = read_units(source)
    text = Layout(units).module(tree)
    if source.startswith(BOM):
        text = BOM + text
    if _newline_style(source) == "\r\n":
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    verify(source, original, text)
    return text


def _newline_style(source: str) -> str:
    first = source.find("\n")
    return "\r\n" if first > 0 and source[first - 1] == "\r" else "\n"


def verify(source: str, original: n.Module, text: str) -> None:
    """Raise FormatError unless `text` has the same syntax tree and comments as `source`."""
    try:
        again = build(parse(text))
    except ParseError as err:
        raise FormatError(f"the formatted text would not parse ({err.message}); "
                          "the file was left unchanged", 1, 1) from None
    where = first_difference(original, again)
    if where is not None:
        raise FormatError("formatting would change what this code means; the file was left "
                          "unchanged (please report this as a formatter bug)",
                          where.line or 1, where.column or 1)
    before = [c.text for c in scan_comments(source)]
    after = [c.text for c in scan_comments(text)]
    if before != after:
        missing = next((c for c in scan_comments(source) if c.text not in after), None)
        line = missing.line if missing else 1
        raise FormatError("formatting would lose or reorder a comment; the file was left "
                          "unchanged (please report this as a formatter bug)", line, 1)


def first_difference(a, b) -> n.Span | None:
    """The span (in `a`) of the first place where two syntax trees differ, spans aside;
    None when they are equal."""
    if isinstance(a, n.Node):
        if type(a) is not type(b):
            return a.span
        for f in dataclasses.fields(a):
            x, y = getattr(a, f.name), getattr(b, f.name)
            if isinstance(x, n.Span):
                continue
            found = first_difference(x, y)
            if found is not None:
                return found if found != n.NO_SPAN else a.span
        return None
    if isinstance(a, tuple):
        a_items = [x for x in a if not isinstance(x, n.Span)]
        b_items = [y for y in b if not isinstance(y, n.Span)] if isinstance(b, tuple) else None
        if b_items is None or len(a_items) != len(b_items):
            return n.NO_SPAN
        for x, y in zip(a_items, b_items):
            found = first_difference(x, y)
            if found is not None:
                return found
        return None
    if type(a) is not type(b) or a != b:
        return n.NO_SPAN
    return None
