"""Profile one benchmark's delugelang side with pyinstrument (the `bench` extra).

    python bench/hotspots.py B4            # a call tree of B4's runs, in the terminal
    python bench/hotspots.py B3 --html out.html
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import compile_bench  # noqa: E402
from programs import WORKLOADS  # noqa: E402

import delugelang  # noqa: E402
from delugelang.limits import CRM  # noqa: E402


def workload(key: str):
    """A callable doing benchmark `key` once, compiled and warmed up."""
    if key == "B5":
        sources = iter(compile_bench.source_of(500, salt) for salt in range(1, 10**6))
        delugelang.compile(next(sources), cache=False)
        return lambda: delugelang.compile(next(sources), cache=False)
    for w in WORKLOADS:
        if w.key == key:
            program = delugelang.compile(w.source, f"<{key}>")
            data = w.make_input(w.default_size)
            if key == "B1":
                def run():
                    return w.deluge_call(program, data, CRM.replace(statements=1_000_000))
            else:
                def run():
                    return w.deluge_call(program, data)
            run()
            return run
    raise SystemExit(f"no benchmark {key}; choose B1, B2, B3, B4 or B5")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[1:]))
    parser.add_argument("benchmark", help="B1 to B5")
    parser.add_argument("--repeat", type=int, default=3, help="runs to profile (default 3)")
    parser.add_argument("--html", metavar="FILE", help="write an HTML report instead")
    args = parser.parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        raise SystemExit("pyinstrument is not installed: pip install -e '.[bench]'") from None
    run = workload(args.benchmark.upper())
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.repeat):
            run()
    if args.html:
        Path(args.html).write_text(profiler.output_html(), encoding="utf-8")
        print(f"wrote {args.html}")
    else:
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
