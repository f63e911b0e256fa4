"""`dg repl` with piped standard input: snippets in, values out, exit code for failures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DG = [sys.executable, "-m", "delugelang.cli"]


def repl(stdin: str, *args, home: Path | None = None):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    if home is not None:
        env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"))
    return subprocess.run(DG + ["repl", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=60)


def test_piped_snippets_print_values_and_exit_zero():
    out = repl("x = {1, 2};\nx.add(3);\nx.size()\n"
               "for each v in x\n{\n\tinfo v * 10;\n}\n"
               "if (x.size() > 2)\n{\n\tinfo \"big\";\n}\nelse\n{\n\tinfo \"small\";\n}\n"
               "if (false) { info 1; }\n\"done\"\n")
    assert (out.returncode, out.stderr) == (0, "")
    assert out.stdout == "3\n10\n20\n30\nbig\ndone\n"


def test_a_failed_snippet_is_reported_and_makes_the_exit_code_one():
    out = repl("a = 1;\nb = a.get(0);\ninfo \"still here\";\na\n")
    assert out.returncode == 1
    assert out.stdout == "still here\n1\n"
    assert out.stderr.startswith("<repl>:1:")
    assert "b = a.get(0);" in out.stderr and "^" in out.stderr


def test_unfinished_input_at_the_end_is_a_syntax_error():
    out = repl("x = 1;\nfor each v in {1}\n{\n")
    assert out.returncode == 1
    assert "syntax error: expecting '}' but found the end of the file" in out.stderr


def test_commands_work_when_piped(tmp_path):
    record = tmp_path / "c.json"
    record.write_text('{"First_Name": "Ada"}')
    out = repl(f":record Contacts={record}\n"
               "input.First_Name\nn = 2;\n:vars\n:reset\n:vars\n:limits statements=10\n"
               "for each a in {1,2,3} { for each b in {1,2,3} { n = a; } }\n")
    assert out.returncode == 1  # the loop hit the statement limit
    lines = out.stdout.splitlines()
    assert lines[:3] == ["Ada", "n = 2  (NUMBER)", "no variables yet"]
    assert "limit exceeded" in out.stderr


def test_options_set_the_record_and_the_limits(tmp_path):
    record = tmp_path / "c.json"
    record.write_text('{"Email": "ada@example.com"}')
    out = repl("input.Email\n:limits statements\n", f"--record=Contacts={record}",
               "--profile", "creator")
    assert out.stdout.splitlines()[0] == "ada@example.com"
    assert out.returncode == 1  # `statements` alone is not NAME=VALUE
    out = repl(":limits\n", "--limit", "statements=77")
    assert any(line.split()[:2] == ["statements", "77"] for line in out.stdout.splitlines())


def test_bad_options_are_usage_errors():
    out = repl("", "--record", "nofile")
    assert out.returncode == 2 and "dg repl: --record needs MODULE=FILE.json" in out.stderr
    out = repl("", "--limit", "bogus=1")
    assert out.returncode == 2 and "unknown limit 'bogus'" in out.stderr


def test_piped_mode_writes_no_history(tmp_path):
    out = repl("1 + 1\n", home=tmp_path)
    assert out.stdout == "2\n"
    assert not (tmp_path / "data").exists()


def test_help_explains_the_command():
    out = subprocess.run(DG + ["repl", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    for words in ("--history", "DG_HISTORY", "piped", "exits 1", ":load", "--record"):
        assert words in out.stdout
