"""`make bench`: B1-B7 side by side with CPython, the targets, and bench/results.json.

    python bench/run.py                 # everything, default sizes
    python bench/run.py --only B1 B4    # a subset
    python bench/run.py --scale 0.01 --rounds 1 --output /tmp/r.json   # a quick smoke run
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import compile_bench  # noqa: E402
import startup  # noqa: E402
import workflow_bench  # noqa: E402
from harness import interleaved, median_of  # noqa: E402
from programs import WORKLOADS  # noqa: E402

import delugelang  # noqa: E402
from delugelang.limits import CRM  # noqa: E402
from delugelang.values import to_plain  # noqa: E402

# Ratios to CPython (B1-B4, B6), milliseconds (B5) and megabytes (B6 memory).
TARGETS = {"B1": 4.0, "B2": 2.5, "B3": 2.5, "B4": 2.5, "B5 cold": 15.0, "B5 cached": 0.1,
           "B6": 4.0, "B6 memory": 40.0}

# B1 runs 100,000 iterations of a two-statement loop (the `for each` counts once per
# iteration plus its body), which is more than the crm profile's 200,000 statements. B1
# therefore raises that one budget; every other limit stays at the crm default, and
# counting runs exactly as it does under the default.
B1_LIMITS = CRM.replace(statements=1_000_000)


def run_workload(w, scale: float, rounds: int) -> dict:
    size = max(int(w.default_size * scale), 1)
    data = w.make_input(size)
    program = delugelang.compile(w.source, f"<{w.key}>")
    if w.key == "B1":
        def deluge():
            return w.deluge_call(program, data, B1_LIMITS)
    else:
        def deluge():
            return w.deluge_call(program, data)

    def python():
        return w.python_call(data)

    got, want = to_plain(deluge()), python()
    if got != want:
        raise SystemExit(f"{w.key}: delugelang returned {str(got)[:200]}, "
                         f"CPython {str(want)[:200]}")
    # A per-call benchmark's twin is the shortest (about 0.05 s a round), so one slow
    # round moves its median most: it takes twice the rounds, for the same few seconds.
    rounds = rounds * 2 + 1 if w.per_call else rounds
    pair = interleaved(deluge, python, rounds)
    calls = size if w.per_call else 1
    return {"key": w.key, "title": w.title, "size": size, "rounds": rounds,
            "deluge_ms": pair.deluge * 1000 / calls, "python_ms": pair.python * 1000 / calls,
            "ratio": pair.ratio, "unit": "ms per call" if w.per_call else "ms"}


def conversion(size: int, rounds: int) -> dict:
    """What a host pays to hand a list of `size` numbers to a run as plain Python data."""
    from delugelang.values import from_plain
    data = list(range(size))
    return {"size": size, "ms": median_of(lambda: from_plain(data), rounds) * 1000}


def check(name: str, measured: float) -> dict:
    target = TARGETS[name]
    return {"target": name, "limit": target, "measured": measured, "met": measured <= target}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[1:]))
    parser.add_argument("--only", nargs="+", metavar="Bn", help="run only these benchmarks")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every workload size (default 1: the sizes of issue 8)")
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds per side (median)")
    parser.add_argument("--output", default=str(HERE / "results.json"),
                        help="where to write the JSON results (default bench/results.json)")
    args = parser.parse_args(argv)
    wanted = {k.upper() for k in args.only} if args.only else None

    def selected(key):
        return wanted is None or key in wanted

    results, checks = {}, []
    print(f"delugelang {delugelang.__version__} vs CPython {platform.python_version()}, "
          f"rounds={args.rounds}, scale={args.scale:g}")
    print(f"{'':4} {'workload':38} {'delugelang':>12} {'CPython':>12} {'ratio':>7}  target")
    for w in WORKLOADS:
        if not selected(w.key):
            continue
        r = run_workload(w, args.scale, args.rounds)
        results[w.key] = r
        c = check(w.key, r["ratio"])
        checks.append(c)
        print(f"{w.key:4} {w.title:38} {r['deluge_ms']:10.3f}ms {r['python_ms']:10.3f}ms "
              f"{r['ratio']:6.2f}x  <= {c['limit']:g}x {_verdict(c)}")
    if results.get("B1"):
        r = conversion(results["B1"]["size"], args.rounds)
        results["conversion"] = r
        print(f"     host list conversion ({r['size']:,} numbers, not in B1-B3) "
              f"{r['ms']:7.3f}ms")
    if selected("B5"):
        lines = max(int(500 * args.scale), 20) if args.scale < 1 else 500
        r = compile_bench.measure(lines, max(args.rounds, 3))
        results["B5"] = r
        cold, cached = check("B5 cold", r["cold_ms"]), check("B5 cached", r["cached_ms"])
        checks += [cold, cached]
        print(f"B5   compile {r['lines']} lines, cold{'':19} {r['cold_ms']:10.3f}ms "
              f"{'':20} <= 15 ms {_verdict(cold)}")
        print(f"     (for scale: CPython compiles the same function as plain Python in "
              f"{r['python_compile_ms']:.1f} ms)")
        print(f"B5   compile {r['lines']} lines, from the cache{'':9} {r['cached_ms']:10.4f}ms "
              f"{'':20} <= 0.1 ms {_verdict(cached)}")
    if selected("B6"):
        r = startup.measure(max(args.rounds, 3))
        r["ratio"] = r["dg_ms"] / r["python_ms"]
        results["B6"] = r
        start, memory = check("B6", r["ratio"]), check("B6 memory", r["peak_mb"])
        checks += [start, memory]
        print(f"B6   dg run start-up, CPU time{'':9} {r['dg_ms']:10.3f}ms "
              f"{r['python_ms']:10.3f}ms {r['ratio']:6.2f}x  <= 4x {_verdict(start)}")
        print(f"     (wall time {r['dg_wall_ms']:.1f} ms vs {r['python_wall_ms']:.1f} ms for "
              f"python -c 'pass'; the compiled program comes from dg run's cache)")
        print(f"     first run, empty program cache: {r['dg_cold_ms']:.1f} ms CPU "
              f"({r['dg_cold_ms'] / r['python_ms']:.2f}x, for information)")
        print(f"B6   dg run peak memory{'':16} {r['peak_mb']:10.1f}MB {r['python_peak_mb']:10.1f}MB"
              f"{'':9}<= 40 MB {_verdict(memory)}")
    if selected("B7"):
        r = workflow_bench.measure(max(int(200 * args.scale), 5), max(args.rounds // 2, 3))
        results["B7"] = r
        if r.get("skipped"):
            print(f"B7   skipped: {r['skipped']}")
        else:
            print(f"B7   workflow: records created with one rule {r['records_per_second']:8.0f}/s "
                  f"({r['ms_per_record']:.2f} ms each; with no rule "
                  f"{r['no_rule_records_per_second']:.0f}/s, {r['no_rule_ms_per_record']:.2f} ms)")
    met = sum(1 for c in checks if c["met"])
    print(f"targets met: {met} of {len(checks)}")
    Path(args.output).write_text(json.dumps({
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(), "machine": platform.machine(),
        "rounds": args.rounds, "scale": args.scale, "results": results, "targets": checks,
    }, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


def _verdict(c: dict) -> str:
    return "met" if c["met"] else "NOT MET"


if __name__ == "__main__":
    sys.exit(main())
