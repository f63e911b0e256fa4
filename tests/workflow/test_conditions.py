"""Workflow criteria in words: every operator, AND/OR with grouping, and clear errors."""

from __future__ import annotations

import pytest

from delugelang.workflow import ConditionError, parse_condition

RECORD = {"Mailing_Country": "Ireland", "Email": "aoife@example.ie", "Score": 12,
          "Lead_Source": None, "Tags": ["vip", "new"], "Owner": {"name": "Ben", "id": "7"},
          "City": "", "Last_Name": "O'Brien"}


@pytest.mark.parametrize("criteria, expected", [
    ("Mailing_Country is Ireland", True),
    ("Mailing country is ireland", True),             # the field's label in words
    ("Mailing_Country is not Ireland", False),
    ("Mailing_Country = Ireland", True),
    ("Mailing_Country isn't Ireland", False),
    ("Email doesn't contain example", False),
    ("Last_Name is O'Brien", True),
    ("Mailing_Country != France", True),
    ("Email contains example", True),
    ("Email does not contain example", False),
    ("Email starts with aoife@", True),
    ("Email ends with .fr", False),
    ("Lead_Source is empty", True),
    ("City is empty", True),                           # empty text is no value
    ("Email is not empty", True),
    ("Score > 10", True),
    ("Score < 9", False),
    ("Score >= 12", True),
    ("Score <= 11.5", False),
    ("Lead_Source > 1", False),                         # an empty field is never greater
    ("Tags is vip", True),                              # a multi-select matches any value
    ("Owner is Ben", True),                             # a lookup compares by name
    ('Mailing_Country is "Trinidad and Tobago"', False),
    ("Mailing_Country is Ireland AND Score > 100", False),
    ("Mailing_Country is France OR Score > 10", True),
    ("Mailing_Country is France OR Score > 10 AND Email ends with .fr", False),  # AND first
    ("(Mailing_Country is France OR Score > 10) AND Email ends with .ie", True),
])
def test_criteria(criteria, expected):
    assert parse_condition(criteria)(RECORD) is expected


@pytest.mark.parametrize("criteria, column, words", [
    ("Mailing_Country Ireland", 24, "expected an operator after 'Mailing_Country Ireland'"),
    ("Mailing_Country is", 19, "expected a value after 'is'"),
    ("is Ireland", 1, "expected a field name before 'is'"),
    ("(Score > 1", 11, "expected ')' to close the '(' at column 1"),
    ("Score > 1)", 10, "an unmatched ')'"),
    ("Score > 1 Email is x", 11, "unexpected 'Email'; join conditions with AND or OR"),
    ("Score > 1 AND", 14, "expected a field name"),
    ('Email is "x', 10, "an unclosed quote"),
    ("Score >", 8, "expected a value after '>'"),
    ("", 1, "the criteria is empty"),
])
def test_malformed_criteria_show_where(criteria, column, words):
    with pytest.raises(ConditionError) as err:
        parse_condition(criteria)
    assert words in err.value.message
    assert err.value.column == column
    text, caret = err.value.pointer().splitlines()
    assert caret.index("^") - 4 == column - 1 and text.strip() == criteria.strip()
