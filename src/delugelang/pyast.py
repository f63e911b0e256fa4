"""Python `ast` builders for the generated code, and the Deluge source positions they carry."""

from __future__ import annotations

import ast

from . import nodes as n
from .inline import LOAD, STORE


def mangled(name: str) -> str:
    """The Python name of the Deluge variable `name` (sandbox invariant 1: `v_` + a name
    the grammar accepted). The grammar only accepts ASCII identifiers; assert it, because
    a non-ASCII name would be NFKC-normalized by CPython (`__ｉｍｐｏｒｔ__` -> `__import__`)."""
    assert name.isascii() and (name.replace("_", "a").isalnum()), name
    return "v_" + name


def name(ident: str, ctx=None) -> ast.Name:
    return ast.Name(ident, ctx or LOAD)


def call(func: str, *args) -> ast.Call:
    return ast.Call(func=name(func), args=list(args), keywords=[])


def call_attr(obj: str, attr: str, *args) -> ast.Call:
    return ast.Call(func=ast.Attribute(name(obj), attr, LOAD), args=list(args), keywords=[])


def assign(target: str, value: ast.expr) -> ast.Assign:
    return ast.Assign(targets=[name(target, STORE)], value=value)


def assign_attr(obj: str, attr: str, value: ast.expr) -> ast.Assign:
    return ast.Assign(targets=[ast.Attribute(name(obj), attr, STORE)], value=value)


def at(node, span: n.Span):
    """Give a Python node the Deluge position (line, 0-based column) of a span's start.

    The end is kept on the same line: CPython moves a method call's position to the end
    line of a multi-line attribute, which would point errors at a closing brace."""
    if span.line:
        node.lineno = node.end_lineno = span.line
        node.col_offset = max(span.column - 1, 0)
        same_line = span.end_line == span.line and span.end_column > span.column
        node.end_col_offset = span.end_column - 1 if same_line else node.col_offset + 1
    return node


def fill_positions(tree: ast.Module) -> None:
    """Give every node without a position its parent's, as ast.fix_missing_locations does,
    in one explicit loop (the generator-based original was half of compiling a big file)."""
    stack = [(node, 1, 0, 1, 0) for node in tree.body]
    AST = ast.AST
    while stack:
        node, line, col, end_line, end_col = stack.pop()
        if "lineno" in node._attributes:
            if getattr(node, "lineno", None) is None:
                node.lineno, node.col_offset = line, col
                node.end_lineno, node.end_col_offset = end_line, end_col
            else:
                line, col = node.lineno, node.col_offset
                end_line = getattr(node, "end_lineno", None) or line
                end_col = getattr(node, "end_col_offset", None)
                end_col = col if end_col is None else end_col
        for name in node._fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, AST):
                        stack.append((item, line, col, end_line, end_col))
            elif isinstance(value, AST):
                stack.append((value, line, col, end_line, end_col))
