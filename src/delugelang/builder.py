"""Lark tree to syntax tree. The only module that knows the grammar's rule names."""

from __future__ import annotations

from . import nodes as n
from .errors import ParseError

# The classes of the parser in use (Lark's or the standalone one), bound by build():
# importing delugelang.lalr loads that parser, which the fast path (rdparser, which
# shares unescape and _BARE_WORD_KEYS) must not pay for.
Token = Tree = None


def span_of(item) -> n.Span:
    if isinstance(item, Token):
        return n.Span(item.line, item.column, item.end_line or item.line,
                      item.end_column or item.column)
    meta = item.meta
    if getattr(meta, "empty", True):
        return n.NO_SPAN
    return n.Span(meta.line, meta.column, meta.end_line, meta.end_column)


def unescape(body: str, tok=None) -> str:
    """Decode a text literal's backslash escapes: \\" \\\\ \\n \\t \\r \\' and \\uXXXX.

    Deluge documents `\\"` and `\\\\` (reference §2); the others follow Java. An unknown
    escape keeps the backslash, which is what real scripts with regex literals expect.
    """
    if "\\" not in body:
        return body
    out = []
    i = 0
    simple = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "'": "'", "/": "/",
              "b": "\b", "f": "\f"}
    while i < len(body):
        ch = body[i]
        if ch != "\\" or i + 1 >= len(body):
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in simple:
            out.append(simple[nxt])
            i += 2
        elif nxt == "u" and _is_hex(body[i + 2:i + 6]):
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        else:
            out.append("\\" + nxt)
            i += 2
    return "".join(out)


def _is_hex(text: str) -> bool:
    return len(text) == 4 and all(c in "0123456789abcdefABCDEF" for c in text)


class Builder:
    """Turns one parse tree into an n.Module."""

    def build(self, tree) -> n.Module:
        functions, body = [], []
        for child in tree.children:
            if isinstance(child, Tree) and child.data == "function_def":
                functions.append(self.function_def(child))
            else:
                body.append(self.stmt(child))
        return n.Module(span_of(tree), tuple(functions), tuple(body))

    # ---------------------------------------------------------------- top level

    def function_def(self, t) -> n.FunctionDef:
        rtype, qname, params, block = t.children
        plist = ()
        if params is not None:
            plist = tuple(n.Param(span_of(p.children[1]), str(p.children[0]), str(p.children[1]))
                          for p in params.children)
        return n.FunctionDef(span_of(qname), str(rtype),
                             tuple(str(x) for x in qname.children), plist, self.block(block))

    def block(self, t) -> tuple:
        return tuple(self.stmt(c) for c in t.children)

    # ---------------------------------------------------------------- statements

    def stmt(self, t) -> n.Node:
        method = getattr(self, "s_" + t.data, None)
        if method is None:  # pragma: no cover - grammar and builder out of step
            raise ParseError(f"unsupported statement {t.data}", *_pos(t))
        return method(t)

    def s_assign(self, t):
        name, value = t.children
        return n.Assign(span_of(t), str(name), self.expr(value))

    def s_aug_assign(self, t):
        name, op, value = t.children
        target = n.Var(span_of(name), str(name))
        binop = n.BinOp(span_of(t), str(op)[0], target, self.expr(value), span_of(op))
        return n.Assign(span_of(t), str(name), binop)

    def s_task_assign(self, t):
        name, task = t.children
        return n.Assign(span_of(t), str(name), self.task(task))

    def s_task_stmt(self, t):
        return n.ExprStmt(span_of(t), self.task(t.children[0]))

    def s_expr_stmt(self, t):
        return n.ExprStmt(span_of(t), self.expr(t.children[0]))

    def s_empty_stmt(self, t):
        return n.Empty(span_of(t))

    def s_if_stmt(self, t):
        kids = t.children
        branches = [(self.expr(kids[1]), self.block(kids[2]))]
        orelse = None
        for clause in kids[3:]:
            if clause is None:
                continue
            if clause.data == "elif_clause":
                branches.append((self.expr(clause.children[2]), self.block(clause.children[3])))
            else:
                orelse = self.block(clause.children[1])
        return n.If(span_of(t), tuple(branches), orelse)

    def s_for_stmt(self, t):
        _, _, var, _, iterable, body = t.children
        return n.ForEach(span_of(t), str(var), self.expr(iterable), self.block(body))

    def s_for_index_stmt(self, t):
        _, _, word, var, _, iterable, body = t.children
        if str(word).lower() != "index":
            raise ParseError(f"expected 'in' or 'index' after 'for each' but found the name {word}",
                             word.line, word.column)
        return n.ForEach(span_of(t), str(var), self.expr(iterable), self.block(body), index=True)

    def s_break_stmt(self, t):
        return n.Break(span_of(t))

    def s_continue_stmt(self, t):
        return n.Continue(span_of(t))

    def s_return_stmt(self, t):
        value = t.children[1] if len(t.children) > 1 else None  # `return;` has no value
        return n.Return(span_of(t), None if value is None else self.expr(value))

    def s_info_stmt(self, t):
        return n.Info(span_of(t), self.expr(t.children[1]))

    def s_try_stmt(self, t):
        _, body, _, var, handler = t.children
        return n.Try(span_of(t), self.block(body), str(var), self.block(handler), span_of(var))

    def s_throw_stmt(self, t):
        return n.Throw(span_of(t), self.expr(t.children[1]))

    def task(self, t) -> n.Task:
        name = str(t.children[0]).lower()
        params = []
        for p in t.children[1:]:
            key_tok = p.children[0]
            key = " ".join(str(key_tok).lower().split())
            values = tuple(self.task_value(key, v) for v in p.children[1:])
            params.append((key, values[0] if len(values) == 1 else values, span_of(key_tok)))
        return n.Task(span_of(t), name, tuple(params))

    def task_value(self, key: str, t) -> n.Node:
        # `type: POST`, `content type: HTML`, `response-format: FILE`: bare words are text.
        if isinstance(t, Tree) and t.data == "var" and key in _BARE_WORD_KEYS:
            tok = t.children[0]
            return n.Literal(span_of(tok), str(tok), "text")
        return self.expr(t)

    # ---------------------------------------------------------------- expressions

    def expr(self, t) -> n.Node:
        if isinstance(t, Token):  # pragma: no cover - every literal has a rule alias
            raise ParseError(f"unexpected {t}", t.line, t.column)
        method = getattr(self, "e_" + t.data)
        return method(t)

    def e_string(self, t):
        tok = t.children[0]
        return n.Literal(span_of(tok), unescape(str(tok)[1:-1], tok), "text")

    def e_quoted(self, t):
        tok = t.children[0]
        return n.QuotedLiteral(span_of(tok), str(tok)[1:-1])

    def e_integer(self, t):
        tok = t.children[0]
        text = str(tok)
        if len(text) > 19 or int(text) > 2**63 - 1:
            raise ParseError("number literal out of range: NUMBER holds at most "
                             "9223372036854775807", tok.line, tok.column)
        return n.Literal(span_of(tok), int(text), "number")

    def e_decimal(self, t):
        tok = t.children[0]
        text = str(tok)
        if len(text) > 60:
            raise ParseError("decimal literal has too many digits (at most 60)", tok.line, tok.column)
        return n.Literal(span_of(tok), text, "decimal")

    def e_true(self, t):
        return n.Literal(span_of(t.children[0]), True, "boolean")

    def e_false(self, t):
        return n.Literal(span_of(t.children[0]), False, "boolean")

    def e_null(self, t):
        return n.Literal(span_of(t.children[0]), None, "null")

    def e_var(self, t):
        tok = t.children[0]
        return n.Var(span_of(tok), str(tok))

    def _chain(self, t, kind):
        kids = t.children
        if kind == "logic":
            operands = tuple(self.expr(k) for k in kids[::2])
            return n.Logic(span_of(t), str(kids[1]), operands)
        node = self.expr(kids[0])
        for i in range(1, len(kids), 2):
            op_tok = kids[i]
            if isinstance(op_tok, Tree):  # eq_op
                op_tok = op_tok.children[0]
            right = self.expr(kids[i + 1])
            span = n.Span(node.span.line, node.span.column, right.span.end_line, right.span.end_column)
            node = n.BinOp(span, str(op_tok), node, right, span_of(op_tok))
        return node

    def e_or_expr(self, t):
        return self._chain(t, "logic")

    def e_and_expr(self, t):
        return self._chain(t, "logic")

    def e_eq_expr(self, t):
        return self._chain(t, "binary")

    e_rel_expr = e_add_expr = e_mul_expr = e_eq_expr

    def e_not_expr(self, t):
        return n.Unary(span_of(t), "!", self.expr(t.children[1]))

    def e_sign_expr(self, t):
        op, operand = t.children
        inner = self.expr(operand)
        if str(op) == "-" and isinstance(inner, n.Literal) and inner.kind == "number":
            return n.Literal(span_of(t), -inner.value, "number")
        return n.Unary(span_of(t), str(op), inner)

    def args(self, t) -> tuple:
        if t is None:
            return ()
        out = []
        for a in t.children:
            if a.children[1] is None:
                out.append(self.expr(a.children[0]))
            else:
                out.append(n.PairArg(span_of(a), self.expr(a.children[0]), self.expr(a.children[1])))
        return tuple(out)

    def e_call(self, t):
        name, args = t.children
        arguments = self.args(args)
        if str(name).lower() == "ifnull" and len(arguments) == 2:
            return n.IfNull(span_of(t), arguments[0], arguments[1])
        return n.Call(span_of(t), str(name), arguments)

    def e_method_call(self, t):
        recv, name, args = t.children
        return n.MethodCall(span_of(t), self.expr(recv), str(name), self.args(args), span_of(name))

    def e_field_access(self, t):
        recv, name = t.children
        return n.Field(span_of(t), self.expr(recv), str(name))

    def e_typed_list(self, t):
        tok, args = t.children
        return n.TypedListNew(span_of(t), str(tok).split(":", 1)[1].lower(), self.args(args))

    def e_inline_if(self, t):
        _, cond, a, b = t.children
        return n.InlineIf(span_of(t), self.expr(cond), self.expr(a), self.expr(b))

    def e_empty_braces(self, t):
        return n.EmptyBraces(span_of(t))

    def e_list_lit(self, t):
        return n.ListLit(span_of(t), tuple(self.expr(c) for c in t.children if c is not None))

    def e_bracket_list(self, t):
        return self.e_list_lit(t)

    def e_map_lit(self, t):
        pairs = tuple((self.expr(p.children[0]), self.expr(p.children[1]))
                      for p in t.children if p is not None)
        return n.MapLit(span_of(t), pairs)


_BARE_WORD_KEYS = {"type", "content type", "content-type", "response-format", "response format",
                   "response-decoding"}


def _pos(t):
    s = span_of(t)
    return s.line, s.column


def build(tree) -> n.Module:
    global Token, Tree
    if Tree is None:
        from .lalr import Token, Tree
    return Builder().build(tree)
