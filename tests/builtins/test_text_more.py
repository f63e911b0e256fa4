"""More TEXT builtins: remove*, getAlpha*, reverse, proper, repeat, distance, is*, hex."""

from __future__ import annotations

import pytest

import delugelang
from delugelang.errors import DelugeError, LimitError, ScriptError


def value(expr: str, **limits):
    lim = delugelang.Limits(**limits) if limits else None
    return delugelang.compile(f"return {expr};").run(limits=lim).plain_value()


def expr_error(expr: str) -> DelugeError:
    with pytest.raises(DelugeError) as info:
        delugelang.compile(f"return {expr};").run()
    return info.value


@pytest.mark.parametrize("expr, expected", [
    ('"Zoho Creator".remove("Creator")', "Zoho "),
    ('"a-b-c".remove("-")', "abc"),
    ('"abc".remove("x")', "abc"),
    ('"abc".remove("")', "abc"),
    ('"Zoho Creator 5".removeFirstOccurence("5")', "Zoho Creator "),
    ('"5 Zoho 5".removeFirstOccurence("5")', " Zoho 5"),
    ('"5 Zoho 5".removeLastOccurence("5")', "5 Zoho "),
    ('"abc".removeLastOccurence("x")', "abc"),
    ('"Zoho Creator 5".removeAllAlpha()', "  5"),
    ('"Zoho Creator 5 is here!".removeAllAlphaNumeric()', "    !"),
    ('getAlpha("Your joining date is January 25th, 2019")', "YourjoiningdateisJanuaryth"),
    ('"Order #25-B!".getAlphaNumeric()', "Order25B"),
    ('"".getAlpha()', ""),
])
def test_removing(expr, expected):
    assert value(expr) == expected


def test_palindrome_doc_example():
    code = ('inputText = "level";\noutputText = reverse(inputText);\n'
            'if(inputText == outputText)\n{\n\tinfo "Palindrome";\n}\nelse\n'
            '{\n\tinfo "Not a Palindrome";\n}')
    assert delugelang.compile(code).run().info == ("Palindrome",)


@pytest.mark.parametrize("expr, expected", [
    ('reverse("Zoho Creator")', "rotaerC ohoZ"),
    ('"abc".reverse()', "cba"),
    ('reverse(120)', "021"),
    ('reverse(true)', "eurt"),
    ('reverse("")', ""),
    ('"hello WORLD of zoho".proper()', "Hello World Of Zoho"),
    ('"  two  spaces".proper()', "  Two  Spaces"),
    ('"o\'neil-smith".proper()', "O'neil-smith"),
    ('"ab".repeat(3)', "ababab"),
    ('",".repeat(0)', ""),
    ('"x".repeat(-2)', ""),
    ('"kitten".distance("sitting")', 3),
    ('"".distance("abc")', 3),
    ('"same".distance("same")', 0),
])
def test_reshaping(expr, expected):
    assert value(expr) == expected


def test_repeat_is_budgeted_before_building():
    with pytest.raises(LimitError):
        value('"abc".repeat(1000000000)')


@pytest.mark.parametrize("expr, expected", [
    ('"john@zylker.com".isEmail()', True),
    ('isEmail("first.last+tag@mail.zylker.co.uk")', True),
    ('isEmail("john@zylker")', False),
    ('isEmail("john zylker.com")', False),
    ('isEmail("@zylker.com")', False),
    ('isEmail(5)', False),
    ('isEmail(null)', False),
    ('"1234".isNumber()', True),
    ('isNumber("-12.5")', True),
    ('isNumber(" 7 ")', True),
    ('isNumber("12a")', False),
    ('isNumber("")', False),
    ('isNumber(".")', False),
    ('isNumber(12)', True),
    ('isNumber(1.5)', True),
    ('isNumber(null)', False),
    ('isText("abc")', True),
    ('isText(12)', False),
    ('isText({1})', False),
    ('"Zoho".isAscii()', True),
    ('"Zoho™".isAscii()', False),
    ('isBlank(" ")', True),
    ('isBlank("")', True),
    ('isBlank(null)', True),
    ('isBlank({})', True),
    ('isBlank(List())', True),
    ('isBlank(Map())', True),
    ('isBlank({1})', False),
    ('isBlank(0)', False),
    ('" x ".isBlank()', False),
])
def test_predicates(expr, expected):
    assert value(expr) is expected


@pytest.mark.parametrize("expr, expected", [
    ('"Zoho".textToHex()', "5a6f686f"),
    ('"5a6f686f".hexToText()', "Zoho"),
    ('"5A6F686F".hexToText()', "Zoho"),
    ('"é".textToHex()', "c3a9"),
    ('"é".textToHex().hexToText()', "é"),
])
def test_hex(expr, expected):
    assert value(expr) == expected


@pytest.mark.parametrize("expr", ['"xyz".hexToText()', '"abc".hexToText()', '"ff".hexToText()'])
def test_bad_hex_is_a_deluge_error(expr):
    err = expr_error(expr)
    assert isinstance(err, ScriptError) and "hexToText" in err.message


def test_wrong_argument_types_are_deluge_errors():
    for expr in ('"abc".remove({1})', '"abc".repeat("2")', '"abc".distance(null)'):
        err = expr_error(expr)
        assert isinstance(err, ScriptError), expr


def test_text_builtins_are_not_shadowed_by_later_modules():
    """A later registration for the same name and receiver type replaces an earlier one
    (registry.py); every text/JSON/encoding builtin must still be reachable."""
    import inspect

    from delugelang.builtins import encoding, jsonxml, load_all, text, text_more
    from delugelang.builtins.registry import FUNCTIONS, METHODS

    load_all()
    live = {id(impl) for spec in METHODS.values() for impl, _, _ in spec.impls.values()}
    live |= {id(spec.impl) for spec in FUNCTIONS.values()}
    for module in (text, text_more, jsonxml, encoding):
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if getattr(fn, "deluge_names", None) and fn.__module__ == module.__name__:
                assert id(fn) in live, f"{module.__name__}.{name} was replaced"
