"""NUMBER and DECIMAL builtins: round, ceil, floor, abs, sqrt, power, log, toDecimal...

Sources: reference §7.4 and the Zoho pages under https://www.zoho.com/deluge/help/functions/
number/. How results print: a DECIMAL keeps its scale, like Java's BigDecimal
(`abs(-15.50)` is 15.50, `toDecimal("100")` is 100). Functions that Java computes with
`Math` on doubles (sqrt, exp, log, the trigonometric ones, a power with a fractional
exponent) return the double's shortest decimal form, so `sqrt(9)` is 3.0 as Zoho's page says.
"""

from __future__ import annotations

import decimal
import math
import re

from ..errors import ScriptError
from ..values import DEC, INT_MAX, INT_MIN, Decimal, check_int, to_text, type_name
from .registry import NUMBER, NUMERIC, TEXT, function, method

# Results beyond a double's range are refused: Deluge's DECIMAL is a Java double, and a
# 10**999999 DECIMAL would print as a million digits.
_MAX_EXPONENT = 308
_NUMERIC_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?")


def _num(value, op: str, what: str = "the value"):
    t = type(value)
    if t is int or t is Decimal:
        return value
    raise ScriptError(f"{op}: {what} must be a NUMBER or DECIMAL, not {type_name(value)}")


def _int(value, op: str, what: str) -> int:
    if type(value) is not int:
        raise ScriptError(f"{op}: {what} must be a NUMBER, not {type_name(value)}")
    return value


def _in_range(d: Decimal, op: str) -> Decimal:
    """Refuse a DECIMAL beyond a double's range; one too small for a double becomes 0."""
    if d:
        if d.adjusted() > _MAX_EXPONENT:
            raise ScriptError(f"{op}: the result is too large for a DECIMAL")
        if d.adjusted() < -_MAX_EXPONENT - 16:
            return Decimal(0)
    return d


def _wide(d: Decimal) -> decimal.Context:
    """DEC with room for every digit of `d`, for exact quantize/remainder."""
    ctx = DEC.copy()
    ctx.prec = max(DEC.prec, len(d.as_tuple().digits) + 2)
    return ctx


def _plain_zero(d: Decimal) -> Decimal:
    return d.copy_abs() if d.is_zero() else d


def _float(value, op: str) -> float:
    if type(value) is Decimal and value.adjusted() > _MAX_EXPONENT:
        raise ScriptError(f"{op}: the value is too large")
    return float(value)


def _from_double(x: float, op: str):
    """A Java double result as a DECIMAL (its shortest form: 3.0, 1.4142135623730951)."""
    if math.isnan(x):
        return None
    if math.isinf(x):
        raise ScriptError(f"{op}: the result is too large for a DECIMAL")
    return Decimal(repr(x))


def _to_int(d: Decimal, op: str) -> int:
    if d.adjusted() > 18:
        raise ScriptError(f"{op}: {to_text(d)} is out of the NUMBER range ({INT_MIN} to {INT_MAX})")
    return check_int(int(d), op)


# ---------------------------------------------------------------- rounding

@method("round", on=NUMERIC, args=(0, 1))
def round_(rt, x, places=0):
    """Rounds half-up to `places` decimal places: a digit of 5 or more after the last kept
    digit rounds away from zero (reference §7.4 [doc:
    https://www.zoho.com/deluge/help/functions/number/round.html]). A negative `places`
    rounds to the left of the point and drops the fraction; when it reaches past the
    number's integer digits the result is 0, as documented (so `500.round(-3)` is 0).
    The result is a DECIMAL; it gets no trailing zeros the number did not have [inf].

    >>> 218.5.round(0)
    219
    >>> 218.49.round(1)
    218.5
    >>> 214.2.round(-1)
    210
    >>> 214.2.round(-3)
    0
    """
    d = Decimal(_num(x, "round"))
    places = _int(places, "round", "the number of decimal places")
    if places >= 0:
        if d.as_tuple().exponent >= -places:
            return d
        return _plain_zero(d.quantize(Decimal(1).scaleb(-places), context=_wide(d)))
    integer_digits = d.adjusted() + 1
    if -places >= integer_digits:
        return Decimal(0)  # Deluge's documented rule, not arithmetic rounding
    if d.as_tuple().exponent >= -places:
        return d  # nothing below the rounding position
    q = d.quantize(Decimal(1).scaleb(-places), context=_wide(d))
    return _plain_zero(Decimal(int(q)))


@method("ceil", on=NUMERIC)
def ceil(rt, x):
    """The smallest whole NUMBER not below the value (reference §7.4 [doc:
    https://zoho.com/deluge/help/functions/number/ceil.html]).

    >>> 10.1.ceil()
    11
    >>> ceil(-1.5)
    -1
    """
    if type(x) is int:
        return x
    return _to_int(x.to_integral_value(rounding=decimal.ROUND_CEILING), "ceil")


@method("floor", on=NUMERIC)
def floor(rt, x):
    """The largest whole NUMBER not above the value (reference §7.4 [doc:
    https://www.zoho.com/deluge/help/functions/number/floor.html]).

    >>> 10.1.floor()
    10
    >>> floor(-1.5)
    -2
    """
    if type(x) is int:
        return x
    return _to_int(x.to_integral_value(rounding=decimal.ROUND_FLOOR), "floor")


@method("abs", on=NUMERIC)
def abs_(rt, x):
    """The absolute value, of the same type: a DECIMAL keeps its scale, so `abs(-15.50)` is
    15.50 as Zoho's page shows (https://zoho.com/deluge/help/functions/number/abs.html).

    >>> abs(-15.50)
    15.50
    >>> (-7).abs()
    7
    """
    if type(x) is int:
        return check_int(-x, "abs") if x < 0 else x
    return x.copy_abs()


@method("frac", on=NUMERIC)
def frac(rt, x):
    """The fractional part, with the number's sign; 0 for a NUMBER [3p/inf].

    >>> 12.34.frac()
    0.34
    >>> frac(-2.5)
    -0.5
    """
    if type(x) is int:
        return 0
    return DEC.subtract(x, x.to_integral_value(rounding=decimal.ROUND_DOWN))


# ---------------------------------------------------------------- powers and roots

@method("sqrt", on=NUMERIC)
def sqrt(rt, x):
    """The square root, as a DECIMAL; null for a value below 0 (reference §7.4 [doc:
    https://zoho.com/deluge/help/functions/number/sqrt.html], where 9 gives 3.0).

    >>> 9.sqrt()
    3.0
    >>> isNull(sqrt(-4))
    true
    """
    if x < 0:
        return None
    return _from_double(math.sqrt(_float(x, "sqrt")), "sqrt")


def _power_bits(base, exponent) -> float:
    """A lower bound of log2 |base ** exponent| for |base| > 1, computed without the power."""
    size = abs(base)
    if size <= 1:
        return 0.0
    if type(size) is Decimal:
        return exponent * size.adjusted() * 3.32
    return exponent * (size.bit_length() - 1)


@method("power", on=NUMERIC, args=(1, 1))
def power(rt, base, exponent):
    """`base` raised to `exponent` (https://zoho.com/deluge/help/functions/number/power.html:
    `3.power(2)` gives 9; the return type is DECIMAL).

    A whole exponent is computed exactly. With two NUMBERs the result must fit the 64-bit
    NUMBER range, and is refused before computing when it cannot. A fractional exponent
    is computed as a Java double; a negative base with a fractional exponent gives null
    (Java's NaN) [inf]; 0 to a negative power is a division by zero.

    >>> 3.power(2)
    9
    >>> 2.power(-2)
    0.25
    >>> 4.power(0.5)
    2.0
    """
    exponent = _num(exponent, "power", "the exponent")
    if type(exponent) is Decimal and exponent == exponent.to_integral_value():
        exponent = _to_int(exponent, "power")
    if base == 0 and exponent < 0:
        raise ScriptError("power: 0 cannot be raised to a negative power (division by zero)")
    if type(exponent) is Decimal:
        if base < 0:
            return None
        try:
            return _from_double(math.pow(_float(base, "power"), _float(exponent, "power")),
                                "power")
        except OverflowError:
            raise ScriptError("power: the result is too large for a DECIMAL") from None
    if type(base) is int and exponent >= 0:
        if _power_bits(base, exponent) > 63:
            raise ScriptError(f"power: {base} to the power {exponent} is out of the NUMBER "
                              f"range ({INT_MIN} to {INT_MAX})")
        return Decimal(check_int(base ** exponent, "power"))
    if _power_bits(base, abs(exponent)) > 1100:
        raise ScriptError("power: the result is too large for a DECIMAL" if exponent > 0
                          else "power: the result is too small for a DECIMAL")
    try:
        return _in_range(DEC.power(Decimal(base), exponent), "power")
    except ArithmeticError:
        raise ScriptError("power: the result is out of the DECIMAL range") from None


@method("exp", on=NUMERIC)
def exp(rt, x):
    """e raised to the value, as a Java double [3p].

    >>> 0.exp()
    1.0
    """
    x = _float(x, "exp")
    if x > 709.78:
        raise ScriptError("exp: the result is too large for a DECIMAL")
    return _from_double(math.exp(x), "exp")


def _log(x, op, fn):
    f = _float(x, op)
    if f <= 0:
        return None  # Java gives NaN or -Infinity; Deluge has neither [inf]
    return _from_double(fn(f), op)


@method("log", on=NUMERIC)
def log(rt, x):
    """The natural logarithm, as a Java double; null for a value of 0 or below [3p/inf].

    >>> 1.log()
    0.0
    """
    return _log(x, "log", math.log)


@method("log10", on=NUMERIC)
def log10(rt, x):
    """The base-10 logarithm; null for a value of 0 or below [3p/inf].

    >>> 1000.log10()
    3.0
    """
    return _log(x, "log10", math.log10)


# ---------------------------------------------------------------- trigonometry

def _trig(op, fn, x, domain=None):
    f = _float(x, op)
    if domain is not None and not domain(f):
        return None  # Java's NaN
    try:
        return _from_double(fn(f), op)
    except OverflowError:
        raise ScriptError(f"{op}: the result is too large for a DECIMAL") from None
    except ValueError:
        return None  # Java's NaN (sin of infinity...)


def _register_trig(name, fn, example, result, domain=None):
    def impl(rt, x):
        return _trig(name, fn, x, domain)
    impl.__name__ = impl.__qualname__ = f"trig_{name}"
    impl.__doc__ = (f"`{name}` of a value in radians, as a Java double [3p]"
                    + (", null outside its domain [inf]" if domain else "")
                    + f".\n\n>>> {example}\n{result}\n")
    method(name, on=NUMERIC)(impl)


_register_trig("sin", math.sin, "0.sin()", "0.0")
_register_trig("cos", math.cos, "0.cos()", "1.0")
_register_trig("tan", math.tan, "0.tan()", "0.0")
_register_trig("asin", math.asin, "1.asin()", "1.5707963267948966", lambda f: -1 <= f <= 1)
_register_trig("acos", math.acos, "1.acos()", "0.0", lambda f: -1 <= f <= 1)
_register_trig("atan", math.atan, "1.atan()", "0.7853981633974483")
_register_trig("sinh", math.sinh, "0.sinh()", "0.0")
_register_trig("cosh", math.cosh, "0.cosh()", "1.0")
_register_trig("tanh", math.tanh, "0.tanh()", "0.0")


@method("atan2", on=NUMERIC, args=(1, 1))
def atan2(rt, y, x):
    """The angle of the point (x, y) in radians: `atan2(y, x)`, as a Java double [3p].

    >>> atan2(1, 1)
    0.7853981633974483
    """
    return _from_double(math.atan2(_float(y, "atan2"), _float(_num(x, "atan2"), "atan2")),
                        "atan2")


# ---------------------------------------------------------------- comparisons and tests

@method("min", on=NUMERIC, args=(1, 1))
def min_(rt, a, b):
    """The smaller of two numbers, unchanged [3p].

    >>> min(3, 2.5)
    2.5
    """
    return b if _num(b, "min") < a else a


@method("max", on=NUMERIC, args=(1, 1))
def max_(rt, a, b):
    """The larger of two numbers, unchanged [3p].

    >>> max(3, 2.5)
    3
    """
    return b if _num(b, "max") > a else a


@method("isEven", on=NUMERIC)
def is_even(rt, x):
    """True for an even whole number (https://www.zoho.com/deluge/help/functions-returning-
    boolean.html lists isEven and isOdd); a number with a fraction is neither [inf].

    >>> 4.isEven()
    true
    >>> 7.isEven()
    false
    """
    return _remainder2(x) == 0


def _remainder2(x):
    if type(x) is int:
        return x % 2
    if x.as_tuple().exponent > 0:
        return 0
    return _wide(x).remainder(x, 2)


@method("isOdd", on=NUMERIC)
def is_odd(rt, x):
    """True for an odd whole number; a number with a fraction is neither [inf].

    >>> 7.isOdd()
    true
    >>> 2.5.isOdd()
    false
    """
    return abs(_remainder2(x)) == 1


# ---------------------------------------------------------------- conversions

@method("toDecimal", on=TEXT + NUMERIC)
def to_decimal(rt, value):
    """A DECIMAL from a NUMBER, a DECIMAL or numeric text. Empty or non-numeric text is a
    runtime error (reference §7.3 [doc:
    https://www.zoho.com/deluge/help/functions/common/todecimal.html]). The value keeps
    the digits it was written with, so `toDecimal("100")` prints 100 and `toDecimal(99.9)`
    prints 99.9, as documented.

    >>> toDecimal("100")
    100
    >>> "2.5".toDecimal() * 2
    5
    """
    t = type(value)
    if t is Decimal:
        return value
    if t is int:
        return Decimal(value)
    text = value.strip()
    if len(text) > 400 or not _NUMERIC_TEXT.fullmatch(text):
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise ScriptError(f"toDecimal: {shown!r} is not a number")
    return _plain_zero(_in_range(DEC.create_decimal(text), "toDecimal"))


@method("toHex", on=NUMBER)
def to_hex(rt, n):
    """The number in lower-case hexadecimal; a negative number in 64-bit two's complement,
    as Java's Long.toHexString [inf]
    (https://www.zoho.com/creator/help/script/built-in-functions/built-in-function-common-tohex.html:
    100 gives 64).

    >>> 100.toHex()
    "64"
    >>> 255.toHex()
    "ff"
    """
    return format(n & 0xFFFF_FFFF_FFFF_FFFF, "x")


@function("randomNumber", args=(2, 2))
def random_number(rt, start, end):
    """A random number from `start` (included) up to `end` (never reached): a NUMBER when
    both limits are whole, else a DECIMAL
    (https://zoho.com/deluge/help/functions/number/randomnumber.html: `randomnumber(1,3)`
    gives 1 or 2). Drawn from the run's random service, so a seeded run repeats. An end
    not above the start is an error [inf].

    >>> randomNumber(5, 6)
    5
    """
    _num(start, "randomNumber", "the start")
    _num(end, "randomNumber", "the end")
    if not end > start:
        raise ScriptError(f"randomNumber: the end {to_text(end)} must be greater than the "
                          f"start {to_text(start)}")
    if type(start) is int and type(end) is int:
        return rt.random.randrange(start, end)
    low, high = _float(start, "randomNumber"), _float(end, "randomNumber")
    value = low + (high - low) * rt.random.random()
    return _from_double(value if value < high else low, "randomNumber")
