"""Core LIST, KEY-VALUE and COLLECTION builtins: get, put, add, size, keys, remove..."""

from __future__ import annotations

from ..errors import ScriptError
from ..values import Collection, TypedList, key_in, key_out, type_name
from .registry import COLLECTION, LIST, MAP, TEXT, method


def _index(rt, lst, i, op):
    if type(i) is not int:
        raise ScriptError(f"{op}: the index must be a NUMBER, not {type_name(i)}")
    if i < 0 or i >= len(lst):
        # 0-based; out of range is an error, never null (reference §13.2).
        raise ScriptError(f"{op}: index {i} is out of range for a list of size {len(lst)}")
    return i


def _grow(rt, container, extra=1):
    """Charge the size budget before a collection grows."""
    size = len(container) + extra
    if size > rt.limits.collection_size:
        rt.check_size(size)


def _list_of(value):
    t = type(value)
    if t is list or t is TypedList:
        return value
    if t is Collection:
        return value.as_list()
    return None


def _map_of(value):
    if type(value) is dict:
        return value
    if type(value) is Collection:
        return value.as_map()
    return None


# ---------------------------------------------------------------- lists

@method("get", on=LIST, args=(1, 1))
def list_get(rt, lst, index):
    """The element at a 0-based index; a negative or too-large index is an error.

    >>> {"a", "b", "c"}.get(1)
    "b"
    """
    return lst[_index(rt, lst, index, "get")]


@method("add", on=LIST, args=(1, 1))
def list_add(rt, lst, value):
    """Appends one element; a list is added as one nested element, not flattened.

    >>> {1, 2}.add({3, 4})
    null
    """
    _grow(rt, lst)
    lst.append(_convert_typed(lst, value))


@method("addAll", on=LIST, args=(1, 1))
def list_add_all(rt, lst, other):
    """Appends every element of another list.

    >>> {1}.addAll({2, 3})
    null
    """
    items = _list_of(other)
    if items is None:
        raise ScriptError(f"addAll needs a LIST, not {type_name(other)}")
    items = list(items)  # `l.addAll(l)` doubles once, never forever
    _grow(rt, lst, len(items))
    lst.extend(_convert_typed(lst, v) for v in items)


@method("size", on=LIST)
def list_size(rt, lst):
    """The number of elements; a nested list counts as one.

    >>> {1, {2, 3}}.size()
    2
    """
    return len(lst)


@method("isEmpty", on=LIST)
def list_is_empty(rt, lst):
    """True when the list has no elements.

    >>> List().isEmpty()
    true
    """
    return len(lst) == 0


@method("contains", on=LIST, args=(1, 1))
def list_contains(rt, lst, value):
    """True when the list holds an element equal to `value` (types kept apart).

    >>> {"1", 2}.contains(2)
    true
    >>> {"1", 2}.contains(1)
    false
    """
    from ..ops import eq
    return any(eq(rt, item, value) for item in lst)


@method("remove", on=LIST, args=(1, 1))
def list_remove(rt, lst, index):
    """Removes the element at a 0-based index and returns it (reference §7.5).

    >>> {"a", "b"}.remove(0)
    "a"
    """
    return lst.pop(_index(rt, lst, index, "remove"))


def _convert_typed(lst, value):
    if type(lst) is not TypedList:
        return value
    from .typed import convert_for_typed_list
    return convert_for_typed_list(lst.elem_type, value)


# ---------------------------------------------------------------- maps

@method("get", on=MAP, args=(1, 1))
def map_get(rt, m, key):
    """The value for a key, or null when the key is missing (no error). Keys are case-sensitive.

    >>> {"a": 1}.get("a")
    1
    >>> isNull({"a": 1}.get("A"))
    true
    """
    return m.get(key if type(key) is str else key_in(key))


@method("put", on=MAP, args=(2, 2))
def map_put(rt, m, key, value):
    """Adds a key, or overwrites it in place keeping its position.

    >>> {"a": 1}.put("b", 2)
    null
    """
    k = key if type(key) is str else key_in(key)
    if k not in m:
        _grow(rt, m)
    m[k] = value


@method("size", on=MAP)
def map_size(rt, m):
    """The number of keys.

    >>> {"a": 1, "b": 2}.size()
    2
    """
    return len(m)


@method("isEmpty", on=MAP)
def map_is_empty(rt, m):
    """True when the map has no keys.

    >>> Map().isEmpty()
    true
    """
    return len(m) == 0


@method("containKey", "containsKey", on=MAP, args=(1, 1))
def map_contains_key(rt, m, key):
    """True when the key is present; case-sensitive. Zoho spells it `containKey`.

    >>> {"a": 1}.containKey("a")
    true
    >>> {"a": 1}.containsKey("A")
    false
    """
    return (key if type(key) is str else key_in(key)) in m


@method("contains", on=MAP, args=(1, 1))
def map_contains(rt, m, key):
    """For a map, `contains` tests the keys.

    >>> {"a": 1}.contains("a")
    true
    """
    return map_contains_key(rt, m, key)


@method("keys", on=MAP)
def map_keys(rt, m):
    """The keys as a LIST, in insertion order.

    >>> {"b": 1, "a": 2}.keys()
    ["b", "a"]
    """
    return [key_out(k) for k in m]


@method("remove", on=MAP, args=(1, 1))
def map_remove(rt, m, key):
    """Deletes a key and returns its value (null when absent).

    >>> {"a": 1}.remove("a")
    1
    """
    return m.pop(key if type(key) is str else key_in(key), None)


# ---------------------------------------------------------------- collections

@method("get", on=COLLECTION, args=(1, 1))
def coll_get(rt, c, key):
    """An index-value collection reads by index, a key-value one by key.

    >>> Collection("a", "b").get(1)
    "b"
    """
    if c.kind == "list":
        return list_get(rt, c.items, key)
    return map_get(rt, c.items, key) if c.kind == "map" else None


@method("size", on=COLLECTION)
def coll_size(rt, c):
    """The number of elements or pairs.

    >>> Collection().size()
    0
    """
    return len(c.items)


@method("isEmpty", on=COLLECTION)
def coll_is_empty(rt, c):
    """True when empty.

    >>> Collection().isEmpty()
    true
    """
    return len(c.items) == 0


@method("add", on=COLLECTION, args=(1, 1))
def coll_add(rt, c, value):
    """`{}` used as a list: the first add makes it an index-value collection.

    >>> {}.add(1)
    null
    """
    list_add(rt, c.as_list(), value)


@method("addAll", on=COLLECTION, args=(1, 1))
def coll_add_all(rt, c, other):
    """Appends every element of a list to an index-value collection.

    >>> {}.addAll({1, 2})
    null
    """
    list_add_all(rt, c.as_list(), other)


@method("put", on=COLLECTION, args=(2, 2))
def coll_put(rt, c, key, value):
    """`{}` used as a map: the first put makes it a key-value collection.

    >>> {}.put("a", 1)
    null
    """
    map_put(rt, c.as_map(), key, value)


@method("containKey", "containsKey", on=COLLECTION, args=(1, 1))
def coll_contains_key(rt, c, key):
    """True when a key-value collection has the key.

    >>> {}.containsKey("a")
    false
    """
    return c.kind == "map" and map_contains_key(rt, c.items, key)


@method("contains", on=COLLECTION, args=(1, 1))
def coll_contains(rt, c, value):
    """Membership: the elements of an index-value collection, the keys of a key-value one.

    >>> Collection("a").contains("a")
    true
    """
    if c.kind == "map":
        return map_contains_key(rt, c.items, value)
    return list_contains(rt, c.items, value)


@method("keys", on=COLLECTION)
def coll_keys(rt, c):
    """The keys of a key-value collection.

    >>> {}.keys()
    []
    """
    return map_keys(rt, c.as_map()) if c.kind != "list" else list(range(len(c.items)))


@method("remove", on=COLLECTION, args=(1, 1))
def coll_remove(rt, c, key):
    """Removes by index or by key, as the collection's kind says.

    >>> Collection("a", "b").remove(0)
    "a"
    """
    if c.kind == "list":
        return list_remove(rt, c.items, key)
    return map_remove(rt, c.items, key) if c.kind == "map" else None


@method("contains", on=TEXT, args=(1, 1))
def text_contains(rt, text, part):
    """True when the text holds `part`; case-sensitive.

    >>> "Zoho Creator".contains("Creator")
    true
    """
    from ..values import to_text
    return (part if type(part) is str else to_text(part)) in text


@method("size", "length", "len", on=TEXT)
def text_length(rt, text):
    """The number of characters, spaces included.

    >>> "Create database applications with Zoho Creator".len()
    46
    """
    return len(text)


@method("isEmpty", on=TEXT)
def text_is_empty(rt, text):
    """True only for "": a space is not empty (reference §7.2).

    >>> " ".isEmpty()
    false
    """
    return text == ""
