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

# Alternatives in the order Lark's lexer tries them where they compete: comments before
# `/`, DECIMAL before INT, TYPED_LIST (priority 3) before NAME, two-character operators
# before their one-character prefixes. Group numbers are the kinds below.
_MASTER = re.compile(r"""
    ([ \t\f\r\n\ufeff\u00a0]+)                  # 1 WS
  | (//[^\n]*|/\*.*?\*/)                         # 2 comments
  | ((?i:list:[A-Za-z]+)(?=\s*\())               # 3 TYPED_LIST
  | ([A-Za-z_][A-Za-z0-9_]*)                     # 4 NAME
  | ([0-9]+\.[0-9]+)                             # 5 DECIMAL
  | ([0-9]+)                                     # 6 INT
  | ("(?:\\.|[^"\\])*")                          # 7 STRING
  | ('[^'\n]*')                                  # 8 SQ_STRING
  | (\|\||&&|==|!=|<=|>=|\+=|-=|\*=|/=|[-+*/%!<>=(){}\[\],:;.])  # 9 punctuation
""", re.S | re.X)

NAME, TYPED, DECIMAL, INT, STRING, SQ, EOF = "NAME", "TYPED", "DEC", "INT", "STR", "SQ", "EOF"
_KIND_OF_GROUP = {3: TYPED, 5: DECIMAL, 6: INT, 7: STRING, 8: SQ}


class ScanFailed(Exception):
    """A character no token starts with: the Lark path reports it."""


class Tokens:
    """Parallel lists, one entry per token (and a final EOF): kind, text, start offset, and
    Lark's line, column, end line and end column (1-based, end column exclusive)."""

    __slots__ = ("kinds", "texts", "starts", "lines", "cols", "end_lines", "end_cols")

    def __init__(self):
        self.kinds, self.texts, self.starts = [], [], []
        self.lines, self.cols, self.end_lines, self.end_cols = [], [], [], []


def scan(source: str) -> Tokens:
    """Every token of `source`, or ScanFailed at the first character that starts none."""
    tokens = Tokens()
    kinds, texts, starts = tokens.kinds, tokens.texts, tokens.starts
    lines, cols, end_lines, end_cols = tokens.lines, tokens.cols, tokens.end_lines, tokens.end_cols
    line, line_start, pos = 1, 0, 0
    kind_of_group = _KIND_OF_GROUP
    keywords, task_names = KEYWORDS, TASK_NAMES
    for m in _MASTER.finditer(source):
        start = m.start()
        if start != pos:
            raise ScanFailed(pos)
        pos = m.end()
        group = m.lastindex
        text = m.group()
        if group <= 2:  # whitespace and comments: only their newlines count
            if "\n" in text:
                line += text.count("\n")
                line_start = start + text.rindex("\n") + 1
            continue
        if group == 4:
            lower = text.lower()
            kind = lower if lower in keywords else TASK if lower in task_names else NAME
        elif group == 9:
            kind = text
        else:
            kind = kind_of_group[group]
        kinds.append(kind)
        texts.append(text)
        starts.append(start)
        lines.append(line)
        cols.append(start - line_start + 1)
        if group == 7 and "\n" in text:  # a text spanning lines
            line += text.count("\n")
            line_start = start + text.rindex("\n") + 1
        end_lines.append(line)
        end_cols.append(pos - line_start + 1)
    if pos != len(source):
        raise ScanFailed(pos)
    kinds.append(EOF)
    texts.append("")
    starts.append(pos)
    lines.append(line)
    cols.append(pos - line_start + 1)
    end_lines.append(line)
    end_cols.append(pos - line_start + 1)
    return tokens
