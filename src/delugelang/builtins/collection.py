"""COLLECTION builtins (https://www.zoho.com/deluge/help/functions/collection.html).

A collection is index-value (a list) or key-value (a map), fixed by its first use; `{}` is
an undecided one. Each function here works on both kinds as the Zoho page for it says; the
list-only functions (indexOf, subList, removeElement...) live in lists.py and the map-only
ones (put, putAll) in maps.py, registered for collections too.
"""

from __future__ import annotations

from ..errors import ScriptError
from ..values import Collection, key_out
from . import lists, maps
from .registry import COLLECTION, method
from .seqs import (bool_arg, elements_of, equal, grow, index_arg, int_arg, map_key,
                   sort_value, sorted_or_none, value_key)


def _is_map(c) -> bool:
    return c.kind == "map"


# ---------------------------------------------------------------- reading

@method("get", on=COLLECTION, args=(1, 1))
def coll_get(rt, c, key):
    """An index-value collection reads by 0-based index (an index beyond the size is an
    error, as the page's example shows); a key-value one by key, null when missing
    (https://www.zoho.com/deluge/help/functions/collection/get.html).

    Returns: the element or value (any type), or null for a missing key

    >>> Collection("a", "b").get(1)
    "b"
    >>> isNull(Collection("k" : 1).get("x"))
    true
    """
    if c.kind == "list":
        return lists.list_get(rt, c.items, key)
    return maps.map_get(rt, c.items, key) if _is_map(c) else None


@method("size", on=COLLECTION)
def coll_size(rt, c):
    """The number of elements or pairs.

    >>> Collection("a", "b").size()
    2
    """
    return len(c.items)


@method("isEmpty", on=COLLECTION)
def coll_is_empty(rt, c):
    """True when empty (https://zoho.com/deluge/help/functions/collection/isempty.html).

    >>> Collection().isEmpty()
    true
    """
    return len(c.items) == 0


@method("keys", on=COLLECTION)
def coll_keys(rt, c):
    """The keys of a key-value collection; for an index-value one, its elements, as the page's
    example shows (https://zoho.com/deluge/help/functions/collection/keys.html).

    >>> Collection("Creator" : 5, "CRM" : 2).keys()
    ["Creator", "CRM"]
    >>> Collection("Creator", "CRM").keys()
    ["Creator", "CRM"]
    """
    if _is_map(c):
        return [key_out(k) for k in c.items]
    return list(c.items)


@method("values", on=COLLECTION)
def coll_values(rt, c):
    """The values of a key-value collection, or the elements of an index-value one.

    >>> Collection("Creator" : 5, "CRM" : 2).values()
    [5, 2]
    """
    return list(elements_of(c, "values"))


@method("containKey", "containsKey", on=COLLECTION, args=(1, 1))
def coll_contains_key(rt, c, key):
    """True when a key-value collection has the key; for an index-value one, when the
    index exists [inf].

    >>> Collection("a" : 1).containsKey("a")
    true
    >>> Collection("x", "y").containsKey(1)
    true
    """
    if _is_map(c):
        return map_key(key) in c.items
    return type(key) is int and 0 <= key < len(c.items)


@method("containValue", "containsValue", on=COLLECTION, args=(1, 1))
def coll_contains_value(rt, c, value):
    """True when the value (or element) is present; case-sensitive
    (https://www.zoho.com/deluge/help/functions/collection/containsvalue.html).

    >>> Collection("Creator" : 5, "CRM" : 2).containsValue(2)
    true
    """
    return any(equal(v, value) for v in elements_of(c, "containsValue"))


@method("contains", on=COLLECTION, args=(1, 1))
def coll_contains(rt, c, value):
    """Membership: the elements of an index-value collection, the keys of a key-value one.

    >>> Collection("a").contains("a")
    true
    """
    if _is_map(c):
        return map_key(value) in c.items
    return any(equal(v, value) for v in c.items)


@method("notContains", on=COLLECTION, args=(1, 1))
def coll_not_contains(rt, c, value):
    """The opposite of `contains` (https://www.zoho.com/deluge/help/functions/string/
    notcontains.html covers TEXT, LIST, MAP and COLLECTION).

    >>> Collection("Creator", "CRM").notContains("Books")
    true
    """
    return not coll_contains(rt, c, value)


def _find_key(c, value, last: bool):
    pairs = list(c.items.items()) if _is_map(c) else list(enumerate(c.items))
    if last:
        pairs.reverse()
    for k, v in pairs:
        if equal(v, value):
            return key_out(k)
    return None if _is_map(c) else -1


@method("getKey", on=COLLECTION, args=(1, 1))
def coll_get_key(rt, c, value):
    """The key of the first pair holding `value` (null when absent), or the index of the
    first equal element (-1 when absent)
    (https://www.zoho.com/deluge/help/functions/collection/getkey.html).

    Returns: the key (any type) or null; for an index-value collection a NUMBER

    >>> Collection("Creator" : 5, "CRM" : 2, "Mail" : 8).getKey(5)
    "Creator"
    >>> Collection("Creator", "CRM", "Mail").getKey("CRM")
    1
    """
    return _find_key(c, value, last=False)


@method("getLastKey", on=COLLECTION, args=(1, 1))
def coll_get_last_key(rt, c, value):
    """Like getKey, for the last occurrence
    (https://www.zoho.com/deluge/help/functions/collection/getlastkey.html).

    Returns: the key (any type) or null; for an index-value collection a NUMBER

    >>> Collection("Creator" : 5, "CRM" : 2, "Mail" : 5).getLastKey(5)
    "Mail"
    >>> Collection("Creator", "CRM", "Creator").getLastKey("Creator")
    2
    """
    return _find_key(c, value, last=True)


# ---------------------------------------------------------------- adding

def _insert_pairs(rt, c, pairs):
    items = c.as_map()
    grow(rt, items, sum(1 for k, _ in pairs if map_key(k) not in items))
    for k, v in pairs:
        maps.map_put(rt, items, k, v)


def _insert_elements(rt, c, values):
    lists.list_insert(rt, c.as_list(), *values)


@method("insert", on=COLLECTION, args=(1, None))
def coll_insert(rt, c, *values):
    """Adds elements to an index-value collection, or `key : value` pairs to a key-value
    one; an existing key's value is overwritten. Inserting the other kind is an error
    (https://zoho.com/deluge/help/functions/collection/insert.html).

    >>> Collection("Creator").insert("Analytics")
    null
    >>> Collection("Creator" : 5).insert("CRM" : 5)
    null
    """
    pairs = [v for v in values if type(v) is tuple]
    if pairs and len(pairs) != len(values):
        raise ScriptError("insert: cannot mix elements and key : value pairs")
    if pairs:
        if c.kind == "list":
            raise ScriptError("insert: a key : value pair cannot be inserted into an "
                              "index-value collection")
        _insert_pairs(rt, c, pairs)
        return
    if _is_map(c):
        raise ScriptError("insert: an element cannot be inserted into a key-value "
                          "collection; insert key : value pairs")
    _insert_elements(rt, c, values)


@method("insertAll", on=COLLECTION, args=(1, 1))
def coll_insert_all(rt, c, values):
    """Inserts every element of a list, or every pair of a map
    (https://zoho.com/deluge/help/functions/collection/insertall.html).

    >>> Collection("Creator").insertAll({"Analytics", "Connect"})
    null
    >>> Collection("Creator" : 5).insertAll({"CRM" : 5, "Campaigns" : 2})
    null
    """
    t = type(values)
    if t is dict or (t is Collection and values.kind == "map"):
        source = values if t is dict else values.items
        coll_insert(rt, c, *[(key_out(k), v) for k, v in source.items()]) if source else None
        return
    items = list(elements_of(values, "insertAll"))
    if items:
        coll_insert(rt, c, *items)


@method("add", on=COLLECTION, args=(1, 1))
def coll_add(rt, c, value):
    """`{}` used as a list: the first add makes it an index-value collection.

    >>> {}.add(1)
    null
    """
    lists.list_add(rt, c.as_list(), value)


@method("addAll", on=COLLECTION, args=(1, 1))
def coll_add_all(rt, c, other):
    """Appends every element of a list to an index-value collection.

    >>> {}.addAll({1, 2})
    null
    """
    lists.list_add_all(rt, c.as_list(), other)


@method("update", on=COLLECTION, args=(2, 2))
def coll_update(rt, c, key, value):
    """Replaces the element at an index (which must exist), or the value of a key (a new
    key is added) (https://zoho.com/deluge/help/functions/collection/update.html).

    >>> Collection("Creator", "CRM", "Campaigns").update(2, "Analytics")
    null
    """
    if c.kind == "list":
        lists.list_set(rt, c.items, key, value)
    elif _is_map(c):
        maps.map_put(rt, c.items, key, value)
    else:
        raise ScriptError("update: the collection is empty, so there is nothing to update")


# ---------------------------------------------------------------- removing

@method("remove", on=COLLECTION, args=(1, 1))
def coll_remove(rt, c, key):
    """Removes by index or by key, as the collection's kind says, and returns the value.

    >>> Collection("a", "b").remove(0)
    "a"
    """
    if c.kind == "list":
        return lists.list_remove(rt, c.items, key)
    return maps.map_remove(rt, c.items, key) if _is_map(c) else None


@method("delete", on=COLLECTION, args=(1, 1))
def coll_delete(rt, c, value):
    """Deletes the first element equal to `value`, or the first pair whose value equals it;
    nothing happens when it is absent
    (https://zoho.com/deluge/help/functions/collection/delete.html).

    >>> Collection("Creator", "CRM", "Campaigns").delete("CRM")
    null
    """
    if _is_map(c):
        for k, v in c.items.items():
            if equal(v, value):
                del c.items[k]
                return
    elif c.kind == "list":
        lists.list_remove_element(rt, c.items, value)


@method("deleteAll", on=COLLECTION, args=(1, 1))
def coll_delete_all(rt, c, values):
    """Deletes every element (or every pair whose value is) in the given list
    (https://zoho.com/deluge/help/functions/collection/deleteall.html).

    >>> Collection("Creator" : 5, "CRM" : 2).deleteAll({2})
    null
    """
    drop = {value_key(v) for v in elements_of(values, "deleteAll")}
    if _is_map(c):
        for k in [k for k, v in c.items.items() if value_key(v) in drop]:
            del c.items[k]
    elif c.kind == "list":
        c.items[:] = [v for v in c.items if value_key(v) not in drop]


@method("deleteKey", on=COLLECTION, args=(1, 1))
def coll_delete_key(rt, c, key):
    """Deletes a key with its value (nothing happens for a missing key), or the element at
    an index (a missing index is an error)
    (https://zoho.com/deluge/help/functions/collection/deletekey.html).

    >>> Collection("Creator" : 5, "CRM" : 2).deleteKey("CRM")
    null
    """
    if _is_map(c):
        c.items.pop(map_key(key), None)
    elif c.kind == "list":
        del c.items[index_arg(c.items, key, "deleteKey")]


@method("deleteKeys", on=COLLECTION, args=(1, 1))
def coll_delete_keys(rt, c, keys):
    """Deletes the given keys (with their values), or the elements at the given indexes
    (https://zoho.com/deluge/help/functions/collection/deletekeys.html).

    >>> Collection("Creator", "CRM", "Mail").deleteKeys({1, 2})
    null
    """
    keys = list(elements_of(keys, "deleteKeys"))
    if _is_map(c):
        for k in keys:
            c.items.pop(map_key(k), None)
    elif c.kind == "list":
        indexes = {index_arg(c.items, i, "deleteKeys") for i in keys}
        c.items[:] = [v for i, v in enumerate(c.items) if i not in indexes]


@method("clear", on=COLLECTION)
def coll_clear(rt, c):
    """Empties the collection; it keeps its kind
    (https://zoho.com/deluge/help/functions/collection/clear.html).

    >>> Collection("Deluge" : 5).clear()
    null
    """
    c.items.clear()


# ---------------------------------------------------------------- ordering and copies

@method("sort", on=COLLECTION, args=(0, 1))
def coll_sort(rt, c, ascending=True):
    """Sorts the elements, or the pairs by their values, in place: ascending by default,
    `false` for descending (https://www.zoho.com/deluge/help/functions/collection/sort.html).
    Values of different types leave the collection as it was and give null, as for lists.

    >>> Collection("Creator", "CRM", "Mail").sort(false)
    ["Mail", "Creator", "CRM"]
    """
    ascending = bool_arg(ascending, "sort")
    if c.kind is None:
        return c
    if not _is_map(c):
        return lists.list_sort(rt, c.items, ascending)
    if sorted_or_none(c.items.values(), ascending) is None:
        return None
    pairs = sorted(c.items.items(), key=lambda kv: sort_value(kv[1]), reverse=not ascending)
    c.items.clear()
    c.items.update(pairs)
    return c


@method("sortKey", on=COLLECTION, args=(0, 1))
def coll_sort_key(rt, c, ascending=True):
    """Sorts a key-value collection by its keys, in place
    (https://zoho.com/deluge/help/functions/collection/sortkey.html); keys of different
    types leave it unchanged and give null. On an index-value collection it sorts the
    elements [inf].

    >>> Collection("Creator" : 5, "CRM" : 2, "Mail" : 8).sortKey().keys()
    ["CRM", "Creator", "Mail"]
    """
    ascending = bool_arg(ascending, "sortKey")
    if c.kind is None:
        return c
    if not _is_map(c):
        return lists.list_sort(rt, c.items, ascending)
    order = sorted_or_none([key_out(k) for k in c.items], ascending)
    if order is None:
        return None
    pairs = [(map_key(k), c.items[map_key(k)]) for k in order]
    c.items.clear()
    c.items.update(pairs)
    return c


@method("distinct", on=COLLECTION)
def coll_distinct(rt, c):
    """The unique values (of the pairs) or unique elements, as a LIST, first occurrences
    kept (https://zoho.com/deluge/help/functions/collection/distinct.html).

    >>> Collection("Creator" : 5, "CRM" : 2, "Mail" : 5).distinct()
    [5, 2]
    """
    return lists.list_distinct(rt, list(elements_of(c, "distinct")))


@method("duplicate", on=COLLECTION, args=(0, 2))
def coll_duplicate(rt, c, start=None, end=None):
    """A LIST copy of the elements (or values) from `start` up to, not including, `end`;
    the whole collection when no indexes are given. An end beyond the size is an error
    (https://zoho.com/deluge/help/functions/collection/duplicate.html).

    >>> Collection("Creator", "CRM", "Books").duplicate(0, 1)
    ["Creator"]
    """
    items = list(elements_of(c, "duplicate"))
    if start is None:
        return items
    int_arg(start, "duplicate", "the start index")
    return lists.list_sub_list(rt, items, start, end)


@method("intersect", on=COLLECTION, args=(1, 1))
def coll_intersect(rt, c, other):
    """The elements (or values) found in both collections, as a LIST
    (https://zoho.com/deluge/help/functions/collection/intersect.html).

    >>> Collection("Creator", "CRM", "Books").intersect(Collection("Creator", "CRM", "Mail"))
    ["Creator", "CRM"]
    """
    return lists.list_intersect(rt, list(elements_of(c, "intersect")), other)
