"""Every builtin's docstring examples run: `>>> expression` then the expected JSON value."""

from __future__ import annotations

import inspect
import json

import pytest

import delugelang
from delugelang.builtins import load_all
from delugelang.builtins.registry import FUNCTIONS, METHODS
from deluge_harness import same_value, services_for


def _implementations():
    load_all()
    seen = {}
    for spec in METHODS.values():
        for impl, _, _ in spec.impls.values():
            seen[id(impl)] = impl
    for spec in FUNCTIONS.values():
        seen[id(spec.impl)] = spec.impl
    return sorted(seen.values(), key=lambda f: (f.__module__, f.__qualname__))


def _examples(impl):
    doc = inspect.getdoc(impl) or ""
    lines = doc.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(">>> ") and i + 1 < len(lines):
            yield line.strip()[4:], lines[i + 1].strip()


IMPLS = _implementations()


@pytest.mark.parametrize("impl", IMPLS, ids=[f"{f.__module__.rsplit('.', 1)[-1]}.{f.__name__}"
                                             for f in IMPLS])
def test_docstring_examples(impl):
    examples = list(_examples(impl))
    assert inspect.getdoc(impl), "every builtin needs a docstring"
    assert examples, "every builtin's docstring needs a runnable '>>> ' example"
    for expression, expected in examples:
        program = delugelang.compile(f"return {expression};", "<docstring>")
        value = program.run(services=services_for(None)).plain_value()
        assert same_value(value, json.loads(expected)), f"{expression} gave {value!r}, " \
                                                         f"docstring says {expected}"
