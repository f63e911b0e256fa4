"""JSON (toMap, toJSONList, getJSON) and XML (executeXPath) builtins, reference §7.9."""

from __future__ import annotations

import pytest

import delugelang
from builtin_eval import expr_error, run, value
from delugelang.errors import LimitError, ScriptError


# ---------------------------------------------------------------- toMap

def test_to_map_lenient_unquoted():
    assert value('"{company:Zoho, product:Creator}".toMap()') == {
        "company": "Zoho", "product": "Creator"}


@pytest.mark.parametrize("text, expected", [
    ('{"a": 1, "b": "x"}', {"a": 1, "b": "x"}),
    ("{'a': 'it''s'}", None),  # org.json has no doubled-quote escape: error
    ("{a: 'single quoted'}", {"a": "single quoted"}),
    ("{a: Zoho Corp}", {"a": "Zoho Corp"}),
    ("{a: 1.50, b: -3, c: 2e2}", {"a": 1.5, "b": -3, "c": 200}),
    ("{a: TRUE, b: false, c: Null}", {"a": True, "b": False, "c": None}),
    ('{"a": "1"}', {"a": "1"}),
    ("{a: [1, , 2]}", {"a": [1, None, 2]}),
    ("{a: {b: {c: [ {d: 1} ]}}}", {"a": {"b": {"c": [{"d": 1}]}}}),
    ('{"u": "\\u00e9\\n\\/"}', {"u": "é\n/"}),
    ("{a: 1; b: 2,}", {"a": 1, "b": 2}),
    ("{}", {}),
    ("  {a:1}  ", {"a": 1}),
])
def test_to_map_forms(text, expected):
    code = "t = " + _deluge_text(text) + "; return t.toMap();"
    if expected is None:
        with pytest.raises(ScriptError):
            run(code)
        return
    assert run(code).plain_value() == expected


def _deluge_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_to_map_keeps_text_order_and_data_keys():
    code = ('m = "{\\"__class__\\":2,\\"__proto__\\":{\\"polluted\\":1},\\"get\\":3}".toMap();'
            ' info m.get("__class__"); info m.keys(); n = Map(); info n.get("polluted");')
    assert run(code).info == ("2", "__class__,__proto__,get", "null")


def test_to_map_big_numbers_stay_exact():
    assert value('"{n: 9223372036854775807}".toMap().get("n")') == 9223372036854775807
    assert str(value('"{n: 99999999999999999999}".toMap().get("n")')) == "99999999999999999999"


@pytest.mark.parametrize("text", [
    "not json", "{a:", "{a 1}", "{a:1", '{"a":"x}', "{a:1} trailing", "[1,2]", "{[1]:2}",
    '{"a":"\\q"}',
])
def test_to_map_errors(text):
    with pytest.raises(ScriptError) as info:
        run("return " + _deluge_text(text) + ".toMap();")
    assert "toMap" in info.value.message


def test_to_map_empty_text_is_empty_map():
    assert value('"".toMap()') == {}


def test_to_map_depth_is_capped():
    deep = "{a:" * 150 + "1" + "}" * 150
    with pytest.raises(ScriptError) as info:
        run("return " + _deluge_text(deep) + ".toMap();")
    assert "nested too deeply" in info.value.message


def test_to_map_size_is_capped():
    code = 'return ("[" + "".leftPad(300).replaceAll(" ", "1,") + "1]").toJSONList();'
    with pytest.raises(LimitError):
        run(code, collection_size=100)


def test_to_map_on_map_returns_it():
    assert value('{"a": 1}.toMap()') == {"a": 1}


# ---------------------------------------------------------------- toJSONList

def test_to_json_list_doc_orders():
    code = ("json_text = \"{Name:'Lia Shelton', OrderNo:[343,443,577]}\";\n"
            'orderNo = json_text.getJSON("OrderNo");\ninfo orderNo.toJSONList();')
    assert run(code).info == ("343,443,577",)


def test_to_json_list_doc_ids():
    code = ('response = "{\\"data\\" : [{\\"id\\":1, \\"firstname\\":\\"John\\"},  '
            '{\\"id\\":2, \\"firstname\\":\\"Patricia\\"}]}";\n'
            'data = response.getJSON("data");\njson_list = data.toJSONList();\n'
            'id_list = List();\nfor each item in json_list\n{\n\tid_list.add(item.getJSON("id"));\n}\n'
            'info id_list;')
    assert run(code).info == ("1,2",)


def test_to_json_list_of_objects_prints_as_json():
    assert run('info "[{a:1},{b:\'x\'}]".toJSONList();').info == ('{"a":1},{"b":"x"}',)


@pytest.mark.parametrize("expr", ['"not json".toJSONList()', '"{a:1}".toJSONList()',
                                  '"[1,2".toJSONList()'])
def test_to_json_list_errors(expr):
    assert isinstance(expr_error(expr), ScriptError)


# ---------------------------------------------------------------- getJSON

def test_get_json_chain():
    code = ('employeeDetail = "{\\"response\\" : {\\"employee\\": {\\"id\\" : \\"EMP-001\\", '
            '\\"role\\" : \\"Developer\\"}}}";\n'
            'info employeeDetail.getJSON("response").getJSON("employee").getJSON("id");')
    assert run(code).info == ("EMP-001",)


@pytest.mark.parametrize("expr, expected", [
    ('isNull({"a": 1}.getJSON("b"))', True),
    ('{"a": 1}.getJson("a")', 1),
    ('{"a": "{x:5}"}.getJSON("a").getJSON("x")', 5),
    ('isNull("{a:1}".getJSON("b"))', True),
    ('"{a:[1,2]}".getJSON("a").size()', 2),
    ('"{\\"1\\": \\"one\\"}".getJSON(1)', "one"),
    ('getJSON("{a:1}", "a")', 1),
])
def test_get_json(expr, expected):
    assert value(expr) == expected


def test_get_json_for_each_over_array():
    code = 'n = 0; for each x in "{l:[1,2,3]}".getJSON("l") { n = n + x; } return n;'
    assert run(code).plain_value() == 6


@pytest.mark.parametrize("expr", ['"plain text".getJSON("a")', '"[1]".getJSON("a")',
                                  '"{a:1}".getJSON(null)'])
def test_get_json_errors(expr):
    assert isinstance(expr_error(expr), ScriptError)


# ---------------------------------------------------------------- XML

XML = ('<response><result><name id=\\"1\\">John</name><name id=\\"2\\">Mary</name>'
       '</result><total>2</total></response>')


@pytest.mark.parametrize("path, expected", [
    ("/response/total/text()", "2"),
    ("/response/total", "<total>2</total>"),
    ("//name[2]/text()", "Mary"),
    ("//name[@id='1']/text()", "John"),
    ("//name/@id", "12"),
    ("/response/result/name[last()]/text()", "Mary"),
    ("/response/*/name[1]/text()", "John"),
    ("//missing", ""),
    ("total/text()", "2"),
])
def test_execute_xpath(path, expected):
    assert value(f'"{XML}".executeXPath("{path}")') == expected


@pytest.mark.parametrize("xml", [
    '<!DOCTYPE a [<!ENTITY x \\"y\\">]><a>&x;</a>',
    '<!DOCTYPE a [<!ENTITY x SYSTEM \\"file:///etc/passwd\\">]><a>&x;</a>',
    '<!DOCTYPE a [<!ENTITY a \\"aaaa\\"><!ENTITY b \\"&a;&a;&a;\\">]><a>&b;</a>',
])
def test_execute_xpath_refuses_dtds_and_entities(xml):
    err = expr_error(f'"{xml}".executeXPath("/a")')
    assert isinstance(err, ScriptError)
    assert "refused" in err.message


@pytest.mark.parametrize("expr", ['"<a>".executeXPath("/a")', '"<a/>".executeXPath("")',
                                  '"<a/>".executeXPath("/a[foo()]")'])
def test_execute_xpath_errors(expr):
    assert isinstance(expr_error(expr), ScriptError)


@pytest.mark.parametrize("expr, expected", [
    ('"<a>1</a><a>2</a>".toXmlList()', ["<a>1</a>", "<a>2</a>"]),
    ('"<?xml version=\\"1.0\\"?><r><x/></r>".toXmlList()', ["<r><x /></r>"]),
    (f'"{XML}".executeXPath("//name").toXmlList().size()', 2),
    ('"".toXmlList()', []),
])
def test_to_xml_list(expr, expected):
    assert value(expr) == expected


def test_to_xml_list_errors():
    assert isinstance(expr_error('"<a>".toXmlList()'), ScriptError)
    assert isinstance(expr_error('"<!DOCTYPE a []><a/>".toXmlList()'), ScriptError)
    assert isinstance(expr_error('"<a>&x;</a>".toXmlList()'), ScriptError)


def test_strict_json_depth_is_capped_too():
    deep = "[" * 150 + "]" * 150
    with pytest.raises(ScriptError) as info:
        run("return " + _deluge_text(deep) + ".toJSONList();")
    assert "nested too deeply" in info.value.message


@pytest.mark.parametrize("text", ['{"a": 1.0, "b": -0, "c": 12345678901234567890, "d": "x"}',
                                  '{"a": [true, null, {"b": 2e-3}]}'])
def test_strict_and_lenient_readers_agree(text):
    from delugelang.builtins.jsonxml import _Reader
    from delugelang.runtime import Run
    rt = Run(delugelang.Limits(), delugelang.Services())
    strict = run("return " + _deluge_text(text) + ".toMap();").value
    lenient = _Reader(rt, text, "toMap").value(0)
    assert repr(strict) == repr(lenient)
