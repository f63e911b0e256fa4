"""REPL snippets: whether input is complete, the session transcript, and statement wrappers.

Each top-level statement of a snippet runs as its own small Program. The wrapper function
receives the session's variables as preset arguments (the values themselves, so lists and
maps keep their identity) plus an output list, and before every exit it appends to that
list: how it ended, the value to show, and the variables the statement assigns. Nothing
here generates code from text: wrappers are syntax-tree nodes built from the parsed snippet.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import nodes as n
from .errors import CheckError, DelugeError, ParseError, render_snippet
from .frontend import parse_module

RESERVED_PREFIX = "__dg_repl"
WRAPPER = RESERVED_PREFIX + "_statement"
OUT = RESERVED_PREFIX + "_out"

# How a wrapper ended: an expression's value, a call's value (hidden when null), a
# top-level `return` (ends the snippet), or a statement with nothing to show.
VALUE, CALL, RETURN, DONE = "value", "call", "return", "done"

# Input states for the line editor and the piped reader.
INCOMPLETE, COMPLETE, OPEN_IF = "incomplete", "complete", "open-if"

_EOF_SUFFIX = "but found the end of the file"  # parser._eof_error's wording
_UNFINISHED = ("Comment Task is not closed properly",  # an open /* (parser.prescan)
               "this text is not closed")             # texts may span lines


# ---------------------------------------------------------------- completeness

def parse_snippet(source: str, limits) -> n.Module:
    """Parse and build a snippet. A last statement without its `;` gets one (a REPL
    convenience: `x + 1` at the prompt means `x + 1;`)."""
    try:
        return parse_module(source, max_nesting=limits.parse_nesting,
                            max_bytes=limits.source_bytes)
    except ParseError as err:
        if not err.message.endswith(_EOF_SUFFIX):
            raise
        try:
            return parse_module(source + ";", max_nesting=limits.parse_nesting,
                                max_bytes=limits.source_bytes)
        except ParseError:
            raise err from None


def input_state(text: str, limits) -> str:
    """INCOMPLETE while brackets are open or the parser wants more; OPEN_IF when the input
    ends with an `if` that an `else` on the next line could still continue."""
    if not text.strip() or text.lstrip().startswith(":"):
        return COMPLETE
    try:
        module = parse_snippet(text, limits)
    except ParseError as err:
        if err.message.endswith(_EOF_SUFFIX) or err.message.startswith(_UNFINISHED):
            return INCOMPLETE
        return COMPLETE  # a real syntax error: run it, so that it is reported
    except DelugeError:
        return COMPLETE
    if module.body and isinstance(module.body[-1], n.If) and module.body[-1].orelse is None:
        return OPEN_IF
    return COMPLETE


def continues_if(line: str) -> bool:
    """Whether a line continues an `if` statement (`else`, `else if`)."""
    word = line.lstrip()[:4].lower()
    rest = line.lstrip()[4:5]
    return word == "else" and not (rest.isalnum() or rest == "_")


# ---------------------------------------------------------------- transcript

@dataclass(frozen=True)
class Chunk:
    start: int  # the transcript line of the chunk's first line
    text: str
    name: str


class Transcript:
    """Every snippet of a session, one after another, so that each line has one number.

    A snippet is parsed after as many newlines as lines came before it. Its syntax tree
    then holds session-wide positions, which stay right for functions it defines when a
    later snippet calls them; errors are rendered against the chunk a line belongs to.
    """

    def __init__(self):
        self.chunks: list[Chunk] = []
        self.next_line = 1

    def add(self, text: str, name: str) -> str:
        """Record a snippet; return it padded to its session-wide position."""
        chunk = Chunk(self.next_line, text, name)
        self.chunks.append(chunk)
        self.next_line += text.count("\n") + 1
        return "\n" * (chunk.start - 1) + text

    def find(self, line: int | None) -> Chunk | None:
        if line is None:
            return None
        for chunk in reversed(self.chunks):
            if chunk.start <= line:
                return chunk
        return None

    def render(self, kind: str, message: str, line: int | None, column: int | None) -> str:
        chunk = self.find(line)
        if chunk is None:
            return render_snippet(kind, message, None, "<repl>", None, None)
        return render_snippet(kind, message, chunk.text, chunk.name, line - chunk.start + 1,
                              column)

    def render_error(self, err: DelugeError) -> str:
        if isinstance(err, CheckError):
            return "\n".join(self.render_problem(p) for p in err.problems)
        return self.render(err.kind, err.message, err.line, err.column)

    def render_problem(self, problem) -> str:
        kind = "warning" if problem.severity == "warning" else "check"
        return self.render(kind, problem.message, problem.line, problem.column)


# ---------------------------------------------------------------- wrappers

def assigned_names(stmts) -> list[str]:
    """Variables a statement list may assign, in first-seen order."""
    names: list[str] = []
    stack = list(reversed(stmts))
    while stack:
        s = stack.pop()
        found = []
        if isinstance(s, n.Assign):
            found = [s.name]
        elif isinstance(s, n.ForEach):
            found = [s.var]
            stack.extend(reversed(s.body))
        elif isinstance(s, n.If):
            for _, body in reversed(s.branches + ((None, s.orelse or ()),)):
                stack.extend(reversed(body))
        elif isinstance(s, n.Try):
            found = [s.var]
            stack.extend(reversed(s.handler))
            stack.extend(reversed(s.body))
        for name in found:
            if name not in names:
                names.append(name)
    return names


def reserved_name_use(module: n.Module) -> n.Node | None:
    """The first node that names a variable or function with the REPL's reserved prefix."""
    stack = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, n.Node):
            continue
        for attr in ("name", "var"):
            value = getattr(node, attr, None)
            if isinstance(value, str) and value.lower().startswith(RESERVED_PREFIX):
                return node
        stack.extend(reversed([getattr(node, name) for name in n.fields(node)
                               if isinstance(getattr(node, name), (n.Node, tuple))]))
    return None


def _text(value: str, span: n.Span) -> n.Literal:
    return n.Literal(span, value, "text")


def _emit(value: n.Node, span: n.Span) -> n.ExprStmt:
    """`__dg_repl_out.add(value);`"""
    return n.ExprStmt(span, n.MethodCall(span, n.Var(span, OUT), "add", (value,), span))


def _exit(kind: str, value: n.Node | None, assigned: list[str], span: n.Span) -> list:
    value = value if value is not None else n.Literal(span, None, "null")
    stmts = [_emit(_text(kind, span), span), _emit(value, span)]
    stmts += [_emit(n.Var(span, name), span) for name in assigned]
    return stmts + [n.Return(span, None)]


def _rewrite_returns(stmts, assigned: list[str]) -> tuple:
    out = []
    for s in stmts:
        if isinstance(s, n.Return):
            out.extend(_exit(RETURN, s.value, assigned, s.span))
        elif isinstance(s, n.If):
            branches = tuple((cond, _rewrite_returns(body, assigned)) for cond, body in s.branches)
            orelse = None if s.orelse is None else _rewrite_returns(s.orelse, assigned)
            out.append(n.replace(s, branches=branches, orelse=orelse))
        elif isinstance(s, n.ForEach):
            out.append(n.replace(s, body=_rewrite_returns(s.body, assigned)))
        elif isinstance(s, n.Try):
            out.append(n.replace(s, body=_rewrite_returns(s.body, assigned),
                                 handler=_rewrite_returns(s.handler, assigned)))
        else:
            out.append(s)
    return tuple(out)


def is_shown_expression(s: n.Node) -> bool:
    """A top-level expression statement whose value the REPL shows. `a.b = 1` stays a
    statement, so the checker reports it as Deluge would."""
    return isinstance(s, n.ExprStmt) and not (isinstance(s.expr, n.BinOp) and s.expr.op == "=")


def statement_body(stmt: n.Node) -> tuple:
    """The wrapper body that runs one top-level statement and reports through OUT."""
    if is_shown_expression(stmt):
        kind = CALL if isinstance(stmt.expr, (n.Call, n.MethodCall, n.Task)) else VALUE
        return tuple(_exit(kind, stmt.expr, [], stmt.span))
    assigned = assigned_names([stmt])
    return _rewrite_returns((stmt,), assigned) + tuple(_exit(DONE, None, assigned, stmt.span))


def check_body(stmts) -> tuple:
    """The snippet as the checker sees it: shown expressions become `info` statements, so
    that `x + 1` is not reported as a statement that does nothing."""
    return tuple(n.Info(s.span, s.expr) if is_shown_expression(s) else s for s in stmts)


def wrapper(body: tuple, variables, span: n.Span) -> n.FunctionDef:
    params = tuple(n.Param(span, "map", name) for name in variables) + (n.Param(span, "list", OUT),)
    return n.FunctionDef(span, "list", (WRAPPER,), params, body)


def wrapper_module(functions, body: tuple, variables, span: n.Span) -> n.Module:
    return n.Module(span, tuple(functions) + (wrapper(body, variables, span),), ())
