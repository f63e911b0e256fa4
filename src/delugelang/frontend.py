"""Source text to syntax tree: the fast parser for valid scripts, Lark for everything else."""

from __future__ import annotations

from . import nodes as n
from .parser import check_size
from .rdparser import fast_parse


def parse_module(source: str, *, max_nesting: int = 100, max_bytes: int = 1_000_000) -> n.Module:
    """The syntax tree of `source`, or ParseError with a position and words.

    The size limit comes first, as in parser.parse. Then the hand-written parser
    (delugelang.rdparser) builds the tree when it is sure; otherwise parser.parse runs
    (its pre-scan, Lark) and delugelang.builder builds, so every error (and every odd case)
    is the Lark path's own. The pre-scan's checks hold on the fast path too: an unclosed
    comment stops the scanner, and it measures the bracket nesting as the pre-scan does."""
    check_size(source, max_bytes)
    module = fast_parse(source, max_nesting)
    if module is None:
        module = lark_module(source, max_nesting=max_nesting, max_bytes=max_bytes)
    return module


def lark_module(source: str, *, max_nesting: int = 100, max_bytes: int = 1_000_000) -> n.Module:
    """The Lark path alone: the oracle the fast parser is tested against."""
    from .builder import build
    from .parser import parse
    return build(parse(source, max_nesting=max_nesting, max_bytes=max_bytes))
