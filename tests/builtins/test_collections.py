"""COLLECTION builtins (deluge-reference.md §6 and §7.7; Zoho's collection function pages)."""

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


def info(code: str) -> list:
    return list(run(code).info)


def error(code: str) -> ScriptError:
    with pytest.raises(DelugeError) as caught:
        run(code)
    assert isinstance(caught.value, ScriptError), caught.value
    return caught.value


KV = 'c = collection("Creator" : 5, "CRM" : 2, "Mail" : 8);'
IV = 'c = collection("Creator", "CRM", "Mail");'


# ---------------------------------------------------------------- insert

def test_insert_elements_and_pairs():
    assert returns(IV + ' c.insert("Analytics"); return c;') == ["Creator", "CRM", "Mail",
                                                                 "Analytics"]
    assert returns('c = collection("Creator" : 5); c.insert("CRM" : 5); return c;') == \
        {"Creator": 5, "CRM": 5}
    assert returns('c = collection("Creator" : 5); c.insert("Creator" : 6); return c.size();') == 1


def test_insert_the_wrong_kind_is_an_error():
    assert "pair" in error('products = collection("Creator", "CRM"); products.insert("CRM" : 5);'
                           ).message
    assert "element" in error('c = collection("Creator" : 5); c.insert("CRM");').message
    assert "mix" in error('c = Collection(); c.insert("a", "k" : 1);').message


def test_insert_all():
    assert returns('productVersion = collection("Creator" : 5); '
                   'productVersion.insertAll({"CRM" : 5, "Campaigns" : 2}); '
                   'return productVersion.size();') == 3
    assert returns(IV + ' c.insertAll({"Analytics", "Connect"}); return c.size();') == 5
    assert returns('c = Collection(); c.insertAll({1, 2}); return c;') == [1, 2]
    assert "pair" in error(IV + ' c.insertAll({"k": 1});').message


def test_empty_collection_takes_the_kind_of_its_first_insert():
    assert returns('c = Collection(); c.insert("k" : 1); return c;') == {"k": 1}
    assert returns('c = Collection(); c.insert(1, 2); return c;') == [1, 2]


# ---------------------------------------------------------------- reading

def test_get():
    assert value('Collection("name10", "name2").get(0)') == "name10"
    assert "out of range" in error('c = Collection("a"); c.get(4);').message
    assert value('Collection("name1" : "John").get("name1")') == "John"
    assert value('isNull(Collection("name1" : "John").get("name3"))') is True


def test_get_key_and_get_last_key():
    assert info(KV + " info c.getKey(5);") == ["Creator"]
    assert info(IV + ' info c.getKey("CRM");') == ["1"]
    assert value('Collection("a").getKey("z")') == -1
    assert value('isNull(Collection("k" : 1).getKey(9))') is True
    assert info('c = collection("Creator" : 5, "CRM" : 2, "Mail" : 5); info c.getLastKey(5);') \
        == ["Mail"]
    assert info('c = collection("Creator", "CRM", "Creator"); info c.getLastKey("Creator");') \
        == ["2"]


def test_keys_values_contains():
    assert info(KV + " info c.keys();") == ["Creator,CRM,Mail"]
    assert info(IV + " info c.keys();") == ["Creator,CRM,Mail"]
    assert returns(KV + " return c.values();") == [5, 2, 8]
    assert returns(KV + " return {c.containsKey(\"CRM\"), c.containsValue(2), "
                   "c.containsValue(3), c.notContains(\"Books\")};") == [True, True, False, True]
    assert returns(IV + ' return {c.contains("CRM"), c.notContains("Books"), c.containsKey(2), '
                   'c.containsKey(3)};') == [True, True, True, False]


# ---------------------------------------------------------------- update and delete

def test_update():
    assert info('products = collection("Creator", "CRM", "Campaigns"); '
                'products.update(2, "Analytics"); info products;') == ["Creator,CRM,Analytics"]
    assert info('pv = collection("Creator" : 5, "CRM" : 2); pv.update("CRM", 3); info pv;') == \
        ['{"Creator":5,"CRM":3}']
    assert "out of range" in error(IV + " c.update(3, 1);").message


def test_delete_family():
    assert info('products = Collection("Creator", "CRM", "Campaigns"); products.delete("CRM"); '
                'info products;') == ["Creator,Campaigns"]
    assert info('pv = Collection("Creator" : 5, "CRM" : 2); pv.delete(2); info pv;') == \
        ['{"Creator":5}']
    assert returns(IV + ' c.delete("Books"); return c.size();') == 3
    assert returns('c = collection("Creator", "CRM", "Campaigns"); '
                   'c.deleteAll({"CRM", "Campaigns"}); return c;') == ["Creator"]
    assert returns('c = collection("Creator" : 5, "CRM" : 2); c.deleteAll({2}); return c;') == \
        {"Creator": 5}
    assert returns('c = collection("Creator" : 5, "CRM" : 2); c.deleteKey("CRM"); '
                   'c.deleteKey("nope"); return c;') == {"Creator": 5}
    assert returns('c = collection("Creator", "CRM", "Campaigns"); c.deleteKey(1); return c;') \
        == ["Creator", "Campaigns"]
    assert "out of range" in error(IV + " c.deleteKey(7);").message
    assert returns(KV + ' c.deleteKeys({"CRM", "Mail"}); return c;') == {"Creator": 5}
    assert returns(IV + " c.deleteKeys({1, 2}); return c;") == ["Creator"]


def test_clear_keeps_the_kind():
    assert info('pv = collection("Deluge" : 5, "CRM" : 2); pv.clear(); info pv;') == ["{}"]
    assert "pair" in error(IV + ' c.clear(); c.insert("k" : 1);').message


# ---------------------------------------------------------------- order and copies

def test_sort_and_sort_key():
    assert info('pv = collection("Creator" : 5, "CRM" : 2, "Mail" : 8); pv.sort(); info pv;') == \
        ['{"CRM":2,"Creator":5,"Mail":8}']
    assert info('pv = collection("a" : 5, "b" : 2, "c" : 8); pv.sort(false); info pv;') == \
        ['{"c":8,"a":5,"b":2}']
    assert returns('p = collection("Creator", "CRM", "Mail"); p.sort(false); return p;') == \
        ["Mail", "Creator", "CRM"]
    assert info('pv = collection("Creator" : 5, "CRM" : 2, "Mail" : 8); pv.sortKey(); info pv;') \
        == ['{"CRM":2,"Creator":5,"Mail":8}']
    assert returns('c = collection("a" : 1, "b" : "x"); r = c.sort(); return isNull(r);') is True


def test_distinct_duplicate_intersect():
    assert info('pv = collection("Creator" : 5, "CRM" : 2, "Mail" : 5); info pv.distinct();') \
        == ["5,2"]
    assert info('p = collection("Creator", "CRM", "CRM"); info p.distinct();') == ["Creator,CRM"]
    assert info('p = collection("Creator", "CRM", "Books"); info p.duplicate(0, 1);') == \
        ["Creator"]
    assert returns(IV + " return c.duplicate();") == ["Creator", "CRM", "Mail"]
    assert "beyond" in error(IV + " c.duplicate(0, 9);").message
    assert info('p1 = collection("Creator", "CRM", "Books"); p2 = collection("Creator", "CRM", '
                '"Mail"); info p1.intersect(p2);') == ["Creator,CRM"]


def test_list_functions_work_on_index_value_collections():
    assert returns(IV + ' return {c.indexOf("CRM"), c.subList(1), c.size()};') == \
        [1, ["CRM", "Mail"], 3]
    assert returns(IV + ' c.removeElement("CRM"); return c;') == ["Creator", "Mail"]
    assert "key-value" in error(KV + ' c.indexOf(5);').message
    assert value("Collection(1, 5, 2).largest()") == 5


def test_empty_braces_are_an_undecided_collection():
    assert value("{}.isEmpty()") is True
    assert returns("c = {}; c.add(1); c.add(2); return c;") == [1, 2]
    assert returns('c = {}; i = c.indexOf(1); c.put("k", 1); return {i, c};') == [-1, {"k": 1}]
    assert returns("return {}.keys();") == []


def test_insert_is_checked_against_the_collection_budget():
    with pytest.raises(LimitError):
        run('c = Collection(1, 2); c.insert(3, 4);', collection_size=3)
    with pytest.raises(LimitError):
        run('c = Collection("a" : 1); c.insertAll({"b" : 2, "c" : 3});', collection_size=2)


@pytest.mark.parametrize("code", [
    "c = Collection(); c.insert(c); info c;",
    "a = List(); b = List(); a.add(b); b.add(a); info a;",
    "a = List(); b = List(); a.add(b); b.add(a); t = \"\" + a;",
])
def test_a_value_that_holds_itself_cannot_be_shown_as_text(code):
    # It used to recurse until Python's own limit, reported as the call-depth limit.
    err = error(code)
    assert type(err) is ScriptError and "nested too deeply to show as text" in err.message


def test_nested_lists_and_collections_still_print():
    assert info('l = {1, {2, {3}}, "x"}; info l; c = Collection(); c.insert("a"); '
                'c.insert({1, {2}}); info c;') == ["1,{2,{3}},x", "a,{1,{2}}"]
