"""replaceAll's fast paths give Java's results: generated replacements with `\\`, `$`, groups."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import delugelang
from delugelang.builtins import regexes
from delugelang.errors import DelugeError, ScriptError
from delugelang.limits import CRM
from delugelang.runtime import Run
from delugelang.services import NO_SERVICES

# Characters Java's Matcher or a Python template would read specially, and a few plain ones.
REPLACEMENT_CHARS = "\\$g<>{}0129nambx&"
PATTERNS = ("[^0-9]", "(b)(c)?", "(?<mid>b)", "", "b|", "\\d+", "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)")
TEXTS = st.text(alphabet="abc019 -\\$", max_size=14)
REPLACEMENTS = st.text(alphabet=REPLACEMENT_CHARS, max_size=8)


def java_expand(compiled, replacement: str, group) -> str:
    """Java's Matcher.appendReplacement, written out independently of the engine's parser."""
    out, i = [], 0
    while i < len(replacement):
        c = replacement[i]
        if c == "\\":
            out.append(replacement[i + 1])  # IndexError: a lone backslash
            i += 2
        elif c == "$":
            nxt = replacement[i + 1]  # IndexError: `$` at the end
            if nxt == "{":
                close = replacement.index("}", i + 2)
                name = replacement[i + 2:close]
                if name not in compiled.groupindex:
                    raise KeyError(name)
                out.append(group(name) or "")
                i = close + 1
            elif nxt in "0123456789":
                ref = int(nxt)
                if ref > compiled.groups:
                    raise IndexError(ref)
                i += 2
                while i < len(replacement) and replacement[i] in "0123456789" \
                        and ref * 10 + int(replacement[i]) <= compiled.groups:
                    ref = ref * 10 + int(replacement[i])
                    i += 1
                out.append(group(ref) or "")
            else:
                raise ValueError(nxt)
        else:
            out.append(c)
            i += 1
    return "".join(out)


def java_replace(compiled, text: str, replacement: str, count: int = 0) -> str:
    # The engine refuses a malformed replacement even when nothing matches (Java only
    # reads it at the first match): check it once up front, like the engine.
    java_expand(compiled, replacement, lambda ref: "")
    return compiled.sub(lambda m: java_expand(compiled, replacement, m.group), text, count=count)


@pytest.fixture(scope="module")
def rt():
    return Run(CRM, NO_SERVICES)


@settings(max_examples=400, deadline=None)
@given(text=TEXTS, pattern=st.sampled_from(PATTERNS), replacement=REPLACEMENTS,
       first=st.booleans())
def test_replace_matches_java_semantics(rt, text, pattern, replacement, first):
    compiled = regexes.compile_pattern(rt, pattern, "replaceAll")
    try:
        expected = java_replace(compiled, text, replacement, 1 if first else 0)
    except (IndexError, KeyError, ValueError):
        expected = None
    if expected is None:
        with pytest.raises(ScriptError):
            regexes.replace(rt, text, pattern, replacement, "replaceAll", first=first)
    else:
        assert regexes.replace(rt, text, pattern, replacement, "replaceAll", first=first) == expected


@settings(max_examples=400, deadline=None)
@given(text=TEXTS, pattern=st.sampled_from(PATTERNS),
       constant=st.text(alphabet=REPLACEMENT_CHARS.replace("\\", ""), max_size=8))
def test_a_constant_without_backslash_is_no_template(rt, text, pattern, constant):
    # The equivalence the fast path relies on: `regex` inserts such a string as it is.
    compiled = regexes.compile_pattern(rt, pattern, "replaceAll")
    assert compiled.sub(constant, text) == compiled.sub(lambda m: constant, text)


@pytest.mark.parametrize("deluge_literal, expected", [
    # Deluge source text of the replacement: `\\\\` there is one backslash for Java.
    (r"\\\\g<0>", r"a\g<0>c"),  # Java `\\g<0>`: a backslash, then the letters g<0>
    (r"\\\\1", r"a\1c"),
    (r"\\\\", r"a\c"),
    (r"\\$0", "a$0c"),
    (r"$0\\\\n", r"ab\nc"),
    ("{0}", "a{0}c"),
    ("%s", "a%sc"),
])
def test_backslashes_and_dollars_in_scripts(deluge_literal, expected):
    source = f'return "abc".replaceAll("[b]", "{deluge_literal}");'
    assert delugelang.compile(source).run().value == expected


def test_replacement_text_budget_still_applies():
    program = delugelang.compile('return "aaaa".replaceAll("[a]", "bbbbbb");')
    with pytest.raises(delugelang.LimitError) as info:
        program.run(limits=delugelang.Limits(text_length=20))
    assert info.value.limit == "text_length"
    assert program.run(limits=delugelang.Limits(text_length=24)).value == "b" * 24


@pytest.mark.parametrize("pattern, text, timed", [
    ("[^0-9]", "+1 (555) 010-2000", False),      # no quantifier, short text: bounded work
    ("(a|aa)", "a" * 40, False),
    ("(a|aa)+$", "a" * 10, True),                # a quantifier can backtrack
    ("a{2}", "aa", True),
    ("(?=a)", "a", True),
    ("[^0-9]", "x" * 200_000, True),             # a long text keeps the timer
])
def test_the_regex_timer_is_left_off_only_for_bounded_work(rt, pattern, text, timed):
    assert (regexes.time_limit(rt, pattern, text) is not None) is timed


def test_catastrophic_backtracking_is_still_stopped():
    code = 'return ("".leftPad(30).replaceAll(" ", "a") + "!").replaceAll("(a|aa)+$", "");'
    with pytest.raises(delugelang.LimitError) as info:
        delugelang.compile(code).run(limits=delugelang.Limits(regex_seconds=0.05))
    assert info.value.limit == "regex_seconds"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="abc019 -", max_size=14), pattern=st.sampled_from(PATTERNS + ("b", "a*")),
       replacement=st.text(alphabet="ab$\\0", max_size=3), budget=st.integers(0, 30),
       pattern_limit=st.integers(0, 4), steps=st.sampled_from([None, 3, 20]))
def test_replace_all_ready_path_matches_the_general_path(text, pattern, replacement, budget,
                                                         pattern_limit, steps):
    """text.replace_all's shortcut (regexes.replace_all_ready, for a pattern and replacement
    the general path has already run on its constant path) gives the general path's value or
    error: at the text budget, the pattern-length limit and the no-timer bound too."""
    with pytest.MonkeyPatch.context() as patch:
        if steps is not None:  # a smaller no-timer bound, with its own table
            patch.setattr(regexes, "_BOUNDED_STEPS", steps)
            patch.setattr(regexes, "_READY", {})
        _ready_matches_general(text, pattern, replacement, budget, pattern_limit)


def _ready_matches_general(text, pattern, replacement, budget, pattern_limit):
    from delugelang.builtins.text import replace_all

    rt = Run(CRM.replace(text_length=budget, regex_pattern_length=pattern_limit), NO_SERVICES)
    wide = Run(CRM, NO_SERVICES)

    def outcome(fn):
        try:
            return ("value", fn())
        except DelugeError as exc:  # ScriptError and LimitError
            return ("error", type(exc).__name__, exc.message)
    outcome(lambda: regexes.replace(wide, "seed", pattern, replacement, "replaceAll"))  # fills _READY
    want = outcome(lambda: regexes.replace(rt, text, pattern, replacement, "replaceAll"))
    assert outcome(lambda: replace_all(rt, text, pattern, replacement)) == want
    if regexes._READY.get((pattern, replacement)) is None:
        return
    assert regexes.replace_all_ready(rt, text, pattern, replacement) in (want[1], None)


@settings(max_examples=300, deadline=None)
@given(ranges=st.lists(st.sampled_from(["0-9", "a-z", "A-Z", "a", "Z", "5", "b-d", "0-0"]),
                       min_size=1, max_size=3),
       negated=st.booleans(), replacement=st.text(alphabet="ab-", max_size=2),
       text=st.text(alphabet=st.sampled_from("09az AZ-\n\t\u00e9\u0130\u212a\ud800\U0001f600_"),
                    max_size=12))
def test_simple_classes_substitute_with_re_as_with_regex(ranges, negated, replacement, text):
    """A pattern that is one class of ASCII letters and digits takes Python's `re` on the
    ready path: the same text as the engine's `regex` pattern, for any characters."""
    pattern = "[" + ("^" if negated else "") + "".join(ranges) + "]"
    rt = Run(CRM, NO_SERVICES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regexes, "_READY", {})
        first = regexes.replace(rt, text, pattern, replacement, "replaceAll")
        assert (pattern, replacement) in regexes._READY
        sub = regexes._fastest_sub(pattern, regexes._compiled(pattern, False, False))
        assert type(sub.__self__).__module__ == "re"
        assert first == regexes._compiled(pattern, False, False).sub(replacement, text)
        assert regexes.replace_all_ready(rt, text, pattern, replacement) == first
        # The planned call (a constant pattern and replacement), ASCII text or not, takes
        # a character translation for these classes (regexes._class_tables): the same text.
        assert regexes.ready_replacer(pattern, replacement)(rt, text) == first
        assert regexes.ready_replacer(pattern, replacement)(rt, text + "az09") == \
            regexes._compiled(pattern, False, False).sub(replacement, text + "az09")
