"""The compiled-program cache: program_codec's bytes, and `dg run`'s entries on disk."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

import delugelang
from delugelang import program_codec
from delugelang.cli import program_cache
from delugelang.program import compile as compile_program

SCRIPTS = {
    "main body": 'x = 1.5 + 2;\ninfo "total " + x + " " + " a ".trim().length();\n'
                 'd = \'01-Jan-2020 10:00:00\';\ninfo d.addDay(1);\nreturn {"a": ifnull(null, 3)};\n',
    "functions": 'int double(int n) { return n * 2; }\n'
                 'string greet(string name) { info "hi " + name.toUpperCase(); '
                 'return "x" + double(21); }\n',
    "loops and maps": 'm = Map();\nl = List();\nfor each i in {1, 2, 3} { l.add(i * i % 7); '
                      'm.put("k" + i, i); }\ninfo l;\ninfo m.get("k2") + 1;\n',
    "planned replaceAll": 'info "+1 (555) 010".replaceAll("[^0-9]", "");\n'
                          'info "a-b".replaceAll("-", "--");\n',
    "warning": 'x = 1;\nif (x = 1) { info "one"; }\n',
}
WARNING_SCRIPT = SCRIPTS["warning"]
FAILING = 'x = 10;\ninfo "before";\ny = x / 0;\n'
EXTRA = ("limits", 100, 1000)


# ---------------------------------------------------------------- the codec

@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_a_decoded_program_runs_as_the_compiled_one(name):
    source = SCRIPTS[name]
    program = compile_program(source, "f.dg", cache=False)
    data = program_codec.encode(program, EXTRA)
    assert data is not None
    loaded = program_codec.decode(data, source, "f.dg", EXTRA)
    assert loaded.functions == program.functions
    assert loaded.warnings == program.warnings
    for function in [None] + [f.name for f in program.functions]:
        args = {"name": "ada"} if function == "greet" else {"n": 4} if program.functions \
            else None
        assert loaded.run(args, function=function).to_json()["return"] == \
            program.run(args, function=function).to_json()["return"]
        assert loaded.run(args, function=function).info == \
            program.run(args, function=function).info


def test_a_decoded_program_fails_at_the_same_place():
    program = compile_program(FAILING, "f.dg", cache=False)
    loaded = program_codec.decode(program_codec.encode(program, EXTRA), FAILING, "f.dg", EXTRA)
    errors = []
    for p in (program, loaded):
        with pytest.raises(delugelang.DelugeError) as caught:
            p.run()
        errors.append((caught.value.line, caught.value.column, caught.value.render(FAILING, "f.dg"),
                       caught.value.info))
    assert errors[0] == errors[1]
    assert errors[0][0] == 3


@pytest.mark.parametrize("change", ["source", "filename", "extra"])
def test_an_entry_is_used_only_for_exactly_its_key(change):
    source = SCRIPTS["functions"]
    data = program_codec.encode(compile_program(source, "f.dg", cache=False), EXTRA)
    asked = {"source": (source, "f.dg", EXTRA), "filename": (source, "g.dg", EXTRA),
             "extra": (source, "f.dg", ("limits", 100, 1001))}
    if change == "source":
        asked[change] = (source + " ", "f.dg", EXTRA)
    with pytest.raises(program_codec.CodecError):
        program_codec.decode(data, *asked[change])


def test_damaged_or_foreign_bytes_are_refused():
    source = SCRIPTS["main body"]
    data = program_codec.encode(compile_program(source, "f.dg", cache=False), EXTRA)
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0xFF
    for bad in (b"", b"garbage", data[:-1], data[:20], bytes(flipped), data + b"x",
                b"\x00" * len(data)):
        with pytest.raises(program_codec.CodecError):
            program_codec.decode(bad, source, "f.dg", EXTRA)


def test_another_python_is_another_key(monkeypatch):
    source = SCRIPTS["main body"]
    data = program_codec.encode(compile_program(source, "f.dg", cache=False), EXTRA)
    monkeypatch.setattr(program_codec, "python_tag", lambda: ("cpython-99", "9.9", 4))
    with pytest.raises(program_codec.CodecError):
        program_codec.decode(data, source, "f.dg", EXTRA)


def test_a_loaded_program_has_no_python_tree_to_show():
    source = SCRIPTS["main body"]
    data = program_codec.encode(compile_program(source, "f.dg", cache=False), EXTRA)
    with pytest.raises(delugelang.DelugeError, match="cache"):
        program_codec.decode(data, source, "f.dg", EXTRA).python_source()


# ---------------------------------------------------------------- entries on disk

@pytest.fixture
def cache(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("DG_CACHE_DIR", str(directory))
    monkeypatch.delenv(program_cache.DISABLE_ENV, raising=False)
    return directory / program_cache.SUBDIRECTORY


def _entries(directory) -> list:
    return sorted(p for p in directory.iterdir() if p.suffix == ".dgc") if directory.exists() \
        else []


def test_the_second_compile_loads_the_entry(cache, monkeypatch):
    source = SCRIPTS["functions"]
    first = program_cache.compile_cached(source, "f.dg", delugelang.CRM)
    assert len(_entries(cache)) == 1
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(_entries(cache)[0].stat().st_mode) == 0o600

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr("delugelang.program.compile", no_compiling)
    second = program_cache.compile_cached(source, "f.dg", delugelang.CRM)
    assert second is not first and second.functions == first.functions
    assert second.run({"n": 5}, function="double").value == 10


def test_a_changed_engine_compiles_again(cache, monkeypatch):
    source = SCRIPTS["functions"]
    program_cache.compile_cached(source, "f.dg", delugelang.CRM)
    before = _entries(cache)[0].read_bytes()
    monkeypatch.setattr(program_cache, "engine_fingerprint", lambda: ("0.1.0", (("x.py", 1, 2),)))
    compiled = []
    real = delugelang.program.compile
    monkeypatch.setattr("delugelang.program.compile",
                        lambda *a, **k: compiled.append(1) or real(*a, **k))
    program_cache.compile_cached(source, "f.dg", delugelang.CRM)
    assert compiled == [1]
    assert _entries(cache)[0].read_bytes() != before  # replaced by the new engine's


def test_the_fingerprint_follows_every_file_of_the_package(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("x = 1\n")
    (package / "sub" / "mod.py").write_text("y = 2\n")
    monkeypatch.setattr(delugelang, "__file__", str(package / "__init__.py"))
    first = program_cache.engine_fingerprint()
    assert [name for name, _, _ in first[1]][:2] == ["__init__.py", "sub/mod.py"]
    (package / "sub" / "mod.py").write_text("y = 22\n")
    assert program_cache.engine_fingerprint() != first
    again = program_cache.engine_fingerprint()
    os.utime(package / "__init__.py", ns=(1, 1))
    assert program_cache.engine_fingerprint() != again


def test_a_damaged_entry_is_ignored_and_replaced(cache):
    source = SCRIPTS["loops and maps"]
    program_cache.compile_cached(source, "f.dg", delugelang.CRM)
    entry = _entries(cache)[0]
    good = entry.read_bytes()
    for damage in (good[: len(good) // 2], b"not an entry", b""):
        entry.write_bytes(damage)
        program = program_cache.compile_cached(source, "f.dg", delugelang.CRM)
        assert program.run().info == ("1,4,2", "3")
        assert entry.read_bytes() == good


def test_a_directory_others_can_write_is_refused(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("DG_CACHE_DIR", str(shared))
    program = program_cache.compile_cached(SCRIPTS["main body"], "f.dg", delugelang.CRM)
    assert program.run().info[0].startswith("total 3.5")
    assert list(shared.iterdir()) == []


def test_an_unwritable_directory_never_fails_the_run(tmp_path, monkeypatch):
    monkeypatch.setenv("DG_CACHE_DIR", str(tmp_path / "file"))
    (tmp_path / "file").write_text("a file, not a directory")
    program = program_cache.compile_cached(SCRIPTS["main body"], "f.dg", delugelang.CRM)
    assert program.run().value == {"a": 3}


def test_the_oldest_entries_go_first(tmp_path):
    for i in range(5):
        entry = tmp_path / f"{i}.dgc"
        entry.write_bytes(b"x" * 10)
        os.utime(entry, ns=(i * 10**9, i * 10**9))
    program_cache._evict(str(tmp_path), max_entries=3)
    assert [p.name for p in _entries(tmp_path)] == ["2.dgc", "3.dgc", "4.dgc"]
    program_cache._evict(str(tmp_path), max_bytes=25)
    assert [p.name for p in _entries(tmp_path)] == ["3.dgc", "4.dgc"]


# ---------------------------------------------------------------- `dg run`, as a process

def _dg(tmp_path, *argv, env_extra=None, modules_report=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DG_WORKSPACE",
                                                           program_cache.DISABLE_ENV)}
    env["DG_CACHE_DIR"] = str(tmp_path / "cache")
    env.update(env_extra or {})
    code = "import sys\nfrom delugelang.cli import main\n"
    if modules_report:
        code += ("import atexit, json\natexit.register(lambda: open(%r, 'w').write("
                 "json.dumps(sorted(sys.modules))))\n" % str(modules_report))
    code += "sys.exit(main(sys.argv[1:]))\n"
    return subprocess.run([sys.executable, "-c", code, *argv], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


FRONTEND_AND_COMPILER = {"delugelang.scanner", "delugelang.rdparser", "delugelang.frontend",
                         "delugelang.checker", "delugelang.compiler", "delugelang.inline",
                         "delugelang.nodes", "delugelang.builder", "ast", "hashlib"}


def test_the_second_run_imports_no_parser_or_compiler(tmp_path):
    (tmp_path / "f.dg").write_text(SCRIPTS["main body"], encoding="utf-8")
    report = tmp_path / "modules.json"
    first = _dg(tmp_path, "run", "f.dg", modules_report=report)
    assert first.returncode == 0, first.stderr
    assert "delugelang.compiler" in json.loads(report.read_text())
    second = _dg(tmp_path, "run", "f.dg", modules_report=report)
    assert (second.returncode, second.stdout, second.stderr) == \
        (first.returncode, first.stdout, first.stderr)
    modules = set(json.loads(report.read_text()))
    assert "delugelang.program_codec" in modules
    assert modules & FRONTEND_AND_COMPILER == set()


@pytest.mark.parametrize("argv", [
    ("run", "warn.dg"), ("run", "warn.dg", "--json"), ("run", "fail.dg"),
    ("run", "fail.dg", "--json"), ("run", "warn.dg", "--trace"), ("run", "fail.dg", "--trace"),
    ("run", "bad.dg"),
])
def test_output_is_the_same_with_and_without_the_cache(tmp_path, argv):
    (tmp_path / "warn.dg").write_text(WARNING_SCRIPT, encoding="utf-8")
    (tmp_path / "fail.dg").write_text(FAILING, encoding="utf-8")
    (tmp_path / "bad.dg").write_text("x = ;\n", encoding="utf-8")
    runs = [_dg(tmp_path, *argv, "--no-cache"), _dg(tmp_path, *argv), _dg(tmp_path, *argv)]
    shown = [(r.returncode, _without_ms(r.stdout), r.stderr) for r in runs]
    assert shown[0] == shown[1] == shown[2]
    if argv[1] == "warn.dg" and "--json" not in argv:
        assert "warn.dg:2:7: warning" in runs[2].stderr and "^" in runs[2].stderr
    stored = _entries(tmp_path / "cache" / program_cache.SUBDIRECTORY)
    assert len(stored) == (0 if argv[1] == "bad.dg" else 1)  # errors are not stored


def _without_ms(stdout: str) -> str:
    if not stdout.startswith("{"):
        return stdout
    obj = json.loads(stdout)
    obj["stats"].pop("ms")
    return json.dumps(obj)


@pytest.mark.parametrize("how", ["option", "environment"])
def test_no_cache_stores_and_loads_nothing(tmp_path, how):
    (tmp_path / "f.dg").write_text(SCRIPTS["main body"], encoding="utf-8")
    argv, env = (("--no-cache",), None) if how == "option" else ((), {"DG_NO_PROGRAM_CACHE": "1"})
    report = tmp_path / "modules.json"
    for _ in range(2):
        done = _dg(tmp_path, "run", "f.dg", *argv, env_extra=env, modules_report=report)
        assert done.returncode == 0, done.stderr
    assert "delugelang.compiler" in json.loads(report.read_text())
    assert _entries(tmp_path / "cache" / program_cache.SUBDIRECTORY) == []


def test_concurrent_writers_leave_one_good_entry(tmp_path):
    (tmp_path / "f.dg").write_text(SCRIPTS["loops and maps"], encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DG_WORKSPACE"}
    env["DG_CACHE_DIR"] = str(tmp_path / "cache")
    code = "import sys\nfrom delugelang.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    runs = [subprocess.Popen([sys.executable, "-c", code, "run", "f.dg"], cwd=tmp_path, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(6)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0] * 6
    assert {out for out, _ in outputs} == {"1,4,2\n3\n"}
    directory = tmp_path / "cache" / program_cache.SUBDIRECTORY
    assert len(_entries(directory)) == 1
    assert [p for p in directory.iterdir() if p.suffix != ".dgc"] == []  # no temporary left
    entry = _entries(directory)[0].read_bytes()
    extra = program_cache._extra(delugelang.CRM)
    source = SCRIPTS["loops and maps"]
    assert program_codec.decode(entry, source, "f.dg", extra).run().info == ("1,4,2", "3")


def test_help_says_what_the_cache_is(tmp_path):
    done = _dg(tmp_path, "run", "--help", env_extra={"COLUMNS": "200"})
    assert done.returncode == 0
    assert "--no-cache" in done.stdout and "compiled-program cache" in done.stdout
    assert str(tmp_path / "cache" / "programs") in done.stdout


def _reentry(data: bytes, change) -> bytes:
    """`data` with its body changed by `change(body_tuple)`, re-checksummed: a planted entry."""
    import marshal
    import zlib
    header = len(program_codec.MAGIC) + 8
    key, body = marshal.loads(data[header:])
    payload = marshal.dumps((key, marshal.dumps(change(list(marshal.loads(body))))))
    return (program_codec.MAGIC + zlib.crc32(payload).to_bytes(4, "big")
            + len(payload).to_bytes(4, "big") + payload)


@pytest.mark.parametrize("binding", [("op_type", "builtins", "eval"),
                                     ("op_eval", "builtins", "eval"),
                                     ("op_open", "builtins", "open"),
                                     ("op_len", "builtins", "__import__")])
def test_an_entry_binds_only_the_fast_paths_own_builtins(binding):
    source = 'x = " a ".trim(); return x.length();'
    data = program_codec.encode(compile_program(source, "f.dg", cache=False), EXTRA)
    assert program_codec.decode(data, source, "f.dg", EXTRA).run().value == 1

    def plant(body):
        body[2] = tuple(body[2]) + (binding,)
        return tuple(body)
    with pytest.raises(program_codec.CodecError):
        program_codec.decode(_reentry(data, plant), source, "f.dg", EXTRA)
