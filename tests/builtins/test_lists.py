"""LIST builtins (deluge-reference.md §7.5), number-list functions and typed lists (§3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import delugelang
from delugelang.errors import DelugeError, LimitError, ScriptError


def run(code: str, **limits):
    lim = delugelang.Limits(**limits) if limits else None
    return delugelang.compile(code).run(limits=lim)


def value(expr: str):
    return run(f"return {expr};").plain_value()


def returns(code: str):
    return run(code).plain_value()


def error(code: str) -> ScriptError:
    with pytest.raises(DelugeError) as info:
        run(code)
    assert isinstance(info.value, ScriptError), info.value
    return info.value


# ---------------------------------------------------------------- reading

def test_get_is_zero_based_and_strict():
    assert value('{"a", "b", "c"}.get(0)') == "a"
    for bad in ("3", "-1"):
        assert "out of range" in error(f'return {{"a", "b", "c"}}.get({bad});').message
    assert "NUMBER" in error('return {"a"}.get("0");').message


def test_size_is_empty_contains():
    assert value("{1, {2, 3}}.size()") == 2
    assert value("{{}}.isEmpty()") is False
    assert value("List().isEmpty()") is True
    assert value('{"1", 2}.contains(1)') is False
    assert value("{1, 2}.contains(2.0)") is True
    assert value("{true}.contains(1)") is False
    assert value('{"a"}.notContains("A")') is True


def test_index_of_and_last_index_of():
    assert value('{"x", "y", "x"}.indexOf("x")') == 0
    assert value('{"x", "y", "x"}.lastIndexOf("x")') == 2
    assert value('{"x"}.indexOf("z")') == -1
    assert value('{"x"}.lastIndexOf("z")') == -1
    assert value("{{1, 2}, 3}.indexOf({1, 2})") == 0


@pytest.mark.parametrize("expr, expected", [
    ("{1, 2, 3, 4}.subList(1, 3)", [2, 3]),
    ("{1, 2, 3, 4}.subList(1)", [2, 3, 4]),
    ("{1, 2, 3, 4}.sublist(0, 4)", [1, 2, 3, 4]),
    ("{1, 2}.subList(2)", []),
    ("{1, 2}.subList(1, 1)", []),
])
def test_sub_list(expr, expected):
    assert value(expr) == expected


@pytest.mark.parametrize("expr", ["{1, 2}.subList(0, 5)", "{1, 2}.subList(-1)",
                                  "{1, 2}.subList(2, 1)", "{1, 2}.subList(3)"])
def test_sub_list_errors(expr):
    assert "subList" in error(f"return {expr};").message


# ---------------------------------------------------------------- changing

def test_add_nests_and_add_all_flattens():
    assert returns('p = List(); p.add("Creator"); p.add({"CRM", "Projects"}); return p;') == \
        ["Creator", ["CRM", "Projects"]]
    assert returns("l = {1}; l.addAll({2, 3}); l.addAll(l); return l;") == [1, 2, 3, 1, 2, 3]
    assert "itself" in error("l = {1}; l.add(l);").message


def test_insert_and_set():
    assert returns("l = {1}; l.insert(2, 3); return l;") == [1, 2, 3]
    assert returns('l = {"a", "b"}; l.set(1, "c"); return l;') == ["a", "c"]
    assert "out of range" in error("l = {1}; l.set(1, 2);").message
    assert "pair" in error('l = {1}; l.insert("k" : 2);').message


def test_remove_by_index_returns_the_element():
    assert returns('p = {"Creator", "CRM", "Projects"}; e = p.remove(1); return {e, p};') == \
        ["CRM", ["Creator", "Projects"]]
    assert "out of range" in error("l = {1}; l.remove(1);").message
    assert "out of range" in error("l = {1}; l.remove(-1);").message


def test_remove_element_remove_all_clear():
    assert returns('l = {"Cricket", "Hockey", "Hockey"}; l.removeElement("Hockey"); return l;') \
        == ["Cricket", "Hockey"]
    assert returns('l = {"Cricket"}; l.removeElement("Hockey"); return l;') == ["Cricket"]
    assert returns("l = {1, 2, 1, 3, 4}; l.removeAll({1, 3}); return l;") == [2, 4]
    assert returns("l = {1, 2}; l.clear(); return l.size();") == 0


def test_changes_are_seen_through_every_variable():
    assert returns("a = {1}; b = a; b.add(2); return a;") == [1, 2]


# ---------------------------------------------------------------- sort, distinct, intersect

@pytest.mark.parametrize("expr, expected", [
    ('{"Creator", "crm", "Zoho Creator"}.sort(true)', ["Creator", "Zoho Creator", "crm"]),
    ("{3, 1, 2}.sort()", [1, 2, 3]),
    ("{3, 1, 2}.sort(false)", [3, 2, 1]),
    ("{2.5, 1, 3}.sort()", [1, Decimal("2.5"), 3]),
    ('{"b", "B", "a", "!", "1"}.sort()', ["!", "1", "B", "a", "b"]),
    ("{true, false}.sort()", [False, True]),
    ("List().sort()", []),
])
def test_sort(expr, expected):
    assert value(expr) == expected


def test_sort_works_in_place_as_a_statement():
    assert returns('s = {"b", "a"}; s.sort(true); return s;') == ["a", "b"]
    assert returns("s = {2, 1}; t = s.sort(false); return {s, t};") == [[2, 1], [2, 1]]


@pytest.mark.parametrize("items", ['1, "a"', "1, true", "1, null", "{1}, {2}", '"a", {"k": 1}'])
def test_sort_of_mixed_types_is_null_and_leaves_the_list(items):
    assert returns(f"l = {{{items}}}; r = l.sort(); return {{isNull(r), l.size()}};") == [True, 2]


def test_sort_order_must_be_boolean():
    assert "true or false" in error('return {1}.sort("yes");').message


def test_distinct_and_intersect():
    assert value('{"1", 1, 1, 2, 2, 3}.distinct()') == ["1", 1, 2, 3]
    assert value("{1, 1.0, 2}.distinct()") == [1, 2]
    assert value("{{1}, {1}, {2}}.distinct()") == [[1], [2]]
    assert value('{"Zoho Creator", "Zoho CRM", "Zoho Projects"}.intersect('
                 '{"Zoho Mail", "Zoho Analytics", "Zoho Creator"})') == ["Zoho Creator"]
    assert value("{1, 2, 2, 3}.intersect({2, 3, 4})") == [2, 2, 3]
    assert "intersect" in error('return {1}.intersect("1");').message


# ---------------------------------------------------------------- number lists

@pytest.mark.parametrize("expr, expected", [
    ("{1, 5, 2, 3}.largest()", 5), ("{1, 5, 2, 3}.smallest()", 1),
    ('{"10", 9}.largest()', 10), ("{1, 5, 2, 3}.sum()", 11), ("{1, 2.5}.sum()", Decimal("3.5")),
    ("List().sum()", 0), ("{1, 5, 2, 3}.average()", Decimal("2.75")),
    ("{1, 5, 2, 3}.median()", Decimal("2.5")), ("{3, 1, 2}.median()", 2),
    ("{300, 455, 124, 926, 780}.nthLargest(5)", 124),
    ("{300, 455, 124, 926, 780}.nthSmallest(1)", 124),
    ("Collection(300, 455, 124, 926, 780).nthlargest(5)", 124),
    ("largest({4, 8})", 8),
])
def test_number_list_functions(expr, expected):
    assert value(expr) == expected


@pytest.mark.parametrize("expr", ["List().largest()", "List().average()", "List().median()"])
def test_number_list_functions_on_empty_lists_give_null(expr):
    assert value(f"isNull({expr})") is True


@pytest.mark.parametrize("expr", ['{1, "a"}.sum()', "{1, null}.largest()", "{1, true}.average()",
                                  "{1, 2}.nthLargest(3)", "{1, 2}.nthSmallest(0)"])
def test_number_list_errors(expr):
    error(f"return {expr};")


def test_sum_overflow_is_an_error():
    assert "range" in error("return {9223372036854775807, 1}.sum();").message


# ---------------------------------------------------------------- typed lists

def test_typed_lists_convert_or_refuse():
    assert returns('l = List:String(); l.add(5); return l.get(0) + "!";') == "5!"
    assert returns('l = List:Int(); l.add("5"); l.add(" 7 "); return l;') == [5, 7]
    assert "NUMBER list" in error('l = List:Int(); l.add("abc");').message
    assert "NUMBER list" in error("l = List:Int(); l.add(2.5);").message
    assert "NUMBER list" in error('l = List:Int(); l.addAll({1, "x"});').message
    assert returns('l = List:Decimal(); l.add("2.50"); l.add(1); return l;') == \
        [Decimal("2.50"), Decimal(1)]
    assert "BOOLEAN" in error('l = List:Bool(); l.add("true");').message
    assert returns('l = List:Date(); l.add(1000); return l.get(0).toString();') \
        == "31-Dec-1969 16:00:01"
    assert returns('l = List:Int({1, "2"}); return l;') == [1, 2]


# ---------------------------------------------------------------- budgets

def test_growth_is_checked_against_the_collection_budget():
    with pytest.raises(LimitError):
        run("l = {1, 2, 3}; l.addAll({4, 5, 6});", collection_size=5)
    with pytest.raises(LimitError):
        run("l = List(); for each i in {1, 2, 3} { l.add(i); l.add(i); }", collection_size=5)
