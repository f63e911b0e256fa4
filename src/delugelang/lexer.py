"""A Pygments lexer for Deluge, following the token set of grammar/deluge.lark."""

from __future__ import annotations

import re

from pygments.lexer import RegexLexer, bygroups, include, words
from pygments.token import (Comment, Error, Keyword, Literal, Name, Number, Operator,
                            Punctuation, String, Text, Whitespace)

__all__ = ["DelugeLexer"]

# The grammar's NAME is ASCII only (a non-ASCII letter is a syntax error), so `\w`,
# which is Unicode in Python, is never used here.
_END = r"(?![A-Za-z0-9_])"
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"

# Words the grammar reserves where a statement or expression can start (deluge.lark).
_KEYWORDS = ("if", "else", "for", "each", "in", "break", "continue", "return", "info",
             "try", "catch", "throw")
_CONSTANTS = ("true", "false", "null")
# Declared types of functions and arguments (reference §1, §3).
_TYPES = ("void", "string", "text", "int", "number", "long", "bigint", "decimal", "float",
          "double", "bool", "boolean", "date", "datetime", "time", "map", "list",
          "collection")
_TASKS = ("invokeurl", "sendmail", "invokeapi")
# TASK_KEY: a parameter name may hold a hyphen or one space (`content-type`, `reply to`).
_TASK_KEY = r"[A-Za-z][A-Za-z_]*(?:[- ][A-Za-z][A-Za-z_]*)?(?=\s*:)"
_TYPE_WORDS = "|".join(_TYPES)


class DelugeLexer(RegexLexer):
    """Deluge, the scripting language of Zoho CRM custom functions."""

    name = "Deluge"
    aliases = ["deluge"]  # "dg" is Pygments' own lexer for the dg language
    filenames = ["*.dg", "*.deluge"]
    mimetypes = ["text/x-deluge"]
    url = "https://www.zoho.com/deluge/"
    flags = re.IGNORECASE | re.MULTILINE  # keywords are case-insensitive in Deluge

    tokens = {
        "root": [
            # `string standalone.notify(int id)`: a function declaration.
            (rf"(\s*)({_TYPE_WORDS})(\s+)({_NAME}(?:\.{_NAME})*)(\s*)(?=\()",
             bygroups(Whitespace, Keyword.Type, Whitespace, Name.Function, Whitespace)),
            include("statement"),
        ],
        "whitespace": [
            (r"[ \t\f\r\n\ufeff\u00a0]+", Whitespace),
            (r"//[^\n]*", Comment.Single),
            (r"/\*[\s\S]*?\*/", Comment.Multiline),
            (r"/\*", Comment.Multiline, "block-comment"),  # unclosed: a comment to the end
        ],
        "block-comment": [
            (r"[^*]+", Comment.Multiline),
            (r"\*/", Comment.Multiline, "#pop"),
            (r"\*", Comment.Multiline),
        ],
        "statement": [
            include("whitespace"),
            # `for each index i in list`: `index` is a keyword only here.
            (rf"(for)(\s+)(each)(\s+)(index)(?=\s+{_NAME}\s+in{_END})",
             bygroups(Keyword, Whitespace, Keyword, Whitespace, Keyword)),
            (words(_TASKS, suffix=_END), Keyword.Reserved, "task-open"),
            include("expression"),
        ],
        "expression": [
            include("whitespace"),
            (r'"', String.Double, "string"),
            (r"'[^'\n]*'", Literal.Date),
            (r"[0-9]+\.[0-9]+", Number.Float),
            (r"[0-9]+", Number.Integer),
            (words(_KEYWORDS, suffix=_END), Keyword),
            (words(_CONSTANTS, suffix=_END), Keyword.Constant),
            # `List:String()`: a typed list constructor.
            (r"(list)(:)([A-Za-z]+)(?=\s*\()", bygroups(Keyword.Type, Punctuation, Keyword.Type)),
            # Declared argument types: `(int id, string name)`.
            (rf"({_TYPE_WORDS})(\s+)(?={_NAME}\s*[,)])", bygroups(Keyword.Type, Whitespace)),
            # System variables and integration tasks: `zoho.currentdate`, `zoho.crm.x(...)`.
            (rf"zoho(?:\.{_NAME})*", Name.Builtin),
            (rf"input{_END}", Name.Builtin.Pseudo),
            (rf"(\.)(\s*)({_NAME})(?=\s*\()", bygroups(Punctuation, Whitespace, Name.Function)),
            (rf"(\.)(\s*)({_NAME})", bygroups(Punctuation, Whitespace, Name.Attribute)),
            (rf"{_NAME}(?=\s*\()", Name.Function),
            (_NAME, Name),
            (r"\|\||&&|[=!<>]=|[+\-*/]=|[+\-*/%<>!=]", Operator),
            (r"[{}()\[\];,.:]", Punctuation),
            (r".", Error),
        ],
        "string": [
            (r'[^"\\]+', String.Double),
            (r"\\.", String.Escape),
            (r"\\", String.Double),
            (r'"', String.Double, "#pop"),
        ],
        # invokeurl [ url: "..." type: POST ]: one `key: value` a line, no commas.
        "task-open": [
            include("whitespace"),
            (r"\[", Punctuation, ("#pop", "task")),
            (r"", Text, "#pop"),
        ],
        "task": [
            include("whitespace"),
            (r"\]", Punctuation, "#pop"),
            (_TASK_KEY, Name.Attribute),
            (r"\[", Punctuation, "task-nested"),
            include("expression"),
        ],
        "task-nested": [
            (r"\]", Punctuation, "#pop"),
            (r"\[", Punctuation, "#push"),
            include("expression"),
        ],
    }

    def analyse_text(text):  # noqa: N805 - Pygments calls it without an instance
        score = 0.0
        if re.search(r"\binfo\s", text):
            score += 0.1
        if re.search(r"\bfor\s+each\b", text, re.IGNORECASE):
            score += 0.2
        if re.search(r"\bzoho\.(crm|currentdate|currenttime)", text):
            score += 0.3
        return min(score, 0.9)

