"""Zoho search criteria: operators, and malformed criteria refused with where and why."""

from __future__ import annotations

import pytest

from delugelang.criteria import CriteriaError, parse_criteria

RECORD = {"Account_Name": "Acme", "Industry": "Storage Systems", "Score": "42",
          "Owner": {"name": "Ben", "id": "1"}}


@pytest.mark.parametrize("criteria, expected", [
    ("(Account_Name:equals:acme)", True),
    ("(Account_Name:not_equal:Acme)", False),
    ("((Account_Name:equals:Acme) and (Industry:starts_with:Storage))", True),
    ("((Account_Name:equals:Zylker) or (Industry:ends_with:systems))", True),
    ("(Industry:contains:age sys)", True),
    ("(Industry:not_contains:age)", False),
    ("(Account_Name:in:Zylker,Acme)", True),
    ("(Score:greater_than:9)", True),      # numbers compare as numbers, not text
    ("(Score:less_equal:42)", True),
    ("(Score:between:40,50)", True),
    ("(Owner:equals:Ben)", True),          # a lookup compares by its name
    ("(Missing:equals:x)", False),
])
def test_operators(criteria, expected):
    assert parse_criteria(criteria)(RECORD) is expected


@pytest.mark.parametrize("criteria, column, words", [
    ("Account_Name:equals:Acme", 1, "expected '('"),
    ("(Account_Name:equals:Acme", 26, "expected ')'"),
    ("(Account_Name:eq:Acme)", 15, "unknown operator 'eq'"),
    ("(Account_Name)", 2, "expected (Field:operator:value)"),
    ("((A:equals:x) and (B:equals:y)", 31, "expected ')'"),
    ("(A:equals:x) (B:equals:y)", 14, "unexpected text"),
])
def test_malformed_criteria_say_where(criteria, column, words):
    with pytest.raises(CriteriaError) as err:
        parse_criteria(criteria)
    assert words in err.value.message
    assert f"column {column} " in err.value.message
    caret_line = err.value.pointer().splitlines()[1]
    assert caret_line.index("^") - 4 == err.value.position == column - 1
