"""More TEXT builtins: removing, filtering letters, proper case, tests (isEmail...), hex."""

from __future__ import annotations

import datetime as _dt
import functools

from ..errors import ScriptError
from ..values import Collection, Decimal, TypedList, to_text
from .registry import ANY, BOOLEAN, DATES, NUMERIC, TEXT, TIME, method
from .text import int_arg, text_arg


# ---------------------------------------------------------------- removing

@method("remove", on=TEXT, args=(1, 1))
def remove(rt, text, part):
    """Removes every occurrence of `part`; the text is unchanged when it is absent [doc].

    >>> "Zoho Creator".remove("Creator")
    "Zoho "
    """
    part = text_arg(part, "remove", "text to remove")
    return text.replace(part, "") if part else text


@method("removeFirstOccurence", "removeFirstOccurrence", on=TEXT, args=(1, 1))
def remove_first_occurence(rt, text, part):
    """Removes the first occurrence of `part`. Zoho spells it "Occurence" [doc].

    >>> "Zoho Creator 5".removeFirstOccurence("5")
    "Zoho Creator "
    """
    part = text_arg(part, "removeFirstOccurence", "text to remove")
    return text.replace(part, "", 1) if part else text


@method("removeLastOccurence", "removeLastOccurrence", on=TEXT, args=(1, 1))
def remove_last_occurence(rt, text, part):
    """Removes the last occurrence of `part` [doc].

    >>> "5 Zoho 5".removeLastOccurence("5")
    "5 Zoho "
    """
    part = text_arg(part, "removeLastOccurence", "text to remove")
    at = text.rfind(part) if part else -1
    return text if at < 0 else text[:at] + text[at + len(part):]


# Letters and digits are ASCII, as the Java regex classes Deluge's runtime uses [inf].
def _is_alpha(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def _is_alnum(ch: str) -> bool:
    return _is_alpha(ch) or ("0" <= ch <= "9")


@method("removeAllAlpha", on=TEXT)
def remove_all_alpha(rt, text):
    """Deletes the letters; digits, spaces and punctuation stay [doc]. Letters are A-Z and
    a-z (Java's `[a-zA-Z]`) [inf].

    Both spaces of "Zoho Creator 5" stay, giving "  5": the doc page shows " 5" only
    because HTML merges runs of spaces (conformance README, "Whitespace in doc examples").

    >>> "Zoho Creator 5".removeAllAlpha()
    "  5"
    """
    return "".join(ch for ch in text if not _is_alpha(ch))


@method("removeAllAlphaNumeric", on=TEXT)
def remove_all_alpha_numeric(rt, text):
    """Deletes letters and digits; spaces and punctuation stay [doc].

    >>> "Zoho Creator 5 is here!".removeAllAlphaNumeric()
    "    !"
    """
    return "".join(ch for ch in text if not _is_alnum(ch))


@method("getAlpha", on=TEXT)
def get_alpha(rt, text):
    """Keeps only the letters; spaces go too [doc].

    >>> getAlpha("Your joining date is January 25th, 2019")
    "YourjoiningdateisJanuaryth"
    """
    return "".join(ch for ch in text if _is_alpha(ch))


@method("getAlphaNumeric", on=TEXT)
def get_alpha_numeric(rt, text):
    """Keeps only letters and digits [doc].

    >>> "Order #25-B!".getAlphaNumeric()
    "Order25B"
    """
    return "".join(ch for ch in text if _is_alnum(ch))


# ---------------------------------------------------------------- reshaping

@method("reverse", on=TEXT + NUMERIC + BOOLEAN + DATES + TIME)
def reverse(rt, value):
    """The characters in reverse order; a non-text value is converted to text first
    [doc: https://www.zoho.com/deluge/help/functions/string/reverse.html]. (LIST receivers
    belong to the list builtins.)

    >>> reverse("Zoho Creator")
    "rotaerC ohoZ"
    >>> reverse(123)
    "321"
    """
    return to_text(value)[::-1]


@method("proper", on=TEXT)
def proper(rt, text):
    """Capitalises the first letter of each word and lower-cases the rest [doc]. Words are
    separated by white space (Java's WordUtils.capitalizeFully) [inf].

    >>> "hello WORLD of zoho".proper()
    "Hello World Of Zoho"
    """
    out = []
    start = True
    for ch in text:
        if ch.isspace():
            out.append(ch)
            start = True
            continue
        low = ch.lower()
        up = ch.upper()
        out.append((up if len(up) == 1 else ch) if start else (low if len(low) == 1 else ch))
        start = False
    return "".join(out)


@method("repeat", on=TEXT, args=(1, 1))
def repeat(rt, text, times):
    """The text repeated `times` times; 0 or less gives "" [3p: realworld `repeat(",", n)`].

    >>> "ab".repeat(3)
    "ababab"
    """
    times = int_arg(times, "repeat", "count")
    if times <= 0 or not text:
        return ""
    rt.check_text(len(text) * times)  # before building
    rt.charge_memory(len(text) * times)
    return text * times


@method("distance", on=TEXT, args=(1, 1))
def distance(rt, text, other):
    """The Levenshtein edit distance between two texts [3p/inf].

    >>> "kitten".distance("sitting")
    3
    """
    other = text_arg(other, "distance", "other text")
    a, b = (text, other) if len(text) >= len(other) else (other, text)
    if not b:
        return len(a)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        if i % 256 == 0:
            rt.check_time()
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# ---------------------------------------------------------------- tests

@functools.cache
def _email():
    """Compiled on first use: importing `regex` is a tenth of `dg run`'s start-up."""
    import regex
    return regex.compile(
        r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
        r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}")


@method("isEmail", on=ANY)
def is_email(rt, value):
    """True for text shaped like an e-mail address (local part, `@`, dotted domain with a
    top-level part of two letters or more); false for anything else [inf].

    >>> "john@zylker.com".isEmail()
    true
    >>> isEmail("john@zylker")
    false
    """
    if type(value) is not str or len(value) > 320:
        return False
    return _email().fullmatch(value, timeout=rt.limits.regex_seconds) is not None


@functools.cache
def _number():
    import regex
    return regex.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


@method("isNumber", "isNumeric", on=ANY)
def is_number(rt, value):
    """True for a NUMBER or DECIMAL, and for text that reads as one (optional sign, digits,
    optional fraction); false for other values and for empty text [3p/inf].

    >>> "1234".isNumber()
    true
    >>> isNumber("-12.5")
    true
    >>> "12a".isNumber()
    false
    """
    t = type(value)
    if t is int or t is Decimal:
        return True
    if t is not str or len(value) > 400:
        return False
    return _number().fullmatch(value.strip()) is not None


@method("isText", on=ANY)
def is_text(rt, value):
    """True when the value is TEXT [3p/inf].

    >>> isText("abc")
    true
    >>> isText(12)
    false
    """
    return type(value) is str


@method("isDate", on=ANY)
def is_date(rt, value):
    """True for a DATE or DATE-TIME value and for text holding a valid date-time; false
    for numbers; null for a LIST or KEY-VALUE (https://www.zoho.com/deluge/help/functions/
    common/isdate.html [doc]). Text that holds no valid date-time "will throw an error"
    [doc], so it is a runtime error here too. Booleans, times and null give false [inf].

    >>> isDate("01-Jan-2019")
    true
    >>> '01-Jun-2020'.isDate()
    true
    >>> isDate(100)
    false
    >>> isNull({1, 2}.isDate())
    true
    """
    from .dates import moment
    t = type(value)
    if t is _dt.date or t is _dt.datetime:
        return True
    if t is str:
        moment(rt, value, "isDate")
        return True
    if t in (list, TypedList, dict, Collection):
        return None
    return False


@method("isFile", on=ANY)
def is_file(rt, value):
    """True for a FILE value (functions-returning-boolean.html lists it with isDate,
    isNumber and isText [doc]). This engine has no FILE values (files from invokeurl
    downloads are out of scope, reference §3), so every value gives false.

    >>> isFile("report.pdf")
    false
    """
    return False


@method("isAscii", on=TEXT)
def is_ascii(rt, text):
    """True when every character is ASCII (code below 128) [3p].

    >>> "Zoho".isAscii()
    true
    >>> "Zoho™".isAscii()
    false
    """
    return text.isascii()


@method("isBlank", on=ANY)
def is_blank(rt, value):
    """True for null, empty text, white-space-only text and an empty list, map or
    collection (reference §7.2 [doc]: `isBlank({})` and `" ".isBlank()` are true).

    >>> isBlank(" ")
    true
    >>> isBlank({})
    true
    >>> "a".isBlank()
    false
    """
    t = type(value)
    if value is None:
        return True
    if t is str:
        return value.strip() == ""
    if t is list or t is TypedList or t is dict:
        return len(value) == 0
    if t is Collection:
        return len(value.items) == 0
    return False


# ---------------------------------------------------------------- hex

@method("textToHex", on=TEXT)
def text_to_hex(rt, text):
    """The UTF-8 bytes of the text as lower-case hexadecimal [3p/inf].

    >>> "Zoho".textToHex()
    "5a6f686f"
    """
    data = text.encode("utf-8", "surrogatepass")
    rt.check_text(len(data) * 2)
    return data.hex()


@method("hexToText", on=TEXT)
def hex_to_text(rt, text):
    """Reads hexadecimal as UTF-8 bytes; malformed hex is a runtime error [3p/inf].

    >>> "5a6f686f".hexToText()
    "Zoho"
    """
    try:
        return bytes.fromhex(text.strip()).decode("utf-8")
    except ValueError:
        raise ScriptError("hexToText: the text is not valid hexadecimal UTF-8") from None
