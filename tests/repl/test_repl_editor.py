"""The line editor without a terminal: prompt_toolkit fed through a pipe, history paths."""

from __future__ import annotations

import threading
import time

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from delugelang.repl import Output, Session
from delugelang.repl_terminal import history_path, run_interactive

ENTER, CTRL_D, ALT_ENTER, UP = "\r", "\x04", "\x1b\r", "\x1b[A"


def edit(keys, tmp_path):
    """Type `keys` (a text, or texts to send a moment apart) into the line editor; return
    (stdout lines, stderr lines, history file text)."""
    out, err = [], []
    session = Session(Output(out.append, err.append))
    history = tmp_path / "hist"
    parts = [keys] if isinstance(keys, str) else list(keys)

    with create_pipe_input() as pipe:
        def typist():
            for part in parts:
                pipe.send_text(part)
                time.sleep(0.3)  # let the editor take in the line (and load its history)
            pipe.send_text(CTRL_D)

        thread = threading.Thread(target=typist)
        thread.start()
        try:
            assert run_interactive(session, history, terminal_input=pipe,
                                   terminal_output=DummyOutput()) == 0
        finally:
            thread.join()
    return out, err, history.read_text(encoding="utf-8") if history.exists() else ""


def test_a_multi_line_for_each_runs_when_its_block_closes(tmp_path):
    out, err, history = edit("for each x in {1, 2}" + ENTER + "{" + ENTER + "info x * 10;"
                             + ENTER + "}" + ENTER, tmp_path)
    assert (out, err) == (["10", "20"], [])
    assert "+for each x in {1, 2}\n+{\n+info x * 10;\n+}\n" in history


def test_an_if_block_waits_for_else_or_an_empty_line(tmp_path):
    keys = ("n = 5" + ENTER + "if (n > 9)" + ENTER + "{" + ENTER + 'info "big";' + ENTER
            + "}" + ENTER + "else" + ENTER + "{" + ENTER + 'info "small";' + ENTER + "}"
            + ENTER + ENTER + "if (n > 1) { info \"one line\"; }" + ENTER)
    out, err, _ = edit(keys, tmp_path)
    assert (out, err) == (["small", "one line"], [])


def test_up_recalls_the_last_snippet(tmp_path):
    out, _, _ = edit(["l = {1};" + ENTER, "l.add(2);" + ENTER, UP, ENTER, "l.size()" + ENTER],
                     tmp_path)
    assert out == ["3"]


def test_alt_enter_adds_a_line_and_errors_keep_the_session(tmp_path):
    out, err, _ = edit("a = 1;" + ALT_ENTER + "b = a + 1;" + ENTER + "nope" + ENTER + "b"
                       + ENTER, tmp_path)
    assert out == ["2"]
    assert err[0].startswith("<repl>:1:1: error: Variable 'nope' is not defined")


def test_history_path_choices(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("DG_HISTORY", raising=False)
    if history_path(None).parts[-3:-1] == ("Library", "Application Support"):
        pytest.skip("macOS keeps application data elsewhere")
    assert history_path(None) == tmp_path / "data" / "delugelang" / "repl_history"
    monkeypatch.setenv("DG_HISTORY", str(tmp_path / "env-hist"))
    assert history_path(None) == tmp_path / "env-hist"
    assert history_path(str(tmp_path / "opt")) == tmp_path / "opt"
