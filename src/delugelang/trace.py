"""`dg run --trace`: each executed Deluge line with the variables it changed, and a profile.

The compiler emits Python code objects that keep Deluge line numbers (DESIGN.md, "The
pipeline"), so tracing watches `sys.settrace` line events in frames of generated code and
reads their `v_<name>` locals. Generated code is never changed for tracing. What the
engine adds for its own bookkeeping is recognised and left out of the trace:

- the prologue and epilogue of each function (positioned at the function's declaration),
- the statement counter of a loop body and the loop's budget check (`n_steps`, `n_mark`),
- the exception-matching code of `try/catch`,
- the last `for each` step that finds the collection exhausted.

A line of a multi-line statement (a map literal, an `invokeurl [...]` block) belongs to
the statement that starts it. The profile counts statements the way the statement budget
does (a `for each` once per iteration; a `catch` line is not a statement), so on a script
with one statement per line its total equals the run's statement count.

Tracing is per thread (`sys.settrace`), and it slows a run down; the run's time budget
still applies.
"""

from __future__ import annotations

import dis
import json
import sys
from dataclasses import dataclass, field

from . import nodes as n
from .compiler import CODE_FILENAME
from .values import Collection, TypedList, to_json_text, to_plain, to_text

SOURCE_WIDTH = 72    # characters of a source line shown in the trace
VALUE_WIDTH = 160    # characters of a value shown in the trace
PROFILE_TOP = 10     # lines listed in the profile

_HIDDEN_VARIABLES = {"input"}  # the record context: shown by its fields, never as a change


# ---------------------------------------------------------------- the script's shape

@dataclass
class ScriptShape:
    """Which lines start statements, which are `catch` lines, and the functions' names."""

    statement_lines: set = field(default_factory=set)
    catch_lines: set = field(default_factory=set)
    loop_lines: set = field(default_factory=set)
    function_names: dict = field(default_factory=dict)  # declaration line -> display name

    @classmethod
    def of(cls, source: str) -> "ScriptShape":
        from .frontend import parse_module
        module = parse_module(source)
        shape = cls()
        for fn in module.functions:
            shape.function_names.setdefault(fn.span.line, fn.display_name)
            shape._walk(fn.body)
        shape._walk(module.body)
        return shape

    def _walk(self, stmts) -> None:
        for s in stmts:
            if type(s) is n.Empty:
                continue
            self.statement_lines.add(s.span.line)
            if type(s) is n.If:
                for i, (cond, body) in enumerate(s.branches):
                    if i:
                        self.statement_lines.add(cond.span.line)  # `else if` is tested
                    self._walk(body)
                self._walk(s.orelse or ())
            elif type(s) is n.ForEach:
                self.loop_lines.add(s.span.line)
                self._walk(s.body)
            elif type(s) is n.Try:
                self._walk(s.body)
                self.statement_lines.add(s.var_span.line)
                self.catch_lines.add(s.var_span.line)
                self._walk(s.handler)


# ---------------------------------------------------------------- a code object's shape

class CodeShape:
    """Bytecode facts about one generated function, computed once per code object."""

    def __init__(self, code):
        self.positions = list(code.co_positions())
        instructions = list(dis.get_instructions(code))
        self.def_position = next((self.positions[i.offset // 2] for i in instructions
                                  if i.opname not in ("RESUME", "NOP")), None)
        self.bookkeeping = _bookkeeping_offsets(instructions)
        self.handlers = _handler_offsets(dis.Bytecode(code).exception_entries, instructions,
                                         self.positions)
        self.loops = {i.offset: (i.offset, i.argval) for i in instructions
                      if i.opname == "FOR_ITER"}
        self.returns = {i.offset for i in instructions if i.opname == "RETURN_VALUE"}
        self.params = code.co_varnames[1:code.co_argcount - 1]  # between rt and n_steps

    def line_at(self, offset: int) -> int | None:
        return self.positions[offset // 2][0]

    def loop_after(self, offset: int, line: int):
        """The (FOR_ITER offset, exit offset) of the `for each` whose header starts here."""
        for start, loop in sorted(self.loops.items()):
            if start > offset and self.line_at(start) == line:
                return loop
        return None


def _bookkeeping_offsets(instructions) -> set:
    """Offsets of `if n_steps > n_mark` and of a loop body's `n_steps += k` before it."""
    found = set()
    for i, ins in enumerate(instructions):
        if not (ins.opname == "LOAD_FAST" and ins.argval == "n_steps"):
            continue
        nxt = instructions[i + 1] if i + 1 < len(instructions) else None
        if nxt is not None and nxt.opname == "LOAD_FAST" and nxt.argval == "n_mark":
            found.add(ins.offset)
        elif i + 4 < len(instructions):
            store, after, mark = instructions[i + 3], instructions[i + 4], \
                instructions[i + 5] if i + 5 < len(instructions) else None
            if (store.opname == "STORE_FAST" and store.argval == "n_steps"
                    and after.opname == "LOAD_FAST" and after.argval == "n_steps"
                    and mark is not None and mark.argval == "n_mark"):
                found.add(ins.offset)
    return found


def _handler_offsets(entries, instructions, positions) -> set:
    """Offsets of exception-matching code: from each handler's start while its line holds."""
    by_offset = {ins.offset: i for i, ins in enumerate(instructions)}
    found = set()
    for entry in entries:
        index = by_offset.get(entry.target)
        if index is None:
            continue
        line = None
        while index < len(instructions):
            offset = instructions[index].offset
            here = positions[offset // 2][0]
            if line is None:
                line = here
            elif here not in (line, None):
                break
            found.add(offset)
            if instructions[index].opname in _BLOCK_ENDS:
                break
            index += 1
    return found


_BLOCK_ENDS = {"RERAISE", "RAISE_VARARGS", "RETURN_VALUE", "JUMP_FORWARD", "JUMP_BACKWARD"}


# ---------------------------------------------------------------- trace entries

@dataclass
class Entry:
    """One executed line in one frame, open until the frame moves to another statement."""

    line: int
    snapshot: dict
    shown: bool
    loop: tuple | None = None       # (FOR_ITER offset, exit offset) while undecided
    from_loop_step: bool = False    # opened by a FOR_ITER: shown only if it iterated
    iterated: bool | None = None
    continued: bool = False         # a continuation line of this statement was seen
    item: dict | None = None        # its --json event, filled in when it closes


@dataclass
class FrameState:
    shape: CodeShape
    depth: int
    function: str | None
    started: bool = False
    entry: Entry | None = None


class Tracer:
    """Trace one run: `with Tracer(program.source, name, stream): program.run(...)`.

    With `stream`, the trace is written there as the run goes and the profile at the end;
    `to_json()` gives both as data (for `dg run --trace --json`).
    """

    def __init__(self, source: str, filename: str, stream=None, *, collect: bool = False):
        self.lines = source.splitlines()
        self.filename = filename
        self.stream = stream
        self.collect = collect
        self.script = ScriptShape.of(source)
        self.counts: dict[int, int] = {}
        self.events: list[dict] = []
        self.frames: dict = {}
        self.code_shapes: dict = {}
        self.depth = 0
        self.info_seen = 0
        self.broken = False
        self._previous = None

    # -- installing -------------------------------------------------------------------

    def __enter__(self) -> "Tracer":
        self._previous = sys.gettrace()
        sys.settrace(self._global)
        return self

    def __exit__(self, *exc) -> None:
        sys.settrace(self._previous)
        self.frames.clear()

    def _global(self, frame, event, arg):
        if event != "call" or frame.f_code.co_filename != CODE_FILENAME or self.broken:
            return None
        try:
            self._call(frame)
        except Exception as exc:  # a trace defect must never change how the script runs
            return self._break(exc)
        return self._local

    def _local(self, frame, event, arg):
        if self.broken:
            return None
        try:
            state = self.frames.get(frame)
            if state is None:
                return None
            if event == "line":
                self._line(frame, state)
            elif event == "return":
                self._return(frame, state, arg)
        except Exception as exc:
            return self._break(exc)
        return self._local

    def _break(self, exc) -> None:
        self.broken = True
        self._say(f"--- trace stopped: the tracer failed ({type(exc).__name__}); "
                  f"the run goes on untraced")
        return None

    # -- events -----------------------------------------------------------------------

    def _call(self, frame) -> None:
        code = frame.f_code
        shape = self.code_shapes.get(code)
        if shape is None:
            shape = self.code_shapes[code] = CodeShape(code)
        function = self.script.function_names.get(code.co_firstlineno) \
            if code.co_name != "f_main" else None
        for caller in self.frames.values():
            if caller.entry is not None and not caller.entry.shown:
                self._show(caller, caller.entry)
        self.frames[frame] = FrameState(shape, self.depth, function)
        self.depth += 1
        if function is not None:
            args = {name[2:]: frame.f_locals.get(name) for name in shape.params}
            shown = ", ".join(f"{k} = {show_value(v)}" for k, v in args.items())
            self._emit(self.depth - 1, f"--- call {function}({shown})",
                       {"call": function, "args": {k: _plain(v) for k, v in args.items()}})

    def _line(self, frame, state: FrameState) -> None:
        offset = frame.f_lasti
        shape = state.shape
        position = shape.positions[offset // 2]
        first = not state.started
        state.started = True
        step = offset in shape.loops  # a `for each` takes its next element
        if not step and (offset in shape.handlers
                         or (position == shape.def_position and not first)):
            return  # matching an error, the epilogue, or cleanup while an error passes
        entry = self._decide_loop(state, offset)
        if not step and offset in shape.bookkeeping:
            return
        line = position[0]
        if line not in self.script.statement_lines:
            if entry is not None:
                entry.continued = True  # a later line of a multi-line statement
            return
        if entry is not None and not step and entry.line == line and entry.continued:
            return  # back on the first line of the same multi-line statement
        if entry is not None:
            self._close(state, frame, entry)
        if step:
            loop = shape.loops[offset]
        elif line in self.script.loop_lines:
            loop = shape.loop_after(offset, line)
        else:
            loop = None
        entry = Entry(line, self._snapshot(frame), shown=False, loop=loop, from_loop_step=step)
        state.entry = entry
        if not step:
            self._show(state, entry)

    def _decide_loop(self, state: FrameState, offset: int) -> Entry | None:
        """A `for each` entry learns at the next event whether it took an element."""
        entry = state.entry
        if entry is None or entry.loop is None:
            return entry
        start, exit_offset = entry.loop
        entry.iterated = start <= offset < exit_offset
        entry.loop = None
        if entry.from_loop_step and not entry.iterated:
            state.entry = None  # the collection was exhausted: not a statement
            return None
        if entry.from_loop_step:
            self._show(state, entry)
        return entry

    def _return(self, frame, state: FrameState, value) -> None:
        self.frames.pop(frame, None)
        self.depth = state.depth
        failed = frame.f_lasti not in state.shape.returns  # left by an exception
        entry = state.entry
        if entry is not None and entry.loop is not None:
            entry.iterated = None if failed and not entry.from_loop_step else False
            entry.loop = None
            if entry.from_loop_step:
                state.entry = entry = None
        if entry is not None:
            self._close(state, frame, entry)
        if state.function is None:
            return
        if failed:
            self._emit(state.depth, f"--- {state.function} failed", {"failed": state.function})
        else:
            self._emit(state.depth, f"--- {state.function} returned {show_value(value)}",
                       {"return": state.function, "value": _plain(value)})

    # -- entries ----------------------------------------------------------------------

    def _show(self, state: FrameState, entry: Entry) -> None:
        entry.shown = True
        if self.collect:
            entry.item = {"line": entry.line, "depth": state.depth, "function": state.function,
                          "changed": {}}
            self.events.append(entry.item)
        text = self.lines[entry.line - 1].strip() if entry.line <= len(self.lines) else ""
        self._say(f"{'  ' * state.depth}{self.filename}({entry.line}): {_clip(text, SOURCE_WIDTH)}")

    def _close(self, state: FrameState, frame, entry: Entry) -> None:
        state.entry = None
        counted = entry.line not in self.script.catch_lines and entry.iterated is not False
        if counted:
            self.counts[entry.line] = self.counts.get(entry.line, 0) + 1
        changed = self._changes(entry.snapshot, frame)
        printed = self._new_info(frame)
        pad = "  " * state.depth + "    "
        for name, (text, _) in changed.items():
            self._say(f"{pad}{name} = {text}")
        for text in printed:
            self._say(f"{pad}info: {_clip(text, VALUE_WIDTH)}")
        if entry.iterated is False and not entry.from_loop_step:
            self._say(f"{pad}(no iterations)")
        if entry.item is not None:
            entry.item["changed"] = {k: plain for k, (_, plain) in changed.items()}
            if printed:
                entry.item["info"] = printed

    def _new_info(self, frame) -> list:
        """The `info` lines printed since the last executed line closed."""
        lines = getattr(frame.f_locals.get("rt"), "info_lines", None)
        if not isinstance(lines, list) or len(lines) <= self.info_seen:
            return []
        new, self.info_seen = lines[self.info_seen:], len(lines)
        return new

    def _snapshot(self, frame) -> dict:
        return {name[2:]: show_value(value) for name, value in frame.f_locals.items()
                if name.startswith("v_") and name[2:] not in _HIDDEN_VARIABLES}

    def _changes(self, before: dict, frame) -> dict:
        changed = {}
        for name, value in frame.f_locals.items():
            if not name.startswith("v_") or name[2:] in _HIDDEN_VARIABLES:
                continue
            text = show_value(value)
            if before.get(name[2:], "null") != text:
                changed[name[2:]] = (text, _plain(value) if self.collect else None)
        return changed

    # -- output -----------------------------------------------------------------------

    def _say(self, text: str) -> None:
        if self.stream is not None:
            self.stream.write(_escape(text) + "\n")

    def _emit(self, depth: int, text: str, data: dict) -> None:
        self._say("  " * depth + text)
        if self.collect:
            self.events.append(dict(data, depth=depth))

    def profile(self) -> list[dict]:
        """Lines by statement count, most first: {"line", "count", "share"}."""
        total = sum(self.counts.values()) or 1
        ranked = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [{"line": line, "count": count, "share": round(count / total, 4)}
                for line, count in ranked]

    def write_profile(self) -> None:
        """The profile table: the busiest lines, their counts and share of all statements."""
        if self.stream is None:
            return
        total = sum(self.counts.values())
        rows = self.profile()
        self._say(f"--- profile: {total:,} statement{'s' if total != 1 else ''} "
                  f"on {len(rows)} line{'s' if len(rows) != 1 else ''}"
                  + (f" (top {PROFILE_TOP})" if len(rows) > PROFILE_TOP else ""))
        if not rows:
            return
        self._say(f"{'line':>6} {'count':>8} {'share':>7}  source")
        for row in rows[:PROFILE_TOP]:
            text = self.lines[row["line"] - 1].strip() if row["line"] <= len(self.lines) else ""
            self._say(f"{row['line']:>6} {row['count']:>8,} {row['share'] * 100:>6.1f}%  "
                      f"{_clip(text, SOURCE_WIDTH)}")

    def to_json(self) -> dict:
        return {"lines": [e for e in self.events], "profile": self.profile(),
                "statements": sum(self.counts.values())}


# ---------------------------------------------------------------- values

def show_value(value) -> str:
    """A value as the trace shows it: as Deluge prints it, with text quoted and lists and
    maps as JSON, so that "5" and 5 look different."""
    try:
        t = type(value)
        if t is str:
            return _clip(json.dumps(value, ensure_ascii=False), VALUE_WIDTH)
        if t in (list, TypedList, dict, Collection):
            return _clip(to_json_text(value), VALUE_WIDTH)
        return _clip(to_text(value), VALUE_WIDTH)
    except Exception:  # a value no printer accepts: say so rather than stop the trace
        return "(a value that cannot be shown)"


def _plain(value):
    try:
        return to_plain(value)
    except Exception:
        return None


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _escape(text: str) -> str:
    """Trace lines carry script data: control characters are escaped (like `dg run`)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\t" or (code >= 32 and code != 127 and not 0xD800 <= code <= 0xDFFF):
            out.append(ch)
        else:
            out.append(f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}")
    return "".join(out)
