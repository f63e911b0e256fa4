"""Inline fast paths for operators and method calls whose operands are plain NUMBERs or TEXTs.

`a * b` compiles to

    (t_3 if op_type(t_1 := A) is op_type(t_2 := B) is op_int
             and -2**63 <= (t_3 := t_1 * t_2) <= 2**63 - 1
     else op_mul(rt, t_1, t_2))

so two 64-bit NUMBERs never pay for a helper call, and every other case (DECIMAL, TEXT,
null, overflow, a type error) takes the full helper in ops.py, which gives Deluge's
result or Deluge's error. Both operands are evaluated exactly once, left first. The
generated code still holds only our own names (`op_type` is Python's `type`, bound by
the compiler) and no attribute access: sandbox invariant 1.
"""

from __future__ import annotations

import ast

from . import nodes as n
from .run_helpers import INLINE_HELPERS  # noqa: F401 (the Python builtins the fast paths call)
from .values import INT_MAX, INT_MIN

# Contexts and operators carry no position, so one instance of each serves every node
# (a 500-line function has about 10,000 of them: fewer objects to allocate, and fewer for
# the cycle collector to scan while it compiles). Statements are never shared.
LOAD, STORE = ast.Load(), ast.Store()
IS, IS_NOT, IN, NOT, AND, OR = ast.Is(), ast.IsNot(), ast.In(), ast.Not(), ast.And(), ast.Or()
ADD, MOD, GT, GTE, LTE = ast.Add(), ast.Mod(), ast.Gt(), ast.GtE(), ast.LtE()

_ARITHMETIC = {"+": ADD, "-": ast.Sub(), "*": ast.Mult()}
_ORDER = {"<": ast.Lt(), "<=": LTE, ">": GT, ">=": GTE}
_EQUALITY = {"==": ast.Eq(), "=": ast.Eq(), "!=": ast.NotEq()}


def _load(ident: str) -> ast.Name:
    return ast.Name(ident, LOAD)


def _store(ident: str) -> ast.Name:
    return ast.Name(ident, STORE)


def type_is(value: ast.expr, type_helper: str) -> ast.Compare:
    return ast.Compare(ast.Call(_load("op_type"), [value], []), [IS], [_load(type_helper)])


def int_constant(node: n.Node) -> int | None:
    if isinstance(node, n.Literal) and node.kind == "number" and type(node.value) is int:
        return node.value
    return None


def _text_constant(node: n.Node) -> str | None:
    if isinstance(node, n.Literal) and node.kind == "text" and type(node.value) is str:
        return node.value
    return None


class Operand:
    """One operand of an inlined operator: its first use binds a temporary (unless it is a
    variable or a constant, which can be read twice), later uses read it back."""

    def __init__(self, expr: ast.expr, temp):
        self.stable = isinstance(expr, (ast.Name, ast.Constant))
        self.text = False  # the compiler knows it is a TEXT (Compiler.text_piece)
        self.expr = expr
        self.ident = None if self.stable else temp()

    def first(self) -> ast.expr:
        if self.stable:
            return self.expr
        return ast.NamedExpr(_store(self.ident), self.expr)

    def again(self) -> ast.expr:
        return self.expr if self.stable else _load(self.ident)


def binary(op: str, left_node: n.Node, right_node: n.Node, left: ast.expr, right: ast.expr,
           helper: str, temp, known_as=None) -> ast.expr | None:
    """The inline form of `left op right` (== and != against a constant), or None.
    `known_as(node, type_helper)`: whether the compiler knows `node` has that type (then
    the comparison needs no test)."""
    if op not in _EQUALITY:
        return None
    a, b = Operand(left, temp), Operand(right, temp)
    a_int, b_int = int_constant(left_node), int_constant(right_node)
    a_text, b_text = _text_constant(left_node), _text_constant(right_node)
    fallback = ast.Call(_load(helper), [_load("rt"), a.again(), b.again()], [])
    # Only against a NUMBER or TEXT constant: then equal types compare as Python does
    # (BOOLEAN is not NUMBER: type(True) is bool). Anything else goes to ops.eq.
    if b_int is not None or b_text is not None:
        subject, node, kind = a, left_node, "op_int" if b_int is not None else "op_str"
    elif a_int is not None or a_text is not None:
        subject, node, kind = b, right_node, "op_int" if a_int is not None else "op_str"
    else:
        return None
    if known_as is not None and known_as(node, kind):
        return ast.Compare(left, [_EQUALITY[op]], [right])
    test = type_is(subject.first(), kind)
    fast = ast.Compare(a.again(), [_EQUALITY[op]], [b.again()])
    return ast.IfExp(test=test, body=fast, orelse=fallback)


def equality_chain(e: n.Logic):
    """`v == K1 || v == K2 || ...` (or `v != K1 && v != K2 && ...`) over one variable and
    TEXT constants, or NUMBER constants: (variable, constants, type helper), else None.
    For a `v` of the constants' type that is `v in (K1, K2, ...)`: equal types compare as
    Python does (ops.eq), and BOOLEAN is not NUMBER (type(True) is bool)."""
    wanted = ("==", "=") if e.op == "||" else ("!=",)
    name, constants, kind = None, [], None
    for o in e.operands:
        if type(o) is not n.BinOp or o.op not in wanted:
            return None
        var, const = (o.left, o.right) if type(o.left) is n.Var else (o.right, o.left)
        value = _text_constant(const)
        value_kind = "op_str" if value is not None else "op_int"
        if value is None:
            value = int_constant(const)
        if type(var) is not n.Var or value is None or name not in (None, var.name) or \
                kind not in (None, value_kind):
            return None
        name, kind = var.name, value_kind
        constants.append(value)
    return name, tuple(constants), kind


def mixed(op: str, left_node: n.Node, right_node: n.Node, left: ast.expr, right: ast.expr,
          helper: str, temp) -> ast.expr | None:
    """`+ - * %` and `< <= > >=` whose operands are any expressions (calls, fields...):
    each operand is evaluated once into a temporary, then the NUMBER case runs inline."""
    if op not in _ARITHMETIC and op not in _ORDER and op != "%":
        return None
    a, b = Operand(left, temp), Operand(right, temp)
    a_const, b_const = int_constant(left_node) is not None, int_constant(right_node) is not None
    if a_const and b_const:
        return None
    fallback = ast.Call(_load(helper), [_load("rt"), a.again(), b.again()], [])
    if a_const:
        checks = [type_is(b.first(), "op_int")]
    elif b_const:
        checks = [type_is(a.first(), "op_int")]
    else:
        checks = [ast.Compare(ast.Call(_load("op_type"), [a.first()], []), [IS, IS],
                              [ast.Call(_load("op_type"), [b.first()], []), _load("op_int")])]
    if op in _ORDER:
        fast = ast.Compare(a.again(), [_ORDER[op]], [b.again()])
        return ast.IfExp(test=checks[0], body=fast, orelse=fallback)
    result = temp()
    if op == "%":
        checks.append(ast.Compare(a.again(), [GTE], [ast.Constant(0)]))
        if not (b_const and right_node.value > 0):
            checks.append(ast.Compare(b.again(), [GT], [ast.Constant(0)]))
        fast = ast.BinOp(a.again(), MOD, b.again())
        return ast.IfExp(test=ast.BoolOp(AND, checks), body=fast, orelse=fallback)
    checks.append(ast.Compare(ast.Constant(INT_MIN), [LTE, LTE],
                              [ast.NamedExpr(_store(result),
                                             ast.BinOp(a.again(), _ARITHMETIC[op], b.again())),
                               ast.Constant(INT_MAX)]))
    return ast.IfExp(test=ast.BoolOp(AND, checks), body=_load(result), orelse=fallback)


def text_concat(left: ast.expr, right: ast.expr, text_on_left: bool, temp) -> ast.expr:
    """`"text" + x` (or `x + "text"`) when x is TEXT or NUMBER, inline:

        (r if ((tt := op_type(t := X)) is op_str and op_len(r := K + t) <= n_text)
              or (tt is op_int and op_len(r := K + op_str(t)) <= n_text)
         else op_concat(rt, K, t))

    `n_text` is the run's text-length budget, read once per function call. Past it, or
    for any other type, ops.concat gives Deluge's text or the budget error."""
    const, other = (left, right) if text_on_left else (right, left)
    operand = Operand(other, temp)  # a variable needs no temporary
    kind, result = temp(), temp()

    def joined(piece):
        parts = (const, piece) if text_on_left else (piece, const)
        total = ast.NamedExpr(_store(result), ast.BinOp(parts[0], ADD, parts[1]))
        return ast.Compare(ast.Call(_load("op_len"), [total], []), [LTE],
                           [_load("n_text")])

    kind_of = ast.NamedExpr(_store(kind), ast.Call(_load("op_type"), [operand.first()], []))
    as_text = ast.BoolOp(AND, [ast.Compare(kind_of, [IS], [_load("op_str")]),
                                     joined(operand.again())])
    as_number = ast.BoolOp(AND, [
        ast.Compare(_load(kind), [IS], [_load("op_int")]),
        joined(ast.Call(_load("op_str"), [operand.again()], []))])
    args = [_load("rt"), const, operand.again()] if text_on_left else \
        [_load("rt"), operand.again(), const]
    return ast.IfExp(test=ast.BoolOp(OR, [as_text, as_number]), body=_load(result),
                     orelse=ast.Call(_load("op_concat"), args, []))


def map_get(recv: Operand, key: ast.expr, temp):
    """`m.get(k)` on a KEY-VALUE map with a TEXT or NUMBER key is `dict.get(m, k)` (keys
    of those types are stored as themselves, values.key_in; fastmethods.map_get does the
    same one frame later). Only for a key that is a constant or a variable, which can be
    read twice. Returns (test, fast value, receiver for the fallback) or None."""
    key_ok = key_check(key, temp)
    if key_ok is None:
        return None
    checks = [type_is(recv.first(), "op_dict")] + key_ok
    test = checks[0] if len(checks) == 1 else ast.BoolOp(AND, checks)
    fast = ast.Call(_load("op_lookup"), [recv.again(), key], [])
    return test, fast, recv.again()


def is_integer_tree(e: n.Node) -> bool:
    """Whether `e` is `+ - * %` over variables and NUMBER constants only (so it can be
    evaluated twice without side effects), with at least one operator."""
    return type(e) is n.BinOp and e.op in _INT_OPS and _pure(e.left) and _pure(e.right)


def is_integer_comparison(e: n.Node) -> bool:
    """`<`, `<=`, `>`, `>=` between two such trees or leaves, not both constants."""
    return (type(e) is n.BinOp and e.op in _ORDER and _pure(e.left) and _pure(e.right)
            and not (int_constant(e.left) is not None and int_constant(e.right) is not None))


_INT_OPS = {"+", "-", "*", "%"}


def _pure(e: n.Node) -> bool:
    t = type(e)
    if t is n.Var:
        return True
    if t is n.Literal:
        return int_constant(e) is not None
    return t is n.BinOp and e.op in _INT_OPS and _pure(e.left) and _pure(e.right)


def integer_tree(e: n.BinOp, generic: ast.expr, var, temp) -> ast.expr:
    """`(fast if <every variable is a NUMBER and every step stays in range> else generic)`.

    The fast branch computes the whole tree with Python integers, checking after each
    step what ops.py would check (64-bit range; for `%`, the operands for which Java's
    remainder equals Python's). When a check fails, `generic` (the helper calls) runs
    from the start: its operands are variables and constants, so nothing runs twice
    that could tell the difference, and it gives Deluge's value or Deluge's error.
    """
    names: list[str] = []
    checks: list[ast.expr] = []
    value = _steps(e, checks, names, var, temp)
    guards = [type_is(_load(name), "op_int") for name in names] + checks
    test = guards[0] if len(guards) == 1 else ast.BoolOp(AND, guards)
    return ast.IfExp(test=test, body=value, orelse=generic)


def _steps(e: n.Node, checks: list, names: list, var, temp) -> ast.expr:
    """The fast-branch value of `e`, appending its range checks to `checks`."""
    if type(e) is n.Var:
        ident = var(e.name)
        if ident not in names:
            names.append(ident)
        return _load(ident)
    if type(e) is n.Literal:
        return ast.Constant(e.value)
    a = _steps(e.left, checks, names, var, temp)
    b = _steps(e.right, checks, names, var, temp)
    if e.op in _ORDER:
        return ast.Compare(a, [_ORDER[e.op]], [b])
    result = temp()
    if e.op == "%":
        # Java's remainder equals Python's when the dividend is >= 0 and the divisor > 0;
        # the remainder is then >= 0, so the last check always holds once it is reached.
        checks.append(ast.Compare(a, [GTE], [ast.Constant(0)]))
        if not (type(b) is ast.Constant and b.value > 0):
            checks.append(ast.Compare(b, [GT], [ast.Constant(0)]))
        checks.append(ast.Compare(ast.NamedExpr(_store(result), ast.BinOp(a, MOD, b)),
                                  [GTE], [ast.Constant(0)]))
        return _load(result)
    checks.append(ast.Compare(ast.Constant(INT_MIN), [LTE, LTE],
                              [ast.NamedExpr(_store(result), ast.BinOp(a, _ARITHMETIC[e.op], b)),
                               ast.Constant(INT_MAX)]))
    return _load(result)


# ---------------------------------------------------------------- collection methods in loops

def _stable(expr: ast.expr) -> bool:
    return isinstance(expr, (ast.Name, ast.Constant))


def key_check(key: ast.expr, temp) -> list | None:
    """The checks that a map key (a constant or a variable) is TEXT or NUMBER, which are
    stored as themselves (values.key_in; BOOLEAN is not NUMBER: type(True) is bool)."""
    if isinstance(key, ast.Constant):
        return [] if type(key.value) in (str, int) else None
    if not isinstance(key, ast.Name):
        return None
    kind = temp()
    return [_is_any_first(ast.NamedExpr(_store(kind), ast.Call(_load("op_type"), [key], [])),
                          kind, ("op_str", "op_int"))]


def _is_any_first(first: ast.expr, kind: str, helpers) -> ast.BoolOp:
    tests = [ast.Compare(first, [IS], [_load(helpers[0])])]
    tests += [ast.Compare(_load(kind), [IS], [_load(h)]) for h in helpers[1:]]
    return ast.BoolOp(OR, tests)


def collection_method(key: str, recv: ast.expr, values: list, caller: str,
                      temp, known_map: bool = False,
                      plain_value: bool = False,
                      size_bound: int | None = None) -> ast.expr | None:
    """`list.add(v)`, `map.put(k, v)` and `map.containKey(k)` inside a loop, where a call
    per iteration counts (and `put` anywhere, Compiler.method_call): the commonest case of
    fastmethods' fast path, inline, in front of the method helper `caller` (which does the
    same, and everything else, one frame later). Only for a receiver that is a variable and a key that is a variable or a
    constant: those read the same before and after the value is evaluated (no Deluge
    expression assigns a variable), so the value is evaluated first, once. `n_size` is
    the run's collection budget, read once per function call; at the limit the helper
    gives Deluge's error. A `put` statement becomes an `if` (as_statement). None when the
    shape does not fit."""
    if not isinstance(recv, ast.Name) or not all(_stable(v) for v in values[:-1]):
        return None
    if key == "add" and len(values) == 1:
        value = Operand(values[0], temp)
        checks = [type_is(recv, "op_list"), _below_size(recv)]
        if not isinstance(value.expr, ast.Constant):  # a constant is never the list itself
            checks.insert(0, ast.Compare(value.first(), [IS_NOT], [recv]))
        fast = ast.Call(_load("op_append"), [recv, value.again()], [])
    elif key == "put" and len(values) == 2:
        if isinstance(values[1], (ast.Dict, ast.List)):
            return None  # a map or list value is never put as it is: the helper converts it
        map_key, value = values[0], Operand(values[1], temp)
        key_ok = key_check(map_key, temp)
        if key_ok is None:
            return None
        # Below the budget first: the commonest case costs one test. `size_bound`: the most
        # entries the map can hold here (Compiler.map_sizes), a constant to test instead.
        below = _below_size(recv) if size_bound is None else ast.Compare(
            ast.Constant(size_bound), [ast.Lt()], [_load("n_size")])
        room = ast.BoolOp(OR, [below, ast.Compare(map_key, [IN], [recv])])
        # `known_map`: the compiler saw the variable assigned a map literal, and nothing
        # that could assign it since (Compiler.known_maps): no type test needed.
        checks = ([] if known_map else [type_is(recv, "op_dict")]) + key_ok + [room]
        # `plain_value`: the compiler knows the value is a TEXT or BOOLEAN (no type test).
        if not (plain_value or isinstance(value.expr, ast.Constant)):  # TEXT, NUMBER, BOOLEAN or null
            kind = temp()
            plain = _is_any_first(ast.NamedExpr(_store(kind), ast.Call(_load("op_type"),
                                                                       [value.first()], [])),
                                  kind, _PLAIN_VALUE_TYPES)
            plain.values.append(ast.Compare(value.again(), [IS], [ast.Constant(None)]))
            checks.insert(0, plain)
        elif not value.stable:  # evaluated first, once; never null, so the test is cheap
            checks.insert(0, ast.Compare(value.first(), [IS_NOT], [ast.Constant(None)]))
        fast = ast.Call(_load("op_setitem"), [recv, map_key, value.again()], [])
    elif key in ("containkey", "containskey") and len(values) == 1:
        value = Operand(values[0], temp)
        key_ok = key_check(value.expr, temp) if value.stable else None
        if key_ok is None:
            return None
        checks = key_ok + [type_is(recv, "op_dict")]
        fast = ast.Compare(value.again(), [IN], [recv])
    else:
        return None
    args = [_load("rt"), recv] + values[:-1] + [value.again()]
    test = checks[0] if len(checks) == 1 else ast.BoolOp(AND, checks)
    return ast.IfExp(test=test, body=fast, orelse=ast.Call(_load(caller), args, []))


_PLAIN_VALUE_TYPES = ("op_str", "op_int", "op_bool")  # put as they are (or null)


def as_statement(expr: ast.expr) -> ast.stmt:
    """An expression statement; an inline `put` becomes `if <checks>: m[k] = v else:
    <helper call>`, a subscript store instead of a call of dict.__setitem__."""
    body = getattr(expr, "body", None)
    if type(expr) is ast.IfExp and type(body) is ast.Call and type(body.func) is ast.Name \
            and body.func.id == "op_setitem":
        recv, map_key, value = body.args
        store = ast.Assign(targets=[ast.Subscript(recv, map_key, STORE)], value=value)
        return ast.If(test=expr.test, body=[store], orelse=[ast.Expr(expr.orelse)])
    return ast.Expr(expr)


def _below_size(collection: ast.Name) -> ast.Compare:
    return ast.Compare(ast.Call(_load("op_len"), [collection], []), [ast.Lt()],
                       [_load("n_size")])


# ---------------------------------------------------------------- TEXT methods

# trim's characters (builtins/text.py); the str methods the inline TEXT forms call are in
# INLINE_HELPERS.
TEXT_SPACES = "".join(chr(c) for c in range(33))


def text_method(form: str, impl: str | None, recv: Operand, values: list, caller: str,
                temp, known_text: bool = False, checked=None) -> ast.expr | None:
    """A method call on a receiver checked to be TEXT, without the method helper frame
    (fastmethods.text_method says which form fits):

        trim:          (op_strip(t, SPACES) if op_type(t := X) is op_str else m_1(rt, t))
        lower, upper:  (r if op_type(t := X) is op_str and op_len(r := op_lower(t)) <= n_text
                        else m_3(rt, t))
        getSuffix(K):  ((p[2] if (p := op_partition(t, K))[1] else None)
                        if op_type(t := X) is op_str else m_5(rt, t, K))
        "call":        (m_6(rt, t, a, b) if op_type(t := X) is op_str else m_5(rt, t, a, b))
        "planned":     (m_rx_7(rt, t) if op_type(t := X) is op_str else m_5(rt, t, P, R))

    `m_6` is the TEXT implementation itself, `m_5` the helper (any other receiver: its
    implementation or Deluge's error). lower and upper fail only past the text budget,
    where the helper gives the error. Arguments must be variables or constants: they
    appear in both branches, and only one runs. None when the shape does not fit.
    `known_text`: the compiler knows the receiver is a TEXT (flow): no type test.
    `checked(expr)`: what the helper gets instead of a receiver that is no TEXT (a record
    field read as it is, checked only then: Compiler.e_Field)."""
    if not all(_stable(v) for v in values):
        return None
    test = None if known_text else type_is(recv.first(), "op_str")
    subject = recv.first() if known_text else recv.again()  # its first use binds it
    other = recv.again() if checked is None else checked(recv.again())
    fallback = ast.Call(_load(caller), [_load("rt"), other] + values, [])
    if form == "strip":
        fast = ast.Call(_load("op_strip"), [subject, ast.Constant(TEXT_SPACES)], [])
    elif form in ("lower", "upper"):
        result = temp()
        changed = ast.NamedExpr(_store(result), ast.Call(_load("op_" + form), [subject], []))
        within = ast.Compare(ast.Call(_load("op_len"), [changed], []), [LTE], [_load("n_text")])
        test = within if test is None else ast.BoolOp(AND, [test, within])
        fast = _load(result)
    elif form == "suffix":  # the text after the first `part` (a constant), or null
        parts = temp()
        split = ast.NamedExpr(_store(parts), ast.Call(_load("op_partition"),
                                                      [subject] + values, []))
        fast = ast.IfExp(test=ast.Subscript(split, ast.Constant(1), LOAD),
                         body=ast.Subscript(_load(parts), ast.Constant(2), LOAD),
                         orelse=ast.Constant(None))
    elif form == "call" and impl is not None:
        fast = ast.Call(_load(impl), [_load("rt"), subject] + values, [])
    elif form == "planned" and impl is not None:  # the constant arguments are planned in
        fast = ast.Call(_load(impl), [_load("rt"), subject], [])
    else:
        return None
    return fast if test is None else ast.IfExp(test=test, body=fast, orelse=fallback)
