"""The Deluge syntax tree: immutable node classes, each with the span it came from."""

from __future__ import annotations

from .frozen import Frozen as _Frozen, FrozenError, _set

# Plain classes with __slots__ and a written-out __init__ rather than frozen dataclasses:
# creating 33 dataclasses cost about 40 ms at every start-up of `dg run`. They behave as
# frozen dataclasses did (delugelang.frozen): positional or keyword construction, equality
# and hashing by type and fields, a repr naming every field, and no assignment after
# construction. `fields(node)` and `replace(node, **changes)` stand for
# dataclasses.fields/replace.

FrozenNodeError = FrozenError  # the name this module used before the classes were shared


def fields(node) -> tuple[str, ...]:
    """The names of a node's fields, `span` first, in constructor order."""
    return node._fields


def replace(node, **changes):
    """A copy of `node` with some fields changed."""
    return node.replace(**changes)


class Span(_Frozen):
    __slots__ = ("line", "column", "end_line", "end_column")
    _fields = ('line', 'column', 'end_line', 'end_column')
    line: int
    column: int
    end_line: int
    end_column: int

    def __init__(self, line, column, end_line, end_column):
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "end_line", end_line)
        _set(self, "end_column", end_column)


NO_SPAN = Span(0, 0, 0, 0)


class Node(_Frozen):
    __slots__ = ("span",)
    _fields = ('span',)
    span: Span

    def __init__(self, span):
        _set(self, "span", span)


# ------------------------------------------------------------------ expressions

class Literal(Node):
    """TEXT, NUMBER, DECIMAL (as its digits), BOOLEAN or null."""
    __slots__ = ("value", "kind")
    _fields = ('span', 'value', 'kind')
    value: object
    kind: str  # "text" | "number" | "decimal" | "boolean" | "null"

    def __init__(self, span, value, kind):
        _set(self, "span", span)
        _set(self, "value", value)
        _set(self, "kind", kind)


class QuotedLiteral(Node):
    """`'15-Aug-1947'`: a date or date-time, else TEXT (reference §2)."""
    __slots__ = ("text",)
    _fields = ('span', 'text')
    text: str

    def __init__(self, span, text):
        _set(self, "span", span)
        _set(self, "text", text)


class Var(Node):
    __slots__ = ("name",)
    _fields = ('span', 'name')
    name: str

    def __init__(self, span, name):
        _set(self, "span", span)
        _set(self, "name", name)


class BinOp(Node):
    __slots__ = ("op", "left", "right", "op_span")
    _fields = ('span', 'op', 'left', 'right', 'op_span')
    op: str  # + - * / % == != < <= > >=
    left: Node
    right: Node
    op_span: Span

    def __init__(self, span, op, left, right, op_span):
        _set(self, "span", span)
        _set(self, "op", op)
        _set(self, "left", left)
        _set(self, "right", right)
        _set(self, "op_span", op_span)


class Logic(Node):
    __slots__ = ("op", "operands")
    _fields = ('span', 'op', 'operands')
    op: str  # && ||
    operands: tuple

    def __init__(self, span, op, operands):
        _set(self, "span", span)
        _set(self, "op", op)
        _set(self, "operands", operands)


class Unary(Node):
    __slots__ = ("op", "operand")
    _fields = ('span', 'op', 'operand')
    op: str  # ! - +
    operand: Node

    def __init__(self, span, op, operand):
        _set(self, "span", span)
        _set(self, "op", op)
        _set(self, "operand", operand)


class Call(Node):
    """`name(args)`: a builtin function or a function of this file."""
    __slots__ = ("name", "args")
    _fields = ('span', 'name', 'args')
    name: str
    args: tuple

    def __init__(self, span, name, args):
        _set(self, "span", span)
        _set(self, "name", name)
        _set(self, "args", args)


class PairArg(Node):
    """`"k" : v` inside `collection(...)` or `insert(...)`."""
    __slots__ = ("key", "value")
    _fields = ('span', 'key', 'value')
    key: Node
    value: Node

    def __init__(self, span, key, value):
        _set(self, "span", span)
        _set(self, "key", key)
        _set(self, "value", value)


class MethodCall(Node):
    """`recv.name(args)`; also `zoho.crm.x(...)` and `standalone.f(...)` before resolution."""
    __slots__ = ("receiver", "name", "args", "name_span")
    _fields = ('span', 'receiver', 'name', 'args', 'name_span')
    receiver: Node
    name: str
    args: tuple
    name_span: Span

    def __init__(self, span, receiver, name, args, name_span):
        _set(self, "span", span)
        _set(self, "receiver", receiver)
        _set(self, "name", name)
        _set(self, "args", args)
        _set(self, "name_span", name_span)


class Field(Node):
    """`recv.Name` without parentheses: `input.First_Name`, `e.message`, `zoho.currentdate`."""
    __slots__ = ("receiver", "name")
    _fields = ('span', 'receiver', 'name')
    receiver: Node
    name: str

    def __init__(self, span, receiver, name):
        _set(self, "span", span)
        _set(self, "receiver", receiver)
        _set(self, "name", name)


class ListLit(Node):
    __slots__ = ("items",)
    _fields = ('span', 'items')
    items: tuple

    def __init__(self, span, items):
        _set(self, "span", span)
        _set(self, "items", items)


class MapLit(Node):
    __slots__ = ("pairs",)
    _fields = ('span', 'pairs')
    pairs: tuple  # of (key Node, value Node)

    def __init__(self, span, pairs):
        _set(self, "span", span)
        _set(self, "pairs", pairs)


class EmptyBraces(Node):
    """`{}`: an empty collection that becomes a list or a map on first use."""
    __slots__ = ()
    _fields = ('span',)

    def __init__(self, span):
        _set(self, "span", span)


class TypedListNew(Node):
    __slots__ = ("elem_type", "args")
    _fields = ('span', 'elem_type', 'args')
    elem_type: str
    args: tuple

    def __init__(self, span, elem_type, args):
        _set(self, "span", span)
        _set(self, "elem_type", elem_type)
        _set(self, "args", args)


class InlineIf(Node):
    __slots__ = ("cond", "then", "other")
    _fields = ('span', 'cond', 'then', 'other')
    cond: Node
    then: Node
    other: Node

    def __init__(self, span, cond, then, other):
        _set(self, "span", span)
        _set(self, "cond", cond)
        _set(self, "then", then)
        _set(self, "other", other)


class IfNull(Node):
    __slots__ = ("value", "other")
    _fields = ('span', 'value', 'other')
    value: Node
    other: Node

    def __init__(self, span, value, other):
        _set(self, "span", span)
        _set(self, "value", value)
        _set(self, "other", other)


class Task(Node):
    """`invokeurl [ ... ]` / `sendmail [ ... ]` with their `key: value` parameters."""
    __slots__ = ("name", "params")
    _fields = ('span', 'name', 'params')
    name: str
    params: tuple  # of (key, Node or tuple of Nodes, Span)

    def __init__(self, span, name, params):
        _set(self, "span", span)
        _set(self, "name", name)
        _set(self, "params", params)


# ------------------------------------------------------------------ statements

class Assign(Node):
    __slots__ = ("name", "value")
    _fields = ('span', 'name', 'value')
    name: str
    value: Node

    def __init__(self, span, name, value):
        _set(self, "span", span)
        _set(self, "name", name)
        _set(self, "value", value)


class ExprStmt(Node):
    __slots__ = ("expr",)
    _fields = ('span', 'expr')
    expr: Node

    def __init__(self, span, expr):
        _set(self, "span", span)
        _set(self, "expr", expr)


class If(Node):
    __slots__ = ("branches", "orelse")
    _fields = ('span', 'branches', 'orelse')
    branches: tuple  # of (cond Node, body tuple)
    orelse: tuple | None

    def __init__(self, span, branches, orelse):
        _set(self, "span", span)
        _set(self, "branches", branches)
        _set(self, "orelse", orelse)


class ForEach(Node):
    __slots__ = ("var", "iterable", "body", "index")
    _fields = ('span', 'var', 'iterable', 'body', 'index')
    var: str
    iterable: Node
    body: tuple
    index: bool  # default False

    def __init__(self, span, var, iterable, body, index=False):
        _set(self, "span", span)
        _set(self, "var", var)
        _set(self, "iterable", iterable)
        _set(self, "body", body)
        _set(self, "index", index)


class Break(Node):
    __slots__ = ()
    _fields = ('span',)

    def __init__(self, span):
        _set(self, "span", span)


class Continue(Node):
    __slots__ = ()
    _fields = ('span',)

    def __init__(self, span):
        _set(self, "span", span)


class Return(Node):
    __slots__ = ("value",)
    _fields = ('span', 'value')
    value: Node | None

    def __init__(self, span, value):
        _set(self, "span", span)
        _set(self, "value", value)


class Info(Node):
    __slots__ = ("value",)
    _fields = ('span', 'value')
    value: Node

    def __init__(self, span, value):
        _set(self, "span", span)
        _set(self, "value", value)


class Try(Node):
    __slots__ = ("body", "var", "handler", "var_span")
    _fields = ('span', 'body', 'var', 'handler', 'var_span')
    body: tuple
    var: str
    handler: tuple
    var_span: Span

    def __init__(self, span, body, var, handler, var_span):
        _set(self, "span", span)
        _set(self, "body", body)
        _set(self, "var", var)
        _set(self, "handler", handler)
        _set(self, "var_span", var_span)


class Throw(Node):
    __slots__ = ("value",)
    _fields = ('span', 'value')
    value: Node

    def __init__(self, span, value):
        _set(self, "span", span)
        _set(self, "value", value)


class Empty(Node):
    __slots__ = ()
    _fields = ('span',)

    def __init__(self, span):
        _set(self, "span", span)


# ------------------------------------------------------------------ top level

class Param(Node):
    __slots__ = ("type_name", "name")
    _fields = ('span', 'type_name', 'name')
    type_name: str
    name: str

    def __init__(self, span, type_name, name):
        _set(self, "span", span)
        _set(self, "type_name", type_name)
        _set(self, "name", name)


class FunctionDef(Node):
    __slots__ = ("return_type", "qualified_name", "params", "body")
    _fields = ('span', 'return_type', 'qualified_name', 'params', 'body')
    return_type: str
    qualified_name: tuple  # ("standalone", "notify") or ("notify",)
    params: tuple
    body: tuple

    @property
    def name(self) -> str:
        return self.qualified_name[-1]

    @property
    def display_name(self) -> str:
        return ".".join(self.qualified_name)

    def __init__(self, span, return_type, qualified_name, params, body):
        _set(self, "span", span)
        _set(self, "return_type", return_type)
        _set(self, "qualified_name", qualified_name)
        _set(self, "params", params)
        _set(self, "body", body)


class Module(Node):
    __slots__ = ("functions", "body")
    _fields = ('span', 'functions', 'body')
    functions: tuple
    body: tuple  # top-level statements: the script's main body

    def __init__(self, span, functions, body):
        _set(self, "span", span)
        _set(self, "functions", functions)
        _set(self, "body", body)
