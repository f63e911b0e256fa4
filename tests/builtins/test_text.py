"""TEXT builtins: documented values, edge cases and errors (deluge-reference.md §7.1)."""

from __future__ import annotations

import pytest

import delugelang
from delugelang.errors import DelugeError, LimitError, ScriptError


def run(code: str, **limits):
    """Run a snippet; `return` gives the value (plain JSON-like data)."""
    lim = delugelang.Limits(**limits) if limits else None
    return delugelang.compile(code).run(limits=lim).plain_value()


def value(expr: str):
    return run(f"return {expr};")


def error(code: str) -> DelugeError:
    with pytest.raises(DelugeError) as info:
        delugelang.compile(code).run()
    return info.value


def expr_error(expr: str) -> DelugeError:
    return error(f"return {expr};")


# ---------------------------------------------------------------- substrings

@pytest.mark.parametrize("expr, expected", [
    ('"Zoho Creator".subString(5)', "Creator"),
    ('"Zoho Creator".subString(0, 4)', "Zoho"),
    ('"Zoho Creator".subString(5, 5)', ""),
    ('"Zoho".subString(4)', ""),
    ('"Zoho".subString(1, -3)', "oho"),
    ('"Zoho Creator".mid(5, 8)', "Cre"),
    ('subText("Zoho Creator", 0, 4)', "Zoho"),
    ('substring("Zoho", 1, 2)', "o"),
    ('"Zoho".left(2)', "Zo"),
    ('"Zoho".left(-5)', "Zoho"),
    ('"Zoho".left(4)', "Zoho"),
    ('"Zoho".right(3)', "oho"),
    ('"Zoho".right(-1)', "Zoho"),
])
def test_substrings(expr, expected):
    assert value(expr) == expected


@pytest.mark.parametrize("expr, words", [
    ('"Zoho Creator".subString(5, 3)', "before start"),
    ('"Zoho".subString(0, 10)', "beyond"),
    ('"Zoho".subString(5)', "outside"),
    ('"Zoho".subString(-1, 2)', "outside"),
    ('"Zoho".subString("a")', "must be a NUMBER"),
    ('"Zoho".left(5)', "more than"),
    ('"Zoho".right(5)', "more than"),
])
def test_substring_errors(expr, words):
    err = expr_error(expr)
    assert isinstance(err, ScriptError)
    assert words in err.message


def test_substring_error_is_catchable():
    code = 'try { x = "ab".subString(3, 1); } catch (e) { info "caught"; } return 1;'
    assert delugelang.compile(code).run().info == ("caught",)


# ---------------------------------------------------------------- searching

@pytest.mark.parametrize("expr, expected", [
    ('"Hello world, welcome to the universe".indexOf("e")', 1),
    ('"Hello world, welcome to the universe".lastIndexOf("e")', 35),
    ('"Zoho".indexOf("z")', -1),
    ('"Zoho".lastIndexOf("x")', -1),
    ('find("Zoho", "ho")', 2),
    ('"a1b".indexOf(1)', 1),
    ('"Zoho".indexOf("")', 0),
    ('getSuffix("Create custom apps with Zoho Creator", "with")', " Zoho Creator"),
    ('"Create custom apps with Zoho Creator".getPrefix("with")', "Create custom apps "),
    ('"Split the text and get suffix of \\"and\\"".getSuffixIgnoreCase("AND")',
     ' get suffix of "and"'),
    ('"Zoho ZOHO".getPrefixIgnoreCase("zoho")', ""),
    ('"Zoho Creator".containsIgnoreCase("cREATOR")', True),
    ('"Zoho Creator".notContains("Creator")', False),
    ('"Zoho Creator".notContains("CRM")', True),
    ('startsWith("Zoho Creator", "zoho")', False),
    ('"Zoho Creator".startsWithIgnoreCase("zOHO")', True),
    ('"Zoho Creator".endsWith("Creator")', True),
    ('endsWithIgnoreCase("Zoho Creator", "creator")', True),
    ('"Straße".equalsIgnoreCase("STRASSE")', False),
    ('"ÉCOLE".equalsIgnoreCase("école")', True),
    ('"a".equalsIgnoreCase(null)', False),
    ('"Aa aa".getOccurenceCount("a")', 3),
    ('"aaaa".getOccurenceCount("aa")', 2),
    ('"abc".getOccurenceCount("")', 0),
])
def test_searching(expr, expected):
    assert value(expr) == expected


def test_prefix_and_suffix_absent_are_null():
    assert value('isNull("Zoho".getPrefix("x"))') is True
    assert value('isNull("Zoho".getSuffix("x"))') is True
    assert value('isNull("Zoho".getSuffixIgnoreCase("X"))') is True


def test_ignore_case_keeps_positions_with_expanding_characters():
    # "İ".lower() is two characters in Python; positions must not shift.
    assert value('"İx-ab".getPrefixIgnoreCase("AB")') == "İx-"
    assert value('"İx-ab".getSuffixIgnoreCase("x-")') == "ab"


def test_search_argument_must_be_text_like():
    assert "must be TEXT" in expr_error('"abc".indexOf({1})').message
    assert "must be TEXT" in expr_error('"abc".startsWith(null)').message


# ---------------------------------------------------------------- case, trimming, padding

@pytest.mark.parametrize("expr, expected", [
    ('upper("Create online")', "CREATE ONLINE"),
    ('"Create ONLINE".toLowerCase()', "create online"),
    ('lower("ÀB")', "àb"),
    ('trim(" Welcome to Zoho Creator ")', "Welcome to Zoho Creator"),
    ('"\\t x \\n".trim()', "x"),
    ('"   Zoho Deluge   ".rtrim()', "   Zoho Deluge"),
    ('"   Zoho Deluge   ".ltrim()', "Zoho Deluge   "),
    ('"Right".rightpad(6)', "Right "),
    ('"Left".leftpad(6)', "  Left"),
    ('"Left".leftPad(-3)', "Left"),
    ('"Left".leftPad(2)', "Left"),
    ('"".leftPad(3)', "   "),
    ('rightPad("ab", 4)', "ab  "),
    ('concat("Zoho", "Deluge")', "ZohoDeluge"),
    ('"Zoho".concat(" ").concat("Deluge")', "Zoho Deluge"),
    ('"n".concat(5)', "n5"),
])
def test_case_trim_pad(expr, expected):
    assert value(expr) == expected


def test_pad_is_checked_before_it_is_built():
    err = error('return "".leftPad(2000000);'.replace("2000000", "50000000"))
    assert isinstance(err, LimitError)


def test_pad_width_must_be_a_number():
    assert "must be a NUMBER" in expr_error('"a".leftPad("5")').message


# ---------------------------------------------------------------- regular expressions

@pytest.mark.parametrize("expr, expected", [
    ('replaceAll("Create online database applications", "online", "custom")',
     "Create custom database applications"),
    ('"a-b-c".replaceAll("-", "+")', "a+b+c"),
    ('"1+1=2".replaceAll("+", "-", true)', "1-1=2"),
    ('replaceAll("1+1=2", "+", "$", true)', "1$1=2"),
    ('"a.b.c".replaceAll(".", "x")', "xxxxx"),
    ('"a.b.c".replaceAll(".", "x", true)', "axbxc"),
    ('"abc".replaceAll("x", "y")', "abc"),
    ('"John Smith".replaceAll("(\\\\w+) (\\\\w+)", "$2, $1")', "Smith, John"),
    ('"abc".replaceAll("b", "$0$0")', "abbc"),
    ('"abc".replaceAll("b", "\\\\$")', "a$c"),
    ('"abc".replaceAll("(?<mid>b)", "[${mid}]")', "a[b]c"),
    ('"abc".replaceAll("", "-")', "-a-b-c-"),
    ('"a1b22".replaceAll("\\\\d", "#")', "a#b##"),
    ('"a-b-c".replaceFirst("-", "+")', "a+b-c"),
    ('"a.b.c".replaceFirst(".", "", true)', "ab.c"),
    ('"Zoho zoho ZOHO".replaceAllIgnoreCase("zoho", "Z")', "Z Z Z"),
    ('"Zoho ZOHO".replaceFirstIgnoreCase("ZOHO", "Z")', "Z ZOHO"),
    ('"A.a.A".replaceAllIgnoreCase("a.", "-", true)', "--A"),
    ('"tab\\there".replaceAll("\\\\s", "_")', "tab_here"),
    ('"x\\\\Q.*\\\\Ey".replaceAll("\\\\Q.*\\\\E", "!")', "x\\Q!\\Ey"),
    ('"abc".replaceAll("\\\\p{Alpha}", "x")', "xxx"),
])
def test_replace(expr, expected):
    assert value(expr) == expected


def test_replacement_is_never_a_python_template():
    code = ('t = "abc"; info t.replaceAll("b", "{0.__class__}"); '
            'info t.replaceAll("b", "$0$0"); info t.replaceAll("(b)", "\\\\g<1>");')
    assert delugelang.compile(code).run().info == ("a{0.__class__}c", "abbc", "ag<1>c")


@pytest.mark.parametrize("expr, words", [
    ('"abc".replaceAll("+", "x")', "invalid regular expression"),
    ('"abc".replaceAll("(b", "x")', "invalid regular expression"),
    ('"abc".replaceAll("b", "$2")', "no group 2"),
    ('"abc".replaceAll("b", "$")', "illegal group reference"),
    ('"abc".replaceAll("b", "$x")', "illegal group reference"),
    ('"abc".replaceAll("b", "\\\\")', "lone backslash"),
    ('"abc".replaceAll("b", "${nope}")', "no group named"),
    ('"abc".replaceAll("b", "x", "yes")', "true or false"),
    ('"abc".matches("[")', "invalid regular expression"),
])
def test_regex_errors(expr, words):
    err = expr_error(expr)
    assert isinstance(err, ScriptError)
    assert words in err.message
    assert "regex." not in err.message and "Traceback" not in err.message


def test_catastrophic_regex_is_stopped():
    code = 'return ("".leftPad(30).replaceAll(" ", "a") + "!").matches("(a|aa)+$");'
    with pytest.raises(LimitError) as info:
        delugelang.compile(code).run(limits=delugelang.Limits(regex_seconds=0.05))
    assert info.value.limit == "regex_seconds"


def test_long_pattern_is_refused():
    with pytest.raises(LimitError):
        delugelang.compile('return "a".matches("".leftPad(2000));').run()


def test_replace_all_output_is_budgeted():
    code = 's = "".leftPad(1000); return s.replaceAll(" ", "".leftPad(1000));'
    with pytest.raises(LimitError):
        delugelang.compile(code).run(limits=delugelang.Limits(text_length=100_000))


@pytest.mark.parametrize("expr, expected", [
    ('matches("ID004500F", "[A-Z]{2}[0-9]{6}[A-Z]")', True),
    ('"$345.78".matches("\\\\$[0-9]+\\\\.[0-9]{2}")', True),
    ('"xID004500F".matches("[A-Z]{2}[0-9]{6}[A-Z]")', False),
    ('"abc".matches("b")', False),
    ('"ABC".matches("[a-z]+")', False),
    ('"ab\\n".matches("ab\\\\z")', False),
    ('"é".matches("\\\\w")', False),
])
def test_matches_whole_string(expr, expected):
    assert value(expr) is expected


# ---------------------------------------------------------------- splitting

@pytest.mark.parametrize("expr, expected", [
    ('"ZohoCreator/ZohoCRM".toList("/")', ["ZohoCreator", "ZohoCRM"]),
    ('"abc".toList("/")', ["abc"]),
    ('"a,,b".toList(",")', ["a", "", "b"]),
    ('"a,b,".toList()', ["a", "b", ""]),
    ('"a--b--c".toList("--")', ["a", "b", "c"]),
    ('"a.b".toList(".")', ["a", "b"]),
    ('"abc".toList("")', ["a", "b", "c"]),
    ('"".toList(",")', []),
    ('"1,2,3,4,5".toListString()', ["1", "2", "3", "4", "5"]),
])
def test_to_list(expr, expected):
    assert value(expr) == expected


def test_to_list_prints_joined():
    code = 'products = "ZohoCreator/ZohoCRM"; info products.toList("/");'
    assert delugelang.compile(code).run().info == ("ZohoCreator,ZohoCRM",)


def test_to_list_counts_against_collection_budget():
    with pytest.raises(LimitError):
        run('return "".leftPad(500).toList("");', collection_size=100)


def test_for_each_over_split_text():
    code = 'n = 0; for each x in "a;b;c".toList(";") { n = n + 1; } return n;'
    assert run(code) == 3


# ---------------------------------------------------------------- wrong receivers

def test_text_method_on_number_is_a_deluge_error():
    err = expr_error('upper(5)')
    assert isinstance(err, ScriptError)
    assert "NUMBER" in err.message


def test_text_method_on_null_is_a_deluge_error():
    err = error('x = null; return x.trim();')
    assert isinstance(err, ScriptError)
    assert "null" in err.message


def test_ignore_case_replace_limits_each_text_to_300_kb():
    err = expr_error('"".leftPad(400000).replaceAllIgnoreCase("a", "b")')
    assert isinstance(err, ScriptError) and "300 KB" in err.message
    assert len(value('"".leftPad(300000).replaceFirstIgnoreCase(" ", "b")')) == 300000
