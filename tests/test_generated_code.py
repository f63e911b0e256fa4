"""Defence in depth: RestrictedPython's policy finds nothing in the generated Python.

Every conformance script, golden file and sample is compiled; the Python our compiler
generates for it is checked by RestrictedPython's compile_restricted. Any finding means
a code-generation mistake (a name or attribute from script text, a dunder...).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from RestrictedPython import compile_restricted_exec

import delugelang
from delugelang.errors import DelugeError

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(list((ROOT / "tests").rglob("*.dg")) + list((ROOT / "samples").rglob("*.dg")))


def _programs():
    for path in SCRIPTS:
        try:
            yield path, delugelang.compile(path.read_text(encoding="utf-8"), path.name)
        except DelugeError:
            continue  # scripts that are meant not to compile


@pytest.mark.parametrize("path,program", list(_programs()),
                         ids=lambda v: v.name if isinstance(v, Path) else "")
def test_restricted_python_finds_nothing(path, program):
    source = program.python_source()
    result = compile_restricted_exec(source, filename=path.name)
    assert result.errors == (), result.errors


def test_generated_names_never_come_from_script_text():
    hostile = 'eval = 1;\n__import__x = 2;\nprint = eval + 1;\ninfo print;'
    program = delugelang.compile(hostile)
    tree = ast.parse(program.python_source())
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    allowed_prefixes = ("v_", "t_", "n_", "op_", "m_", "fn_", "k_", "f_")
    assert all(name.startswith(allowed_prefixes) or name in ("rt", "ScriptError")
               for name in names), names
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert attributes <= {"begin", "tick", "steps", "depth", "info", "record"}
    assert program.run().info == ("2",)
