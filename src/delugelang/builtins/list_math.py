"""Number-list builtins: largest, smallest, sum, average, median, nthLargest, nthSmallest.

Zoho files these under number functions (https://www.zoho.com/deluge/help/functions/number/
largest.html and its neighbours): they take a LIST (or a COLLECTION) of numbers, and
"numerical values can be specified in double quotes", so numeric text counts as a number.
"""

from __future__ import annotations

import re

from ..errors import ScriptError
from ..values import DEC, Decimal, check_int, to_text, type_name
from .registry import COLLECTION, LIST, method
from .seqs import elements_of, int_arg

NUMBER_LIST = LIST + COLLECTION
_NUMERIC_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")


def _number(value, op: str):
    t = type(value)
    if t is int or t is Decimal:
        return value
    if t is str:
        text = value.strip()
        if len(text) <= 60 and _NUMERIC_TEXT.fullmatch(text):
            if "." in text:
                return DEC.create_decimal(text)
            return check_int(int(text), op)
    shown = "null" if value is None else f"{type_name(value)} value {to_text(value)!r}"
    raise ScriptError(f"{op}: the list holds {shown}, which is not a number")


def _numbers(values, op: str) -> list:
    return [_number(v, op) for v in elements_of(values, op)]


@method("largest", on=NUMBER_LIST)
def largest(rt, values):
    """The largest number in the list; null for an empty list [inf].

    >>> {1, 5, 2, 3}.largest()
    5
    """
    nums = _numbers(values, "largest")
    return max(nums) if nums else None


@method("smallest", on=NUMBER_LIST)
def smallest(rt, values):
    """The smallest number in the list; null for an empty list [inf].

    >>> {1, 5, 2, 3}.smallest()
    1
    """
    nums = _numbers(values, "smallest")
    return min(nums) if nums else None


def _total(nums, op):
    if all(type(n) is int for n in nums):
        return check_int(sum(nums), op)
    total = Decimal(0)
    for n in nums:
        total = DEC.add(total, n)
    return total


@method("sum", on=NUMBER_LIST)
def list_sum(rt, values):
    """The sum of the numbers: a NUMBER when every element is whole, else a DECIMAL;
    0 for an empty list [3p/inf].

    >>> {1, 5, 2, 3}.sum()
    11
    >>> {1, 2.5}.sum()
    3.5
    """
    return _total(_numbers(values, "sum"), "sum")


@method("average", on=NUMBER_LIST)
def average(rt, values):
    """The mean, as a DECIMAL; null for an empty list [inf]
    (https://www.zoho.com/deluge/help/functions/number/average.html: `{1, 5, 2, 3}` gives 2.75).

    >>> {1, 5, 2, 3}.average()
    2.75
    """
    nums = _numbers(values, "average")
    if not nums:
        return None
    return DEC.divide(_total(nums, "average"), len(nums))


@method("median", on=NUMBER_LIST)
def median(rt, values):
    """The middle value after sorting; for an even count, the average of the middle two
    (https://www.zoho.com/deluge/help/functions/number/median.html: `{1, 5, 2, 3}` gives 2.5).
    Null for an empty list [inf].

    >>> {1, 5, 2, 3}.median()
    2.5
    >>> {3, 1, 2}.median()
    2
    """
    nums = sorted(_numbers(values, "median"))
    if not nums:
        return None
    mid = len(nums) // 2
    if len(nums) % 2:
        return nums[mid]
    return DEC.divide(DEC.add(nums[mid - 1], nums[mid]), 2)


def _nth(values, n, op, descending):
    nums = sorted(_numbers(values, op), reverse=descending)
    n = int_arg(n, op, "the position")
    if n < 1 or n > len(nums):
        # The docs: "the index argument cannot be greater than the size of the collection"
        # and "starts from 1".
        raise ScriptError(f"{op}: position {n} is out of range 1 to {len(nums)}")
    return nums[n - 1]


@method("nthLargest", on=NUMBER_LIST, args=(1, 1))
def nth_largest(rt, values, n):
    """The n-th largest number, counting from 1; a position beyond the size is an error
    (https://zoho.com/deluge/help/functions/number/nth-largest.html:
    `Collection(300,455,124,926,780).nthlargest(5)` gives 124).

    >>> {300, 455, 124, 926, 780}.nthLargest(5)
    124
    >>> {300, 455, 124, 926, 780}.nthLargest(1)
    926
    """
    return _nth(values, n, "nthLargest", True)


@method("nthSmallest", on=NUMBER_LIST, args=(1, 1))
def nth_smallest(rt, values, n):
    """The n-th smallest number, counting from 1; a position beyond the size is an error.

    >>> {300, 455, 124, 926, 780}.nthSmallest(2)
    300
    """
    return _nth(values, n, "nthSmallest", False)
