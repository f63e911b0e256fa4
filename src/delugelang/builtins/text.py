"""TEXT builtins: positions and substrings, searching, case, trimming, padding, splitting.

Positions are 0-based and out-of-range positions are errors, never clipped
(deluge-reference.md §7.1 and §13.2). `length`, `contains` and `isEmpty` live in
collections.py; the regex functions are here but their machinery is in regexes.py.
"""

from __future__ import annotations

from ..errors import ScriptError
from ..values import Decimal, to_text, type_name
from . import regexes
from .registry import TEXT, method


# ---------------------------------------------------------------- argument helpers

def text_arg(value, op: str, what: str = "argument") -> str:
    """A TEXT argument; numbers, decimals and booleans are read as their text form."""
    t = type(value)
    if t is str:
        return value
    if t is int or t is bool or t is Decimal:
        return to_text(value)
    raise ScriptError(f"{op}: the {what} must be TEXT, not {type_name(value)}")


def int_arg(value, op: str, what: str = "argument") -> int:
    """A NUMBER argument; a DECIMAL with no fraction is accepted too."""
    t = type(value)
    if t is int:
        return value
    if t is Decimal and value.is_finite() and value == value.to_integral_value():
        return int(value)
    raise ScriptError(f"{op}: the {what} must be a NUMBER, not {type_name(value)}")


def fold(text: str) -> str:
    """Lower-case each character on its own, so positions stay the same (Java's
    per-char case folding; Python's `"İ".lower()` would add a character)."""
    if text.isascii():
        return text.lower()
    return "".join(ch if len(low := ch.lower()) != 1 else low for ch in text)


# ---------------------------------------------------------------- substrings

@method("subString", "subText", "mid", on=TEXT, args=(1, 2))
def sub_string(rt, text, start, end=None):
    """The text from `start` up to, but not including, `end` (an index, NOT a length).

    Reference §7.1 [doc]: omitting `end` returns the rest; `start == end` gives "";
    `end < start`, or a position beyond the length, is a runtime error; a negative `end`
    is ignored and the rest of the text is returned. A negative `start` is an error
    (Java's String.substring) [inf]. `mid` takes an end index too, not a length.

    >>> "Zoho Creator".subString(5)
    "Creator"
    >>> "Zoho Creator".mid(5, 8)
    "Cre"
    >>> subText("Zoho Creator", 0, 4)
    "Zoho"
    >>> "Zoho".subString(2, -1)
    "ho"
    """
    op = "subString"
    start = int_arg(start, op, "start index")
    size = len(text)
    if start < 0 or start > size:
        raise ScriptError(f"{op}: start {start} is outside the text (length {size})")
    if end is None:
        return text[start:]
    end = int_arg(end, op, "end index")
    if end < 0:
        return text[start:]
    if end > size:
        raise ScriptError(f"{op}: end {end} is beyond the text's length {size}")
    if end < start:
        raise ScriptError(f"{op}: end {end} is before start {start}")
    return text[start:end]


@method("left", on=TEXT, args=(1, 1))
def left(rt, text, count):
    """The first `count` characters. More than the length is a runtime error; a negative
    count returns the whole text (reference §7.1 [doc]).

    >>> "Zoho Creator".left(4)
    "Zoho"
    >>> "Zoho".left(-1)
    "Zoho"
    """
    count = int_arg(count, "left", "count")
    if count < 0:
        return text
    if count > len(text):
        raise ScriptError(f"left: {count} is more than the text's length {len(text)}")
    return text[:count]


@method("right", on=TEXT, args=(1, 1))
def right(rt, text, count):
    """The last `count` characters; mirrors `left` (reference §7.1 [inf]): more than the
    length is a runtime error and a negative count returns the whole text.

    >>> "Zoho Creator".right(7)
    "Creator"
    >>> "Zoho".right(0)
    ""
    """
    count = int_arg(count, "right", "count")
    if count < 0:
        return text
    if count > len(text):
        raise ScriptError(f"right: {count} is more than the text's length {len(text)}")
    return text[len(text) - count:]


# ---------------------------------------------------------------- searching

@method("indexOf", "find", on=TEXT, args=(1, 1))
def index_of(rt, text, part):
    """The 0-based position of the first occurrence, or -1; case-sensitive [doc].

    >>> "Hello world, welcome to the universe".indexOf("e")
    1
    >>> "Zoho".indexOf("z")
    -1
    """
    return text.find(text_arg(part, "indexOf", "search text"))


@method("lastIndexOf", on=TEXT, args=(1, 1))
def last_index_of(rt, text, part):
    """The 0-based position of the last occurrence, or -1; case-sensitive [doc].

    >>> "Hello world, welcome to the universe".lastIndexOf("e")
    35
    """
    return text.rfind(text_arg(part, "lastIndexOf", "search text"))


@method("getPrefix", on=TEXT, args=(1, 1))
def get_prefix(rt, text, part):
    """The text before the first occurrence of `part`, or null when it is absent [doc].

    >>> "Create custom apps with Zoho Creator".getPrefix("with")
    "Create custom apps "
    >>> isNull("Zoho".getPrefix("x"))
    true
    """
    at = text.find(text_arg(part, "getPrefix", "search text"))
    return None if at < 0 else text[:at]


@method("getPrefixIgnoreCase", on=TEXT, args=(1, 1))
def get_prefix_ignore_case(rt, text, part):
    """`getPrefix` ignoring case; null when absent [doc].

    Returns: TEXT or null

    >>> "Split THE text".getPrefixIgnoreCase("the")
    "Split "
    """
    at = fold(text).find(fold(text_arg(part, "getPrefixIgnoreCase", "search text")))
    return None if at < 0 else text[:at]


@method("getSuffix", on=TEXT, args=(1, 1))
def get_suffix(rt, text, part):
    """The text after the first occurrence of `part` (leading space kept), or null [doc].

    >>> getSuffix("Create custom apps with Zoho Creator", "with")
    " Zoho Creator"
    """
    if type(part) is not str:
        part = text_arg(part, "getSuffix", "search text")
    at = text.find(part)
    return None if at < 0 else text[at + len(part):]


@method("getSuffixIgnoreCase", on=TEXT, args=(1, 1))
def get_suffix_ignore_case(rt, text, part):
    """`getSuffix` ignoring case; null when absent [doc].

    Returns: TEXT or null

    >>> "Split the text and get suffix".getSuffixIgnoreCase("AND")
    " get suffix"
    """
    part = text_arg(part, "getSuffixIgnoreCase", "search text")
    at = fold(text).find(fold(part))
    return None if at < 0 else text[at + len(part):]


@method("containsIgnoreCase", on=TEXT, args=(1, 1))
def contains_ignore_case(rt, text, part):
    """True when the text holds `part`, ignoring case [doc].

    >>> "Zoho Creator".containsIgnoreCase("CREATOR")
    true
    """
    return fold(text_arg(part, "containsIgnoreCase", "search text")) in fold(text)


@method("notContains", on=TEXT, args=(1, 1))
def not_contains(rt, text, part):
    """True when the text does not hold `part`; case-sensitive [3p].

    >>> "Zoho Creator".notContains("creator")
    true
    """
    return text_arg(part, "notContains", "search text") not in text


@method("startsWith", on=TEXT, args=(1, 1))
def starts_with(rt, text, part):
    """True when the text begins with `part`; case-sensitive [doc].

    >>> startsWith("Zoho Creator", "zoho")
    false
    >>> "Zoho Creator".startsWith("Zoho")
    true
    """
    return text.startswith(text_arg(part, "startsWith", "prefix"))


@method("startsWithIgnoreCase", on=TEXT, args=(1, 1))
def starts_with_ignore_case(rt, text, part):
    """`startsWith`, ignoring case [doc].

    >>> "Zoho Creator".startsWithIgnoreCase("zoho")
    true
    """
    return fold(text).startswith(fold(text_arg(part, "startsWithIgnoreCase", "prefix")))


@method("endsWith", on=TEXT, args=(1, 1))
def ends_with(rt, text, part):
    """True when the text ends with `part`; case-sensitive [doc].

    >>> "Zoho Creator".endsWith("creator")
    false
    """
    return text.endswith(text_arg(part, "endsWith", "suffix"))


@method("endsWithIgnoreCase", on=TEXT, args=(1, 1))
def ends_with_ignore_case(rt, text, part):
    """`endsWith`, ignoring case [doc].

    >>> endsWithIgnoreCase("Zoho Creator", "creator")
    true
    """
    return fold(text).endswith(fold(text_arg(part, "endsWithIgnoreCase", "suffix")))


@method("equalsIgnoreCase", on=TEXT, args=(1, 1))
def equals_ignore_case(rt, text, other):
    """True when both texts are equal ignoring case (Java's String.equalsIgnoreCase
    [3p/inf]); null is never equal.

    >>> "ZOHO".equalsIgnoreCase("zoho")
    true
    >>> "Zoho".equalsIgnoreCase(null)
    false
    """
    if other is None:
        return False
    other = text_arg(other, "equalsIgnoreCase")
    return len(other) == len(text) and fold(other) == fold(text)


@method("getOccurenceCount", "getOccurrenceCount", on=TEXT, args=(1, 1))
def get_occurence_count(rt, text, part):
    """How many times `part` occurs (non-overlapping), case-sensitive [doc]. Zoho spells it
    "Occurence"; an empty search text counts 0 (Java's StringUtils.countMatches) [inf].

    >>> "Aa aa".getOccurenceCount("a")
    3
    """
    part = text_arg(part, "getOccurenceCount", "search text")
    return text.count(part) if part else 0


# ---------------------------------------------------------------- case, trimming, padding

@method("toUpperCase", "upper", on=TEXT)
def to_upper_case(rt, text):
    """The text in upper case [doc].

    >>> upper("Create online")
    "CREATE ONLINE"
    """
    out = text.upper()  # ß becomes SS: upper case can grow a text
    if len(out) > rt.limits.text_length:
        rt.check_text(len(out))
    return out


@method("toLowerCase", "lower", on=TEXT)
def to_lower_case(rt, text):
    """The text in lower case [doc].

    >>> "Create ONLINE".toLowerCase()
    "create online"
    """
    out = text.lower()
    if len(out) > len(text):  # İ becomes i and a combining dot: lower case can grow too
        rt.check_text(len(out))
    return out


_SPACES = "".join(chr(c) for c in range(33))


@method("trim", on=TEXT)
def trim(rt, text):
    """Removes leading and trailing white space [doc]. Like Java's String.trim, every
    character up to U+0020 (space, tab, newlines, control characters) counts [inf].

    >>> trim(" Welcome to Zoho Creator ")
    "Welcome to Zoho Creator"
    """
    return text.strip(_SPACES)


@method("ltrim", on=TEXT)
def ltrim(rt, text):
    """Removes leading white space only [doc].

    >>> "   Zoho Deluge   ".ltrim()
    "Zoho Deluge   "
    """
    return text.lstrip(_SPACES)


@method("rtrim", on=TEXT)
def rtrim(rt, text):
    """Removes trailing white space only [doc].

    >>> "   Zoho Deluge   ".rtrim()
    "   Zoho Deluge"
    """
    return text.rstrip(_SPACES)


def _pad(rt, text, size, op: str, left_side: bool) -> str:
    size = int_arg(size, op, "length")
    if size <= len(text):  # a negative or short length leaves the text unchanged [doc]
        return text
    rt.check_text(size)  # before building (sandbox.md §3.3)
    rt.charge_memory(size - len(text))
    fill = " " * (size - len(text))
    return fill + text if left_side else text + fill


@method("leftPad", on=TEXT, args=(1, 1))
def left_pad(rt, text, size):
    """Pads with spaces on the left up to a TOTAL length of `size`.

    Reference §12.6: the leftpad page says "number of whitespaces" but the rightpad
    example pads to a total length, so both use total-length semantics. A length at
    or below the text's length, or a negative one, leaves the text unchanged [doc].

    >>> "Left".leftPad(6)
    "  Left"
    >>> "Left".leftpad(-3)
    "Left"
    """
    return _pad(rt, text, size, "leftPad", True)


@method("rightPad", on=TEXT, args=(1, 1))
def right_pad(rt, text, size):
    """Pads with spaces on the right up to a total length of `size` [doc].

    >>> "Right".rightpad(6)
    "Right "
    """
    return _pad(rt, text, size, "rightPad", False)


@method("concat", on=TEXT, args=(1, 1))
def concat(rt, text, other):
    """Joins two texts; a non-text value is converted to text, null adds nothing [doc/inf].

    >>> concat("Zoho", "Deluge")
    "ZohoDeluge"
    >>> "Zoho".concat(" ").concat("Deluge")
    "Zoho Deluge"
    """
    other = "" if other is None else to_text(other)
    rt.check_text(len(text) + len(other))
    return text + other


# ---------------------------------------------------------------- regular expressions

# The *IgnoreCase pages limit each text parameter to 300 KB (reference §7.1, §10 [doc]).
IGNORE_CASE_LIMIT = 300 * 1024


def _ignore_case_sizes(op: str, *texts) -> None:
    for text in texts:
        if type(text) is str and len(text) > IGNORE_CASE_LIMIT // 4 \
                and len(text.encode("utf-8", "surrogatepass")) > IGNORE_CASE_LIMIT:
            raise ScriptError(f"{op}: each text may be at most 300 KB")

def _literal_flag(value, op: str) -> bool:
    if value is None:
        return False
    if type(value) is not bool:
        raise ScriptError(f"{op}: the fourth argument must be true or false, not {type_name(value)}")
    return value


@method("replaceAll", on=TEXT, args=(2, 3))
def replace_all(rt, text, search, replacement, literal=None):
    """Replaces every match of `search`, a Java regular expression unless the 4th argument
    (3rd in method form) is true, which makes both texts literal [doc]. Case-sensitive;
    the text comes back unchanged when nothing matches. The replacement may use Java's
    `$1` / `${name}` group references; `\\$` is a literal dollar sign.

    >>> replaceAll("Create online database applications", "online", "custom")
    "Create custom database applications"
    >>> "1+1=2".replaceAll("+", "-", true)
    "1-1=2"
    >>> "John Smith".replaceAll("(\\w+) (\\w+)", "$2, $1")
    "Smith, John"
    """
    if literal is None and type(search) is str:  # the commonest call, without two frames
        if type(replacement) is str:
            done = regexes.replace_all_ready(rt, text, search, replacement)
            if done is not None:
                return done
        return regexes.replace(rt, text, search, replacement, "replaceAll")
    op = "replaceAll"
    return regexes.replace(rt, text, text_arg(search, op, "search text"), replacement, op,
                           literal=_literal_flag(literal, op))


@method("replaceFirst", on=TEXT, args=(2, 3))
def replace_first(rt, text, search, replacement, literal=None):
    """Like `replaceAll`, for the first match only; regex unless the 4th argument is true
    [doc: https://www.zoho.com/deluge/help/functions/string/replacefirst.html].

    >>> "a-b-c".replaceFirst("-", "+")
    "a+b-c"
    """
    op = "replaceFirst"
    return regexes.replace(rt, text, text_arg(search, op, "search text"), replacement, op,
                           first=True, literal=_literal_flag(literal, op))


@method("replaceAllIgnoreCase", on=TEXT, args=(2, 3))
def replace_all_ignore_case(rt, text, search, replacement, literal=None):
    """`replaceAll` ignoring case (ASCII case folding, as Java's CASE_INSENSITIVE) [doc].

    >>> "Zoho zoho ZOHO".replaceAllIgnoreCase("zoho", "Z")
    "Z Z Z"
    """
    op = "replaceAllIgnoreCase"
    _ignore_case_sizes(op, text, search, replacement)
    return regexes.replace(rt, text, text_arg(search, op, "search text"), replacement, op,
                           ignore_case=True, literal=_literal_flag(literal, op))


@method("replaceFirstIgnoreCase", on=TEXT, args=(2, 3))
def replace_first_ignore_case(rt, text, search, replacement, literal=None):
    """`replaceFirst` ignoring case; takes the optional literal flag too
    [doc: https://zoho.com/deluge/help/functions/string/replacefirstignorecase.html].

    >>> "Zoho ZOHO".replaceFirstIgnoreCase("zoho", "Z")
    "Z ZOHO"
    """
    op = "replaceFirstIgnoreCase"
    _ignore_case_sizes(op, text, search, replacement)
    return regexes.replace(rt, text, text_arg(search, op, "search text"), replacement, op,
                           first=True, ignore_case=True, literal=_literal_flag(literal, op))


@method("matches", on=TEXT, args=(1, 1))
def matches(rt, text, pattern):
    """True when the WHOLE text matches the Java regular expression; case-sensitive [doc].

    >>> matches("ID004500F", "[A-Z]{2}[0-9]{6}[A-Z]")
    true
    >>> "ID004500F-x".matches("[A-Z]{2}[0-9]{6}[A-Z]")
    false
    """
    return regexes.full_match(rt, text, text_arg(pattern, "matches", "pattern"))


# ---------------------------------------------------------------- splitting

@method("toList", on=TEXT, args=(0, 1))
def to_list(rt, text, separator=None):
    """Splits on a literal separator (several characters allowed) into a LIST of TEXT.

    Reference §7.1: consecutive separators give empty elements; a separator that is
    absent gives a one-element list [doc]; the default separator is "," [3p]. An empty
    separator splits into single characters (the `".".leftPad(n).toList("")` idiom of
    real scripts, realworld-syntax.md §5), and empty text gives an empty list [inf].

    >>> "ZohoCreator/ZohoCRM".toList("/")
    ["ZohoCreator", "ZohoCRM"]
    >>> "a,,b".toList()
    ["a", "", "b"]
    >>> "abc".toList("")
    ["a", "b", "c"]
    """
    sep = "," if separator is None else text_arg(separator, "toList", "separator")
    if text == "":
        return []
    if sep == "":
        rt.check_size(len(text))
        return list(text)
    rt.check_size(text.count(sep) + 1)
    return text.split(sep)


@method("toListString", on=TEXT)
def to_list_string(rt, text):
    """Splits comma-separated text into a LIST of TEXT [doc].

    >>> "1,2,3".toListString()
    ["1", "2", "3"]
    """
    return to_list(rt, text, ",")
