"""KEY-VALUE builtins: get, put, putAll, keys, values, containKey, containValue, remove...

Keys are case-sensitive and insertion order is kept; `put` on an existing key replaces the
value in place (reference §6 and §7.6 [doc]). `getJSON` belongs to the JSON builtins.
"""

from __future__ import annotations

from ..errors import ScriptError
from ..values import Collection, key_out, type_name
from .registry import COLLECTION, MAP, method
from .seqs import as_map, date_to_datetime, equal, grow, map_key

MAP_OR_COLLECTION = MAP + COLLECTION


@method("get", on=MAP, args=(1, 1))
def map_get(rt, m, key):
    """The value for a key, or null when the key is missing (no error). Keys are
    case-sensitive (reference §7.6 [doc]).

    Returns: the stored value (any type), or null

    >>> {"a": 1}.get("a")
    1
    >>> isNull({"a": 1}.get("A"))
    true
    """
    return m.get(map_key(key))


@method("put", on=MAP_OR_COLLECTION, args=(2, 2))
def map_put(rt, m, key, value):
    """Adds a key, or overwrites an existing key's value in place, keeping its position.
    A date without a time is stored with 00:00:00 (reference §7.6 [doc:
    https://zoho.com/deluge/help/functions/map/put.html]). On `{}` the first `put` makes
    it a key-value collection.

    >>> {"a": 1}.put("b", 2)
    null
    """
    items = as_map(m, "put", write=True)
    k = map_key(date_to_datetime(key))
    if value is m or value is items:
        raise ScriptError("put: a map cannot be put into itself")
    if k not in items:
        grow(rt, items)
    items[k] = date_to_datetime(value)


@method("putAll", on=MAP_OR_COLLECTION, args=(1, 1))
def map_put_all(rt, m, other):
    """Copies every pair of another map in; keys already present are overwritten in place
    (reference §7.6 [doc: https://zoho.com/deluge/help/map-manipulations/put-all-keys.html]).

    >>> {"a": 1}.putAll({"a": 2, "b": 3})
    null
    """
    items = as_map(m, "putAll", write=True)
    if type(other) is not dict and not (type(other) is Collection and other.kind != "list"):
        raise ScriptError(f"putAll needs a KEY-VALUE map, not {type_name(other)}")
    source = other if type(other) is dict else other.items
    new = sum(1 for k in source if k not in items)
    grow(rt, items, new)
    items.update(source)


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
    """True when the key is present; case-sensitive. Zoho spells it `containKey`
    (reference §7.6 [doc]); `containsKey` is the collection spelling, accepted too.

    >>> {"a": 1}.containKey("a")
    true
    >>> {"a": 1}.containsKey("A")
    false
    """
    return map_key(key) in m


@method("containValue", "containsValue", on=MAP, args=(1, 1))
def map_contains_value(rt, m, value):
    """True when some key holds a value equal to `value`; text comparison is case-sensitive
    (reference §7.6 [doc: https://zoho.com/deluge/help/functions/map/containvalue.html]).

    >>> {"Product": "Creator", "Company": "Zoho"}.containValue("Creator")
    true
    >>> {"Product": "Creator"}.containValue("creator")
    false
    """
    return any(equal(v, value) for v in m.values())


@method("contains", on=MAP, args=(1, 1))
def map_contains(rt, m, key):
    """For a map, `contains` tests the keys [inf].

    >>> {"a": 1}.contains("a")
    true
    """
    return map_key(key) in m


@method("notContains", on=MAP, args=(1, 1))
def map_not_contains(rt, m, key):
    """The opposite of `contains`: true when the key is absent [inf].

    >>> {"a": 1}.notContains("b")
    true
    """
    return map_key(key) not in m


@method("keys", on=MAP)
def map_keys(rt, m):
    """The keys as a LIST, in insertion order (reference §7.6 [doc:
    https://www.zoho.com/deluge/help/functions/map/keys.html]).

    >>> {"b": 1, "a": 2}.keys()
    ["b", "a"]
    """
    return [key_out(k) for k in m]


@method("values", on=MAP)
def map_values(rt, m):
    """The values as a LIST, in insertion order [3p/inf: the collection `values` function].

    >>> {"b": 1, "a": 2}.values()
    [1, 2]
    """
    return list(m.values())


@method("remove", on=MAP, args=(1, 1))
def map_remove(rt, m, key):
    """Deletes a key (reference §7.6 [doc, old guide]) and returns its value; a missing key
    does nothing and gives null.

    >>> {"a": 1}.remove("a")
    1
    """
    return m.pop(map_key(key), None)


@method("clear", on=MAP)
def map_clear(rt, m):
    """Removes every key (reference §7.6 [doc:
    https://www.zoho.com/deluge/help/functions/map/clear.html]).

    >>> {"a": 1}.clear()
    null
    """
    m.clear()
