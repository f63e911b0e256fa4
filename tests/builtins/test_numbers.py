"""NUMBER and DECIMAL builtins (deluge-reference.md §7.3 and §7.4): values, printing, errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

import delugelang
from delugelang.errors import DelugeError, ScriptError


def run(code: str, seed=None):
    services = delugelang.Services(random_seed=seed) if seed is not None else None
    return delugelang.compile(code).run(services=services)


def value(expr: str):
    return run(f"return {expr};").plain_value()


def shown(expr: str) -> str:
    """How `info` prints the value."""
    return run(f"info {expr};").info[0]


def error(expr: str) -> DelugeError:
    with pytest.raises(DelugeError) as info:
        run(f"return {expr};")
    assert isinstance(info.value, ScriptError)
    return info.value


# ---------------------------------------------------------------- round

@pytest.mark.parametrize("expr, printed", [
    ("218.5.round(0)", "219"),
    ("218.49.round(1)", "218.5"),
    ("218.44.round(1)", "218.4"),
    ("-218.4.round(0)", "-218"),
    ("(-218.5).round(0)", "-219"),           # half-up rounds away from zero
    ("214.2.round(-1)", "210"),
    ("215.round(-1)", "220"),
    ("214.2.round(-3)", "0"),                 # documented: past the integer digits gives 0
    ("500.round(-3)", "0"),
    ("2.5.round(2)", "2.5"),                  # no invented trailing zeros
    ("7.round(2)", "7"),
    ("1.005.round(2)", "1.01"),               # exact decimal, not a binary double
    ("(-0.4).round(0)", "0"),
    ("round(3.14159, 3)", "3.142"),
    ("9.99.round(1)", "10.0"),
])
def test_round(expr, printed):
    assert shown(expr) == printed


def test_round_huge_places_are_harmless():
    assert shown("1.5.round(1000000000)") == "1.5"
    assert shown("1.5.round(-1000000000)") == "0"


def test_round_needs_a_number_of_places():
    assert "round" in error('1.5.round("2")').message


# ---------------------------------------------------------------- ceil, floor, abs, frac

@pytest.mark.parametrize("expr, expected", [
    ("10.1.ceil()", 11), ("(1.2).ceil()", 2), ("ceil(-1.5)", -1), ("5.ceil()", 5),
    ("10.1.floor()", 10), ("floor(-1.5)", -2), ("floor(7)", 7), ("10.0.ceil()", 10),
])
def test_ceil_floor_give_numbers(expr, expected):
    got = value(expr)
    assert got == expected and type(got) is int


def test_ceil_of_a_huge_decimal_is_an_error_not_a_bomb():
    assert "NUMBER range" in error("toDecimal(\"1e300\").ceil()").message


@pytest.mark.parametrize("expr, printed", [
    ("abs(-15.50)", "15.50"), ("(-7).abs()", "7"), ("abs(3)", "3"), ("abs(-0.0)", "0.0"),
    ("12.34.frac()", "0.34"), ("frac(-2.5)", "-0.5"), ("frac(4)", "0"),
])
def test_abs_and_frac(expr, printed):
    assert shown(expr) == printed


def test_abs_of_the_smallest_number_overflows():
    assert "range" in error("abs(-9223372036854775807 - 1)").message


# ---------------------------------------------------------------- sqrt, power, exp, log

@pytest.mark.parametrize("expr, printed", [
    ("9.sqrt()", "3.0"), ("sqrt(2)", "1.4142135623730951"), ("sqrt(0.25)", "0.5"),
    ("3.power(2)", "9"), ("2.power(-2)", "0.25"), ("2.5.power(2)", "6.25"),
    ("4.power(0.5)", "2.0"), ("2.power(62)", "4611686018427387904"),
    ("(-2).power(63)", "-9223372036854775808"), ("2.power(2.0)", "4"),
    ("0.exp()", "1.0"), ("1.log()", "0.0"), ("1000.log10()", "3.0"),
    ("0.sin()", "0.0"), ("1.atan()", "0.7853981633974483"), ("atan2(1, 1)", "0.7853981633974483"),
])
def test_double_and_exact_math(expr, printed):
    assert shown(expr) == printed


@pytest.mark.parametrize("expr", ["sqrt(-4)", "log(0)", "log(-1)", "log10(-5)",
                                  "(-8).power(0.5)", "2.asin()"])
def test_undefined_results_are_null(expr):
    assert value(f"isNull({expr})") is True


@pytest.mark.parametrize("expr", ["2.power(63)", "10.power(19)", "3.power(9223372036854775807)",
                                  "2.power(1000000000000)"])
def test_number_power_overflow_is_refused_before_computing(expr):
    assert "NUMBER range" in error(expr).message


@pytest.mark.parametrize("expr", ["10.5.power(100000)", "1000.exp()", "0.power(-1)",
                                  "1.5.power(1000000000000000)"])
def test_decimal_power_limits(expr):
    error(expr)


def test_tiny_decimal_power_underflows_to_zero():
    assert shown("0.1.power(100000)") == "0"


# ---------------------------------------------------------------- min, max, parity

def test_min_max_keep_the_winning_value():
    assert value("min(3, 2.5)") == Decimal("2.5")
    assert value("max(3, 2.5)") == 3
    assert value("5.max(9)") == 9
    assert "min" in error('min(1, "a")').message


@pytest.mark.parametrize("expr, expected", [
    ("4.isEven()", True), ("7.isEven()", False), ("7.isOdd()", True), ("(-3).isOdd()", True),
    ("4.0.isEven()", True), ("2.5.isEven()", False), ("2.5.isOdd()", False),
    ("toDecimal(\"1e40\").isEven()", True),
])
def test_parity(expr, expected):
    assert value(expr) is expected


# ---------------------------------------------------------------- conversions

def test_to_decimal_documented_examples():
    r = run('marks = 99.9; marks_text = "100"; info toDecimal(marks); info toDecimal(marks_text);')
    assert list(r.info) == ["99.9", "100"]
    assert value('"2.5".toDecimal() * 2') == Decimal("5.0")
    assert shown('" -3.50 ".toDecimal()') == "-3.50"
    assert shown('toDecimal(7)') == "7"
    assert shown('"1e3".toDecimal()') == "1000"


@pytest.mark.parametrize("text", ["", " ", "abc", "1.2.3", "NaN", "Infinity", "1e999", "--1",
                                  "1" * 500])
def test_to_decimal_rejects_non_numbers(text):
    assert "toDecimal" in error(f'"{text}".toDecimal()').message


def test_to_long_and_to_number():
    assert run('marks_text = "100"; info marks_text.toLong();').info == ("100",)
    assert value("123.25.toNumber()") == 123
    assert value('"-42".toNumber()') == -42
    assert "toNumber" in error('"134A123B".toNumber()').message
    assert "NUMBER range" in error('"1e300".toNumber()').message
    assert "NUMBER range" in error('"1e999999".toNumber()').message
    assert "NUMBER range" in error('toDecimal("1e300").toLong()').message
    assert "range" in error('"99999999999999999999".toLong()').message


@pytest.mark.parametrize("expr, expected", [
    ("100.toHex()", "64"), ("255.toHex()", "ff"), ("0.toHex()", "0"),
    ("(-1).toHex()", "ffffffffffffffff"),
])
def test_to_hex(expr, expected):
    assert value(expr) == expected


@pytest.mark.parametrize("expr, expected", [
    ('1989.toWords("en-us")', "one thousand nine hundred eighty-nine"),
    ('1989.13.toWords("en-us")', "one thousand nine hundred eighty-nine point one three"),
    ('(-12).toWords("en-gb")', "minus twelve"),
    ("0.toWords()", "zero"),
    ("1000.toWords()", "one thousand"),
    ("1000000.toWords()", "one million"),
    ("101.toWords()", "one hundred one"),
    ("0.05.toWords()", "zero point zero five"),
    ('10000000.toWords("en-in")', "one crore"),
    ('150000.toWords("en-in")', "one lakh fifty thousand"),
    ("999999999999999999.toWords()", "nine hundred ninety-nine quadrillion nine hundred "
     "ninety-nine trillion nine hundred ninety-nine billion nine hundred ninety-nine million "
     "nine hundred ninety-nine thousand nine hundred ninety-nine"),
])
def test_to_words(expr, expected):
    assert value(expr) == expected


@pytest.mark.parametrize("expr", ['5.toWords("xx")', "1234567890123.456.toWords()",
                                  "5.toWords(1)"])
def test_to_words_errors(expr):
    assert "toWords" in error(expr).message


# ---------------------------------------------------------------- randomNumber

def test_random_number_is_seeded_and_in_range():
    code = "l = List(); for each i in {1,2,3,4,5,6,7,8,9,10} { l.add(randomNumber(1, 3)); } return l;"
    first = run(code, seed=7).plain_value()
    assert first == run(code, seed=7).plain_value()
    assert set(first) <= {1, 2}


def test_random_decimal_stays_below_the_end():
    got = run("return randomNumber(1.5, 2);", seed=3).plain_value()
    assert type(got) is Decimal and Decimal("1.5") <= got < 2


@pytest.mark.parametrize("expr", ["randomNumber(3, 3)", "randomNumber(5, 1)",
                                  'randomNumber("1", 5)'])
def test_random_number_errors(expr):
    assert "randomNumber" in error(expr).message


# ---------------------------------------------------------------- wrong receivers

@pytest.mark.parametrize("expr", ['"9".sqrt()', "sqrt(null)", '"1.5".round(0)', "{1}.ceil()"])
def test_number_functions_refuse_other_types(expr):
    error(expr)
