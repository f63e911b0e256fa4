"""LIST builtins: get, add, remove, indexOf, sort, distinct, intersect, subList...

Every function here also works on an index-value COLLECTION and on an empty `{}`; the
functions whose meaning differs for a key-value collection (get, remove, contains, sort,
distinct, intersect...) have their COLLECTION forms in collection.py.
"""

from __future__ import annotations

from ..errors import ScriptError
from ..values import TypedList
from .registry import COLLECTION, LIST, method
from .typed import convert_for_typed_list
from .seqs import (as_list, bool_arg, elements_of, equal, grow, index_arg, int_arg,
                   sorted_or_none, value_key)

LIST_OR_COLLECTION = LIST + COLLECTION


def convert_typed(rt, lst, value):
    """What a typed list (`List:Int()`...) stores for `value` (reference §3, typed lists)."""
    if type(lst) is not TypedList:
        return value
    return convert_for_typed_list(lst.elem_type, value, rt)


def _not_itself(lst, value, op):
    if value is lst:
        raise ScriptError(f"{op}: a list cannot be added to itself")


# ---------------------------------------------------------------- reading

@method("get", on=LIST, args=(1, 1))
def list_get(rt, lst, index):
    """The element at a 0-based index; a negative or too-large index is an error
    (reference §7.5 [doc]).

    Returns: the element (any type)

    >>> {"a", "b", "c"}.get(1)
    "b"
    """
    return lst[index_arg(lst, index, "get")]


@method("size", on=LIST)
def list_size(rt, lst):
    """The number of elements; a nested list counts as one (reference §7.5 [doc]).

    >>> {1, {2, 3}}.size()
    2
    """
    return len(lst)


@method("isEmpty", on=LIST)
def list_is_empty(rt, lst):
    """True when the list has no elements; a list holding an empty list is not empty.

    >>> List().isEmpty()
    true
    >>> {{}}.isEmpty()
    false
    """
    return len(lst) == 0


@method("contains", on=LIST, args=(1, 1))
def list_contains(rt, lst, value):
    """True when the list holds an element equal to `value`. Types are kept apart:
    TEXT "1" is not NUMBER 1, but NUMBER 1 equals DECIMAL 1.0.

    >>> {"1", 2}.contains(2)
    true
    >>> {"1", 2}.contains(1)
    false
    """
    return any(equal(item, value) for item in lst)


@method("notContains", on=LIST, args=(1, 1))
def list_not_contains(rt, lst, value):
    """The opposite of `contains` (Zoho's list-functions index lists it).

    >>> {"a", "b"}.notContains("c")
    true
    """
    return not list_contains(rt, lst, value)


@method("indexOf", on=LIST_OR_COLLECTION, args=(1, 1))
def list_index_of(rt, lst, value):
    """The 0-based index of the first element equal to `value`, or -1 (reference §7.5 [doc]).

    >>> {"Creator", "CRM", "Creator"}.indexOf("Creator")
    0
    >>> {1, 2}.indexOf(5)
    -1
    """
    items = as_list(lst, "indexOf")
    for i, item in enumerate(items):
        if equal(item, value):
            return i
    return -1


@method("lastIndexOf", on=LIST_OR_COLLECTION, args=(1, 1))
def list_last_index_of(rt, lst, value):
    """The 0-based index of the last element equal to `value`, or -1 (reference §7.5 [doc]).

    >>> {"Creator", "CRM", "Creator"}.lastIndexOf("Creator")
    2
    """
    items = as_list(lst, "lastIndexOf")
    for i in range(len(items) - 1, -1, -1):
        if equal(items[i], value):
            return i
    return -1


@method("subList", on=LIST_OR_COLLECTION, args=(1, 2))
def list_sub_list(rt, lst, start, end=None):
    """A new list of the elements from `start` up to, not including, `end` (the rest when
    `end` is left out). A negative start, an end beyond the size, or start > end is an
    error (reference §7.5 and §13.2 [doc]). `sublist` is the same function (names are
    case-insensitive).

    >>> {1, 2, 3, 4}.subList(1, 3)
    [2, 3]
    >>> {1, 2, 3, 4}.subList(1)
    [2, 3, 4]
    """
    items = as_list(lst, "subList")
    start = int_arg(start, "subList", "the start index")
    end = len(items) if end is None else int_arg(end, "subList", "the end index")
    if start < 0 or start > len(items):
        raise ScriptError(f"subList: start index {start} is out of range for a list of size "
                          f"{len(items)}")
    if end > len(items):
        raise ScriptError(f"subList: end index {end} is beyond the list's size {len(items)}")
    if end < start:
        raise ScriptError(f"subList: end index {end} is before start index {start}")
    return items[start:end]


# ---------------------------------------------------------------- adding

@method("add", on=LIST, args=(1, 1))
def list_add(rt, lst, value):
    """Appends one element; a list is added as one nested element, not flattened
    (reference §7.5 [doc]). A typed list converts the value first (reference §3).

    >>> {1, 2}.add({3, 4})
    null
    """
    _not_itself(lst, value, "add")
    grow(rt, lst)
    lst.append(convert_typed(rt, lst, value))


@method("addAll", on=LIST, args=(1, 1))
def list_add_all(rt, lst, other):
    """Appends every element of another list (or of a collection's elements/values)
    (reference §7.5 [doc]).

    >>> {1}.addAll({2, 3})
    null
    """
    items = list(elements_of(other, "addAll"))  # `l.addAll(l)` doubles once, never forever
    grow(rt, lst, len(items))
    lst.extend([convert_typed(rt, lst, v) for v in items])


@method("insert", on=LIST, args=(1, None))
def list_insert(rt, lst, *values):
    """Appends the given elements, like a COLLECTION's `insert` (Zoho lists `insert` for
    collections; on a LIST it behaves the same way [inf]). Key : value pairs belong in a map.

    >>> {1}.insert(2, 3)
    null
    """
    if any(type(v) is tuple for v in values):
        raise ScriptError("insert: a key : value pair cannot be inserted into a list")
    for v in values:
        _not_itself(lst, v, "insert")
    grow(rt, lst, len(values))
    lst.extend([convert_typed(rt, lst, v) for v in values])


@method("set", on=LIST_OR_COLLECTION, args=(2, 2))
def list_set(rt, lst, index, value):
    """Replaces the element at a 0-based index; the index must exist [inf: mirrors
    a collection's `update`, which the docs describe].

    >>> {"a", "b"}.set(1, "c")
    null
    """
    items = as_list(lst, "set", write=True)
    _not_itself(items, value, "set")
    items[index_arg(items, index, "set")] = convert_typed(rt, items, value)


# ---------------------------------------------------------------- removing

@method("remove", on=LIST, args=(1, 1))
def list_remove(rt, lst, index):
    """Removes the element at a 0-based index and returns it; an index out of range is an
    error (reference §7.5 [doc]).

    Returns: the removed element (any type)

    >>> {"a", "b"}.remove(0)
    "a"
    """
    return lst.pop(index_arg(lst, index, "remove"))


@method("removeElement", on=LIST_OR_COLLECTION, args=(1, 1))
def list_remove_element(rt, lst, value):
    """Removes the first element equal to `value`; nothing happens when it is absent
    (reference §7.5 [doc]).

    >>> {"Cricket", "Hockey"}.removeElement("Hockey")
    null
    """
    items = as_list(lst, "removeElement")
    for i, item in enumerate(items):
        if equal(item, value):
            del items[i]
            return None
    return None


@method("removeAll", on=LIST_OR_COLLECTION, args=(1, 1))
def list_remove_all(rt, lst, other):
    """Removes every element that is found in another list (all occurrences)
    (reference §7.5 [doc]).

    >>> {1, 2, 1, 3}.removeAll({1, 3})
    null
    """
    items = as_list(lst, "removeAll")
    drop = {value_key(v) for v in elements_of(other, "removeAll")}
    items[:] = [v for v in items if value_key(v) not in drop]


@method("clear", on=LIST, args=(0, 0))
def list_clear(rt, lst):
    """Empties the list in place (reference §7.5 [doc]).

    >>> {1, 2}.clear()
    null
    """
    lst.clear()


# ---------------------------------------------------------------- new lists

@method("sort", on=LIST, args=(0, 1))
def list_sort(rt, lst, ascending=True):
    """Sorts the list in place and returns it: ascending by default, `false` for descending.

    Text sorts by code point, so capitals come before lower case letters; when the list
    holds elements of different types the result is null and the list is left as it was
    (reference §7.5 [doc: https://www.zoho.com/deluge/help/functions/list/sort.html]).
    The newer docs show `sort` returning a list, the older ones call it as a statement
    (`l.sort(true);`), so it does both (reference §12.8). NUMBER and DECIMAL sort
    together by value [inf].

    >>> {"Creator", "crm", "Zoho Creator"}.sort(true)
    ["Creator", "Zoho Creator", "crm"]
    >>> {3, 1, 2}.sort(false)
    [3, 2, 1]
    >>> isNull({1, "a"}.sort())
    true
    """
    result = sorted_or_none(lst, bool_arg(ascending, "sort"))
    if result is None:
        return None
    lst[:] = result
    return lst


@method("distinct", on=LIST, args=(0, 0))
def list_distinct(rt, lst):
    """A new list without repeats, first occurrences kept in order. TEXT "1" and NUMBER 1
    are different values (reference §7.5 [doc:
    https://www.zoho.com/deluge/help/functions/list/distinct.html]).

    >>> {"1", 1, 1, 2, 2, 3}.distinct()
    ["1", 1, 2, 3]
    """
    seen = set()
    out = []
    for v in lst:
        k = value_key(v)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


@method("intersect", on=LIST, args=(1, 1))
def list_intersect(rt, lst, other):
    """A new list of the elements that are also in `other`, in the first list's order
    (reference §7.5 [doc]). Repeats in the first list are kept, as Java's `retainAll`
    keeps them [inf].

    >>> {"Zoho Creator", "Zoho CRM"}.intersect({"Zoho Mail", "Zoho Creator"})
    ["Zoho Creator"]
    """
    keep = {value_key(v) for v in elements_of(other, "intersect")}
    return [v for v in lst if value_key(v) in keep]
