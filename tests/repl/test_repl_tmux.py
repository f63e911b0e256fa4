"""`dg repl` at a real terminal, driven through tmux: multi-line input, history, errors, limits."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed (apt-get install tmux); the "
                                       "terminal test of dg repl needs it")

TIMEOUT = 30.0


class Terminal:
    """One tmux server on a private socket, running one command in a 120x50 pane."""

    def __init__(self, command: list[str], env: dict[str, str]):
        self.socket = f"dg-repl-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        shell = " ".join(["env", *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
                          shlex.join(command)])
        self.tmux("new-session", "-d", "-s", "repl", "-x", "120", "-y", "50", shell)

    def tmux(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, "-f", os.devnull, *args],
                             capture_output=True, text=True, timeout=TIMEOUT)
        assert out.returncode == 0, out.stderr
        return out.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-500", "-t", "repl")

    def wait_for(self, text: str, count: int = 1) -> str:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            screen = self.screen()
            if screen.count(text) >= count:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear {count} time(s); the screen:\n{screen}")

    def type_line(self, text: str) -> None:
        """Type a line and press Enter. tmux reads a `;` that ends an argument as a command
        separator, so semicolons are sent by their key code."""
        for i, part in enumerate(text.split(";")):
            if i:
                self.tmux("send-keys", "-t", "repl", "-H", "3b")
            if part:
                self.tmux("send-keys", "-t", "repl", "-l", part)
        self.key("Enter")

    def key(self, name: str) -> None:
        self.tmux("send-keys", "-t", "repl", name)

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True,
                       timeout=TIMEOUT)


@pytest.fixture
def terminal(tmp_path):
    history = tmp_path / "history"
    env = {"HOME": str(tmp_path), "DG_HISTORY": str(history), "TERM": "xterm-256color"}
    term = Terminal([sys.executable, "-m", "delugelang.cli", "repl",
                     "--limit", "statements=20000"], env)
    term.history = history
    try:
        yield term
    finally:
        term.kill()


def test_multi_line_for_each_history_error_and_runaway_loop(terminal):
    terminal.wait_for("dg>")
    terminal.type_line("l = {1, 2, 3};")
    terminal.type_line("for each x in l")
    terminal.wait_for("...")  # the input continues: the loop has no body yet
    terminal.type_line("{")
    terminal.type_line('  info "row " + x;')
    terminal.type_line("}")
    screen = terminal.wait_for("row 3")
    assert [line for line in screen.splitlines() if line.startswith("row ")] == \
        ["row 1", "row 2", "row 3"]

    # Up recalls the whole multi-line snippet from history; Enter runs it again.
    terminal.key("Up")
    terminal.wait_for("for each x in l", count=2)
    terminal.key("Enter")
    terminal.wait_for("row 3", count=2)

    # An error shows its caret snippet, and the session goes on.
    terminal.type_line("info missing + 1;")
    screen = terminal.wait_for("Variable 'missing' is not defined")
    assert "   1 | info missing + 1;" in screen

    # A runaway loop hits the statement limit and returns to the prompt.
    terminal.type_line("big = {1,2,3,4,5,6,7,8,9,10};")
    terminal.type_line("for each a in big { for each b in big { for each c in big { for each d "
                       "in big { n = a; } } } }")
    terminal.wait_for("limit exceeded: the function executed more than 20,000 statements")
    terminal.type_line('"alive " + l.size()')
    terminal.wait_for("alive 3")

    # Ctrl-C cancels a long statement and returns to the prompt.
    terminal.type_line(":limits statements=2000000000")
    terminal.type_line("for each a in big { for each b in big { for each c in big { for each d "
                       "in big { for each e in big { for each f in big { for each g in big { "
                       "for each h in big { n = a; } } } } } } } }")
    time.sleep(1)
    terminal.key("C-c")
    terminal.wait_for("cancelled (Ctrl-C)")
    terminal.type_line('"alive again"')
    terminal.wait_for("alive again", count=2)

    # The history file keeps the multi-line snippet for the next session.
    history = terminal.history.read_text(encoding="utf-8")
    assert "+for each x in l\n+{\n+  info \"row \" + x;\n+}\n" in history
