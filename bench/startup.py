"""B6: `dg run` of a trivial script as a whole process, against `python -c 'pass'`.

B6 is the warm case, repeated runs of the same script: its compiled program comes from
`dg run`'s compiled-program cache. The first run with an empty cache (parse, check,
compile and store) is measured too, for information."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TRIVIAL = 'x = 1 + 2;\ninfo "total " + x;\n'


def dg_command() -> list[str]:
    """The installed `dg` script next to this interpreter, else `python -m delugelang.cli`."""
    script = Path(sys.executable).with_name("dg")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "delugelang.cli"]


def _timed(argv: list[str], env: dict, cwd: str) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, peak resident KiB) of one child process, from its own
    rusage. CPU time (user + system) is what the ratio uses: on a shared machine, wall
    time also counts the moments other processes held the core."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                             cwd=cwd)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    errors = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({child.returncode}): {errors.strip()}")
    return usage.ru_utime + usage.ru_stime, elapsed, usage.ru_maxrss


def compile_bytecode() -> None:
    """Write the package's .pyc files, as installing a wheel does. A checkout run with
    PYTHONDONTWRITEBYTECODE=1 never gets them, and would recompile every module on every
    start-up, which is not what an installed `dg` does."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("delugelang")  # finds it without importing it
    compileall.compile_dir(str(Path(spec.origin).parent), quiet=1)


def measure(rounds: int) -> dict:
    """B6, measured from a fresh small process.

    A child's peak resident size (ru_maxrss) counts the pages it shared with its parent
    before it exec'd, so children of the large benchmark process would report that
    process's size. This module alone imports nothing but the standard library."""
    import json

    compile_bytecode()
    done = subprocess.run([sys.executable, __file__, str(rounds)], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def _measure_here(rounds: int) -> dict:
    """Median CPU and wall time of both commands (taken in turns), dg's peak memory, and
    the CPU time of a first run with an empty program cache."""
    env = dict(os.environ)
    env.pop("DG_WORKSPACE", None)  # a trivial script in an empty directory: no workspace
    env.pop("DG_NO_PROGRAM_CACHE", None)
    with tempfile.TemporaryDirectory() as tmp:
        env["DG_CACHE_DIR"] = os.path.join(tmp, "cache")  # a private cache of its own
        script = Path(tmp) / "trivial.dg"
        script.write_text(TRIVIAL, encoding="utf-8")
        dg = dg_command() + ["run", str(script)]
        python = [sys.executable, "-c", "pass"]
        # Warm the parser cache and the OS file cache.
        _timed(dg, env, tmp), _timed(python, env, tmp)
        dg_times, py_times, dg_walls, py_walls, peaks, py_peaks = [], [], [], [], [], []
        cold_times = []
        for i in range(rounds):
            cold_env = dict(env, DG_CACHE_DIR=os.path.join(tmp, f"cold-{i}"))
            cold_times.append(_timed(dg, cold_env, tmp)[0])
            cpu, wall, peak = _timed(dg, env, tmp)
            dg_times.append(cpu)
            dg_walls.append(wall)
            peaks.append(peak)
            cpu, wall, peak = _timed(python, env, tmp)
            py_peaks.append(peak)
            py_times.append(cpu)
            py_walls.append(wall)
    return {"dg_ms": statistics.median(dg_times) * 1000,
            "python_ms": statistics.median(py_times) * 1000,
            "dg_wall_ms": statistics.median(dg_walls) * 1000,
            "python_wall_ms": statistics.median(py_walls) * 1000,
            "dg_cold_ms": statistics.median(cold_times) * 1000,
            "peak_mb": max(peaks) / 1024, "python_peak_mb": max(py_peaks) / 1024,
            "rounds": rounds}


if __name__ == "__main__":
    import json

    print(json.dumps(_measure_here(int(sys.argv[1]))))
