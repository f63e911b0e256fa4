"""Java-style regular expressions for Deluge: translation, timeouts and `$1` replacements.

Deluge runs on Java, so `replaceAll`, `replaceFirst` and `matches` take `java.util.regex`
patterns (deluge-reference.md §7.1, §13.4). Every pattern runs through the `regex`
package with the run's timeout (sandbox.md §3.10); the bare `re` module is never used on
script patterns, and replacement text is never handed to a Python template engine.
"""

from __future__ import annotations

import functools

from ..errors import LimitError, ScriptError

# Java's POSIX classes are US-ASCII only (java.util.regex.Pattern docs).
_POSIX = {
    "Lower": "a-z", "Upper": "A-Z", "ASCII": "\\x00-\\x7F", "Alpha": "a-zA-Z",
    "Digit": "0-9", "Alnum": "a-zA-Z0-9", "Punct": "!-/:-@\\[-`{-~",
    "Graph": "!-~", "Print": " -~", "Blank": " \\t", "Cntrl": "\\x00-\\x1F\\x7F",
    "XDigit": "0-9a-fA-F", "Space": " \\t\\n\\x0B\\f\\r",
}
_HSPACE = " \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000"


def _regex():
    """The `regex` package, imported on first use: a script without a pattern does not
    pay for it (15-25 ms of `dg run`'s start-up, bench/NOTES.md B6)."""
    import regex
    return regex


def translate(pattern: str) -> str:
    """Rewrite the Java-only parts of a pattern into `regex` syntax.

    Handles `\\Q...\\E` quoting, `\\z` / `\\Z`, `\\h`, `\\R` and the ASCII POSIX classes
    `\\p{Alpha}`...; everything else is shared by both dialects.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = 0
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "Q":
                end = pattern.find("\\E", i + 2)
                literal = pattern[i + 2:] if end < 0 else pattern[i + 2:end]
                out.append(_regex().escape(literal))
                i = n if end < 0 else end + 2
                continue
            if nxt in "pP" and i + 2 < n and pattern[i + 2] == "{":
                close = pattern.find("}", i + 3)
                name = pattern[i + 3:close] if close > 0 else ""
                name = name[2:] if name.startswith("Is") and name[2:] in _POSIX else name
                if name in _POSIX:
                    ranges = _POSIX[name]
                    if nxt == "p":
                        out.append(ranges if in_class else f"[{ranges}]")
                        i = close + 1
                        continue
                    if not in_class:
                        out.append(f"[^{ranges}]")
                        i = close + 1
                        continue
            if nxt == "z" and not in_class:
                out.append("\\Z")
                i += 2
                continue
            if nxt == "Z" and not in_class:
                out.append("(?=\\n?\\Z)")
                i += 2
                continue
            if nxt == "h":
                out.append(_HSPACE if in_class else f"[{_HSPACE}]")
                i += 2
                continue
            if nxt == "R" and not in_class:
                out.append("(?:\\r\\n|[\\n\\x0B\\f\\r\\x85\\u2028\\u2029])")
                i += 2
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[":
            # `[` opens a class; inside a class, `[` opens a nested Java union class.
            in_class += 1
            out.append(c)
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":  # a leading `]` is literal in Java too
                out.append("\\]")
                i += 1
            continue
        if c == "]" and in_class:
            in_class -= 1
        out.append(c)
        i += 1
    return "".join(out)


def compile_pattern(rt, pattern, op: str, *, ignore_case: bool = False, literal: bool = False):
    """Compile a script pattern (Java syntax) or a literal search text."""
    if type(pattern) is not str:
        from ..values import type_name
        raise ScriptError(f"{op}: the pattern must be TEXT, not {type_name(pattern)}")
    limit = rt.limits.regex_pattern_length
    if len(pattern) > limit:
        raise LimitError("regex_pattern_length", limit,
                         f"{op}: the regular expression is {len(pattern):,} characters long "
                         f"(limit 'regex_pattern_length' = {limit})")
    return _checked_compile(pattern, literal, ignore_case, op)


def _checked_compile(pattern: str, literal: bool, ignore_case: bool, op: str):
    try:
        return _compiled(pattern, literal, ignore_case)
    except (_regex().error, ValueError, OverflowError, RecursionError) as exc:
        raise ScriptError(f"{op}: invalid regular expression {_short(pattern)}: "
                          f"{_reason(exc)}") from None


@functools.lru_cache(maxsize=512)
def _compiled(pattern: str, literal: bool, ignore_case: bool):
    """Translated and compiled once per distinct pattern (bench/NOTES.md: translating and
    compiling on every call was a quarter of a typical CRM function's time)."""
    regex = _regex()
    source = regex.escape(pattern) if literal else translate(pattern)
    # Java's \d \w \s \b are ASCII-only by default, so patterns compile with regex.ASCII.
    flags = regex.ASCII | regex.VERSION0 | (regex.IGNORECASE if ignore_case else 0)
    return regex.compile(source, flags)


def full_match(rt, text: str, pattern, op: str = "matches") -> bool:
    """True when the whole text matches (Java's String.matches)."""
    compiled = compile_pattern(rt, pattern, op)
    timeout = time_limit(rt, pattern, text)
    return _run(rt, op, lambda: compiled.fullmatch(text, timeout=timeout)) is not None


def search(rt, text: str, pattern, op: str, ignore_case: bool = False):
    """The first match object, or None."""
    compiled = compile_pattern(rt, pattern, op, ignore_case=ignore_case)
    timeout = time_limit(rt, pattern, text)
    return _run(rt, op, lambda: compiled.search(text, timeout=timeout))


def replace(rt, text: str, pattern, replacement, op: str, *, first: bool = False,
            ignore_case: bool = False, literal: bool = False) -> str:
    """Java's replaceAll / replaceFirst; `literal` quotes both the pattern and the replacement."""
    if type(pattern) is not str or len(pattern) > rt.limits.regex_pattern_length:
        compile_pattern(rt, pattern, op)  # refuses the pattern's type or length
    if type(replacement) is not str:
        from ..values import to_text
        replacement = to_text(replacement)
    plan = _cached_plan if len(replacement) <= _CACHED_TEXT else _replace_plan
    compiled, constant, as_text, unquantified = plan(pattern, replacement, ignore_case,
                                                     literal, op)
    if as_text:
        return _replace_text(rt, text, pattern, constant, first)
    budget = rt.limits.text_length
    count = 1 if first else 0
    timeout = None if unquantified and len(text) * len(pattern) <= _BOUNDED_STEPS \
        else rt.limits.regex_seconds  # time_limit(), without a second look-up
    if constant is not None and len(text) + (len(text) + 1) * len(constant) <= budget:
        # Even a match at every position stays within the text budget: no per-match check.
        # `regex` reads a replacement string as a template only through its backslash
        # escapes (`\1`, `\g<0>`, `\n`); one without a backslash is inserted as it is,
        # by C code (tests/builtins/test_replace_equivalence.py proves it over generated
        # replacements). Any other constant goes through a callback, so that script text
        # is never a template.
        substitute = constant if "\\" not in constant else (lambda m: constant)
        try:  # `regex` reads any argument past the first two slowly (about 1 µs)
            if timeout is None and not first:
                if not (ignore_case or literal) and substitute is constant:
                    _remember_ready(pattern, replacement, compiled, constant, unquantified)
                return compiled.sub(substitute, text)
            return compiled.sub(substitute, text, count=count, timeout=timeout)
        except _REGEX_FAILURES as exc:
            raise _regex_failure(exc, op, rt.limits.regex_seconds) from None
    parts = _replacement_parts(replacement, compiled, op) if not literal else (replacement,)
    grown = [len(text)]

    def substitute(match) -> str:
        if constant is not None:
            out = constant
        else:
            out = "".join(part if type(part) is str else (match.group(part[0]) or "")
                          for part in parts)
        grown[0] += len(out) - (match.end() - match.start())
        if grown[0] > budget:
            rt.check_text(grown[0])
        return out

    return _run(rt, op, lambda: compiled.sub(substitute, text, count=count, timeout=timeout))


# replaceAll(pattern, replacement) calls whose plan came out as "substitute a constant
# without a backslash, in C, with no timer" above: (pattern, replacement) -> its
# _untimed_replacer (None where the path does not fit the text). Filled by replace() as it
# takes that path; replace_all_ready() takes it again with the same checks, a frame earlier.
_READY: dict = {}
_READY_SIZE = 512


# One character class of ASCII letters and digits (`[^0-9]`, `[a-zA-Z]`): Java, `regex`
# and Python's `re` match it alike, character by character, and `re` substitutes faster.
_SIMPLE_CLASS = None


def _remember_ready(pattern: str, replacement: str, compiled, constant: str,
                    unquantified: bool) -> None:
    if unquantified and len(_READY) < _READY_SIZE and len(replacement) <= _CACHED_TEXT:
        _READY[(pattern, replacement)] = _untimed_replacer(pattern, compiled, constant, _none)


def _fastest_sub(pattern: str, compiled):
    """`compiled.sub`, or Python's re for a pattern that is one simple class (_SIMPLE_CLASS)."""
    global _SIMPLE_CLASS
    import re
    if _SIMPLE_CLASS is None:
        _SIMPLE_CLASS = re.compile(r"\[\^?(?:[A-Za-z0-9](?:-[A-Za-z0-9])?)+\]")
    if _SIMPLE_CLASS.fullmatch(pattern) and translate(pattern) == pattern:
        try:
            return re.compile(pattern, re.ASCII).sub
        except re.error:
            pass
    return compiled.sub


def _longest_untimed(pattern: str) -> int:
    """The longest text an unquantified `pattern` runs over without a timer (time_limit)."""
    return _BOUNDED_STEPS // len(pattern) if pattern else _BOUNDED_STEPS ** 2


def ready_replacer(pattern: str, replacement: str):
    """For `text.replaceAll(pattern, replacement)` with both constant: a function
    `(rt, text)` equal to `replace(rt, text, pattern, replacement, "replaceAll")` for a
    TEXT `text`, planned now (the compiler binds it as a helper): the substitution
    replace_all_ready() would make, in its very cases, and replace() itself otherwise.
    None when the plan is not that path (or the pattern or replacement is invalid: the
    call then gives the error when it runs)."""
    if len(pattern) > _READY_PATTERN or len(replacement) > _CACHED_TEXT:
        return None
    try:
        compiled, constant, as_text, unquantified = _cached_plan(pattern, replacement, False,
                                                                 False, "replaceAll")
    except ScriptError:
        return None
    if as_text or constant is None or "\\" in constant or not unquantified:
        return None
    return _untimed_replacer(pattern, compiled, constant, lambda rt, text: replace(
        rt, text, pattern, replacement, "replaceAll"))


_READY_PATTERN = 200  # longer constant patterns are planned when they run, not compiled


def replace_all_ready(rt, text: str, pattern: str, replacement: str):
    """`replace(rt, text, pattern, replacement, "replaceAll")` for a TEXT pattern and
    replacement already seen on its fastest path (see _READY), when this text takes that
    path too (the pattern within `regex_pattern_length`, no timer needed, the text budget
    safe even with a match at every position); None otherwise, for replace() to decide."""
    ready = _READY.get((pattern, replacement))
    return None if ready is None else ready(rt, text)


def _none(rt, text):
    return None


def _untimed_replacer(pattern: str, compiled, constant: str, otherwise):
    """A function `(rt, text)`: `sub(constant, text)` when this text may take the path
    without the regex timer (at most _longest_untimed characters, the pattern within
    `regex_pattern_length`, the text budget safe even with a match at every position),
    else, or when the substitution fails, `otherwise(rt, text)` (replace() then runs it
    again and gives the error)."""
    sub, longest, length = _fastest_sub(pattern, compiled), _longest_untimed(pattern), len(pattern)
    size = len(constant)
    table, delete, any_text = _class_tables(pattern, sub, constant)

    def replace_untimed(rt, text: str):
        n = len(text)
        limits = rt.limits
        if n <= longest and length <= limits.regex_pattern_length and \
                n + (n + 1) * size <= limits.text_length:
            if delete is not None and text.isascii():
                return text.encode("ascii").translate(None, delete).decode("ascii")
            if table is not None and (any_text or text.isascii()):
                return text.translate(table)
            try:
                return sub(constant, text)
            except _REGEX_FAILURES:
                pass
        return otherwise(rt, text)
    return replace_untimed


def _class_tables(pattern: str, sub, constant: str):
    """For a pattern that is one simple class (`sub` is Python's re, _fastest_sub), the
    substitution as a character translation, which C does faster than `re` for the short
    texts of a CRM record: (str.translate table or None, bytes to delete or None, whether
    the table holds for any text). The class matches one ASCII character at a time, found
    by trying all 128 on the compiled pattern: a plain class never matches another
    character, so its table holds for any text; a negated one matches every other
    character too, so its table (or, to delete, its bytes) holds for ASCII text only, and
    any other text takes `sub`."""
    rx = getattr(sub, "__self__", None)
    if type(rx).__module__ != "re":
        return None, None, False
    matched = [c for c in range(128) if rx.fullmatch(chr(c))]
    negated = pattern.startswith("[^")
    table = {c: constant for c in matched}
    delete = bytes(matched) if negated and constant == "" else None
    return table, delete, not negated


def _replace_plan(pattern: str, replacement: str, ignore_case: bool, literal: bool, op: str):
    """What a replacement needs that depends on neither the text nor the run: the compiled
    pattern, the replacement's literal text (None when it refers to groups), whether a
    plain text replacement does the same, and whether the pattern has no quantifier."""
    compiled = _checked_compile(pattern, literal, ignore_case, op)
    constant = replacement if literal else _constant_replacement(replacement, compiled, op)
    matches_itself, unquantified = _pattern_facts(pattern)
    as_text = constant is not None and pattern != "" and not ignore_case \
        and (literal or matches_itself)
    return compiled, constant, as_text, unquantified


# Replacements up to this length are worked out once (longer ones would fill the caches
# with large texts); errors are never cached, so they are raised on every call.
_CACHED_TEXT = 256
_cached_plan = functools.lru_cache(maxsize=512)(_replace_plan)


def _replacement_parts(replacement: str, compiled, op: str) -> tuple:
    """`parse_replacement` as a tuple, once per distinct short replacement and pattern."""
    if len(replacement) <= _CACHED_TEXT:
        return _cached_parts(replacement, compiled, op)
    return tuple(parse_replacement(replacement, compiled, op))


@functools.lru_cache(maxsize=512)
def _cached_parts(replacement: str, compiled, op: str) -> tuple:
    return tuple(parse_replacement(replacement, compiled, op))


def _constant_replacement(replacement: str, compiled, op: str) -> str | None:
    """The replacement's literal text when it refers to no group, else None."""
    if "$" not in replacement and "\\" not in replacement:
        return replacement  # nothing in it for Java's Matcher to interpret
    parts = _replacement_parts(replacement, compiled, op)
    if all(type(part) is str for part in parts):
        return "".join(parts)
    return None


# A pattern without these characters matches itself literally in Java and in `regex`.
_META = frozenset("\\^$.|?*+()[]{}")


def _replace_text(rt, text: str, search: str, replacement: str, first: bool) -> str:
    """Plain-text replacement (same result as the regex, much faster), budget checked first."""
    hits = min(text.count(search), 1) if first else text.count(search)
    rt.check_text(len(text) + hits * (len(replacement) - len(search)))
    return text.replace(search, replacement, 1 if first else -1)


def parse_replacement(replacement: str, compiled, op: str) -> list:
    """Split a Java replacement into literal texts and 1-tuples holding a group reference
    (a number or a name).

    Java's Matcher.appendReplacement rules: `$n` takes the longest group number that
    exists, `${name}` a named group, `\\x` is a literal x, and a bare `$` is an error.
    """
    groups = compiled.groups
    names = compiled.groupindex
    parts: list = []
    buf: list[str] = []
    i, n = 0, len(replacement)
    while i < n:
        c = replacement[i]
        if c == "\\":
            if i + 1 >= n:
                raise ScriptError(f"{op}: the replacement ends with a lone backslash")
            buf.append(replacement[i + 1])
            i += 2
            continue
        if c != "$":
            buf.append(c)
            i += 1
            continue
        if i + 1 >= n:
            raise ScriptError(f"{op}: illegal group reference: '$' at the end of the replacement")
        if replacement[i + 1] == "{":
            close = replacement.find("}", i + 2)
            name = replacement[i + 2:close] if close > 0 else ""
            if close < 0 or name not in names:
                raise ScriptError(f"{op}: no group named {name!r} in the pattern")
            ref = name
            i = close + 1
        elif replacement[i + 1].isdigit() and replacement[i + 1] < "\x80":
            ref = int(replacement[i + 1])
            if ref > groups:
                raise ScriptError(f"{op}: no group {ref} in the pattern")
            i += 2
            while i < n and "0" <= replacement[i] <= "9" and ref * 10 + int(replacement[i]) <= groups:
                ref = ref * 10 + int(replacement[i])
                i += 1
        else:
            raise ScriptError(f"{op}: illegal group reference in the replacement "
                              f"(write \\$ for a literal dollar sign)")
        if buf:
            parts.append("".join(buf))
            buf = []
        parts.append((ref,))
    if buf:
        parts.append("".join(buf))
    return parts


def _run(rt, op: str, call):
    try:
        return call()
    except _REGEX_FAILURES as exc:
        raise _regex_failure(exc, op, rt.limits.regex_seconds) from None


# A pattern without these characters has no quantifier (and so no lookaround or group
# option either): matching it at one position costs at most a few steps per pattern
# character, and a whole search or substitution at most that per text position.
_QUANTIFIERS = frozenset("*+?{")
# Up to this many (text position, pattern character) steps, a match runs in well under a
# millisecond: far below any sensible `regex_seconds`.
_BOUNDED_STEPS = 100_000


def time_limit(rt, pattern: str, text: str) -> float | None:
    """The timeout to give one `regex` call on `text`: `regex_seconds`, or None when the
    work is bounded far below it. Arming `regex`'s timeout costs about 5 µs per match
    attempt (a substitution attempts one per match), more than matching a short text;
    a pattern without quantifiers cannot backtrack catastrophically, and its work is at
    most proportional to len(text) * len(pattern), so short texts need no timer."""
    if len(text) * len(pattern) <= _BOUNDED_STEPS and _pattern_facts(pattern)[1]:
        return None
    return rt.limits.regex_seconds


@functools.lru_cache(maxsize=512)
def _pattern_facts(pattern: str) -> tuple[bool, bool]:
    """Whether the pattern matches itself literally, and whether it has no quantifier."""
    return not _META.intersection(pattern), not _QUANTIFIERS.intersection(pattern)


_REGEX_FAILURES = (TimeoutError, RecursionError, MemoryError, OverflowError)


def _regex_failure(exc: Exception, op: str, seconds: float) -> Exception:
    """The Deluge error for a regular expression that timed out or was too complex."""
    if isinstance(exc, TimeoutError):
        return LimitError("regex_seconds", seconds,
                          f"{op}: the regular expression ran longer than {seconds:g} seconds "
                          f"(limit 'regex_seconds' = {seconds:g})")
    return ScriptError(f"{op}: the regular expression is too complex for this text")


def _short(pattern: str) -> str:
    return repr(pattern if len(pattern) <= 40 else pattern[:37] + "...")


def _reason(exc: Exception) -> str:
    msg = getattr(exc, "msg", None) or "malformed pattern"
    pos = getattr(exc, "pos", None)
    return f"{msg} at position {pos}" if pos is not None else str(msg)
