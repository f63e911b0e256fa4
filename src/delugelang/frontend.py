"""Source text to syntax tree: the fast parser for valid scripts, Lark for everything else."""

from __future__ import annotations

from . import nodes as n
from .parser import check_size, prescan
from .rdparser import fast_parse


def parse_module(source: str, *, max_nesting: int = 100, max_bytes: int = 1_000_000) -> n.Module:
    """The syntax tree of `source`, or ParseError with a position and words.

    The size limit and the pre-scan run first, as in parser.parse. Then the hand-written
    parser (delugelang.rdparser) builds the tree when it is sure; otherwise Lark parses and
    delugelang.builder builds, so every error (and every odd case) is Lark's own."""
    check_size(source, max_bytes)
    prescan(source, max_nesting)
    module = fast_parse(source, max_nesting)
    if module is None:
        module = lark_module(source, max_nesting=max_nesting, max_bytes=max_bytes)
    return module


def lark_module(source: str, *, max_nesting: int = 100, max_bytes: int = 1_000_000) -> n.Module:
    """The Lark path alone: the oracle the fast parser is tested against."""
    from .builder import build
    from .parser import parse
    return build(parse(source, max_nesting=max_nesting, max_bytes=max_bytes))
