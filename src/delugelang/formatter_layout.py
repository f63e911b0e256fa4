"""Deluge's conventional layout, written token by token from a token-keeping parse tree.

The layout is the one Zoho's script editor saves (reference/realworld-syntax.md §6 calls it
"Allman (Zoho's own formatter)"): tab indentation, `{` and `}` on lines of their own,
`if(` and `else if(` without a space, `catch (e)` with one, task parameters one per line
between `[` and `]`, binary operators between spaces, no space after a comma or inside
`{"key":value}`. Only whitespace changes: every token is written as it was, except that
keywords, `true`/`false`/`null` and task names are written in lower case.

Like builder.py, this module knows the grammar's rule names; formatter.py checks that
the result still builds the same syntax tree.
"""

from __future__ import annotations

from lark import Token

INDENT = "\t"

_LOWERCASE = {"IF", "ELSE", "FOR", "EACH", "IN", "BREAK", "CONTINUE", "RETURN", "INFO", "TRY",
              "CATCH", "THROW", "TRUE", "FALSE", "NULL", "TASK_NAME"}
_KINDS = {"LPAR": "open", "LBRACE": "open", "LSQB": "open",
          "RPAR": "close", "RBRACE": "close", "RSQB": "close",
          "COMMA": "comma", "DOT": "dot", "SEMICOLON": "semi", "NOT_OP": "unary",
          "OR_OP": "op", "AND_OP": "op", "REL_OP": "op", "MUL_OP": "op", "AUG_OP": "op"}
_NO_SPACE_AFTER = {"open", "dot", "unary", "comma", "colon"}
_NO_SPACE_BEFORE = {"close", "comma", "semi", "dot", "tcolon"}
_CALLEES = {"NAME", "TYPED_LIST", "IF"}  # `f(`, `List:String(`, `if(`


class Item:
    """One token with its role in the layout and the text to write."""

    __slots__ = ("token", "kind", "text")

    def __init__(self, token: Token, kind: str, text: str):
        self.token, self.kind, self.text = token, kind, text


def _kind(tok: Token, parent: str | None) -> str:
    if tok.type == "COLON":
        return "tcolon" if parent == "task_param" else "colon"
    if tok.type == "ADD_OP":
        return "unary" if parent == "sign_expr" else "op"
    if parent == "eq_op":
        return "op"
    if tok.type == "EQUAL":
        return "assign"
    return _KINDS.get(tok.type, "word")


def flatten(node, parent: str | None = None, out: list | None = None) -> list:
    """The items of a subtree (or of a list of children), in source order."""
    out = [] if out is None else out
    if isinstance(node, list):
        for child in node:
            flatten(child, parent, out)
    elif isinstance(node, Token):
        text = str(node).lower() if node.type in _LOWERCASE else str(node)
        out.append(Item(node, _kind(node, parent), text))
    elif node is not None:
        for child in node.children:
            flatten(child, node.data, out)
    return out


def _space(prev: Item, item: Item) -> bool:
    if prev.kind in _NO_SPACE_AFTER or item.kind in _NO_SPACE_BEFORE:
        return False
    if item.kind == "colon":
        # `{list : x}` keeps its space: `list:String(` would read as a typed list.
        return prev.token.type == "NAME" and prev.text.lower() == "list"
    if item.token.type == "LPAR" and prev.token.type in _CALLEES:
        return False
    return True


def _breakable(prev: Item, item: Item) -> bool:
    """Where a line break of the source is kept inside a statement."""
    return prev.kind in ("comma", "open", "op") or item.kind in ("close", "op", "dot")


class Writer:
    """Collects output lines; places comments and blank lines around tokens."""

    def __init__(self, units):
        self.units = units
        self.lines: list[str] = []
        self.line: list | None = None  # [indent, [text parts]] of the line being written
        self.force_break = False
        self.after_comment = False  # the open line ends with a comment

    def end_line(self) -> None:
        if self.line is not None:
            indent, parts = self.line
            self.lines.append(INDENT * indent + "".join(parts))
            self.line = None
        self.force_break = False

    def blank(self) -> None:
        """One empty line (never two, never first, never right after an opening line)."""
        self.end_line()
        if self.lines and self.lines[-1] != "" and self.lines[-1].strip() not in ("{", "["):
            self.lines.append("")

    def put(self, text: str, indent: int, space: bool, comment: bool = False) -> None:
        if self.line is None:
            self.line = [indent, [text]]
        else:
            if space or self.after_comment:
                self.line[1].append(" ")
            self.line[1].append(text)
        self.after_comment = comment

    def leading(self, tok: Token, indent: int, blanks: bool, token_blank: bool) -> None:
        """The comments before a token, each where the source had it relative to the others."""
        prev = None
        for c in self.units.leading.get(tok.start_pos, ()):
            if prev is None or prev.is_line or c.line > prev.end_line:
                self.end_line()
                if blanks and self.units.blank_before(c.start):
                    self.blank()
            self.put(c.text, indent, True, comment=True)
            prev = c
        if prev is not None and (prev.is_line or tok.line > prev.end_line):
            self.end_line()
        if token_blank and self.line is None and self.units.blank_before(tok.start_pos):
            self.blank()

    def trailing(self, tok: Token) -> None:
        for c in self.units.trailing.get(tok.start_pos, ()):
            self.put(c.text, 0, True, comment=True)
            if c.is_line:
                self.force_break = True

    def tokens(self, items: list, base: int, *, comment_indent: int | None = None,
               token_blank: bool = True) -> None:
        """Lay out one statement-like run of tokens starting on a new line at `base`.

        Source line breaks are kept where `_breakable` allows; a continued line is indented
        by the brackets still open at its start (brackets opened on one line count once),
        and at least one level.
        """
        open_lines: list[int] = []  # output line index where each open bracket was opened
        prev = None
        for item in items:
            tok = item.token
            if prev is None:
                indent = base
                self.leading(tok, base if comment_indent is None else comment_indent,
                             blanks=True, token_blank=token_blank)
            else:
                if (self.force_break or tok.start_pos in self.units.leading
                        or (_breakable(prev, item)
                            and self.units.newline_between(prev.token.end_pos, tok.start_pos))):
                    self.end_line()
                indent = base + _level(open_lines, item)
                self.leading(tok, indent, blanks=False, token_blank=False)
            self.put(item.text, indent, prev is not None and _space(prev, item))
            if item.kind == "open":
                open_lines.append(len(self.lines))
            elif item.kind == "close" and open_lines:
                open_lines.pop()
            self.trailing(tok)
            prev = item


def _level(open_lines: list[int], item: Item) -> int:
    distinct = len(set(open_lines))
    if item.kind == "close":
        return max(0, distinct - 1)
    return max(1, distinct)


class Layout:
    """Walks statements and blocks of the token-keeping tree."""

    def __init__(self, units):
        self.w = Writer(units)

    def module(self, tree) -> str:
        for child in tree.children:
            if child.data == "function_def":
                self.function_def(child, 0)
            else:
                self.statement(child, 0)
        self.w.end_line()
        self._tail()
        lines = self.w.lines
        while lines and lines[-1] == "":
            lines.pop()
        return "\n".join(lines) + "\n" if lines else ""

    def _tail(self) -> None:
        prev = None
        for c in self.w.units.tail:
            if prev is None or prev.is_line or c.line > prev.end_line:
                self.w.end_line()
                if self.w.units.blank_before(c.start):
                    self.w.blank()
            self.w.put(c.text, 0, True, comment=True)
            prev = c
        self.w.end_line()

    # ---------------------------------------------------------------- structure

    def function_def(self, t, indent: int) -> None:
        *header, body = t.children
        self.w.tokens(flatten(header, t.data), indent)
        self.block(body, indent)

    def block(self, t, indent: int) -> None:
        lbrace, *statements, rbrace = t.children
        self.w.end_line()
        self.w.tokens(flatten([lbrace], t.data), indent, token_blank=False)
        self.w.end_line()
        for s in statements:
            self.statement(s, indent + 1)
        self.w.tokens(flatten([rbrace], t.data), indent, comment_indent=indent + 1,
                      token_blank=False)
        self.w.end_line()

    def statement(self, t, indent: int) -> None:
        self.w.end_line()
        handler = getattr(self, "s_" + t.data, None)
        if handler is None:
            self.w.tokens(flatten(t), indent)
        else:
            handler(t, indent)
        self.w.end_line()

    def s_if_stmt(self, t, indent: int) -> None:
        kids = t.children
        self.w.tokens(flatten(kids[:4], t.data), indent)
        self.block(kids[4], indent)
        for clause in kids[5:]:
            if clause is None:
                continue
            *header, body = clause.children
            self.w.tokens(flatten(header, clause.data), indent, token_blank=False)
            self.block(body, indent)

    def s_for_stmt(self, t, indent: int) -> None:
        *header, body = t.children
        items = flatten(header, t.data)
        if t.data == "for_index_stmt":
            items[2].text = items[2].text.lower()  # `for each index i in list`
        self.w.tokens(items, indent)
        self.block(body, indent)

    s_for_index_stmt = s_for_stmt

    def s_try_stmt(self, t, indent: int) -> None:
        try_kw, body, *catch_header, handler = t.children
        self.w.tokens(flatten([try_kw], t.data), indent)
        self.block(body, indent)
        self.w.tokens(flatten(catch_header, t.data), indent, token_blank=False)
        self.block(handler, indent)

    def s_task_stmt(self, t, indent: int) -> None:
        task, *semi = t.children
        self.task([], task, semi, indent)

    def s_task_assign(self, t, indent: int) -> None:
        name, equal, task, *semi = t.children
        self.task(flatten([name, equal], t.data), task, semi, indent)

    def task(self, prefix: list, task, semi: list, indent: int) -> None:
        """`x = invokeurl`, then `[` alone, one parameter a line, and `]` alone."""
        name, lsqb, *params, rsqb = task.children
        self.w.tokens(prefix + flatten([name], task.data), indent)
        self.w.end_line()
        self.w.tokens(flatten([lsqb], task.data), indent, token_blank=False)
        for p in params:
            self.w.end_line()
            self.w.tokens(flatten(p), indent + 1, token_blank=False)
        self.w.end_line()
        self.w.tokens(flatten([rsqb, *semi], task.data), indent, comment_indent=indent + 1,
                      token_blank=False)
