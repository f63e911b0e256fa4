"""Evaluate a Deluge snippet or expression for the builtin tests: value, or the error raised."""

from __future__ import annotations

import pytest

import delugelang
from delugelang.errors import DelugeError


def run(code: str, **limits):
    lim = delugelang.Limits(**limits) if limits else None
    return delugelang.compile(code).run(limits=lim)


def value(expr: str):
    return run(f"return {expr};").plain_value()


def expr_error(expr: str, **limits) -> DelugeError:
    with pytest.raises(DelugeError) as info:
        run(f"return {expr};", **limits)
    return info.value
