"""Source text to Lark tree: grammar loading (cached), pre-scan checks, syntax errors in words."""

from __future__ import annotations

import functools
import os
import re

from .errors import ParseError

# pathlib is imported where it is used: valid scripts never come here for the grammar
# (delugelang.frontend), and pathlib with its imports is a tenth of `dg run`'s start-up.


@functools.lru_cache(maxsize=1)
def grammar_text() -> str:
    """The grammar shipped inside the package, or the checkout's copy when run from source.
    (A plain path, not importlib.resources: that import alone is a tenth of start-up.)"""
    from pathlib import Path

    here = Path(__file__).resolve()
    packaged = here.parent / "grammar" / "deluge.lark"
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (here.parents[2] / "grammar" / "deluge.lark").read_text(encoding="utf-8")


def cache_dir():
    """A directory only this user can write, for the grammar cache; None if there is none.

    Lark's cache is a pickle, and loading a pickle runs code, so it must never live where
    another user could plant one (a shared /tmp): see user_cache.private_cache_dir.
    A pathlib.Path, or None."""
    from pathlib import Path

    from .user_cache import private_cache_dir

    path = private_cache_dir()
    return Path(path) if path is not None else None


def lark_parser():
    """The LALR parser, built once per process (see delugelang.lalr for the backend)."""
    from .lalr import backend
    return backend().parser


# Strings, comments and an unclosed `/*`, scanned in one pass. The last alternative only
# matches a `/*` that has no closing `*/`.
_SCAN = re.compile(r'"(?:\\.|[^"\\])*"|\'[^\'\n]*\'|//[^\n]*|/\*.*?\*/|(/\*)', re.S)
_OPENERS = {"(": ")", "{": "}", "[": "]"}


def line_col(source: str, offset: int) -> tuple[int, int]:
    line = source.count("\n", 0, offset) + 1
    start = source.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def prescan(source: str, max_nesting: int) -> None:
    """Errors Lark would report badly: unclosed comments and runaway bracket nesting."""
    depth = 0
    last = 0
    for m in _SCAN.finditer(source):
        depth = _bracket_depth(source, last, m.start(), depth, max_nesting)
        last = m.end()
        if m.group(1):
            line, col = line_col(source, m.start())
            # Deluge's own save error: "Comment Task is not closed properly" (reference §11).
            raise ParseError("Comment Task is not closed properly: this /* has no closing */",
                             line, col)
    _bracket_depth(source, last, len(source), depth, max_nesting)


_BRACKETS = re.compile(r"[(){}\[\]]")


def _bracket_depth(source, start, end, depth, max_nesting):
    for m in _BRACKETS.finditer(source, start, end):
        if m.group() in _OPENERS:
            depth += 1
            if depth > max_nesting:
                line, col = line_col(source, m.start())
                raise ParseError(f"brackets and blocks are nested more than {max_nesting} deep here "
                                 f"(limit 'parse_nesting' = {max_nesting})", line, col)
        else:
            depth -= 1
    return depth


def check_size(source: str, max_bytes: int) -> None:
    if len(source.encode("utf-8", "surrogatepass")) > max_bytes:
        raise ParseError(f"the source is larger than {max_bytes:,} bytes "
                         f"(limit 'source_bytes' = {max_bytes})", 1, 1)


def parse(source: str, *, max_nesting: int = 100, max_bytes: int = 1_000_000):
    """Parse Deluge source to a Lark tree, or raise ParseError with a position and words."""
    from .lalr import backend

    lalr = backend()
    check_size(source, max_bytes)
    prescan(source, max_nesting)
    try:
        tree = lalr.parser.parse(source)
    except lalr.UnexpectedToken as err:
        raise _token_error(source, err) from None
    except lalr.UnexpectedCharacters as err:
        raise _char_error(source, err) from None
    except lalr.UnexpectedEOF as err:
        raise _eof_error(source, err.expected) from None
    check_tree_depth(tree, max_nesting, lalr.Tree)
    return tree


def check_tree_depth(tree, max_nesting: int, Tree=None) -> None:
    """Reject trees deeper than the nesting limit (long operator or method chains) before
    any recursive code walks them. Iterative, so the check itself cannot overflow."""
    if Tree is None:
        from .lalr import backend
        Tree = backend().Tree
    limit = max_nesting * 3  # a bracket level costs several tree levels
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            line = getattr(node.meta, "line", None)
            col = getattr(node.meta, "column", None)
            raise ParseError(f"this expression is nested too deeply (limit 'parse_nesting' = "
                             f"{max_nesting}); split it into several statements", line, col)
        for child in node.children:
            if isinstance(child, Tree):
                stack.append((child, depth + 1))


# ------------------------------------------------------------------ messages

_WORDS = {
    "SEMICOLON": "';'", "LPAR": "'('", "RPAR": "')'", "LBRACE": "'{'", "RBRACE": "'}'",
    "LSQB": "'['", "RSQB": "']'", "COMMA": "','", "COLON": "':'", "DOT": "'.'",
    "EQUAL": "'='", "NAME": "a name", "STRING": "a text", "INT": "a number",
    "DECIMAL": "a number", "SQ_STRING": "a date", "IF": "'if'", "ELSE": "'else'",
    "FOR": "'for'", "EACH": "'each'", "IN": "'in'", "CATCH": "'catch'",
    "TASK_KEY": "a task parameter such as 'url:'", "TASK_NAME": "a task",
    "TRUE": "true", "FALSE": "false", "NULL": "null",
    "ADD_OP": "an operator", "MUL_OP": "an operator", "REL_OP": "an operator",
    "AND_OP": "'&&'", "OR_OP": "'||'", "NOT_OP": "'!'", "AUG_OP": "'+='",
    "$END": "the end of the file",
}

_TOKEN_WORDS = {
    "$END": "the end of the file",
    "STRING": "a text", "SQ_STRING": "a quoted date", "INT": "the number",
    "DECIMAL": "the number", "NAME": "the name",
}


def _describe_expected(expected: set[str]) -> str:
    if "SEMICOLON" in expected:
        return "';' after statement"
    if expected <= {"RPAR", "COMMA"} or expected == {"RPAR"}:
        return "')'"
    if "RBRACE" in expected and "SEMICOLON" not in expected and len(expected) <= 3:
        return "'}'"
    words = []
    for name in sorted(expected):
        if name.startswith("__ANON") or name.startswith("_"):
            continue
        word = _WORDS.get(name)
        if word and word not in words:
            words.append(word)
    if not words:
        return "something else"
    if len(words) > 6:
        return "an expression or a statement"
    return " or ".join(words) if len(words) <= 2 else ", ".join(words[:-1]) + " or " + words[-1]


def _found(token) -> str:
    kind = token.type
    if kind == "$END":
        return "the end of the file"
    if kind in ("STRING", "SQ_STRING", "INT", "DECIMAL", "NAME"):
        text = token.value if len(token.value) <= 30 else token.value[:27] + "..."
        return f"{_TOKEN_WORDS[kind]} {text}" if kind != "STRING" else f"the text {text}"
    return f"'{token.value}'"


def _token_error(source, err) -> ParseError:
    token = err.token
    if token.type == "$END":
        return _eof_error(source, err.expected)
    expected = set(err.expected)
    message = f"expected {_describe_expected(expected)} but found {_found(token)}"
    word = str(token).lower()
    if word == "in" or (word == "not" and source[token.end_pos:].lstrip()[:3].rstrip()
                        .lower() == "in"):  # `x not in list` (realworld-syntax.md §4)
        form, fix = ("not in", "!list.contains(x)") if word == "not" else ("in", "list.contains(x)")
        return ParseError(f"'{form}' is not a Deluge operator: write {fix}", token.line,
                          token.column)
    if "SEMICOLON" in expected:
        # Point just after the previous token: that is where the ';' belongs.
        line, col = _after_previous(source, token.start_pos)
        return ParseError(message, line, col)
    return ParseError(message, token.line, token.column)


def _after_previous(source: str, offset: int) -> tuple[int, int]:
    i = offset
    while i > 0 and source[i - 1] in " \t\r\n":
        i -= 1
    return line_col(source, i)


def _eof_error(source, expected) -> ParseError:
    line, col = _after_previous(source, len(source))
    want = _describe_expected(set(expected))
    if "RBRACE" in set(expected):
        want = "'}'"
    # Deluge says: "Expecting '}' but found '<EOF>'" (reference §11); we keep its first word.
    return ParseError(f"expecting {want} but found the end of the file", line, col)


def _char_error(source, err) -> ParseError:
    ch = source[err.pos_in_stream] if err.pos_in_stream < len(source) else ""
    if ch == '"':
        message = "this text is not closed: add the closing \""
    elif ch == "'":
        message = "this quoted value is not closed: add the closing '"
    elif ch and not ch.isascii():
        message = (f"unexpected character {ch!r}: names must use ASCII letters, digits and '_'")
    else:
        allowed = set(err.allowed or ())
        if allowed:
            message = f"unexpected character {ch!r}; expected {_describe_expected(allowed)}"
        else:
            message = f"unexpected character {ch!r}"
    return ParseError(message, err.line, err.column)
