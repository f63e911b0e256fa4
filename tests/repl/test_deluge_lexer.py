"""The Pygments lexer: token kinds of a sample, no Error token in any valid script, plugin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pygments.token import Comment, Error, Keyword, Literal, Name, Number, Operator, String

from delugelang.errors import DelugeError
from delugelang.lexer import DelugeLexer
from delugelang.parser import parse
from shared_corpus import shared_cases

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = """\
/* header
   comment */
string standalone.notify(int id, string name)
{
	// a line comment
	d = '15-Aug-1947';
	total = 2.50 + 3 * id;
	For Each index i in {1, 2}
	{
		if (i >= 1 && name != "a\\"b") { info i; } else { continue; }
	}
	resp = invokeurl
	[
		url: "https://example.com/" + id
		type: POST
		content-type: "application/json"
	];
	rec = zoho.crm.getRecordById("Leads", id);
	today = zoho.currentdate;
	names = List:String();
	names.add(input.First_Name);
	try { x = 1 / 0; } catch (e) { return e.message; }
	return null;
}
"""


def tokens(source: str) -> list[tuple]:
    return [(t, v) for t, v in DelugeLexer().get_tokens(source) if v.strip()]


def kind_of(source: str, text: str):
    found = [t for t, v in tokens(source) if v == text]
    assert found, f"{text!r} is not a token of the sample"
    return found[0]


@pytest.mark.parametrize("text, kind", [
    ("/* header\n   comment */", Comment.Multiline),
    ("// a line comment", Comment.Single),
    ("string", Keyword.Type),
    ("standalone.notify", Name.Function),
    ("int", Keyword.Type),
    ("'15-Aug-1947'", Literal.Date),
    ("2.50", Number.Float),
    ("3", Number.Integer),
    ("For", Keyword),
    ("Each", Keyword),
    ("index", Keyword),
    ("in", Keyword),
    ("if", Keyword),
    ("else", Keyword),
    ("continue", Keyword),
    ("info", Keyword),
    ("try", Keyword),
    ("catch", Keyword),
    ("return", Keyword),
    ("null", Keyword.Constant),
    ("\\\"", String.Escape),
    ("invokeurl", Keyword.Reserved),
    ("url", Name.Attribute),
    ("content-type", Name.Attribute),
    ("POST", Name),
    ("zoho.crm.getRecordById", Name.Builtin),
    ("zoho.currentdate", Name.Builtin),
    ("List", Keyword.Type),
    ("add", Name.Function),
    ("input", Name.Builtin.Pseudo),
    ("First_Name", Name.Attribute),
    ("message", Name.Attribute),
    (">=", Operator),
    ("&&", Operator),
    ("!=", Operator),
])
def test_sample_tokens(text, kind):
    assert kind_of(SAMPLE, text) in kind


def test_sample_round_trips_without_errors():
    lexed = list(DelugeLexer().get_tokens(SAMPLE))
    assert "".join(v for _, v in lexed) == SAMPLE
    assert not [v for t, v in lexed if t in Error]


def test_a_name_that_starts_with_a_keyword_is_a_name():
    assert kind_of("information = 1; iffy = informal;", "information") is Name
    assert kind_of("iffy = 1;", "iffy") is Name


def test_a_bad_character_is_an_error_token():
    assert kind_of("x = 1 # 2;", "#") in Error


def test_unclosed_text_stays_a_text_while_typing():
    lexed = tokens('x = "still typing\nmore')
    assert not [v for t, v in lexed if t in Error]
    assert lexed[-1][0] in String


def _valid_scripts():
    paths = sorted(p for p in ROOT.rglob("*.dg") if ".venv" not in p.parts)
    scripts = [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in paths]
    scripts += [(case["id"], case["code"]) for case in shared_cases("conformance/public.jsonl")]
    valid = []
    for name, source in scripts:
        try:
            parse(source)
        except DelugeError:
            continue  # deliberately broken scripts (golden error tests) may hold anything
        valid.append((name, source))
    return valid


def test_every_valid_script_lexes_without_error_tokens():
    scripts = _valid_scripts()
    assert len(scripts) >= 20, "the repository's .dg files were not found"
    bad = {}
    for name, source in scripts:
        errors = [v for t, v in DelugeLexer().get_tokens(source) if t in Error]
        if errors:
            bad[name] = errors[:5]
    assert bad == {}


def test_pygmentize_finds_the_plugin(tmp_path):
    script = tmp_path / "hello.dg"
    script.write_text('info "hi"; // greet\n', encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "pygments", "-l", "deluge", "-f", "raw",
                          str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Token.Keyword\t'info'" in out.stdout
    assert "Token.Comment.Single\t'// greet'" in out.stdout
