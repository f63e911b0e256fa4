"""The REPL's two front ends: a prompt_toolkit line editor, and a reader for piped input."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .repl_snippets import COMPLETE, INCOMPLETE, OPEN_IF, continues_if, input_state

PROMPT, CONTINUATION = "dg> ", "... "


def history_path(option: str | None) -> Path:
    """--history, else $DG_HISTORY, else repl_history in the user's data directory."""
    chosen = option or os.environ.get("DG_HISTORY")
    if chosen:
        return Path(chosen).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "delugelang" / "repl_history"


# ---------------------------------------------------------------- piped input

def run_piped(session, lines) -> int:
    """Run snippets read from a stream: values on stdout, problems on stderr. Returns 1 when
    any snippet or command failed, else 0."""
    failed = False
    pending: list[str] = []
    stream = iter(lines)
    line = next(stream, None)
    while line is not None and not session.finished:
        if not pending and line.lstrip().startswith(":"):
            failed |= not session.execute(line)
            line = next(stream, None)
            continue
        pending.append(line)
        state = input_state("".join(pending), session.limits)
        line = next(stream, None)
        if state == INCOMPLETE or (state == OPEN_IF and line is not None and continues_if(line)):
            continue
        failed |= not session.execute("".join(pending).rstrip("\n"))
        pending = []
    if pending and "".join(pending).strip():
        failed |= not session.execute("".join(pending).rstrip("\n"))
    return 1 if failed else 0


# ---------------------------------------------------------------- the line editor

def _key_bindings(session):
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("enter")
    def _enter(event):
        buffer = event.current_buffer
        text = buffer.document.text
        state = input_state(text, session.limits)
        one_line = "\n" not in text.strip()
        # In a multi-line snippet, Enter away from the end splits the line being edited.
        at_end = buffer.document.is_cursor_at_the_end or one_line
        finished_if = state == OPEN_IF and (text.endswith("\n") or one_line)
        if at_end and (state == COMPLETE or finished_if) or not text.strip():
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    @bindings.add("escape", "enter")
    def _newline(event):
        event.current_buffer.insert_text("\n")

    return bindings


def _completer(session):
    from prompt_toolkit.completion import Completer, Completion

    class SessionCompleter(Completer):
        def get_completions(self, document, complete_event):
            word, found = session.completions(document.text_before_cursor)
            for text, meta in found:
                yield Completion(text, start_position=-len(word), display_meta=meta)

    return SessionCompleter()


def run_interactive(session, history: Path, *, terminal_input=None, terminal_output=None) -> int:
    """The line editor: highlighting, completion, persistent history. Returns 0.
    `terminal_input`/`terminal_output` replace the terminal (prompt_toolkit objects)."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory, InMemoryHistory
    from prompt_toolkit.lexers import PygmentsLexer

    from .lexer import DelugeLexer

    try:
        history.parent.mkdir(parents=True, exist_ok=True)
        store = FileHistory(str(history))
    except OSError as exc:
        print(f"dg repl: history is not saved ({history}: {exc.strerror})", file=sys.stderr)
        store = InMemoryHistory()
    prompt = PromptSession(multiline=True, history=store, lexer=PygmentsLexer(DelugeLexer),
                           completer=_completer(session), key_bindings=_key_bindings(session),
                           prompt_continuation=lambda width, line, wrap: CONTINUATION,
                           input=terminal_input, output=terminal_output)
    print("Deluge REPL. :help for commands, Ctrl-D to leave.")
    while not session.finished:
        try:
            text = prompt.prompt(PROMPT)
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        try:
            session.execute(text.rstrip("\n"))
        except KeyboardInterrupt:  # between statements: the snippet stops there
            print("cancelled (Ctrl-C)", file=sys.stderr)
    return 0
