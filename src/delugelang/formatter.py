"""`dg fmt`'s engine: lay a source out in Deluge's conventional form, and prove nothing changed.

format_source() refuses (FormatError) rather than return a text whose syntax tree differs
from the original's, or that lost, added or reordered a comment.
"""

from __future__ import annotations

from . import nodes as n
from .errors import DelugeError, ParseError
from .formatter_layout import Layout
from .formatter_tokens import read_units, scan_comments
from .frontend import parse_module

BOM = "\ufeff"


class FormatError(DelugeError):
    """The formatter would have changed the script's meaning or its comments; nothing is written."""

    kind = "formatter error"


def format_source(source: str) -> str:
    """The formatted text of `source`. Raises ParseError for invalid Deluge, FormatError
    if the layout would not be faithful."""
    original = parse_module(source)
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
        again = parse_module(text)
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
    """The span (in `a`) of the innermost node holding the first difference between two
    syntax trees, spans aside; None when they are equal. Iterative: operator chains make
    trees thousands of levels deep."""
    stack = [(a, b, n.NO_SPAN)]
    while stack:
        x, y, owner = stack.pop()
        if isinstance(x, n.Node):
            if type(x) is not type(y):
                return x.span
            pairs = [(getattr(x, name), getattr(y, name), x.span)
                     for name in n.fields(x) if not isinstance(getattr(x, name), n.Span)]
            stack.extend(reversed(pairs))
        elif isinstance(x, tuple):
            if not isinstance(y, tuple):
                return owner
            xs = [v for v in x if not isinstance(v, n.Span)]
            ys = [v for v in y if not isinstance(v, n.Span)]
            if len(xs) != len(ys):
                return owner
            stack.extend(reversed([(p, q, owner) for p, q in zip(xs, ys)]))
        elif type(x) is not type(y) or x != y:
            return owner
    return None
