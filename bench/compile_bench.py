"""B5: parse + check + compile of a 500-line function, cold and from the program cache."""

from __future__ import annotations

import time

import delugelang

# Eleven lines of typical CRM code; repeated with fresh names and constants.
_BLOCK = """\
	name{n} = input.First_Name.trim() + " " + input.Last_Name;
	score{n} = {n} * 3 + input.No_of_Employees % 7;
	if (score{n} > 100 || name{n}.startsWith("A"))
	{{
		tags.add("hot-{n}");
	}}
	else if (isNull(input.Email))
	{{
		tags.add(name{n}.subString(0, 1).toUpperCase());
	}}
	summary.put("k{n}", {{"score": score{n}, "name": name{n}.toLowerCase()}});
"""


def source_of(lines: int, salt: int = 0) -> str:
    """A function of about `lines` lines; `salt` changes its constants, so that two
    sources with different salts never share a cache entry."""
    head = ["map bigFunction()", "{", "\ttags = List();", "\tsummary = Map();"]
    tail = ["\tsummary.put(\"tags\", tags);", "\treturn summary;", "}"]
    body: list[str] = []
    block = 0
    room = lines - len(head) - len(tail)
    while len(body) + _BLOCK.count("\n") <= room:
        body.extend(_BLOCK.format(n=salt * 10_000 + block).splitlines())
        block += 1
    while len(body) < room:
        body.append(f"\ttags.add({salt * 10_000 + len(body)});")
    return "\n".join(head + body + tail) + "\n"


# The same eleven lines as plain Python, for scale: what CPython's own compile() costs for
# the unsandboxed equivalent (no budgets, no type checks).
_PY_BLOCK = """\
    name{n} = rec["First_Name"].strip() + " " + rec["Last_Name"]
    score{n} = {n} * 3 + rec["No_of_Employees"] % 7
    if score{n} > 100 or name{n}.startswith("A"):
        tags.append("hot-{n}")
    elif rec.get("Email") is None:
        tags.append(name{n}[0:1].upper())
    summary["k{n}"] = {{"score": score{n}, "name": name{n}.lower()}}
"""


def python_source_of(blocks: int, salt: int = 0) -> str:
    """The Python twin of source_of(): `blocks` blocks, as plain Python source."""
    lines = ["def big_function(rec):", "    tags = []", "    summary = {}"]
    for block in range(blocks):
        lines.extend(_PY_BLOCK.format(n=salt * 10_000 + block).splitlines())
    lines += ["    summary['tags'] = tags", "    return summary"]
    return "\n".join(lines) + "\n"


def python_compile_ms(blocks: int, rounds: int) -> float:
    """Median CPU ms of CPython's compile() of the plain-Python twin (a new source each time)."""
    times = []
    for salt in range(rounds):
        src = python_source_of(blocks, salt)
        started = time.process_time()
        compile(src, "<b5-python>", "exec")
        times.append(time.process_time() - started)
    times.sort()
    return times[len(times) // 2] * 1000


def measure(lines: int, rounds: int) -> dict:
    """Median CPU ms of a cold compile (a new source each time) and of a cached one."""
    delugelang.compile(source_of(lines, salt=999), cache=False)  # loads the grammar
    cold = []
    for salt in range(rounds):
        src = source_of(lines, salt)
        started = time.process_time()
        delugelang.compile(src, "<b5>", cache=False)
        cold.append(time.process_time() - started)
    src = source_of(lines, salt=0)
    delugelang.compile(src, "<b5>")
    cached = []
    for _ in range(max(rounds, 50)):
        started = time.process_time()
        delugelang.compile(src, "<b5>")
        cached.append(time.process_time() - started)
    cold.sort()
    cached.sort()
    return {"lines": src.count("\n"), "cold_ms": cold[len(cold) // 2] * 1000,
            "cached_ms": cached[len(cached) // 2] * 1000, "rounds": rounds,
            "python_compile_ms": python_compile_ms(src.count("if (score"), rounds)}
