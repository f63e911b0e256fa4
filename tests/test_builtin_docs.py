"""Every builtin's docstring examples run: `>>> expression` then the expected JSON value."""

from __future__ import annotations

import inspect
import json

import pytest

import delugelang
from delugelang.builtins.docgen import examples, implementations
from deluge_harness import same_value, services_for


IMPLS = implementations()  # methods, functions and the zoho.encryption.* tasks


@pytest.mark.parametrize("impl", IMPLS, ids=[f"{f.__module__.rsplit('.', 1)[-1]}.{f.__name__}"
                                             for f in IMPLS])
def test_docstring_examples(impl):
    shown = examples(impl)
    assert inspect.getdoc(impl), "every builtin needs a docstring"
    assert shown, "every builtin's docstring needs a runnable '>>> ' example"
    for expression, expected in shown:
        program = delugelang.compile(f"return {expression};", "<docstring>")
        value = program.run(services=services_for(None)).plain_value()
        assert same_value(value, json.loads(expected)), f"{expression} gave {value!r}, " \
                                                         f"docstring says {expected}"
