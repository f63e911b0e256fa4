"""Syntax tree to Python code objects (DESIGN.md: compile, do not walk trees).

Sandbox invariant 1: generated code holds only mangled locals (`v_` + a name the grammar
accepted, always ASCII), our own temporaries (`n_steps`, `t_3`), constants, and calls to
helpers bound under generated names (`op_add`, `m_4`, `fn_2`, `k_0`). Script text never
becomes an attribute or a global name: Python `ast` nodes are built directly, so nothing
is re-tokenized, and method names are looked up in allowlist tables at compile time.

Statements are counted per straight-line segment (`n_steps += k`) and checked on loop
back-edges and at function entry (`rt.tick`). A `for each` counts once per iteration.
"""

from __future__ import annotations

import ast

from . import inline, ops, tasks
from .inline import ADD, AND, GT, IS, IS_NOT, LOAD, NOT, OR, STORE
from . import nodes as n
from .builtins.registry import FunctionSpec, function_caller, lookup_function, \
    method_dispatcher, method_spec
from .checker import CONTEXT_NAMES, FunctionTable, dotted_path, is_system_variable
from .dateformats import literal_for_run, needs_run_date, parse_literal
from .errors import ScriptError
from . import flow
from .flow import Flow, assigned_names, concatenates, is_boolean, is_text_literal, \
    makes_text, mentions, method_kinds, nodes_in
from .fastmethods import empty_constructor, is_genuine, method_caller, \
    planned_replacement, text_method
from .pyast import assign as _assign, assign_attr as _assign_attr, at as _at, call as _call, \
    call_attr as _call_attr, fill_positions as _fill_positions, mangled as _var, name as _name
# The run-time helper table lives apart, so that a cached program runs without this module.
from .run_helpers import _RETURN_TYPES, CODE_FILENAME, RUN_HELPERS  # noqa: F401
from .values import DEC

BASE_HELPERS = {**RUN_HELPERS, **inline.INLINE_HELPERS}

_BINARY_HELPERS = {"+": "op_add", "-": "op_sub", "*": "op_mul", "/": "op_div", "%": "op_mod",
                   "==": "op_eq", "=": "op_eq", "!=": "op_ne", "<": "op_lt", "<=": "op_le",
                   ">": "op_gt", ">=": "op_ge"}
# Declared return types whose allowed values (_RETURN_TYPES) include one exact Python type.
_RETURN_TYPE_HELPERS = {"map": "op_dict", "list": "op_list", "string": "op_str",
                        "text": "op_str", "int": "op_int", "number": "op_int", "long": "op_int",
                        "bigint": "op_int", "bool": "op_bool", "boolean": "op_bool"}


# Pieces of a concatenation chain joined before the text budget is checked. Each piece is
# a text within the budget, so a segment allocates at most this many times text_length;
# an unbounded segment (`t + t + ... + t`, hundreds of operands) would build ever longer
# intermediate texts inside one statement: quadratic work that no budget sees.
_SEGMENT_PIECES = 3


class Compiler:
    """Compiles one checked module to a Python module code object plus its helper table."""

    def __init__(self, module: n.Module):
        self.module = module
        self.functions = FunctionTable(module)
        self.helpers = dict(BASE_HELPERS)
        self._helper_ids: dict[tuple, str] = {}
        self.entry_names: dict[str, str] = {}  # Deluge function name -> python name
        self._method_kinds_of: dict = {}  # (method name, argument count) -> flow kinds
        self.known_maps: set = set()  # variables holding a map literal's map (s_Assign)
        # Of those, the ones whose map only this block's `put` statements changed since the
        # literal: variable -> the most entries it can hold (stmt, method_call).
        self.map_sizes: dict = {}
        for i, fn in enumerate(module.functions):
            self.entry_names[fn.name] = f"f_{i}"
        # Names any call in the module uses: a function among them may run nested, so it
        # hands PreparedCall no counted result bound (flow.bounded_result).
        everything = nodes_in(module)
        self.called = {node.name.lower() for node in everything
                       if type(node) in (n.Call, n.MethodCall)}
        # PreparedCall may hand the host's record over as it is:
        self.by_field = flow.reads_record_by_field(module, everything)

    # ---------------------------------------------------------------- helpers

    def helper(self, kind: str, key, make) -> str:
        ident = self._helper_ids.get((kind, key))
        if ident is None:
            ident = f"{kind}_{len(self._helper_ids)}"
            self._helper_ids[(kind, key)] = ident
            self.helpers[ident] = make()
        return ident

    def constant(self, value) -> ast.expr:
        if value is None or type(value) in (str, int, bool):
            return ast.Constant(value)
        ident = self.helper("k", (type(value).__name__, repr(value)), lambda: value)
        return ast.Name(ident, LOAD)

    # ---------------------------------------------------------------- module

    def function(self, pyname, params, body, fn, span) -> ast.FunctionDef:
        self.fn = fn
        self.temp_count = 0
        self.loop_depth = 0
        self.reads_size_limit = False
        param_names = [p.name for p in params]
        assigned = assigned_names(body) - set(param_names)
        self.flow = Flow(param_names, body, self._method_kinds)
        reads_input = "input" not in param_names and "input" in self.flow.uses
        self.result = None if fn is not None and fn.name.lower() in self.called else \
            flow.bounded_result(param_names, body, self.flow, self._makes_map)
        prologue = [
            _assign("n_mark", _call_attr("rt", "begin", _name("n_steps"))),
            _assign("n_text", _call("op_text_limit", _name("rt"))),
        ]
        # Null first only where a path may read the variable before assigning it.
        for name in sorted(self.flow.unassigned - ({"input"} if reads_input else set())):
            prologue.append(_assign(_var(name), ast.Constant(None)))
        if reads_input:
            prologue.append(_assign(_var("input"), ast.Attribute(_name("rt"), "record", LOAD)))
        if self.result is not None:
            prologue.append(_assign("n_ret", ast.Constant(0)))
        self._input_is_record = reads_input and "input" not in assigned
        stmts = self.block(body)
        if self.reads_size_limit:
            prologue.append(_assign("n_size", _call("op_size_limit", _name("rt"))))
        stmts.append(ast.Return(ast.Constant(None)))
        guarded = ast.Try(body=stmts, handlers=[], orelse=[], finalbody=[
            _assign_attr("rt", "steps", _name("n_steps")),
            # The call is over, however it ended: one level less deep (Run.enter).
            _assign_attr("rt", "depth", ast.BinOp(ast.Attribute(_name("rt"), "depth", LOAD),
                                                  ast.Sub(), ast.Constant(1))),
        ])
        args = [ast.arg("rt")] + [ast.arg(_var(p)) for p in param_names] + [ast.arg("n_steps")]
        node = ast.FunctionDef(
            name=pyname,
            args=ast.arguments(posonlyargs=[], args=args, vararg=None, kwonlyargs=[],
                               kw_defaults=[], kwarg=None, defaults=[]),
            body=prologue + [guarded], decorator_list=[], returns=None)
        return _at(node, span)

    # ---------------------------------------------------------------- statements

    def block(self, stmts, extra_steps: int = 0) -> list[ast.stmt]:
        """Statements with their step counts: one `n_steps += k` per straight-line segment."""
        out: list[ast.stmt] = []
        self.known_maps = set()
        self.map_sizes = {}
        segments = _segments(stmts)
        for i, segment in enumerate(segments):
            count = sum(0 if type(s) in (n.ForEach, n.Empty) else 1 for s in segment)
            if i == 0:
                count += extra_steps
            if count:
                out.append(_at(ast.AugAssign(_name("n_steps", STORE), ADD,
                                             ast.Constant(count)), segment[0].span))
            for s in segment:
                out.extend(self.stmt(s))
        if not segments and extra_steps:
            out.append(ast.AugAssign(_name("n_steps", STORE), ADD,
                                     ast.Constant(extra_steps)))
        return out

    def stmt(self, s: n.Node) -> list[ast.stmt]:
        method = getattr(self, "s_" + type(s).__name__)
        grown = self._forget_sizes(s)
        result = method(s)
        if grown in self.map_sizes:
            self.map_sizes[grown] += 1  # a put adds one entry at most
        if type(s) in _SEGMENT_ENDS:  # its blocks may assign anything: forget what was known
            self.known_maps = set()
            self.map_sizes = {}
        nodes = result if isinstance(result, list) else [result]
        for node in nodes:
            _at(node, s.span)
        return nodes

    def s_Assign(self, s):
        value = self.expr(s.value)
        # Which variables hold a map made by a literal in this block: only a statement
        # assigns a variable (no Deluge expression does), and compound ones reset it.
        if type(value) is ast.Dict:
            self.known_maps.add(s.name)
            self.map_sizes[s.name] = len(value.keys)
        else:
            self.known_maps.discard(s.name)
            self.map_sizes.pop(s.name, None)
        return _assign(_var(s.name), value)

    def _forget_sizes(self, s) -> str | None:
        """Before statement `s`: forget the size of every known map `s` mentions (a call
        given it, an alias, any method may change it), except the receiver of a `put`
        statement whose arguments do not mention it, which is returned (it grows by one)."""
        if not self.map_sizes:
            return None
        grown = None
        e = s.expr if type(s) is n.ExprStmt else None
        if type(e) is n.MethodCall and e.name.lower() == "put" and len(e.args) == 2 and \
                type(e.receiver) is n.Var and e.receiver.name in self.map_sizes and \
                not any(mentions(a, e.receiver.name) for a in e.args):
            grown = e.receiver.name
        for name in [v for v in self.map_sizes if v != grown and mentions(s, v)]:
            del self.map_sizes[name]
        return grown

    def s_ExprStmt(self, s):
        if self.result is not None and id(s) in self.result.puts:
            return self.counted_put(s)
        return inline.as_statement(self.expr(s.expr))

    def counted_put(self, s) -> list[ast.stmt]:
        """A `put` into the function's result map (flow.bounded_result): the value into a
        temporary, put, and its characters, if it is a TEXT, added to `n_ret`."""
        call = s.expr
        value = self.expr(call.args[1])
        stmts = []
        if type(value) is not ast.Name:  # a variable is read again as it is
            temp = self.temp()
            stmts.append(_assign(temp, value))
            value = _name(temp)
        put = self.method_call(call.name, call.receiver, call.args,
                               [self.expr(call.args[0]), value])
        stmts.append(inline.as_statement(_at(put, call.name_span)))
        kinds = self.flow.kinds_of(call.args[1])
        if str in kinds:
            length = _call("op_len", value)
            if kinds != flow.TEXT:
                length = ast.IfExp(inline.type_is(value, "op_str"), length, ast.Constant(0))
            stmts.append(ast.AugAssign(_name("n_ret", STORE), ADD, length))
        return stmts

    def s_Empty(self, s):
        return []

    def s_Info(self, s):
        return ast.Expr(_call_attr("rt", "info", self.expr(s.value)))

    def s_Return(self, s):
        if s.value is None:
            return ast.Return(ast.Constant(None))
        if self.result is not None and type(s.value) is n.Var and s.value.name == self.result.name:
            # The result map and its bound, for PreparedCall (flow.bounded_result).
            bound = ast.BinOp(ast.Constant(self.result.base), ADD, ast.BinOp(
                ast.Constant(6), ast.Mult(), _name("n_ret")))
            note = _assign_attr("rt", "result_bound", ast.Tuple([self.expr(s.value), bound], LOAD))
            return [note, self.returned(s)]
        return self.returned(s)

    def returned(self, s) -> ast.Return:
        value = self.expr(s.value)
        if self.fn is not None and self.fn.return_type.lower() in _RETURN_TYPES:
            type_word = self.fn.return_type.lower()
            checked = _call("op_return", _name("rt"), value, ast.Constant(type_word))
            if type_word in _RETURN_TYPE_HELPERS:
                # A value of the declared type's first Python type passes without the call
                # (_check_return would give it back as it is).
                result = inline.Operand(value, self.temp)
                checked.args[1] = result.again()
                value = ast.IfExp(test=inline.type_is(result.first(),
                                                      _RETURN_TYPE_HELPERS[type_word]),
                                  body=result.again(), orelse=checked)
            else:
                value = checked
        return ast.Return(value)

    def s_Throw(self, s):
        return ast.Raise(exc=_call("op_throw", self.expr(s.value)), cause=None)

    def s_Break(self, s):
        return ast.Break()

    def s_Continue(self, s):
        return ast.Continue()

    def s_If(self, s):
        orelse = self.block(s.orelse) if s.orelse is not None else []
        for cond, body in reversed(s.branches[1:]):
            test = self.condition(cond)
            node = _at(ast.If(test=test, body=self.block(body) or [ast.Pass()], orelse=orelse),
                       cond.span)
            # An `else if` counts as one more executed statement when it is tested.
            orelse = [_at(ast.AugAssign(_name("n_steps", STORE), ADD, ast.Constant(1)),
                          cond.span), node]
        first_cond, first_body = s.branches[0]
        return ast.If(test=self.condition(first_cond), body=self.block(first_body) or [ast.Pass()],
                      orelse=orelse)

    def s_ForEach(self, s):
        helper = "op_each_index" if s.index else "op_each"
        self.loop_depth += 1
        body = self.block(s.body, extra_steps=1)
        self.loop_depth -= 1
        back_edge = _at(ast.If(
            test=ast.Compare(_name("n_steps"), [GT], [_name("n_mark")]),
            body=[_assign("n_mark", _call_attr("rt", "tick", _name("n_steps")))], orelse=[]),
            s.span)
        body.insert(1, back_edge)
        return ast.For(target=_name(_var(s.var), STORE),
                       iter=_call(helper, _name("rt"), self.expr(s.iterable)),
                       body=body, orelse=[])

    def s_Try(self, s):
        temp = self.temp()
        pair = _call("op_catch", _name("rt"), _name(temp), _name("n_steps"))
        handler_body = [
            _at(ast.Assign(targets=[ast.Tuple([_name(_var(s.var), STORE),
                                               _name("n_steps", STORE)], STORE)],
                           value=pair), s.var_span),
        ] + self.block(s.handler)
        handler = ast.ExceptHandler(type=_name("ScriptError"), name=temp,
                                    body=handler_body or [ast.Pass()])
        return ast.Try(body=self.block(s.body) or [ast.Pass()], handlers=[handler], orelse=[],
                       finalbody=[])

    # ---------------------------------------------------------------- expressions

    def temp(self) -> str:
        self.temp_count += 1
        return f"t_{self.temp_count}"

    def expr(self, e: n.Node) -> ast.expr:
        method = getattr(self, "e_" + type(e).__name__)
        node = method(e)
        # Keep a more precise position (an operator, a method name) set by the e_ method.
        return node if hasattr(node, "lineno") else _at(node, e.span)

    def condition(self, e: n.Node) -> ast.expr:
        """A Python bool for `if`, `&&`, `||`, `!`: checked only when it may not be one."""
        node = self.expr(e)
        if is_boolean(e):
            return node
        # `(t := X) is True or (t is not False and op_truth(rt, t))`: true and false pass
        # without a call; anything else gets op_truth's error.
        temp = self.temp()
        check = ast.BoolOp(OR, [
            ast.Compare(ast.NamedExpr(_name(temp, STORE), node), [IS],
                        [ast.Constant(True)]),
            ast.BoolOp(AND, [
                ast.Compare(_name(temp), [IS_NOT], [ast.Constant(False)]),
                _at(_call("op_truth", _name("rt"), _name(temp)), e.span)])])
        return _at(check, e.span)

    def e_Literal(self, e):
        if e.kind == "decimal":
            return self.constant(DEC.create_decimal(e.value))
        return ast.Constant(e.value)

    def e_QuotedLiteral(self, e):
        if needs_run_date(e.text):  # a two-digit year: read it against the run's clock
            reader = self.helper("lit", "run date", lambda: literal_for_run)
            return _call(reader, _name("rt"), ast.Constant(e.text))
        value = parse_literal(e.text)
        return self.constant(e.text if value is None else value)

    def e_Var(self, e):
        return _name(_var(e.name))

    def e_BinOp(self, e):
        e = _fold_numbers(e)
        if type(e) is n.Literal:
            return ast.Constant(e.value)
        if inline.is_integer_tree(e) or inline.is_integer_comparison(e):
            return _at(inline.integer_tree(e, self.helper_tree(e), _var, self.temp), e.op_span)
        if e.op == "+" and concatenates(e) and concatenates(e.left):
            return self.concat_chain(e)
        left, right = self.expr(e.left), self.expr(e.right)
        if e.op == "+" and (is_text_literal(e.left) or is_text_literal(e.right)):
            if is_text_literal(e.left) and is_text_literal(e.right):
                return _at(_call("op_concat", _name("rt"), left, right), e.op_span)
            fast = inline.text_concat(left, right, is_text_literal(e.left), self.temp)
            return _at(fast, e.op_span)
        if e.op == "+" and (makes_text(e.left) or makes_text(e.right)):
            # One side is a concatenation with a text, so always TEXT: `+` concatenates.
            return _at(_call("op_concat", _name("rt"), left, right), e.op_span)
        helper = _BINARY_HELPERS[e.op]
        fast = inline.binary(e.op, e.left, e.right, left, right, helper, self.temp,
                             self._known_as) or \
            inline.mixed(e.op, e.left, e.right, left, right, helper, self.temp)
        if fast is not None:
            return _at(fast, e.op_span)
        return _at(_call(helper, _name("rt"), left, right), e.op_span)

    def concat_chain(self, e: n.BinOp) -> ast.expr:
        """`a + " " + b + c`, three or more operands of one concatenation: the texts of the
        operands joined at once (each converted as ops.concat converts it: text_piece), in
        segments of at most _SEGMENT_PIECES pieces (the text so far counts as one), each
        checked against the text budget before the next is added; an operand after the
        second that is not a variable, constant or record field (it may fail, or take
        time) also starts a new segment, so it runs only once the text before it has been
        checked, as with one `+` at a time. Past the text budget,
        ops.concat, `+` by `+` over the values already computed, gives Deluge's error at
        its operator."""
        parts = []  # (operand, the span of the `+` before it)
        while type(e) is n.BinOp and e.op == "+" and concatenates(e):
            parts.append((e.right, e.op_span))
            e = e.left
        parts.append((e, None))
        parts.reverse()
        text, pending = None, []  # the text so far (an ast expr), the operands to add
        for node, span in parts:
            pieces = len(pending) + (text is not None)
            if pieces >= _SEGMENT_PIECES or (pieces >= 2 and not self._is_plain(node)):
                text = self.join(text, pending)
                pending = []
            operand = inline.Operand(self.expr(node), self.temp)
            operand.text = self.flow.is_text(node)  # then it is its own text (text_piece)
            pending.append((operand, span))
        return self.join(text, pending)

    def join(self, text, pending) -> ast.expr:
        """`text` (None at the start) followed by the pending operands, as one TEXT."""
        operands = ([(inline.Operand(text, self.temp), None)] if text is not None else []) + pending
        if len(operands) == 2 and not (operands[0][0].text or operands[1][0].text):
            (a, _), (b, span) = operands
            return _at(self.concat_pair(a.expr, b.expr), span)
        result = self.temp()
        # Each operand's text as ops.concat converts it, joined by `+` (no call for a
        # TEXT or NUMBER); past the text budget, `+` by `+` gives Deluge's error.
        pieces = [o.first() if i == 0 and text is not None else self.text_piece(o)
                  for i, (o, _) in enumerate(operands)]
        joined = pieces[0]
        for piece in pieces[1:]:
            joined = ast.BinOp(joined, ADD, piece)
        slow = operands[0][0].again()
        for operand, span in operands[1:]:
            slow = _at(_call("op_concat", _name("rt"), slow, operand.again()), span)
        test = ast.Compare(_call("op_len", ast.NamedExpr(_name(result, STORE), joined)),
                           [inline.LTE], [_name("n_text")])
        return _at(ast.IfExp(test=test, body=_name(result), orelse=slow), operands[-1][1])

    def text_piece(self, operand: inline.Operand) -> ast.expr:
        """`X` as TEXT, converted as ops.concat does: `(X if op_type(X) is op_str else
        op_text_of(X))`; a TEXT constant as it is. (The shortest form: B5 compiles it.)"""
        first = operand.first()
        if (type(first) is ast.Constant and type(first.value) is str) or operand.text:
            return first
        test = ast.Compare(_call("op_type", first), [IS], [_name("op_str")])
        return ast.IfExp(test=test, body=operand.again(),
                         orelse=_call("op_text_of", operand.again()))

    def concat_pair(self, left: ast.expr, right: ast.expr) -> ast.expr:
        """One `+` of a concatenation: inline when one side is a TEXT constant."""
        text_left, text_right = (type(x) is ast.Constant and type(x.value) is str
                                 for x in (left, right))
        if text_left != text_right:
            return inline.text_concat(left, right, text_left, self.temp)
        return _call("op_concat", _name("rt"), left, right)

    def _is_plain(self, e: n.Node) -> bool:
        """A variable, a constant or a field of the run's record: reading it can neither
        fail nor change anything, so it may be read before the text before it is checked."""
        if type(e) in (n.Var, n.Literal):
            return True
        return type(e) is n.Field and type(e.receiver) is n.Var and \
            e.receiver.name == "input" and self._input_is_record and not self.by_field

    def helper_tree(self, e):
        """`e` as nested operator helper calls, each at its operator's position."""
        if type(e) is not n.BinOp:
            return self.expr(e)
        call = _call(_BINARY_HELPERS[e.op], _name("rt"), self.helper_tree(e.left),
                     self.helper_tree(e.right))
        return _at(call, e.op_span)

    def e_Logic(self, e):
        op = AND if e.op == "&&" else OR
        chain = inline.equality_chain(e)
        if chain is None:
            return ast.BoolOp(op=op, values=[self.condition(o) for o in e.operands])
        # `v in ("US", "USA")` for a `v` of the constants' type; any other `v` goes through
        # ops.eq / ops.ne, operand by operand, as written.
        name, constants, kind = chain
        var = _name(_var(name))
        fast = ast.Compare(var, [ast.In() if e.op == "||" else ast.NotIn()],
                           [ast.Constant(constants)])
        if self._known_as(e.operands[0], kind):
            return fast
        slow = ast.BoolOp(op=op, values=[
            _at(_call(_BINARY_HELPERS[o.op], _name("rt"), self.expr(o.left), self.expr(o.right)),
                o.op_span) for o in e.operands])
        return ast.IfExp(test=inline.type_is(var, kind), body=fast, orelse=slow)

    def e_Unary(self, e):
        if e.op == "!":
            if is_boolean(e.operand):
                return ast.UnaryOp(NOT, self.expr(e.operand))
            return _call("op_not", _name("rt"), self.expr(e.operand))
        return _call("op_neg" if e.op == "-" else "op_pos", _name("rt"), self.expr(e.operand))

    def e_InlineIf(self, e):
        return ast.IfExp(test=self.condition(e.cond), body=self.expr(e.then), orelse=self.expr(e.other))

    def e_IfNull(self, e):
        temp = self.temp()
        test = _call("op_isnull", ast.NamedExpr(_name(temp, STORE), self.expr(e.value)))
        return ast.IfExp(test=test, body=self.expr(e.other), orelse=_name(temp))

    def e_ListLit(self, e):
        return ast.List([self.expr(i) for i in e.items], LOAD)

    def e_MapLit(self, e):
        if all(isinstance(k, n.Literal) and k.kind in ("text", "number") for k, _ in e.pairs):
            return ast.Dict([self.expr(k) for k, _ in e.pairs], [self.expr(v) for _, v in e.pairs])
        pairs = ast.List([ast.Tuple([self.expr(k), self.expr(v)], LOAD) for k, v in e.pairs],
                         LOAD)
        return _call("op_map", _name("rt"), pairs)

    def e_EmptyBraces(self, e):
        return _call("op_new_collection")

    def e_TypedListNew(self, e):
        return _call("op_typed_list", _name("rt"), ast.Constant(e.elem_type), *self.args(e.args))

    def e_PairArg(self, e):
        return ast.Tuple([self.expr(e.key), self.expr(e.value)], LOAD)

    def args(self, args) -> list[ast.expr]:
        return [self.expr(a) for a in args]

    def e_Call(self, e):
        fn = self.functions.find(e.name)
        if fn is not None:
            return self.user_call(fn, e.args)
        spec = lookup_function(e.name)
        if isinstance(spec, FunctionSpec):
            empty = empty_constructor(spec.impl) if not e.args else None
            if empty == "map":  # Map(): a new dict, as builtins/common.py's new_map gives
                return ast.Dict([], [])
            if empty == "list":
                return ast.List([], LOAD)
            ident = self.helper("fn", spec.name.lower(), lambda: function_caller(spec))
        else:
            if e.args:
                return self.method_call(e.name, e.args[0], e.args[1:])
            ident = self.helper("m", e.name.lower(), lambda: method_dispatcher(e.name))
        return _call(ident, _name("rt"), *self.args(e.args))

    def method_call(self, name: str, receiver, args, values=None) -> ast.expr:
        """`m_1(rt, recv, args...)`: a helper for this method and argument count (arity
        settled at compile time) that picks the receiver type's implementation, or the full
        dispatcher for any other receiver (fastmethods.method_caller). `m.get(k)` on a map
        is one inline `dict.get` in front of it (inline.map_get)."""
        key = name.lower()
        spec = method_spec(name)  # imports the builtin modules that implement it
        generic = self.helper("m", key, lambda: method_dispatcher(name))
        caller = self.helper("m", (key, len(args)), lambda: method_caller(
            spec, len(args), self.helpers[generic]))
        values = self.args(args) if values is None else values
        if key == "get" and len(values) == 1 and dict in spec.impls and \
                is_genuine(spec.impls[dict][0], "get", dict, 1):
            recv = inline.Operand(self.expr(receiver), self.temp)  # a variable needs no temporary
            fast = inline.map_get(recv, values[0], self.temp)
            if fast is not None:
                test, body, recv_again = fast
                return ast.IfExp(test=test, body=body, orelse=_call(caller, _name("rt"),
                                                                    recv_again, values[0]))
            return _call(caller, _name("rt"), recv.first(), *values)
        recv = self.expr(receiver)
        fast = None
        # Inline in loops, where a call per iteration counts; `put` everywhere too: a CRM
        # function called once per record builds its result map with put statements.
        if (self.loop_depth or key == "put") and any(
                is_genuine(impl, key, t, len(values)) for t, (impl, _, _) in spec.impls.items()):
            known = type(receiver) is n.Var and receiver.name in self.known_maps
            size = self.map_sizes.get(receiver.name) if known and key == "put" else None
            # A comparison, `&&`/`||`/`!` or a concatenation always gives a BOOLEAN or a
            # TEXT (reference §3): put as it is, with no type test.
            plain = key == "put" and len(args) == 2 and (
                is_boolean(args[1]) or makes_text(args[1]) or self.flow.is_scalar(args[1]))
            fast = inline.collection_method(key, recv, values, caller, self.temp, known,
                                            plain, size)
        if fast is not None:
            self.reads_size_limit = self.reads_size_limit or key in ("add", "put")
            return fast
        fast = self.text_method(spec, recv, values, caller, receiver)
        return fast if fast is not None else _call(caller, _name("rt"), recv, *values)

    def text_method(self, spec, recv: ast.expr, values: list, caller: str,
                    receiver: n.Node) -> ast.expr | None:
        """The call on a receiver checked to be TEXT, without the helper frame
        (fastmethods.text_method, inline.text_method), or None."""
        known = tuple(v.value if type(v) is ast.Constant else None for v in values)
        how = text_method(spec, len(values), known)
        if how is None:
            return None
        kind, detail = how
        form, ident = kind, None
        if kind == "inline":
            form = detail
        elif planned_replacement(spec, len(values), known) is not None:
            form = "planned"  # regexes.ready_replacer, rebuilt by program_codec
            ident = self.helper("m_rx", known, lambda: planned_replacement(spec, 2, known))
        else:  # the TEXT implementation itself, bound as a helper
            ident = self.helper("m", (spec.name.lower(), len(values), "text"), lambda: detail)
        checked = None
        if self._reads_host_field(receiver):  # its own TEXT test checks a TEXT field
            recv = self.record_read(receiver)

            def checked(read):
                return _call("op_field_value", _name("rt"), ast.Constant(receiver.name), read)
        return inline.text_method(form, ident, inline.Operand(recv, self.temp), values,
                                  caller, self.temp, self.flow.is_text(receiver), checked)

    def user_call(self, fn: n.FunctionDef, args) -> ast.expr:
        """`(f_1(rt, a, b, n_steps), n_steps := rt.steps)[0]`: the callee continues our step
        count and hands it back."""
        call = _call(self.entry_names[fn.name], _name("rt"), *self.args(args), _name("n_steps"))
        resync = ast.NamedExpr(_name("n_steps", STORE),
                               ast.Attribute(_name("rt"), "steps", LOAD))
        return ast.Subscript(ast.Tuple([call, resync], LOAD), ast.Constant(0), LOAD)

    def e_MethodCall(self, e):
        path = dotted_path(e.receiver, self._is_local)
        if path is not None and not is_system_variable(path):
            dotted = ".".join(path + (e.name,))
            if path[0].lower() == "zoho":
                args = ast.Tuple(self.args(e.args), LOAD)
                return _call("op_task", _name("rt"), ast.Constant(tasks.lookup(dotted).name), args)
            return self.user_call(self.functions.find_qualified(path + (e.name,)), e.args)
        return _at(self.method_call(e.name, e.receiver, e.args), e.name_span)

    def e_Field(self, e):
        path = dotted_path(e, self._is_local)
        if path is not None and path[0].lower() == "zoho":
            return _call("op_sysvar", _name("rt"), ast.Constant(path[1]))
        if type(e.receiver) is n.Var and e.receiver.name == "input" and self._input_is_record:
            # `input` is the run's record, always a KEY-VALUE map: a plain lookup.
            read = self.record_read(e)
            if not self.by_field:
                return read
            # The host's own record: a field that is no TEXT is checked (and converted) as it
            # is read. (Testing for a NUMBER inline too saved 0.1 µs a field, for 15% more
            # generated code in B5.)
            value = inline.Operand(read, self.temp)
            return ast.IfExp(inline.type_is(value.first(), "op_str"), value.again(), _call(
                "op_field_value", _name("rt"), ast.Constant(e.name), value.again()))
        return _call("op_field", _name("rt"), self.expr(e.receiver), ast.Constant(e.name))

    def record_read(self, e: n.Field) -> ast.expr:
        return _call("op_record_field", _name(_var("input")), ast.Constant(e.name))

    def _reads_host_field(self, e: n.Node) -> bool:
        """Whether `e` reads a field of the host's own record (Program.by_field)."""
        return self.by_field and type(e) is n.Field and type(e.receiver) is n.Var and \
            e.receiver.name == "input" and self._input_is_record

    def e_Task(self, e):
        keys, values = [], []
        for key, value, _ in e.params:
            keys.append(ast.Constant(key))
            if isinstance(value, tuple):
                values.append(ast.List([self.expr(v) for v in value], LOAD))
            else:
                values.append(self.expr(value))
        return _call("op_block_task", _name("rt"), ast.Constant(e.name), ast.Dict(keys, values))

    def _known_as(self, e: n.Node, type_helper: str) -> bool:
        """Whether `e` (a comparison's operand) surely has the type `op_str` or `op_int`
        names, so that the comparison needs no type test (Flow)."""
        if type(e) is n.BinOp:  # an operand of an equality chain: its variable side
            e = e.left if type(e.left) is n.Var else e.right
        kinds = self.flow.kinds_of(e)
        return kinds is not None and kinds <= _KIND_OF_HELPER[type_helper]

    def _makes_map(self, e: n.Node) -> bool:
        """Whether `e` is `Map()`, compiled to a new empty dict (e_Call)."""
        if type(e) is not n.Call or e.args or self.functions.find(e.name) is not None:
            return False
        spec = lookup_function(e.name)
        return isinstance(spec, FunctionSpec) and empty_constructor(spec.impl) == "map"

    def _method_kinds(self, e: n.MethodCall):
        """For Flow: the kinds a builtin method call gives, None for anything else."""
        path = dotted_path(e.receiver, self._is_local)
        if path is not None and not is_system_variable(path):
            return None  # a task, or a function of this file
        key = (e.name, len(e.args))
        if key not in self._method_kinds_of:  # asked again at each step of Flow's fixed point
            spec = method_spec(e.name)
            self._method_kinds_of[key] = None if spec is None else method_kinds(spec, key[1])
        return self._method_kinds_of[key]

    def _is_local(self, name: str) -> bool:
        return name in self._locals

    # The checker decided which names are variables; the compiler agrees by using the same
    # rule: a name is a variable if the function assigns it, declares it, or it is `input`.
    @property
    def _locals(self) -> set:
        return self._local_cache

    def compile_function_locals(self, params, body):
        self._local_cache = assigned_names(body) | set(params) | CONTEXT_NAMES


_KIND_OF_HELPER = {"op_str": flow.TEXT, "op_int": flow.NUMBER}

_SEGMENT_ENDS = (n.If, n.ForEach, n.Try, n.Return, n.Break, n.Continue, n.Throw)


def _segments(stmts) -> list[list]:
    """Split a block after each compound statement, so that a step count never includes
    statements that a `break`, `continue` or `return` inside it may skip, and after each
    jump, so that statements after a `return` (never executed) are never counted."""
    segments, current = [], []
    for s in stmts:
        current.append(s)
        if type(s) in _SEGMENT_ENDS:
            segments.append(current)
            current = []
    if current:
        segments.append(current)
    return segments


_FOLDABLE = {"+": ops.add, "-": ops.sub, "*": ops.mul, "%": ops.mod}


def _fold_numbers(e: n.BinOp) -> n.Node:
    """`e` with every `+ - * %` of two NUMBER constants computed now (`24 * 60` is
    `1440`), by the same helpers as at run time. An operation that fails (overflow, `% 0`)
    stays, so that it fails when it runs, at its place."""
    if e.op not in _FOLDABLE:
        return e
    left = _fold_numbers(e.left) if type(e.left) is n.BinOp else e.left
    right = _fold_numbers(e.right) if type(e.right) is n.BinOp else e.right
    if inline.int_constant(left) is not None and inline.int_constant(right) is not None:
        try:
            return n.Literal(e.span, _FOLDABLE[e.op](None, left.value, right.value), "number")
        except ScriptError:
            pass
    if left is e.left and right is e.right:
        return e
    return n.replace(e, left=left, right=right)


def compile_module(module: n.Module, recipes: dict | None = None):
    """(code object, helper table, entry names, Python tree, whether the record is read
    only by field: flow.reads_record_by_field) for a checked module. `recipes`, if given,
    receives how each helper beyond BASE_HELPERS was made, {ident: (kind, key)} as in
    Compiler.helper: what program_codec needs to make them again."""
    compiler = Compiler(module)
    tree = _compile_tree(compiler)
    code = compile(tree, CODE_FILENAME, "exec", dont_inherit=True)
    if recipes is not None:
        recipes.update({ident: kind_key for kind_key, ident in compiler._helper_ids.items()})
    return code, compiler.helpers, compiler.entry_names, tree, compiler.by_field


def _compile_tree(compiler: Compiler) -> ast.Module:
    module = compiler.module
    functions = []
    if module.body or not module.functions:
        compiler.compile_function_locals((), module.body)
        functions.append(compiler.function("f_main", (), module.body, None, module.span))
    for fn in module.functions:
        compiler.compile_function_locals([p.name for p in fn.params], fn.body)
        functions.append(compiler.function(compiler.entry_names[fn.name], fn.params, fn.body, fn,
                                           fn.span))
    tree = ast.Module(body=functions, type_ignores=[])
    _fill_positions(tree)
    return tree
