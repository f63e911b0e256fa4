"""builtins/index.py: the name -> module table is exact, and loading by name gives the
same registry as loading everything, whatever order scripts name builtins in."""

from __future__ import annotations

import json
import subprocess
import sys

from delugelang.builtins import index

# Prints every registered function and method as comparable data: display name, arity,
# function form, and each implementation's module and name per receiver type.
_DUMP = """
import json, sys
from delugelang.builtins import registry
def impl(f):
    return f"{f.__module__}.{f.__qualname__}"
out = {"functions": {k: [s.name, impl(s.impl), s.min_args, s.max_args]
                     for k, s in registry.FUNCTIONS.items()},
       "methods": {k: [s.name, s.function_form,
                       sorted([t.__module__ + "." + t.__qualname__, impl(i), lo, hi]
                              for t, (i, lo, hi) in s.impls.items())]
                   for k, s in registry.METHODS.items()}}
print(json.dumps(out, sort_keys=True))
"""


def _registry(setup: str) -> dict:
    done = subprocess.run([sys.executable, "-c", setup + _DUMP], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def test_table_is_current():
    assert index.MODULES == index.registering_modules(), \
        "builtins changed: run `python -m delugelang.builtins.index`"


def test_loading_by_name_in_reverse_order_matches_load_all():
    everything = _registry("from delugelang.builtins import load_all\nload_all()\n")
    names = sorted(index.MODULES, reverse=True)  # the order least like load_all's
    by_name = _registry("from delugelang.builtins import load_for\n"
                        f"for name in {names!r}:\n    load_for(name)\n")
    assert by_name == everything


def test_a_script_loads_only_the_builtins_it_names():
    script = ("import sys, delugelang\n"
              "p = delugelang.compile('x = \"a b\".trim();\\ninfo x + 1;')\n"
              "print(p.run().info)\n"
              "print(sorted(m.rpartition('.')[2] for m in sys.modules "
              "if m.startswith('delugelang.builtins.')))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    info, loaded = done.stdout.splitlines()
    assert info == "('a b1',)"
    assert "text" in loaded and "jsonxml" not in loaded and "dates" not in loaded
