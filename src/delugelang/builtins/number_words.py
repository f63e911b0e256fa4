"""`toWords`: a number spelled out in English words.

Zoho's page: https://zoho.com/deluge/help/functions/number/towords.html

The page's examples are ICU's English spell-out rules: 1989 is "one thousand nine hundred
eighty-nine", 1989.13 is "... point one three" (fraction digits one by one), -12 is "minus
twelve". en-us and en-gb spell the same; en-in counts in lakhs and crores. The other
languages the page lists (fr, de, it, ja, ko, zh, es) are not supported yet and raise an
error naming the supported ones (docs/deviations.md).
"""

from __future__ import annotations

from ..errors import ScriptError
from ..values import type_name
from .registry import NUMERIC, method

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_WESTERN = ((10**15, "quadrillion"), (10**12, "trillion"), (10**9, "billion"),
            (10**6, "million"), (1000, "thousand"))
_INDIAN = ((10**7, "crore"), (10**5, "lakh"), (1000, "thousand"))
_LANGUAGES = {"en-us": _WESTERN, "en-gb": _WESTERN, "en": _WESTERN, "en-in": _INDIAN}


def _below_thousand(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + ("-" + _ONES[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    return _ONES[hundreds] + " hundred" + (" " + _below_thousand(rest) if rest else "")


def _spell(n: int, scales) -> str:
    for size, name in scales:
        if n >= size:
            high, rest = divmod(n, size)
            words = _spell(high, scales) + " " + name
            return words + (" " + _spell(rest, scales) if rest else "")
    return _below_thousand(n)


@method("toWords", on=NUMERIC, args=(0, 1))
def to_words(rt, number, language="en-us"):
    """The number in English words: a NUMBER of up to 18 digits, or a DECIMAL whose whole
    and fraction digits together number at most 15, as the page says. `language` is
    "en-us" (the default [inf]), "en-gb" or "en-in".

    >>> 1989.toWords("en-us")
    "one thousand nine hundred eighty-nine"
    >>> 1989.13.toWords("en-us")
    "one thousand nine hundred eighty-nine point one three"
    >>> (-12).toWords("en-gb")
    "minus twelve"
    >>> 150000.toWords("en-in")
    "one lakh fifty thousand"
    """
    if type(language) is not str:
        raise ScriptError(f"toWords: the language must be TEXT, not {type_name(language)}")
    scales = _LANGUAGES.get(language.strip().lower())
    if scales is None:
        raise ScriptError(f"toWords: language \"{language}\" is not supported; use en-us, "
                          f"en-gb or en-in")
    sign = "minus " if number < 0 else ""
    if type(number) is int:
        if len(str(abs(number))) > 18:
            raise ScriptError("toWords: a NUMBER can have at most 18 digits")
        return sign + _spell(abs(number), scales)
    text = format(abs(number), "f")
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    if len(whole.lstrip("0")) + len(fraction) > 15:
        raise ScriptError("toWords: a DECIMAL can have at most 15 digits")
    words = _spell(int(whole), scales)
    if fraction:
        words += " point " + " ".join(_ONES[int(d)] for d in fraction)
    if words == "zero":
        sign = ""
    return sign + words
