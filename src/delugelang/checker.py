"""Static checks: one pass that collects every error in a module, in source order."""

from __future__ import annotations

from . import nodes as n
from . import tasks
from .builtins.registry import arity_words, lookup_function, method_spec
from .errors import Problem

# Names scripts read without assigning: the record context (Creator-style `input.X`).
CONTEXT_NAMES = {"input"}
# Heads of dotted calls that name a function of this file: `standalone.f()`.
FUNCTION_CATEGORIES = {"standalone", "button", "automation", "relatedlist", "related_list",
                       "schedule", "restapi", "workflow", "validation", "crm", "thisapp"}
VOID_TYPES = {"void"}
# Deluge's reserved words cannot name a variable (reference §2, keywords page). Real
# scripts sometimes try `list = ...`; Zoho's editor refuses it, and so do we.
RESERVED = {"bool", "collection", "date", "else", "false", "float", "for", "from", "if",
            "ifnull", "in", "int", "is", "list", "map", "null", "permissions", "portal",
            "reload", "return", "string", "thisapp", "true", "void", "zoho"}


def dotted_path(node: n.Node, is_variable) -> tuple[str, ...] | None:
    """`zoho.crm` or `standalone` as a name path, when its head is not a script variable."""
    parts = []
    while isinstance(node, n.Field):
        parts.append(node.name)
        node = node.receiver
    if isinstance(node, n.Var) and not is_variable(node.name):
        parts.append(node.name)
        return tuple(reversed(parts))
    return None


def is_system_variable(path: tuple[str, ...]) -> bool:
    """`zoho.currentdate`: a value, so `zoho.currentdate.addDay(1)` is a method call on it."""
    return (len(path) == 2 and path[0].lower() == "zoho"
            and path[1].lower() in tasks.SYSTEM_VARIABLES)


class FunctionTable:
    """The functions defined in one module, found by name or by `category.name`."""

    def __init__(self, module: n.Module):
        self.by_name: dict[str, n.FunctionDef] = {}
        self.duplicates: list[n.FunctionDef] = []
        for fn in module.functions:
            if fn.name in self.by_name:
                self.duplicates.append(fn)
            else:
                self.by_name[fn.name] = fn

    def find(self, name: str) -> n.FunctionDef | None:
        return self.by_name.get(name)

    def find_qualified(self, path: tuple[str, ...]) -> n.FunctionDef | None:
        fn = self.by_name.get(path[-1])
        if fn is None or len(path) == 1:
            return fn
        if tuple(fn.qualified_name) == tuple(path) or path[0].lower() in FUNCTION_CATEGORIES:
            return fn
        return None


class Checker:
    def __init__(self, module: n.Module):
        self.module = module
        self.functions = FunctionTable(module)
        self.problems: list[Problem] = []

    def error(self, message: str, span: n.Span, severity: str = "error") -> None:
        self.problems.append(Problem(message, span.line or None, span.column or None, severity))

    def run(self) -> list[Problem]:
        for dup in self.functions.duplicates:
            self.error(f"function '{dup.name}' is defined twice", dup.span)
        if self.module.body:
            self.check_body(self.module.body, set(), None)
        for fn in self.module.functions:
            params = set()
            for p in fn.params:
                if p.name.lower() in RESERVED:
                    self.error(f"'{p.name}' is a reserved word in Deluge and cannot be an "
                               f"argument name", p.span)
                if p.name in params:
                    self.error(f"parameter '{p.name}' is declared twice", p.span)
                params.add(p.name)
            self.check_body(fn.body, params, fn)
        self.problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        return self.problems

    # ---------------------------------------------------------------- statements

    def check_body(self, body, params: set, fn: n.FunctionDef | None) -> None:
        self.defined = set(params) | CONTEXT_NAMES
        self.fn = fn
        self.loop_depth = 0
        self.block(body)

    def block(self, stmts) -> None:
        for stmt in stmts:
            self.stmt(stmt)

    def stmt(self, s: n.Node) -> None:
        t = type(s)
        if t is n.Assign:
            self.expr(s.value)
            self.bind(s.name, s.span)
        elif t is n.ExprStmt:
            self.expr_statement(s)
        elif t is n.If:
            for cond, body in s.branches:
                self.condition(cond)
                self.block(body)
            if s.orelse is not None:
                self.block(s.orelse)
        elif t is n.ForEach:
            self.expr(s.iterable)
            self.bind(s.var, s.span)
            self.loop_depth += 1
            self.block(s.body)
            self.loop_depth -= 1
        elif t in (n.Break, n.Continue):
            if self.loop_depth == 0:
                word = "break" if t is n.Break else "continue"
                self.error(f"'{word}' can only be used inside a for each loop", s.span)
        elif t is n.Return:
            self.return_stmt(s)
        elif t is n.Info or t is n.Throw:
            self.expr(s.value)
        elif t is n.Try:
            self.block(s.body)
            self.bind(s.var, s.var_span)
            self.block(s.handler)

    def bind(self, name: str, span: n.Span) -> None:
        if name.lower() in RESERVED:
            self.error(f"'{name}' is a reserved word in Deluge and cannot be a variable name; "
                       f"rename it (for example '{name}Value')", span)
        self.defined.add(name)

    def return_stmt(self, s: n.Return) -> None:
        if s.value is not None:
            self.expr(s.value)
            if self.fn is not None and self.fn.return_type.lower() in VOID_TYPES:
                self.error(f"function '{self.fn.display_name}' is declared void, so it cannot "
                           f"return a value", s.span)

    def expr_statement(self, s: n.ExprStmt) -> None:
        e = s.expr
        self.expr(e)
        if isinstance(e, n.BinOp) and e.op == "=":
            self.error(_assignment_target_problem(e.left), s.span)
        elif not isinstance(e, (n.Call, n.MethodCall, n.Task)):
            self.error("this statement does nothing: expected an assignment, a call or a task",
                       s.span)

    def condition(self, cond: n.Node) -> None:
        self.expr(cond)
        for node in _walk_binops(cond):
            if node.op == "=":
                self.error("'=' compares here; write '==' for a comparison", node.op_span,
                           severity="warning")

    # ---------------------------------------------------------------- expressions

    def is_variable(self, name: str) -> bool:
        return name in self.defined

    def expr(self, e: n.Node) -> None:
        t = type(e)
        if t is n.Var:
            if e.name not in self.defined:
                # Deluge's own save error wording (reference §11).
                self.error(f"Variable '{e.name}' is not defined", e.span)
        elif t is n.BinOp:
            self.expr(e.left)
            self.expr(e.right)
        elif t is n.Logic:
            for o in e.operands:
                self.expr(o)
        elif t is n.Unary:
            self.expr(e.operand)
        elif t is n.Call:
            self.call(e)
        elif t is n.MethodCall:
            self.method_call(e)
        elif t is n.Field:
            self.field(e)
        elif t is n.ListLit:
            for item in e.items:
                self.expr(item)
        elif t is n.MapLit:
            for k, v in e.pairs:
                self.expr(k)
                self.expr(v)
        elif t is n.TypedListNew:
            self.args(e.args)
        elif t is n.InlineIf:
            self.condition(e.cond)
            self.expr(e.then)
            self.expr(e.other)
        elif t is n.IfNull:
            self.expr(e.value)
            self.expr(e.other)
        elif t is n.PairArg:
            self.expr(e.key)
            self.expr(e.value)
        elif t is n.Task:
            self.task(e)

    def args(self, args) -> None:
        for a in args:
            self.expr(a)

    def arity(self, what: str, count: int, lo: int, hi: int | None, span: n.Span) -> None:
        if count < lo or (hi is not None and count > hi):
            self.error(f"{what} takes {arity_words(lo, hi)}, but {count} "
                       f"{'was' if count == 1 else 'were'} given", span)

    def call(self, e: n.Call) -> None:
        self.args(e.args)
        fn = self.functions.find(e.name)
        if fn is not None:
            self.arity(f"function '{fn.display_name}'", len(e.args), len(fn.params),
                       len(fn.params), e.span)
            return
        spec = lookup_function(e.name)
        if spec is None:
            self.error(f"unknown function '{e.name}'", e.span)
            return
        lo, hi = _spec_arity(spec, function_form=True)
        self.arity(f"{e.name}()", len(e.args), lo, hi, e.span)

    def method_call(self, e: n.MethodCall) -> None:
        path = dotted_path(e.receiver, self.is_variable)
        if path is not None and not is_system_variable(path):
            self.qualified_call(path + (e.name,), e)
            return
        self.expr(e.receiver)
        self.args(e.args)
        spec = method_spec(e.name)
        if spec is None:
            self.error(f"unknown method '{e.name}'", e.name_span)
            return
        lo, hi = spec.arity()
        self.arity(f"{e.name}()", len(e.args), lo, hi, e.name_span)

    def qualified_call(self, path: tuple[str, ...], e: n.MethodCall) -> None:
        self.args(e.args)
        dotted = ".".join(path)
        if path[0].lower() == "zoho":
            spec = tasks.lookup(dotted)
            if spec is None:
                self.error(f"unknown task '{dotted}'", e.span)
            else:
                self.arity(spec.name, len(e.args), spec.min_args, spec.max_args, e.span)
            return
        fn = self.functions.find_qualified(path)
        if fn is None:
            if len(path) == 2 and path[0] not in self.defined and path[0].lower() not in \
                    FUNCTION_CATEGORIES:
                self.error(f"Variable '{path[0]}' is not defined", e.receiver.span)
            else:
                self.error(f"unknown function '{dotted}'", e.span)
            return
        self.arity(f"function '{fn.display_name}'", len(e.args), len(fn.params), len(fn.params),
                   e.span)

    def field(self, e: n.Field) -> None:
        path = dotted_path(e, self.is_variable)
        if path is not None and path[0].lower() == "zoho":
            if len(path) != 2 or path[1].lower() not in tasks.SYSTEM_VARIABLES:
                self.error(f"unknown system variable '{'.'.join(path)}'", e.span)
            return
        self.expr(e.receiver)

    def task(self, e: n.Task) -> None:
        allowed = tasks.BLOCK_TASKS.get(e.name, set())
        seen = set()
        for key, value, span in e.params:
            if key not in allowed:
                self.error(f"{e.name} has no parameter '{key}'; it takes "
                           f"{', '.join(sorted(allowed))}", span)
            if key in seen:
                self.error(f"{e.name} parameter '{key}' is given twice", span)
            seen.add(key)
            for v in value if isinstance(value, tuple) else (value,):
                self.expr(v)
        if e.name == "invokeurl" and "url" not in seen:
            self.error("invokeurl needs a 'url:' parameter", e.span)


def _assignment_target_problem(target: n.Node) -> str:
    """Why `target = value` is not an assignment (the grammar read it as a comparison)."""
    only = "only a variable name can be assigned"
    if isinstance(target, n.Literal) and target.kind in ("null", "boolean"):
        word = "null" if target.value is None else str(target.value).lower()
        return f"cannot assign to '{word}': it is a reserved word; {only}"
    if isinstance(target, n.Literal):
        return f"cannot assign to a {target.kind} value; {only}"
    if isinstance(target, n.Field):  # `m.key = v`: Deluge sets a map's key with put
        return (f"cannot assign to a field; {only} (to set a key of a map, write "
                f"m.put(\"{target.name}\", value))")
    return f"cannot assign to this expression; {only}"


def _spec_arity(spec, function_form: bool):
    if hasattr(spec, "impls"):
        lo, hi = spec.arity()
        return lo + 1, (None if hi is None else hi + 1)
    return spec.min_args, spec.max_args


def _walk_binops(e: n.Node):
    stack = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, n.BinOp):
            yield node
            stack.extend((node.left, node.right))
        elif isinstance(node, n.Logic):
            stack.extend(node.operands)
        elif isinstance(node, n.Unary):
            stack.append(node.operand)


# The checker and the compiler walk the tree recursively. The parser bounds brackets and
# blocks, but a long operator chain (`1 + 1 + ... + 1`) builds one nested node per
# operator, so the tree's depth is bounded here, before any recursive walk.
MAX_TREE_DEPTH = 500


def too_deep(module: n.Module, limit: int = MAX_TREE_DEPTH) -> n.Node | None:
    """The first node nested deeper than `limit`, found without recursion, or None.
    Names, constants and spans hold no node, and a leaf node matters only below the
    limit: stacking every field made this walk two thirds of checking (bench/NOTES.md,
    B5). What is skipped would have been popped and ignored, so the answer is the same."""
    stack: list = [(module, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, tuple):
            children = item
        else:
            if depth > limit:
                return item
            depth += 1
            children = item._values(item)
        if depth > limit:
            stack.extend([(child, depth) for child in children if isinstance(child, _WALKED)])
        else:
            stack.extend([(child, depth) for child in children
                          if isinstance(child, _WALKED) and type(child) not in _LEAVES])
    return None


_WALKED = (n.Node, tuple)
_LEAVES = frozenset({n.Literal, n.QuotedLiteral, n.Var, n.EmptyBraces, n.Break, n.Continue,
                     n.Empty})


def check(module: n.Module) -> list[Problem]:
    """Every static problem in the module (errors and warnings), in source order."""
    deep = too_deep(module)
    if deep is not None:
        return [Problem(f"this expression is nested too deeply (more than {MAX_TREE_DEPTH} "
                        f"operations inside one another); split it into several statements",
                        deep.span.line or None, deep.span.column or None)]
    return Checker(module).run()
