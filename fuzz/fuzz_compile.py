"""Atheris target: compile and run arbitrary text; only Deluge errors may come out.

Not run in CI (tests/test_fuzz.py is the quick, deterministic version). For a long local
run, with coverage guidance from libFuzzer:

    pip install atheris
    python fuzz/fuzz_compile.py -max_total_time=600

Seed it with real scripts for deeper coverage (libFuzzer writes new inputs into the first
directory, so use a scratch copy):

    mkdir -p /tmp/dg-corpus && cp samples/*.dg tests/conformance/*/*.dg /tmp/dg-corpus/
    python fuzz/fuzz_compile.py /tmp/dg-corpus -max_total_time=600

A failure is any exception other than ParseError or CheckError from `compile`, or other
than ScriptError or LimitError from the run, or a run slower than twice its time limit.
libFuzzer saves the input as `crash-<hash>`; replay it with
`python fuzz/fuzz_compile.py crash-<hash>`.
"""

from __future__ import annotations

import datetime as _dt
import sys
import time

import atheris

with atheris.instrument_imports():
    import lark  # noqa: F401 - imported here so that the parser is instrumented too
    import delugelang
    from delugelang.builtins import load_all
    from delugelang.errors import CheckError, LimitError, ParseError, ScriptError
    from delugelang.limits import Limits
    from delugelang.parser import lark_parser

    load_all()
    lark_parser()

LIMITS = Limits(statements=2_000, time_seconds=2)
SERVICES = delugelang.Services(
    clock=lambda: _dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=_dt.timezone.utc), random_seed=1)


def test_one_input(data: bytes) -> None:
    source = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    try:
        program = delugelang.compile(source, "<fuzz>", cache=False)
    except (ParseError, CheckError):
        return
    started = time.monotonic()
    try:
        program.run(limits=LIMITS, services=SERVICES)
    except (ScriptError, LimitError):
        pass
    elapsed = time.monotonic() - started
    if elapsed > LIMITS.time_seconds * 2:
        raise AssertionError(f"a run took {elapsed:.1f}s with a {LIMITS.time_seconds:g}s limit")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
