"""The fast front end: recursive descent from tokens straight to syntax-tree nodes.

It mirrors grammar/deluge.lark and builder.py, and accepts only when it is sure: for any
source it either returns exactly the n.Module that `builder.build(parser.parse(source))`
returns (spans included, with Lark's propagate_positions rules), or gives up (returns
None) so that the Lark path decides, with its tree or its error message. It gives up on
anything unusual: every syntax error, every builder error (a number out of range, `for
each` with a word other than `index`), a keyword spelled word where Lark's contextual
lexer might read it as a NAME, and a tree that comes near the depth limit.
tests/test_rdparser.py keeps the two in step over the corpus and a mutation fuzzer.

Spans: a Lark tree starts where its first child's *container* starts and ends where its
last child's ends; a container includes the parentheses of `(expr)`. So a tree's span
runs from the first to the last token its rule consumed, which is what `_span(start,
self.pos - 1)` gives. BinOp spans are the builder's own (from its operands' spans).

Depth: `self.depth` is the Lark tree depth of what was parsed last (tokens do not count,
a `?rule` that kept one child adds no level), compared with parser.check_tree_depth's limit.
"""

from __future__ import annotations

import re

from . import nodes as n
from .builder import _BARE_WORD_KEYS, unescape
from .scanner import (DECIMAL, EOF, INT, KEYWORDS, NAME, SQ, STRING, TASK, TYPED, ScanFailed,
                      scan)

# Binary operators by precedence level, lowest first (grammar: or, and, eq, rel, add, mul).
_LEVELS = {"||": 1, "&&": 2, "==": 3, "!=": 3, "=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
           "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}
_AUG_OPS = frozenset(("+=", "-=", "*=", "/="))
# After "." Lark's state accepts only NAME, so there a keyword spelled word is a name.
_WORDS = KEYWORDS | {NAME, TASK}
_LITERAL_WORDS = {"true": (True, "boolean"), "false": (False, "boolean"), "null": (None, "null")}
_TASK_KEY = re.compile(r"[A-Za-z][A-Za-z_]*(?:[- ][A-Za-z][A-Za-z_]*)?(?=\s*:)")  # the grammar's
_INT_MAX = 2**63 - 1
_DEPTH_MARGIN = 3  # give up this close to the tree-depth limit: Lark decides there


class GiveUp(Exception):
    """Not sure: let the Lark path parse (or reject) this source."""


def fast_parse(source: str, max_nesting: int) -> n.Module | None:
    """The module, or None when the Lark path must decide. Brackets nested deeper than
    `max_nesting` are parser.prescan's error, so Lark's path reports them."""
    try:
        tokens = scan(source)
        if tokens.bracket_depth > max_nesting:
            return None
        return _Parser(source, tokens).module(max_nesting * 3 - _DEPTH_MARGIN)
    except (GiveUp, ScanFailed, RecursionError):
        return None


class _Parser:
    """One parse: a cursor over the token lists."""

    def __init__(self, source, tokens):
        self.source = source
        self.kinds = tokens.kinds
        self.texts = tokens.texts
        self.offset = tokens.offset
        self.lines, self.cols = tokens.lines, tokens.cols
        self.end_lines, self.end_cols = tokens.end_lines, tokens.end_cols
        self.pos = 0
        self.depth = 0
        self.tree_depth = 0  # the whole module's, once parsed

    # ---------------------------------------------------------------- helpers

    def _span(self, first: int, last: int) -> n.Span:
        return n.Span(self.lines[first], self.cols[first], self.end_lines[last],
                      self.end_cols[last])

    def _token_span(self, i: int) -> n.Span:
        return n.Span(self.lines[i], self.cols[i], self.end_lines[i], self.end_cols[i])

    def _expect(self, kind: str) -> int:
        pos = self.pos
        if self.kinds[pos] != kind:
            raise GiveUp
        self.pos = pos + 1
        return pos

    def _name(self) -> int:
        """A NAME that no keyword terminal could take (else give up)."""
        return self._expect(NAME)

    # ---------------------------------------------------------------- top level

    def module(self, depth_limit: int) -> n.Module:
        kinds = self.kinds
        functions, body, deepest = [], [], 0
        while kinds[self.pos] != EOF:
            if kinds[self.pos] == NAME and kinds[self.pos + 1] == NAME:
                functions.append(self.function_def())
            else:
                body.append(self.statement())
            deepest = max(deepest, self.depth)
        self.tree_depth = 1 + deepest
        if self.tree_depth > depth_limit:
            raise GiveUp
        span = self._span(0, self.pos - 1) if self.pos else n.NO_SPAN
        return n.Module(span, tuple(functions), tuple(body))

    def function_def(self) -> n.FunctionDef:
        return_type = self.texts[self._name()]
        first = self._name()
        names = [self.texts[first]]
        while self.kinds[self.pos] == ".":
            self.pos += 1
            names.append(self.texts[self._word()])
        qualified = self._span(first, self.pos - 1)
        self._expect("(")
        params = []
        if self.kinds[self.pos] != ")":
            params.append(self.param())
            while self.kinds[self.pos] == ",":
                self.pos += 1
                params.append(self.param())
        self._expect(")")
        body = self.block()
        self.depth = 1 + max(self.depth, 2 if params else 1)
        return n.FunctionDef(qualified, return_type, tuple(names), tuple(params), body)

    def param(self) -> n.Param:
        type_name = self.texts[self._name()]
        name = self._name()
        return n.Param(self._token_span(name), type_name, self.texts[name])

    def _word(self) -> int:
        pos = self.pos
        if self.kinds[pos] not in _WORDS:
            raise GiveUp
        self.pos = pos + 1
        return pos

    def block(self) -> tuple:
        self._expect("{")
        kinds, statements, deepest = self.kinds, [], 0
        while kinds[self.pos] != "}":
            statements.append(self.statement())
            deepest = max(deepest, self.depth)
        self.pos += 1
        self.depth = 1 + deepest
        return tuple(statements)

    # ---------------------------------------------------------------- statements

    def statement(self) -> n.Node:
        kind = self.kinds[self.pos]
        if kind == NAME:
            after = self.kinds[self.pos + 1]
            if after == "=":
                return self.assign()
            if after in _AUG_OPS:
                return self.aug_assign()
            return self.expr_stmt()
        method = _STATEMENTS.get(kind)
        if method is not None:
            return method(self)
        if kind in _EXPRESSION_STARTS:
            return self.expr_stmt()
        raise GiveUp

    def _end(self, start: int) -> n.Span:
        """Expect the statement's `;`: its span runs from `start` through it."""
        self._expect(";")
        return self._span(start, self.pos - 1)

    def assign(self) -> n.Assign:
        start = self.pos
        name = self.texts[start]
        self.pos += 2
        if self.kinds[self.pos] == TASK:  # task_assign: NAME "=" task ";"?
            task = self.task()
            if self.kinds[self.pos] == ";":
                self.pos += 1
            self.depth += 1
            return n.Assign(self._span(start, self.pos - 1), name, task)
        value = self.expr()
        self.depth += 1
        return n.Assign(self._end(start), name, value)

    def aug_assign(self) -> n.Assign:
        start = self.pos
        name = self.texts[start]
        op = start + 1
        self.pos += 2
        value = self.expr()
        span = self._end(start)
        self.depth += 1
        target = n.Var(self._token_span(start), name)
        return n.Assign(span, name, n.BinOp(span, self.texts[op][0], target, value,
                                            self._token_span(op)))

    def expr_stmt(self) -> n.ExprStmt:
        start = self.pos
        value = self.expr()
        self.depth += 1
        return n.ExprStmt(self._end(start), value)

    def task_stmt(self) -> n.ExprStmt:
        start = self.pos
        task = self.task()
        if self.kinds[self.pos] == ";":
            self.pos += 1
        self.depth += 1
        return n.ExprStmt(self._span(start, self.pos - 1), task)

    def empty_stmt(self) -> n.Empty:
        self.pos += 1
        self.depth = 1
        return n.Empty(self._token_span(self.pos - 1))

    def if_stmt(self) -> n.Node:
        start = self.pos
        self.pos += 1
        self._expect("(")
        condition = self.expr()
        if self.kinds[self.pos] == ",":
            return self._inline_if_stmt(start, condition)
        condition, body, deepest = self._condition_block(condition)
        branches, orelse = [(condition, body)], None
        kinds = self.kinds
        while kinds[self.pos] == "else":
            if kinds[self.pos + 1] == "if":
                self.pos += 2
                self._expect("(")
                condition, body, depth = self._condition_block(self.expr())
                branches.append((condition, body))
                deepest = max(deepest, 1 + depth)
                continue
            self.pos += 1
            orelse = self.block()
            deepest = max(deepest, 1 + self.depth)
            break
        self.depth = 1 + deepest
        return n.If(self._span(start, self.pos - 1), tuple(branches), orelse)

    def _condition_block(self, condition):
        """The `) block` after an if's or else-if's condition."""
        depth = self.depth
        self._expect(")")
        body = self.block()
        return condition, body, max(depth, self.depth)

    def _inline_if_stmt(self, start: int, condition) -> n.ExprStmt:
        """`if (c, a, b)...;`: an expression statement whose first operand is an inline if."""
        node = self._inline_if_rest(start, condition)
        if self.kinds[self.pos] == ".":
            node = self._suffixes(start, node)
        node = self.binary(1, start, node)
        self.depth += 1
        return n.ExprStmt(self._end(start), node)

    def for_stmt(self) -> n.ForEach:
        start = self.pos
        if self.kinds[start + 1] != "each":
            raise GiveUp
        self.pos += 2
        first = self._name()
        index = self.kinds[self.pos] == NAME
        if index:
            if self.texts[first].lower() != "index":  # the builder's error: Lark reports it
                raise GiveUp
            first = self._name()
        self._expect("in")
        iterable = self.expr()
        depth = self.depth
        body = self.block()
        self.depth = 1 + max(depth, self.depth)
        return n.ForEach(self._span(start, self.pos - 1), self.texts[first], iterable, body,
                         index=index)

    def break_stmt(self) -> n.Break:
        start = self.pos
        self.pos += 1
        self.depth = 1
        return n.Break(self._end(start))

    def continue_stmt(self) -> n.Continue:
        start = self.pos
        self.pos += 1
        self.depth = 1
        return n.Continue(self._end(start))

    def return_stmt(self) -> n.Return:
        start = self.pos
        self.pos += 1
        if self.kinds[self.pos] == ";":
            self.depth = 1
            return n.Return(self._end(start), None)
        value = self.expr()
        self.depth += 1
        return n.Return(self._end(start), value)

    def info_stmt(self) -> n.Info:
        start = self.pos
        self.pos += 1
        value = self.expr()
        self.depth += 1
        return n.Info(self._end(start), value)

    def throw_stmt(self) -> n.Throw:
        start = self.pos
        self.pos += 1
        value = self.expr()
        self.depth += 1
        return n.Throw(self._end(start), value)

    def try_stmt(self) -> n.Try:
        start = self.pos
        self.pos += 1
        body = self.block()
        depth = self.depth
        self._expect("catch")
        self._expect("(")
        var = self._name()
        self._expect(")")
        handler = self.block()
        self.depth = 1 + max(depth, self.depth)
        return n.Try(self._span(start, self.pos - 1), body, self.texts[var], handler,
                     self._token_span(var))

    # ---------------------------------------------------------------- tasks

    def task(self) -> n.Task:
        start = self.pos
        name = self.texts[start].lower()
        self.pos += 1
        self._expect("[")
        params, deepest = [], 0
        while self.kinds[self.pos] != "]":
            params.append(self.task_param())
            deepest = max(deepest, self.depth)
        self.pos += 1
        self.depth = 1 + deepest
        return n.Task(self._span(start, self.pos - 1), name, tuple(params))

    def task_param(self):
        key_text, key_span = self._task_key()
        key = " ".join(key_text.lower().split())
        self._expect(":")
        values = [self._task_value(key)]
        deepest = self.depth
        while self.kinds[self.pos] == ",":
            self.pos += 1
            values.append(self._task_value(key))
            deepest = max(deepest, self.depth)
        self.depth = 1 + deepest
        return key, values[0] if len(values) == 1 else tuple(values), key_span

    def _task_key(self):
        """TASK_KEY (priority 2, matched on the source text, may span `content type` or
        `content-type`); it must end exactly where a token ends."""
        pos = self.pos
        if self.kinds[pos] == EOF:
            raise GiveUp
        match = _TASK_KEY.match(self.source, self.offset(pos))
        if match is None:
            raise GiveUp
        end = match.end()
        while self.kinds[self.pos] != EOF and self.offset(self.pos) < end:
            self.pos += 1
        last = self.pos - 1
        if self.offset(last) + len(self.texts[last]) != end:
            raise GiveUp
        text = match.group()
        span = n.Span(self.lines[pos], self.cols[pos], self.lines[pos], self.cols[pos] + len(text))
        return text, span

    def _task_value(self, key: str) -> n.Node:
        value = self.expr()
        # `type: POST`, `content type: HTML`: a bare word is text (builder.task_value).
        if type(value) is n.Var and key in _BARE_WORD_KEYS:
            return n.Literal(value.span, value.name, "text")
        return value

    # ---------------------------------------------------------------- expressions

    def binary(self, min_level: int = 1, start: int = 0, left: n.Node | None = None) -> n.Node:
        """Operator chains of level `min_level` and above, as Lark's flat chain trees
        become: Logic with all of a chain's operands, left-nested BinOps otherwise. The
        first operand is parsed here, or given (`left`, from token `start` on)."""
        if left is None:
            start = self.pos
            left = self.unary()
        depth = self.depth
        kinds, levels = self.kinds, _LEVELS
        level = levels.get(kinds[self.pos], 0)
        while level >= min_level:
            if level <= 2:
                op = kinds[self.pos]
                operands = [left]
                while kinds[self.pos] == op:
                    self.pos += 1
                    operands.append(self.binary(level + 1))
                    depth = max(depth, self.depth)
                left = n.Logic(self._span(start, self.pos - 1), op, tuple(operands))
            else:
                while levels.get(kinds[self.pos]) == level:
                    op = self.pos
                    self.pos += 1
                    right = self.binary(level + 1)
                    depth = max(depth, self.depth)
                    first, last = left.span, right.span
                    span = n.Span(first.line, first.column, last.end_line, last.end_column)
                    left = n.BinOp(span, self.texts[op], left, right, self._token_span(op))
            depth += 1
            level = levels.get(kinds[self.pos], 0)
        self.depth = depth
        return left

    expr = binary  # an expression: the chain of the lowest level

    def unary(self) -> n.Node:
        """`!x`, `-x`, `+x` (a minus before a NUMBER folds into it, as the builder does),
        else a primary and its `.name` and `.name(args)` suffixes."""
        start = self.pos
        kinds = self.kinds
        kind = kinds[start]
        if kind == "!" or kind == "-" or kind == "+":
            self.pos = start + 1
            operand = self.unary()
            self.depth += 1
            span = self._span(start, self.pos - 1)
            if kind == "-" and type(operand) is n.Literal and operand.kind == "number":
                return n.Literal(span, -operand.value, "number")
            return n.Unary(span, kind, operand)
        method = _PRIMARIES.get(kind)
        if method is None:
            raise GiveUp
        node = method(self, start)
        if kinds[self.pos] != ".":
            return node
        return self._suffixes(start, node)

    def _suffixes(self, start: int, node: n.Node) -> n.Node:
        kinds, depth = self.kinds, self.depth
        while kinds[self.pos] == ".":
            name = self.pos + 1
            if kinds[name] not in _WORDS:
                raise GiveUp
            self.pos = name + 1
            if kinds[self.pos] == "(":
                args, args_depth = self.args()
                node = n.MethodCall(self._span(start, self.pos - 1), node, self.texts[name],
                                    args, self._token_span(name))
                depth = 1 + max(depth, args_depth)
            else:
                node = n.Field(self._span(start, self.pos - 1), node, self.texts[name])
                depth += 1
        self.depth = depth
        return node

    def args(self):
        """`( [arg ("," arg)*] )`: the arguments and the depth of the args tree (0: none)."""
        self.pos += 1
        if self.kinds[self.pos] == ")":
            self.pos += 1
            return (), 0
        out, deepest = [], 0
        while True:
            start = self.pos
            key = self.expr()
            depth = self.depth
            if self.kinds[self.pos] == ":":
                self.pos += 1
                value = self.expr()
                depth = max(depth, self.depth)
                key = n.PairArg(self._span(start, self.pos - 1), key, value)
            out.append(key)
            deepest = max(deepest, depth)
            if self.kinds[self.pos] != ",":
                break
            self.pos += 1
        self._expect(")")
        return tuple(out), 2 + deepest  # args tree, arg trees

    def name_primary(self, pos):
        text = self.texts[pos]
        if self.kinds[pos + 1] != "(":
            self.pos = pos + 1
            self.depth = 1
            return n.Var(n.Span(self.lines[pos], self.cols[pos], self.end_lines[pos],
                                self.end_cols[pos]), text)
        self.pos = pos + 1
        args, depth = self.args()
        self.depth = 1 + depth
        span = self._span(pos, self.pos - 1)
        if len(args) == 2 and text.lower() == "ifnull":
            return n.IfNull(span, args[0], args[1])
        return n.Call(span, text, args)

    def string(self, pos):
        self.pos = pos + 1
        self.depth = 1
        body = self.texts[pos][1:-1]
        if "\\" in body:
            body = unescape(body)
        return n.Literal(self._token_span(pos), body, "text")

    def quoted(self, pos):
        self.pos = pos + 1
        self.depth = 1
        return n.QuotedLiteral(self._token_span(pos), self.texts[pos][1:-1])

    def integer(self, pos):
        text = self.texts[pos]
        if len(text) > 19 or int(text) > _INT_MAX:  # the builder's error: Lark reports it
            raise GiveUp
        self.pos = pos + 1
        self.depth = 1
        return n.Literal(self._token_span(pos), int(text), "number")

    def decimal(self, pos):
        text = self.texts[pos]
        if len(text) > 60:
            raise GiveUp
        self.pos = pos + 1
        self.depth = 1
        return n.Literal(self._token_span(pos), text, "decimal")

    def literal_word(self, pos):
        value, kind = _LITERAL_WORDS[self.kinds[pos]]
        self.pos = pos + 1
        self.depth = 1
        return n.Literal(self._token_span(pos), value, kind)

    def typed_list(self, pos):
        self.pos = pos + 1
        if self.kinds[self.pos] != "(":
            raise GiveUp
        args, depth = self.args()
        self.depth = 1 + depth
        elem_type = self.texts[pos].split(":", 1)[1].lower()
        return n.TypedListNew(self._span(pos, self.pos - 1), elem_type, args)

    def inline_if(self, pos):
        self.pos = pos + 1
        self._expect("(")
        return self._inline_if_rest(pos, self.expr())

    def _inline_if_rest(self, pos: int, cond: n.Node) -> n.InlineIf:
        """`, a, b)` after `if (cond`."""
        depth = self.depth
        self._expect(",")
        then = self.expr()
        depth = max(depth, self.depth)
        self._expect(",")
        other = self.expr()
        self._expect(")")
        self.depth = 1 + max(depth, self.depth)
        return n.InlineIf(self._span(pos, self.pos - 1), cond, then, other)

    def parenthesized(self, pos):
        self.pos = pos + 1
        inner = self.expr()
        self._expect(")")
        return inner

    def braces(self, pos):
        """`{}`, `{a, b}` or `{k: v, ...}`, each with an optional trailing comma."""
        self.pos = pos + 1
        if self.kinds[self.pos] == "}":
            self.pos += 1
            self.depth = 1
            return n.EmptyBraces(self._span(pos, pos + 1))
        first = self.expr()
        if self.kinds[self.pos] == ":":
            return self._map(pos, first)
        items, deepest = self._items(first, "}")
        self.depth = 1 + deepest
        return n.ListLit(self._span(pos, self.pos - 1), items)

    def _items(self, first, closer):
        items, deepest = [first], self.depth
        kinds = self.kinds
        while kinds[self.pos] == ",":
            self.pos += 1
            if kinds[self.pos] == closer:
                break
            items.append(self.expr())
            deepest = max(deepest, self.depth)
        self._expect(closer)
        return tuple(items), deepest

    def _map(self, pos, key):
        pairs, deepest = [], 0
        kinds = self.kinds
        while True:
            depth = self.depth
            self._expect(":")
            value = self.expr()
            pairs.append((key, value))
            deepest = max(deepest, 1 + max(depth, self.depth))
            if kinds[self.pos] != ",":
                break
            self.pos += 1
            if kinds[self.pos] == "}":
                break
            key = self.expr()
        self._expect("}")
        self.depth = 1 + deepest
        return n.MapLit(self._span(pos, self.pos - 1), tuple(pairs))

    def brackets(self, pos):
        self.pos = pos + 1
        if self.kinds[self.pos] == "]":
            self.pos += 1
            self.depth = 1
            return n.ListLit(self._span(pos, pos + 1), ())
        items, deepest = self._items(self.expr(), "]")
        self.depth = 1 + deepest
        return n.ListLit(self._span(pos, self.pos - 1), items)


_STATEMENTS = {
    TASK: _Parser.task_stmt, ";": _Parser.empty_stmt, "if": _Parser.if_stmt,
    "for": _Parser.for_stmt, "break": _Parser.break_stmt, "continue": _Parser.continue_stmt,
    "return": _Parser.return_stmt, "info": _Parser.info_stmt, "try": _Parser.try_stmt,
    "throw": _Parser.throw_stmt,
}

_PRIMARIES = {
    NAME: _Parser.name_primary, STRING: _Parser.string, SQ: _Parser.quoted,
    INT: _Parser.integer, DECIMAL: _Parser.decimal, TYPED: _Parser.typed_list,
    "true": _Parser.literal_word, "false": _Parser.literal_word, "null": _Parser.literal_word,
    "if": _Parser.inline_if, "(": _Parser.parenthesized, "{": _Parser.braces,
    "[": _Parser.brackets,
}

# Tokens an expression statement may start with, besides NAME (`if` starts an if statement).
_EXPRESSION_STARTS = frozenset(_PRIMARIES) - {NAME, "if"} | {"!", "-", "+"}
