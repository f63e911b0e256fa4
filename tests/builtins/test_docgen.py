"""docs/builtins.md is generated from the docstrings and covers every name in the reference."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import delugelang
from deluge_harness import same_value, services_for
from delugelang.builtins import docgen, load_all
from delugelang.builtins.registry import FUNCTIONS, METHODS
from shared_corpus import ROOT, shared_file

PAGE = ROOT / "docs" / "builtins.md"

# Backticked words in reference §6-§7 that are not builtin names: typed-list element types,
# argument placeholders, option values, pattern letters and URL fragments.
NOT_NAMES = {"bool", "date", "float", "int", "string", "base64", "binary", "hex", "dd", "yy",
             "yyyy", "deluge", "end", "start", "f", "t", "false", "true", "format", "functions",
             "help", "key", "outputtype", "search", "timezone"}


def reference_names() -> set[str]:
    """Function and method names written in code spans in reference §6 and §7."""
    text = shared_file("reference/deluge-reference.md").read_text(encoding="utf-8")
    section = text[text.index("## 6. Collections"):text.index("## 8. The info")]
    names = set()
    for code in re.findall(r"`([^`]+)`", section):
        names.update(re.findall(r"((?:zoho\.encryption\.)?[A-Za-z_]\w*)\s*\(", code))
        for part in re.split(r"\s*/\s*", code.strip()):
            if re.fullmatch(r"[a-z]\w*", part):
                names.add(part)
    return {n for n in names if not re.fullmatch(r"[0-9a-f]{20,}", n)
            and n.lower() not in NOT_NAMES}


def test_page_matches_the_docstrings():
    assert PAGE.is_file(), "docs/builtins.md is missing"
    assert PAGE.read_text(encoding="utf-8") == docgen.render(), (
        "docs/builtins.md is stale: run `python -m delugelang.builtins.docgen docs/builtins.md`")


def test_every_reference_name_is_on_the_page():
    page = PAGE.read_text(encoding="utf-8").lower()
    names = reference_names()
    assert len(names) > 200
    missing = sorted(n for n in names
                     if not re.search(r"[`.]" + re.escape(n.lower()) + r"[`(]", page))
    assert not missing, f"reference names missing from docs/builtins.md: {missing}"


def test_reference_names_are_implemented_or_listed_as_not_supported():
    load_all()
    known = set(METHODS) | set(FUNCTIONS)
    known |= {n.lower().split(".")[-1] for n in docgen.NOT_SUPPORTED}
    known |= {name.split(".")[-1] for name in docgen.DOCUMENTED_NAMES}
    known |= {name.lower() for name in docgen.DOCUMENTED_NAMES}
    missing = sorted(n for n in reference_names() if n.lower() not in known
                     and n.lower().split(".")[-1] not in known)
    assert not missing, f"named in the reference but not implemented: {missing}"


def test_every_registered_name_has_a_row():
    load_all()
    page = PAGE.read_text(encoding="utf-8")
    rows = {m.group(1).lower() for m in re.finditer(r"[`.]([A-Za-z_]\w*)[`(]", page)}
    names = {spec.name.lower() for spec in METHODS.values()}
    names |= {spec.name.lower() for spec in FUNCTIONS.values()}
    assert not sorted(names - rows)


def test_one_table_per_type():
    page = PAGE.read_text(encoding="utf-8")
    for title in ("Text", "Number", "Decimal", "List", "Map (KEY-VALUE)", "Collection",
                  "Date, date-time and time", "Boolean", "Any value, and global functions",
                  "Tasks (zoho.encryption.*)"):
        assert f"\n## {title}\n" in page


def test_signatures_and_returns():
    tables = docgen.collect()
    by_name = {e.names[0]: e for e in tables["Text"]}
    assert docgen.signature(by_name["subString"]) == "text.subString(start[, end])"
    assert by_name["subString"].names[1:] == ["subText", "mid"]
    tasks = {e.names[0]: e for e in tables["Tasks (zoho.encryption.*)"]}
    assert docgen.signature(tasks["zoho.encryption.hmacsha256"]) == \
        "zoho.encryption.hmacsha256(key, text[, output_type])"
    docgen.record_returns([by_name["getPrefix"], tasks["zoho.encryption.md5"]])
    assert docgen.returns(by_name["getPrefix"]) == "TEXT or null"
    assert docgen.returns(tasks["zoho.encryption.md5"]) == "TEXT"


def test_recording_leaves_the_registry_as_it_was():
    load_all()
    before = {k: dict(s.impls) for k, s in METHODS.items()}
    functions = dict(FUNCTIONS)
    docgen.record_returns([])
    assert {k: dict(s.impls) for k, s in METHODS.items()} == before
    assert FUNCTIONS == functions


@pytest.mark.parametrize("form", docgen.LANGUAGE_FORMS, ids=[f[0] for f in docgen.LANGUAGE_FORMS])
def test_language_form_examples(form):
    for expression, expected in form[3]:
        got = delugelang.compile(f"return {expression};").run(services=services_for(None))
        assert same_value(got.plain_value(), json.loads(expected)), expression


def test_cli_help_and_output(tmp_path):
    helped = subprocess.run([sys.executable, "-m", "delugelang.builtins.docgen", "--help"],
                            capture_output=True, text=True, check=True)
    assert "docs/builtins.md" in helped.stdout
    out = tmp_path / "page.md"
    subprocess.run([sys.executable, "-m", "delugelang.builtins.docgen", str(out)], check=True)
    assert out.read_text(encoding="utf-8") == PAGE.read_text(encoding="utf-8")
