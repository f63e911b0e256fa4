"""The Deluge syntax tree: frozen dataclasses, each with the span it came from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int


NO_SPAN = Span(0, 0, 0, 0)


@dataclass(frozen=True)
class Node:
    span: Span


# ------------------------------------------------------------------ expressions

@dataclass(frozen=True)
class Literal(Node):
    """TEXT, NUMBER, DECIMAL (as its digits), BOOLEAN or null."""
    value: object
    kind: str  # "text" | "number" | "decimal" | "boolean" | "null"


@dataclass(frozen=True)
class QuotedLiteral(Node):
    """`'15-Aug-1947'`: a date or date-time, else TEXT (reference §2)."""
    text: str


@dataclass(frozen=True)
class Var(Node):
    name: str


@dataclass(frozen=True)
class BinOp(Node):
    op: str  # + - * / % == != < <= > >=
    left: Node
    right: Node
    op_span: Span


@dataclass(frozen=True)
class Logic(Node):
    op: str  # && ||
    operands: tuple


@dataclass(frozen=True)
class Unary(Node):
    op: str  # ! - +
    operand: Node


@dataclass(frozen=True)
class Call(Node):
    """`name(args)`: a builtin function or a function of this file."""
    name: str
    args: tuple


@dataclass(frozen=True)
class PairArg(Node):
    """`"k" : v` inside `collection(...)` or `insert(...)`."""
    key: Node
    value: Node


@dataclass(frozen=True)
class MethodCall(Node):
    """`recv.name(args)`; also `zoho.crm.x(...)` and `standalone.f(...)` before resolution."""
    receiver: Node
    name: str
    args: tuple
    name_span: Span


@dataclass(frozen=True)
class Field(Node):
    """`recv.Name` without parentheses: `input.First_Name`, `e.message`, `zoho.currentdate`."""
    receiver: Node
    name: str


@dataclass(frozen=True)
class ListLit(Node):
    items: tuple


@dataclass(frozen=True)
class MapLit(Node):
    pairs: tuple  # of (key Node, value Node)


@dataclass(frozen=True)
class EmptyBraces(Node):
    """`{}`: an empty collection that becomes a list or a map on first use."""


@dataclass(frozen=True)
class TypedListNew(Node):
    elem_type: str
    args: tuple


@dataclass(frozen=True)
class InlineIf(Node):
    cond: Node
    then: Node
    other: Node


@dataclass(frozen=True)
class IfNull(Node):
    value: Node
    other: Node


@dataclass(frozen=True)
class Task(Node):
    """`invokeurl [ ... ]` / `sendmail [ ... ]` with their `key: value` parameters."""
    name: str
    params: tuple  # of (key, Node or tuple of Nodes, Span)


# ------------------------------------------------------------------ statements

@dataclass(frozen=True)
class Assign(Node):
    name: str
    value: Node


@dataclass(frozen=True)
class ExprStmt(Node):
    expr: Node


@dataclass(frozen=True)
class If(Node):
    branches: tuple  # of (cond Node, body tuple)
    orelse: tuple | None


@dataclass(frozen=True)
class ForEach(Node):
    var: str
    iterable: Node
    body: tuple
    index: bool = False


@dataclass(frozen=True)
class Break(Node):
    pass


@dataclass(frozen=True)
class Continue(Node):
    pass


@dataclass(frozen=True)
class Return(Node):
    value: Node | None


@dataclass(frozen=True)
class Info(Node):
    value: Node


@dataclass(frozen=True)
class Try(Node):
    body: tuple
    var: str
    handler: tuple
    var_span: Span


@dataclass(frozen=True)
class Throw(Node):
    value: Node


@dataclass(frozen=True)
class Empty(Node):
    pass


# ------------------------------------------------------------------ top level

@dataclass(frozen=True)
class Param(Node):
    type_name: str
    name: str


@dataclass(frozen=True)
class FunctionDef(Node):
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


@dataclass(frozen=True)
class Module(Node):
    functions: tuple
    body: tuple  # top-level statements: the script's main body
