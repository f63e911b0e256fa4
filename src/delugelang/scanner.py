"""Source text to tokens for the fast parser: one master regex, Lark's line/column rules."""

from __future__ import annotations

import re

# Words the grammar's keyword terminals match (grammar/deluge.lark, all case-insensitive).
# The scanner marks such a NAME with its lower-cased spelling as its kind; the parser
# decides, as Lark's contextual lexer would, whether the word is a keyword where it stands.
KEYWORDS = frozenset(("if", "else", "for", "each", "in", "break", "continue", "return", "info",
                      "try", "catch", "throw", "true", "false", "null"))
# TASK_NAME.2: /(invokeurl|sendmail|invokeapi)(?![A-Za-z0-9_])/i; a whole NAME only.
TASK_NAMES = frozenset(("invokeurl", "sendmail", "invokeapi"))
TASK = "task"

# Alternatives, most frequent first, but in the order Lark's lexer tries them where
# they compete: comments before `/` (the lookahead), TYPED_LIST (priority 3) before NAME,
# DECIMAL before INT, two-character operators before their one-character prefixes.
# Spaces before a token belong to its match (possessively: no quadratic backtracking over
# a long run of spaces); whitespace holding newlines, and the two non-ASCII WS characters,
# are matches of their own; the end of the source is group 11, and any other character
# is group 12, so that every character of the source is in some match.
_ALTERNATIVES = (
    r"(\|\||&&|[=!<>]=?|[-+*]=?|/(?![/*])=?|[%(){}\[\],:;.])",  # 1 punctuation
    r"([lL][iI][sS][tT]:[A-Za-z]++(?=\s*+\())",  # 2 TYPED_LIST, /list:[A-Za-z]+(?=\s*\()/i
    r"([A-Za-z_][A-Za-z0-9_]*)",  # 3 NAME
    "(\n[ \t\f\r\n]*+)",  # 4 WS with newlines
    r'("(?:\\.|[^"\\])*")',  # 5 STRING
    r"([0-9]+\.[0-9]+)",  # 6 DECIMAL
    r"([0-9]+)",  # 7 INT
    r"('[^'\n]*')",  # 8 SQ_STRING
    r"(//[^\n]*|/\*.*?\*/)",  # 9 comments
    "([\u00a0\ufeff]+)",  # 10 WS, the rest of it
    r"(\Z)",  # 11 the end
    r"(.)",  # 12 no token starts here
)
# Not re.X, nor (?i:), nor non-ASCII characters in a class with others: each makes
# compiling this pattern (at every start-up) markedly slower.
_MASTER = re.compile("[ \t\f\r]*+(?:" + "|".join(_ALTERNATIVES) + ")", re.S)

NAME, TYPED, DECIMAL, INT, STRING, SQ, EOF = "NAME", "TYPED", "DEC", "INT", "STR", "SQ", "EOF"
_KIND_OF_GROUP = {2: TYPED, 5: STRING, 6: DECIMAL, 7: INT, 8: SQ}
_OPENING, _CLOSING = frozenset("({["), frozenset(")}]")


class ScanFailed(Exception):
    """A character no token starts with: the Lark path reports it."""


class Tokens:
    """Parallel lists, one entry per token (and a final EOF): kind, text, and Lark's line,
    column, end line and end column (1-based, end column exclusive). `end_lines` is
    `lines` itself unless a text spans lines; `line_starts[k]` is the offset of line k+1.
    `bracket_depth` is the deepest nesting of brackets, counted as parser.prescan counts."""

    __slots__ = ("kinds", "texts", "lines", "cols", "end_lines", "end_cols", "line_starts",
                 "bracket_depth")

    def offset(self, i: int) -> int:
        return self.line_starts[self.lines[i] - 1] + self.cols[i] - 1


def _word_kind(text: str) -> str:
    lower = text.lower()
    return lower if lower in KEYWORDS else TASK if lower in TASK_NAMES else NAME


def scan(source: str) -> Tokens:
    """Every token of `source`, or ScanFailed at the first character that starts none."""
    kinds, texts, lines, cols, end_cols = [], [], [], [], []
    line_starts, multiline = [0], {}
    line, line_start, end, depth, deepest = 1, 0, 0, 0, 0
    kind_of_group, word_kinds, opening, closing = _KIND_OF_GROUP, {}, _OPENING, _CLOSING
    for m in _MASTER.finditer(source):
        group = m.lastindex
        text = m[group]
        end = m.end()
        if group == 1:
            kind = text
            if text in opening:
                depth += 1
                if depth > deepest:
                    deepest = depth
            elif text in closing:
                depth -= 1
        elif group == 3:
            kind = word_kinds.get(text)
            if kind is None:
                kind = word_kinds[text] = _word_kind(text)
        elif group == 4 or group == 9:  # whitespace and comments: only their newlines count
            if group == 4 or "\n" in text:
                line += text.count("\n")
                line_start = end - len(text) + text.rindex("\n") + 1
                line_starts.extend([-1] * (line - len(line_starts)))
                line_starts[-1] = line_start
            continue
        elif group == 10:
            continue
        elif group == 11:
            break
        elif group == 12:
            raise ScanFailed(end - 1)
        else:
            kind = kind_of_group[group]
        kinds.append(kind)
        texts.append(text)
        lines.append(line)
        cols.append(end - len(text) - line_start + 1)
        if group == 5 and "\n" in text:  # a text spanning lines
            multiline[len(kinds) - 1] = line = line + text.count("\n")
            line_start = end - len(text) + text.rindex("\n") + 1
            line_starts.extend([-1] * (line - len(line_starts)))
            line_starts[-1] = line_start
        end_cols.append(end - line_start + 1)
    kinds.append(EOF)
    texts.append("")
    lines.append(line)
    cols.append(len(source) - line_start + 1)
    end_cols.append(len(source) - line_start + 1)
    tokens = _tokens(kinds, texts, lines, cols, end_cols, line_starts, multiline)
    tokens.bracket_depth = deepest
    return tokens


def _tokens(kinds, texts, lines, cols, end_cols, line_starts, multiline) -> Tokens:
    end_lines = lines
    if multiline:
        end_lines = lines.copy()
        for i, last in multiline.items():
            end_lines[i] = last
    tokens = Tokens()
    tokens.kinds, tokens.texts, tokens.lines, tokens.cols = kinds, texts, lines, cols
    tokens.end_lines, tokens.end_cols, tokens.line_starts = end_lines, end_cols, line_starts
    return tokens
