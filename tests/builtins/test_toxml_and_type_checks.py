"""toXml (org.json XML rules), isDate/isFile, and totalMonths/totalYears."""

from __future__ import annotations

import pytest

from builtin_eval import expr_error, run, value
from delugelang.errors import DelugeError, LimitError, ScriptError


# ---------------------------------------------------------------- toXml

@pytest.mark.parametrize("expr, expected", [
    ('"{Name:\'Lia Shelton\', OrderNo:[343,443,577]}".toXML()',
     "<root><Name>Lia Shelton</Name><OrderNo>343</OrderNo><OrderNo>443</OrderNo>"
     "<OrderNo>577</OrderNo></root>"),
    ('"{}".toXml()', "<root></root>"),
    ('"{\\"a\\": null, \\"b\\": \\"\\", \\"c\\": 1.50}".toXml()',
     "<root><a>null</a><b/><c>1.50</c></root>"),
    ('"{\\"a\\": [[1, 2], 3]}".toXml()', "<root><a><array>1</array><array>2</array></a><a>3</a></root>"),
    ('"{\\"a\\": [{\\"b\\": 1}, {\\"b\\": 2}]}".toXml()', "<root><a><b>1</b></a><a><b>2</b></a></root>"),
    ('"{\\"t\\": {\\"content\\": \\"x & y\\", \\"k\\": \\"\'q\'\\"}}".toXml()',
     "<root><t>x &amp; y<k>&apos;q&apos;</k></t></root>"),
    ('"[1, 2]".toXml()', "<root>1</root><root>2</root>"),
    ('{"when": \'01-Jan-2019\', "ok": true}.toXml()',
     "<root><when>01-Jan-2019</when><ok>true</ok></root>"),
    ('Collection("k": "v").toXml()', "<root><k>v</k></root>"),
    ('"{\\"a\\": {\\"b\\": {}}}".toXml()', "<root><a><b></b></a></root>"),
    ('toXml({"a": {}})', "<root></root>"),  # `{}` with nothing in it is an empty list
])
def test_to_xml(expr, expected):
    assert value(expr) == expected


def test_to_xml_escapes_markup_in_values():
    out = value('{"a": "</a><script>"}.toXml()')
    assert out == "<root><a>&lt;/a&gt;&lt;script&gt;</a></root>"


@pytest.mark.parametrize("expr, words", [
    ('"not json".toXml()', "not JSON"),
    ('Collection("a", "b").toXml()', "index-value collection"),
    ('toXml(5)', "cannot be used on a NUMBER"),
])
def test_to_xml_errors(expr, words):
    err = expr_error(expr)
    assert isinstance(err, DelugeError) and words in err.message


def test_to_xml_output_is_within_the_text_budget():
    code = 'm = Map(); l = List(); for each i in "1,2,3,4,5,6,7,8,9,10".toList() { l.add(i); }\n' \
           'm.put("aaaaaaaaaaaaaaaa", l); return m.toXml();'
    with pytest.raises(LimitError):
        run(code, text_length=100)


# ---------------------------------------------------------------- isDate / isFile

@pytest.mark.parametrize("expr, expected", [
    ('isDate("01-Jan-2019")', True),
    ("'01-Jun-2020'.isDate()", True),
    ("'01-Jun-2020 10:00:00'.isDate()", True),
    ('isDate(100)', False),
    ('isDate(1.5)', False),
    ('isDate(true)', False),
    ('isDate(null)', False),
    ('isNull(isDate({1, 2}))', True),
    ('isNull({"a": 1}.isDate())', True),
    ('isFile("x")', False),
    ('isFile(null)', False),
])
def test_type_checks(expr, expected):
    assert value(expr) is expected


def test_is_date_on_text_without_a_date_is_an_error():
    # isdate.html: text without a valid date-time "will throw an error".
    err = expr_error('isDate("hello")')
    assert isinstance(err, ScriptError) and "isDate" in err.message and err.line == 1


# ---------------------------------------------------------------- totalMonths / totalYears

@pytest.mark.parametrize("expr, expected", [
    ("'01-Feb-2019'.totalMonths('01-Mar-2019')", 1),
    ("monthsBetween('01-Feb-2019', '01-Mar-2019')", 0),
    ("totalMonth('15-Jan-2019', '14-Mar-2019')", 1),
    ("totalMonths('01-Mar-2019', '01-Feb-2019')", -1),
    ("totalYears('02-Jan-2020', '01-Jan-2021')", 0),
    ("yearsBetween('02-Jan-2020', '01-Jan-2021')", 1),
    ("'01-Jan-2019'.totalYear('01-Jan-2029')", 10),
])
def test_total_months_and_years(expr, expected):
    assert value(expr) == expected


def test_total_months_wrong_type():
    err = expr_error("totalMonths(5, '01-Jan-2019')")
    assert isinstance(err, ScriptError)
