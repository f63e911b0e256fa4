"""`dg test` as a command: samples pass, a broken test fails readably, exit codes, JUnit XML."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
DG = [sys.executable, "-m", "delugelang.cli"]
SUMMARY = re.compile(r"^\d+ passed, \d+ failed(, \d+ skipped)?$", re.M)


def dg(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(DG + list(args), capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=120)


def test_dg_test_samples_passes():
    out = dg("test", "samples/")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "samples/welcome.test.json ...." in out.stdout.splitlines()
    summary = SUMMARY.findall(out.stdout)
    assert len(summary) == 1
    last = out.stdout.strip().splitlines()[-1]
    passed = int(last.split()[0])
    assert last == f"{passed} passed, 0 failed" and passed >= 13
    assert "FAILURES" not in out.stdout and out.stderr == ""


def test_a_broken_test_file_fails_with_a_readable_diff():
    out = dg("test", str(DATA / "broken"))
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[0].endswith("greet.test.json .FFs")
    assert lines[-1] == "1 passed, 2 failed, 1 skipped"
    text = out.stdout
    assert "greet.test.json::wrong return" in text and "greet.test.json::wrong info" in text
    block = text[text.index("::wrong return"):text.index("::wrong info")]
    assert "return value:\n--- expected\n+++ actual\n" in block
    assert '-    "Ada2"\n+    "Ada2",\n+    "Ada3"' in block
    assert '-  "Hello, Robert"\n+  "Hello, Bob"' in text


def test_verbose_lists_each_case_and_k_selects(tmp_path):
    out = dg("test", "-v", "-k", "wrong", str(DATA / "broken"))
    assert out.returncode == 1
    lines = [line for line in out.stdout.splitlines() if line.startswith(str(DATA)) or "::" in line]
    assert lines[0].endswith("greet.test.json::wrong return FAILED")
    assert lines[1].endswith("greet.test.json::wrong info FAILED")
    assert out.stdout.strip().splitlines()[-1] == "0 passed, 2 failed"
    only_skip = dg("test", "-v", "-k", "not yet", str(DATA / "broken"))
    assert only_skip.returncode == 0
    assert "SKIPPED" in only_skip.stdout and "waiting for the greeting copy" in only_skip.stdout
    assert only_skip.stdout.strip().splitlines()[-1] == "0 passed, 0 failed, 1 skipped"


def test_a_script_that_does_not_compile_exits_65_with_its_caret():
    out = dg("test", str(DATA / "uncompilable"))
    assert out.returncode == 65
    assert "oops.dg:2:6: error: Variable 'y' is not defined" in out.stdout
    assert "   2 | info y;" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "0 passed, 1 failed"


def test_an_invalid_test_file_is_a_usage_error_and_nothing_runs():
    out = dg("test", str(DATA / "invalid"), str(DATA / "broken"))
    assert out.returncode == 2
    assert "bad.test.json: case 'one': expect \"info\" must be a list of texts" in out.stderr
    assert "nothing was run" in out.stderr and out.stdout == ""


def test_usage_errors(tmp_path):
    missing = dg("test", "no/such/dir")
    assert missing.returncode == 2 and "no such file or directory: no/such/dir" in missing.stderr
    empty = dg("test", str(tmp_path))
    assert empty.returncode == 2 and "no *.test.json files" in empty.stderr
    (tmp_path / "lonely.dg").write_text("return 1;\n")
    lonely = dg("test", str(tmp_path / "lonely.dg"))
    assert lonely.returncode == 2 and "has no test file beside it" in lonely.stderr
    (tmp_path / "notes.txt").write_text("x")
    other = dg("test", str(tmp_path / "notes.txt"))
    assert other.returncode == 2 and "is not a test file" in other.stderr


def test_a_dg_file_runs_the_tests_beside_it():
    out = dg("test", "samples/welcome.dg")
    assert out.returncode == 0
    assert out.stdout.splitlines() == ["samples/welcome.test.json ....", "4 passed, 0 failed"]


def test_junit_xml_for_ci(tmp_path):
    report = tmp_path / "junit.xml"
    out = dg("test", "--junit-xml", str(report), str(DATA / "broken"), "samples/welcome.dg")
    assert out.returncode == 1
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("8", "2", "1")
    suites = root.findall("testsuite")
    assert [s.get("tests") for s in suites] == ["4", "4"]
    cases = {c.get("name"): c for c in suites[0].findall("testcase")}
    failure = cases["wrong return"].find("failure")
    assert failure.get("message") == "return value"
    assert "+    \"Ada3\"" in failure.text
    assert cases["not yet"].find("skipped").get("message") == "waiting for the greeting copy"
    assert cases["right"].find("failure") is None


def test_help_explains_the_command():
    out = dg("test", "--help")
    assert out.returncode == 0
    for words in ("*.test.json", "--junit-xml", "exit codes", "65", "README"):
        assert words in out.stdout


def test_every_sample_script_with_fixtures_has_tests():
    scripts = sorted((ROOT / "samples").glob("*.dg"))
    tested = [p for p in scripts if p.with_name(p.stem + ".test.json").exists()]
    assert len(tested) >= 4
    data = json.loads((ROOT / "samples" / "lead_followup.test.json").read_text())
    assert "records" in data["fixtures"]
