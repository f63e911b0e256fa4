"""Changing case can lengthen a text (ß -> SS, İ -> i + U+0307): the text budget holds."""

from __future__ import annotations

import pytest

import delugelang
from delugelang import LimitError, Limits


@pytest.mark.parametrize("expr, grown", [
    ('"ßßß".toUpperCase()', "SSSSSS"),
    ('"ßßß".upper()', "SSSSSS"),
    ('"İİİ".toLowerCase()', "i\u0307" * 3),
    ('"İİİ".lower()', "i\u0307" * 3),
])
def test_case_changes_that_grow_a_text_are_budgeted(expr, grown):
    program = delugelang.compile(f"return {expr};")
    assert program.run(limits=Limits(text_length=6)).value == grown
    with pytest.raises(LimitError) as info:
        program.run(limits=Limits(text_length=5))
    assert info.value.limit == "text_length"
