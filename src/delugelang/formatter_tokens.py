"""The formatter's view of a source: a parse tree that keeps every token, and its comments.

The grammar ignores comments, so they are recovered here by a scan that skips text and
date literals, then attached to the token they belong to: a comment on the same line
as the token before it trails that token; any other comment leads the token after it.
"""

from __future__ import annotations

import functools
import hashlib
from bisect import bisect_left
from dataclasses import dataclass, field

import regex

from .lalr import OPTIONS
from .parser import cache_dir, grammar_text

# Text literals, date literals and both comment forms, in one left-to-right pass, so a
# `//` inside "http://..." or a `/*` inside '...' is never taken for a comment.
_SCAN = regex.compile(r'"(?:\\.|[^"\\])*"|\'[^\'\n]*\'|(//[^\n]*|/\*.*?\*/)', regex.S)


@dataclass(frozen=True)
class Comment:
    text: str
    start: int
    end: int
    line: int
    end_line: int

    @property
    def is_line(self) -> bool:
        return self.text.startswith("//")


@dataclass
class Units:
    """Tokens and comments of one source, with what the layout needs to know about them."""

    source: str
    tokens: list  # every token of the tree, in source order
    comments: list[Comment]
    leading: dict = field(default_factory=dict)   # token start -> [Comment] before it
    trailing: dict = field(default_factory=dict)  # token start -> [Comment] after it
    tail: list = field(default_factory=list)      # comments after the last token
    prev_end: dict = field(default_factory=dict)  # unit start -> end of the unit before it

    def blank_before(self, start: int) -> bool:
        """Whether the source has an empty line between this unit and the one before."""
        end = self.prev_end.get(start)
        if end is None:
            return False
        return self.source.count("\n", end, start) >= 2

    def newline_between(self, end: int, start: int) -> bool:
        return "\n" in self.source[end:start]


@functools.lru_cache(maxsize=1)
def token_parser():
    """An LALR parser over the same grammar that keeps punctuation tokens in the tree.
    Its Lark cache is a pickle, so it lives where the parser's does (parser.cache_dir:
    private to this user, never a shared /tmp), or nowhere."""
    from lark import Lark

    text = grammar_text()
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    directory = cache_dir()
    cache = str(directory / f"fmt-grammar-{digest}.lark.cache") if directory else False
    return Lark(text, keep_all_tokens=True, cache=cache, **OPTIONS)


def scan_comments(source: str) -> list[Comment]:
    comments = []
    for m in _SCAN.finditer(source):
        if m.group(1) is None:
            continue
        start, end = m.span(1)
        line = source.count("\n", 0, start) + 1
        text = m.group(1)
        if text.startswith("//"):
            text = text.rstrip()  # editor artefacts: trailing tabs and '\r'
        comments.append(Comment(text, start, end, line, line + m.group(1).count("\n")))
    return comments


def leaves(tree) -> list:
    """Every token of a tree, in source order (placeholders for absent parts skipped)."""
    from lark import Token

    out, stack = [], [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Token):
            out.append(node)
        elif node is not None:
            stack.extend(reversed(node.children))
    return out


def read_units(source: str):
    """(token tree, Units) for a source that the real parser has already accepted."""
    tree = token_parser().parse(source)
    tokens = leaves(tree)
    units = Units(source, tokens, scan_comments(source))
    _attach(units)
    return tree, units


def _attach(units: Units) -> None:
    starts = [t.start_pos for t in units.tokens]
    for c in units.comments:
        after = bisect_left(starts, c.end)
        before = after - 1
        if before >= 0 and units.tokens[before].end_line == c.line:
            units.trailing.setdefault(starts[before], []).append(c)
        elif after < len(starts):
            units.leading.setdefault(starts[after], []).append(c)
        else:
            units.tail.append(c)
    spans = sorted([(t.start_pos, t.end_pos) for t in units.tokens]
                   + [(c.start, c.end) for c in units.comments])
    for (_, end), (start, _) in zip(spans, spans[1:]):
        units.prev_end[start] = end
