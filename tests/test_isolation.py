"""Isolation mode: runs match in-process ones; a killed or crashed worker never harms the host."""

from __future__ import annotations

import datetime as _dt
import json
import os
import pickle
import resource
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import delugelang
from delugelang import isolation
from delugelang.errors import DelugeError, LimitError, ScriptError
from delugelang.limits import Limits
from shared_corpus import SHARED_REASON, shared_cases
from test_attacks_public import NEEDS_HTTP, PYTHON_LEAKS, outcome_class

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform != "linux",
                                reason="isolation mode needs Linux fork() and RLIMIT_AS")

ROOT = Path(__file__).resolve().parents[1]
FROZEN = _dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=_dt.timezone.utc)


def hundred() -> str:
    return "{" + ",".join(str(i) for i in range(100)) + "}"


# Four nested loops over 100 elements: 10^8 statements, far past any CPU budget here.
BURNER = (f"n = 0;\nfor each a in {hundred()} {{ for each b in {hundred()} {{ "
          f"for each c in {hundred()} {{ for each d in {hundred()} {{ n = n + 1; }} }} }} }}\n"
          f"return n;")

# Doubles a text to 1M characters, then keeps a thousand 1 MB copies (about 1 GB).
MEMORY_BOMB = ("s = \"x\";\nfor each i in {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20} "
               "{ s = s + s; }\nkeep = List();\n"
               "for each i in " + "{" + ",".join(str(i) for i in range(1000)) + "}"
               " { keep.add(s + i); }\nreturn keep.size();")

RICH = textwrap.dedent("""\
    map build(string name, int count, date day)
    {
        m = Map();
        m.put("name", name + "!");
        m.put("count", count * 2);
        m.put("ratio", 2.50 / 4);
        m.put("day", day.addDay(1));
        m.put("now", zoho.currenttime);
        m.put("tags", List:String({"a", "b"}));
        m.put("nested", {"k": {1, 2, {"deep": true}}, "none": null});
        m.put("field", input.Last_Name);
        info "built " + m.get("name");
        info m.size();
        return m;
    }
    """)


def services(**tasks) -> delugelang.Services:
    return delugelang.Services(clock=lambda: FROZEN, random_seed=3, tasks=tasks)


def both(source: str, **kwargs):
    """(in-process outcome, isolated outcome): each a Result or the DelugeError raised."""
    program = delugelang.compile(source, "<isolation>")
    outcomes = []
    for mode in (None, "process"):
        try:
            outcomes.append(program.run(isolation=mode, **kwargs))
        except DelugeError as err:
            outcomes.append(err)
    return outcomes


def error_fields(err: DelugeError) -> tuple:
    return (type(err), err.message, err.line, err.column, tuple(err.info), err.statements,
            getattr(err, "limit", None), getattr(err, "value", None))


def isolated(source: str, **kwargs):
    return delugelang.compile(source, "<isolation>").run(isolation="process", **kwargs)


def host_is_alive():
    assert isolated('return "still here";').value == "still here"


# ---------------------------------------------------------------- same results


def test_normal_run_matches_in_process():
    local, remote = both(RICH, args={"name": "Ada", "count": 21, "day": "01-Jan-2026"},
                         record={"Last_Name": "Lovelace"}, services=services())
    assert remote.value == local.value
    assert remote.plain_value() == local.plain_value()
    assert remote.info == local.info == ("built Ada!", "8")
    assert remote.stats.statements == local.stats.statements
    assert remote.stats.ms >= 0
    assert type(remote.value["tags"]) is type(local.value["tags"])


def test_values_of_every_type_survive_the_trip():
    source = ('m = Map();\nm.put(true, 1);\nm.put(2.5, "d");\nm.put(\'01-Feb-2020\', "date");\n'
              'm.put({1, 2}, "list key");\n'
              'try { x = 1 / 0; } catch (e) { m.put("err", e); }\n'
              'm.put("when", \'01-Feb-2020 10:20:30\');\nreturn m;')
    local, remote = both(source)
    assert remote.plain_value() == local.plain_value()
    assert [type(k) for k in remote.value] == [type(k) for k in local.value]
    assert remote.value["err"].message == local.value["err"].message == "division by zero"
    assert remote.value["when"] == local.value["when"]


@pytest.mark.parametrize("source,limits", [
    ('info "before";\nx = {1, 2};\ny = x.get(5) + 1 / 0;', None),
    ('info "one";\nthrow "custom failure";', None),
    (BURNER, Limits(statements=5_000)),
    ("int down(int n) { return down(n + 1); }\ninfo down(1);", None),
    ('s = "ab";\nfor each i in {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23} '
     '{ s = s + s; }', Limits(text_length=1_000_000)),
])
def test_errors_match_in_process(source, limits):
    local, remote = both(source, limits=limits)
    assert isinstance(local, DelugeError)
    assert error_fields(remote) == error_fields(local)


def test_usage_errors_match_in_process():
    local, remote = both("void f(int a) { info a; }", function="nope")
    assert type(remote) is type(local) is DelugeError
    assert remote.message == local.message


def test_engine_defect_in_a_service_is_an_internal_error_in_both_modes():
    def broken(rt, args):
        raise KeyError("host bug")
    local, remote = both('r = zoho.crm.getRecordById("Leads", 1);',
                         services=services(**{"zoho.crm.getrecordbyid": broken}))
    assert error_fields(remote) == error_fields(local)
    assert "internal error" in remote.message


# ---------------------------------------------------------------- kills


def test_memory_bomb_hits_the_process_limit_and_the_host_survives():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    limits = Limits(memory_bytes=2**40, process_memory_bytes=64 * 2**20, time_seconds=20)
    with pytest.raises(LimitError) as caught:
        isolated(MEMORY_BOMB, limits=limits)
    err = caught.value
    assert err.limit == "process_memory_bytes" and err.value == 64 * 2**20
    assert "ran out of memory" in err.message and "67108864" in err.message
    assert err.line == 4
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 200 * 1024, "the bomb's memory must be the worker's, not the host's"
    host_is_alive()


def test_cpu_burner_is_stopped_by_the_cpu_limit():
    started = time.monotonic()
    with pytest.raises(LimitError) as caught:
        isolated(BURNER, limits=Limits(statements=10**12, cpu_seconds=1, time_seconds=60))
    assert caught.value.limit == "cpu_seconds" and caught.value.value == 1
    assert "CPU time" in caught.value.message
    assert caught.value.line == 2
    assert time.monotonic() - started < 10
    host_is_alive()


def test_cpu_spent_outside_the_interpreter_is_killed_by_the_kernel():
    def spin(rt, args):  # native code that never returns to the interpreter's signal check
        import hashlib
        data = b"x" * 1_000_000
        while True:
            hashlib.pbkdf2_hmac("sha256", data, b"salt", 10_000_000)
    with pytest.raises(LimitError) as caught:
        isolated('r = zoho.crm.getRecordById("Leads", 1);',
                 services=services(**{"zoho.crm.getrecordbyid": spin}),
                 limits=Limits(cpu_seconds=1, time_seconds=60))
    assert caught.value.limit == "cpu_seconds"
    host_is_alive()


def test_a_worker_that_blocks_is_killed_on_the_wall_clock():
    def hang(rt, args):
        time.sleep(60)
    started = time.monotonic()
    with pytest.raises(LimitError) as caught:
        isolated('r = zoho.crm.getRecordById("Leads", 1);',
                 services=services(**{"zoho.crm.getrecordbyid": hang}),
                 limits=Limits(time_seconds=1))
    elapsed = time.monotonic() - started
    assert caught.value.limit == "time_seconds" and caught.value.value == 1
    assert "was stopped" in caught.value.message
    assert elapsed < isolation.wall_seconds(Limits(time_seconds=1)) + 3
    host_is_alive()


@pytest.mark.parametrize("crash", [
    lambda: os.kill(os.getpid(), signal.SIGSEGV),
    lambda: os.kill(os.getpid(), signal.SIGABRT),
    lambda: os._exit(9),
])
def test_a_crashing_worker_is_a_script_error_and_the_host_survives(crash):
    with pytest.raises(ScriptError) as caught:
        isolated('r = zoho.crm.getRecordById("Leads", 1);',
                 services=services(**{"zoho.crm.getrecordbyid": lambda rt, args: crash()}))
    assert "worker process stopped unexpectedly" in caught.value.message
    host_is_alive()


# ---------------------------------------------------------------- tenants and hosts


def test_consecutive_tenants_share_no_state():
    shelf = {}

    def remember(rt, args):
        shelf[args[0]] = args[1]
        return {"stored": len(shelf)}

    def recall(rt, args):
        return {"seen": shelf.get(args[0])}

    tasks = {"zoho.crm.createrecord": remember, "zoho.crm.getrecordbyid": recall}
    tenant_a = 'r = zoho.crm.createRecord("secret", "tenant A data");\nreturn r;'
    tenant_b = 'return zoho.crm.getRecordById("secret", 1);'
    first = isolated(tenant_a, services=services(**tasks))
    second = isolated(tenant_b, services=services(**tasks))
    assert first.plain_value() == {"stored": 1}
    assert second.plain_value() == {"seen": None}
    assert shelf == {}, "a worker's changes to host objects stay in the worker"


def test_runs_from_many_host_threads_at_once():
    program = delugelang.compile("int f(int n) { s = 0; for each i in {1,2,3,4,5} "
                                 "{ s = s + i * n; } info n; return s; }")

    def one(n):
        return program.run({"n": n}, isolation="process")

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(one, range(24)))
    assert [r.value for r in results] == [15 * n for n in range(24)]
    assert [r.info for r in results] == [(str(n),) for n in range(24)]


def test_a_quick_run_does_not_wait_for_a_slow_run_in_another_thread():
    slow_seconds = 5

    def slow(rt, args):
        time.sleep(slow_seconds)
        return {}
    slow_program = delugelang.compile('r = zoho.crm.getRecordById("Leads", 1);')
    quick_program = delugelang.compile("return 1;")

    def job(i):
        started = time.monotonic()
        if i % 2:
            slow_program.run(services=services(**{"zoho.crm.getrecordbyid": slow}),
                             limits=Limits(time_seconds=20), isolation="process")
        else:
            assert quick_program.run(isolation="process").value == 1
        return i % 2, time.monotonic() - started

    with ThreadPoolExecutor(max_workers=8) as pool:
        timings = list(pool.map(job, range(16)))
    # A quick run queued behind a slow one would take at least `slow_seconds`; the margin
    # below that is for a loaded machine forking eight workers at once.
    assert max(spent for is_slow, spent in timings if not is_slow) < slow_seconds - 1.5


def test_worker_does_not_flush_the_hosts_buffered_output():
    script = ("import sys, delugelang\n"
              "sys.stdout.write('host-line\\n')\n"  # buffered: stdout is a pipe
              "r = delugelang.compile('return 1;').run(isolation='process')\n"
              "print(r.value)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60)
    assert out.stdout == "host-line\n1\n"


def test_worker_messages_only_build_deluge_values():
    hostile = pickle.dumps(("ok", os.system, (), 0, 0.0))
    with pytest.raises(ScriptError, match="malformed"):
        isolation._decode(hostile)


# ---------------------------------------------------------------- dg run --isolate


def dg(*args, stdin: str):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "delugelang.cli", *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)


def test_cli_isolate_runs_a_function():
    out = dg("run", "-", "--isolate", "--json", "--arg", "n=4",
             stdin='int f(int n) { info "n is " + n; return n * n; }')
    obj = json.loads(out.stdout)
    assert out.returncode == 0, out.stderr
    assert (obj["ok"], obj["return"], obj["info"]) == (True, 16, ["n is 4"])
    assert obj["stats"]["statements"] > 0


def test_cli_isolate_reports_a_killed_worker_as_a_limit():
    out = dg("run", "-", "--isolate", "--json", "--limit", "statements=1000000000000",
             "--limit", "cpu_seconds=1", stdin=BURNER)
    obj = json.loads(out.stdout)
    assert out.returncode == 1
    assert obj["ok"] is False and obj["error"]["kind"] == "limit"
    assert "cpu_seconds" in obj["error"]["message"]


def test_cli_isolate_renders_errors_like_in_process():
    source = 'info "a";\nx = 1 / 0;\n'
    plain = dg("run", "-", stdin=source)
    isolated_out = dg("run", "-", "--isolate", stdin=source)
    assert (isolated_out.returncode, isolated_out.stdout, isolated_out.stderr) == \
        (plain.returncode, plain.stdout, plain.stderr) == (1, "a\n", plain.stderr)


# ---------------------------------------------------------------- the attack corpus


ATTACKS = [c for c in shared_cases("attacks/public.jsonl") if c["category"] not in NEEDS_HTTP]


@pytest.mark.skipif(not ATTACKS, reason=SHARED_REASON)
@pytest.mark.parametrize("case", ATTACKS, ids=[c["id"] for c in ATTACKS])
def test_attacks_end_the_same_in_a_worker(case):
    try:
        program = delugelang.compile(case["code"], "<attack>")
    except DelugeError:
        return  # rejected before any run: nothing to isolate
    started = time.monotonic()
    try:
        result = program.run(isolation="process", limits=Limits(time_seconds=5.0),
                             services=services())
        kind, texts = "ok", list(result.info)
    except DelugeError as err:
        kind, texts = "error", list(err.info) + [err.message]
    assert kind in outcome_class(case["expect"])
    assert time.monotonic() - started < 10
    for text in texts:
        assert not PYTHON_LEAKS.search(text[:10_000]), f"Python internals leaked: {text[:200]!r}"
