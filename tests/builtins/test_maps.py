"""KEY-VALUE builtins (deluge-reference.md §6 and §7.6): order, case, overwrite, errors."""

from __future__ import annotations

import pytest

import delugelang
from delugelang.errors import DelugeError, LimitError, ScriptError


def run(code: str, **limits):
    lim = delugelang.Limits(**limits) if limits else None
    return delugelang.compile(code).run(limits=lim)


def returns(code: str):
    return run(code).plain_value()


def value(expr: str):
    return returns(f"return {expr};")


def error(code: str) -> ScriptError:
    with pytest.raises(DelugeError) as info:
        run(code)
    assert isinstance(info.value, ScriptError), info.value
    return info.value


def test_put_overwrites_in_place_and_keeps_order():
    code = ('m = Map(); m.put("Creator", 4); m.put("CRM", 3); m.put("Creator", 5); '
            'return {m.keys(), m.values()};')
    assert returns(code) == [["Creator", "CRM"], [5, 3]]


def test_keys_print_comma_joined():
    r = run('mapVar = {"Product" : "Zoho Creator", "Version" : 5}; info mapVar.keys();')
    assert list(r.info) == ["Product,Version"]


def test_get_is_case_sensitive_and_null_when_missing():
    assert value('{"a": 1}.get("a")') == 1
    assert value('isNull({"a": 1}.get("A"))') is True
    assert value('{"a": 1}.containKey("A")') is False
    assert value('{"a": 1}.containsKey("a")') is True


def test_number_text_and_boolean_keys_stay_apart():
    code = 'm = Map(); m.put(1, "n"); m.put("1", "t"); m.put(true, "b"); m.put(1.0, "d"); return m.size();'
    assert returns(code) == 4
    assert returns('m = {1: "one"}; return m.get(1);') == "one"


def test_put_all_merges_and_overwrites():
    assert returns('m = {"a": 1, "b": 2}; m.putAll({"b": 3, "c": 4}); return {m.keys(), m.get("b")};') \
        == [["a", "b", "c"], 3]
    assert "putAll" in error('m = {"a": 1}; m.putAll({1, 2});').message


def test_contain_value_is_case_sensitive():
    assert value('{"Product" : "Creator", "Company" : "Zoho"}.containValue("Creator")') is True
    assert value('{"Product" : "Creator"}.containsValue("creator")') is False
    assert value('{"n": 2}.containValue(2.0)') is True


def test_contains_and_not_contains_test_keys():
    assert value('{"a": 1}.contains("a")') is True
    assert value('{"a": 1}.notContains("price")') is True
    assert value('{"a": 1}.contains(1)') is False


def test_remove_and_clear():
    assert returns('m = {"a": 1, "b": 2}; m.remove("a"); return m;') == {"b": 2}
    assert returns('m = {"a": 1}; r = m.remove("zz"); return isNull(r);') is True
    assert returns('m = {"Product" : "Creator", "Version" : 5}; m.clear(); return m.isEmpty();') \
        is True


def test_reassigned_empty_braces_is_empty():
    r = run('mapVar = Map({"key1":"value1", "key2":"value2"}); mapVar = {}; info mapVar.isEmpty();')
    assert list(r.info) == ["true"]


def test_empty_braces_become_a_map_on_put():
    assert returns('m = {}; m.put("k", 1); m.putAll({"j": 2}); return m;') == {"k": 1, "j": 2}
    assert "map" in error('m = {}; m.add(1); m.put("k", 1);').message


def test_a_date_is_stored_with_midnight():
    assert returns("m = Map(); m.put(\"d\", '01-Jan-2020'); return m.get(\"d\").toString();") \
        == "01-Jan-2020 00:00:00"


def test_map_prints_as_json():
    r = run('m = {"product": "Creator", "n": 5, "l": {1, 2}}; info m;')
    assert list(r.info) == ['{"product":"Creator","n":5,"l":[1,2]}']


def test_errors():
    assert "itself" in error("m = Map(); m.put(\"x\", m);").message
    assert "null" in error('m = Map(); m.put(null, 1);').message
    with pytest.raises(DelugeError):
        run('return {"a": 1}.get();')  # arity is checked before the run


def test_put_is_checked_against_the_collection_budget():
    with pytest.raises(LimitError):
        run('m = Map(); for each k in {"a", "b", "c"} { m.put(k, 1); }', collection_size=2)
    run('m = {"a": 0, "b": 0}; m.put("a", 1);', collection_size=2)
