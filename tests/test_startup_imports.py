"""What `dg run` of a trivial script imports: the start-up path stays free of what it does not need."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

TRIVIAL = 'x = 1 + 2;\ninfo "total " + x;\n'

# Never needed to run a script without a workspace: each was once imported at start-up.
NOT_ON_RUN_PATH = {
    "sqlite3", "cryptography", "httpx",  # record store, state encryption, HTTP client
    "delugelang.records", "delugelang.state", "delugelang.workflow",
    "delugelang.connectors", "delugelang.net", "delugelang.fixtures", "delugelang.trace",
    "lark",                    # the parser generator (a cached generated parser is used)
    "regex",                   # only for the regex builtins, on first use
    "zoneinfo", "sysconfig",   # time zones: on the first date that needs one
    "random",                  # randomNumber: on first use
    "pkgutil",                 # load_all(); a run loads the builtins it calls by name
    "hmac", "base64",          # zoho.encryption.*: on first use
    "shutil", "bz2", "lzma",   # argparse's terminal width (cli.DgArgumentParser)
}

# Imported only by the generated Lark parser (lalr.py) and the grammar loading around it,
# which a script the fast parser handles never reaches.
ONLY_FOR_LARK_PARSER = {"dataclasses", "inspect", "typing", "logging", "pickle", "pathlib",
                        "delugelang.lalr"}

# The modules of this list import none of these at import time (each had one of them).
STARTUP_MODULES = [
    "delugelang", "delugelang.frozen", "delugelang.errors", "delugelang.limits",
    "delugelang.services", "delugelang.tasks", "delugelang.builtins.registry",
    "delugelang.cli", "delugelang.cli.common", "delugelang.cli.run_cmd",
]
NOT_IMPORTED_BY_THEM = {"dataclasses", "inspect", "typing", "pathlib", "hashlib", "zoneinfo",
                        "random", "shutil", "pkgutil", "delugelang.program"}


def _modules_after(code: str, cwd, *argv: str) -> set[str]:
    """The names in sys.modules once `code` ran in a fresh interpreter (written as JSON to
    a file: the script's own output is on stdout)."""
    report = os.path.join(cwd, "modules.json")
    wrapper = (f"import json, sys\ntry:\n" + "".join(f"    {line}\n" for line in code.splitlines())
               + f"finally:\n    open({report!r}, 'w').write(json.dumps(sorted(sys.modules)))\n")
    env = {k: v for k, v in os.environ.items() if k != "DG_WORKSPACE"}
    done = subprocess.run([sys.executable, "-c", wrapper, *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with open(report) as fh:
        return set(json.load(fh))


def _loaded(names: set[str], modules: set[str]) -> set[str]:
    """Which of `names` (packages stand for their submodules too) are in `modules`."""
    return {name for name in names
            if name in modules or any(m.startswith(name + ".") for m in modules)}


def test_trivial_run_imports_nothing_it_does_not_need(tmp_path):
    (tmp_path / "trivial.dg").write_text(TRIVIAL, encoding="utf-8")
    code = ("from delugelang.cli import main\n"
            "status = main(['run', 'trivial.dg'])\n"
            "assert status == 0, status")
    modules = _modules_after(code, tmp_path)
    assert "delugelang.program" in modules  # the run did happen
    assert _loaded(NOT_ON_RUN_PATH, modules) == set()
    assert _loaded(ONLY_FOR_LARK_PARSER, modules) == set()
    assert not [name for name in modules if name.startswith("delugelang_lalr_")]  # generated


@pytest.mark.parametrize("module", STARTUP_MODULES)
def test_startup_module_imports_stay_light(module, tmp_path):
    modules = _modules_after(f"import {module}", tmp_path)
    assert _loaded(NOT_IMPORTED_BY_THEM - {module}, modules) == set()


def test_help_needs_no_engine(tmp_path):
    code = ("from delugelang.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit as exit:\n    assert exit.code == 0")
    modules = _modules_after(code, tmp_path)
    assert _loaded({"delugelang.program", "delugelang.compiler"}, modules) == set()
