"""`dg fmt`: layout, idempotence, unchanged syntax trees, comments kept, and the CLI contract."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from delugelang import nodes as n
from delugelang.builder import build
from delugelang.cli import main
from delugelang.errors import ParseError
from delugelang.formatter import FormatError, format_source
from delugelang.formatter_tokens import scan_comments, token_parser
from delugelang.parser import parse
from shared_corpus import SHARED_REASON, shared_cases

ROOT = Path(__file__).resolve().parents[1]
DG_FILES = sorted(p for d in ("samples", "tests") for p in (ROOT / d).rglob("*.dg"))
CONFORMANCE = shared_cases("conformance/public.jsonl")


def shape(value):
    """A syntax tree as nested tuples, without any span: equal shapes mean equal meaning."""
    if isinstance(value, n.Span):
        return None
    if isinstance(value, n.Node):
        return (type(value).__name__,) + tuple(
            shape(getattr(value, name)) for name in n.fields(value)
            if not isinstance(getattr(value, name), n.Span))
    if isinstance(value, tuple):
        return tuple(shape(v) for v in value if not isinstance(v, n.Span))
    return (type(value).__name__, value)


def tree_shape(source: str):
    return shape(build(parse(source)))


def comment_texts(source: str) -> list[str]:
    return [c.text for c in scan_comments(source)]


def assert_faithful_and_idempotent(source: str) -> str:
    once = format_source(source)
    assert format_source(once) == once, "formatting twice changed the text"
    assert tree_shape(once) == tree_shape(source)
    assert comment_texts(once) == comment_texts(source)
    return once


# ---------------------------------------------------------------- corpora

def _parses(source: str) -> bool:
    try:
        build(parse(source))
    except ParseError:
        return False
    return True


@pytest.mark.parametrize("path", DG_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_dg_file_in_the_repo(path):
    source = path.read_text(encoding="utf-8")
    if not _parses(source):  # the golden syntax-error files: fmt reports, never rewrites
        with pytest.raises(ParseError):
            format_source(source)
        return
    assert_faithful_and_idempotent(source)


def test_the_repo_has_dg_files():
    assert len(DG_FILES) >= 20 and any(p.name == "welcome.dg" for p in DG_FILES)


@pytest.mark.parametrize("case", CONFORMANCE or [None],
                         ids=lambda c: c["id"] if c else "shared-absent")
def test_every_public_conformance_script(case):
    if case is None:
        pytest.skip(SHARED_REASON)
    if not _parses(case["code"]):
        with pytest.raises(ParseError):
            format_source(case["code"])
        return
    assert_faithful_and_idempotent(case["code"])


def test_comments_inserted_anywhere_are_kept_and_stable():
    """Comments between any two tokens of the samples: kept, same tree, idempotent."""
    rng = random.Random(7)
    sources = [p.read_text(encoding="utf-8") for p in DG_FILES[:12]]
    for source in filter(_parses, sources):
        tokens = [t for t in _tokens(source)]
        for _ in range(6):
            cuts = sorted(rng.sample(tokens, min(4, len(tokens))), key=lambda t: t.end_pos,
                          reverse=True)
            text = source
            for i, tok in enumerate(cuts):
                comment = rng.choice([f" // c{i}\n", f" /* c{i} */ ", f"\n/* c{i}\n */\n"])
                text = text[:tok.end_pos] + comment + text[tok.end_pos:]
            if _parses(text):  # not `url /* c */ : x`: a task key must touch its ':'
                assert_faithful_and_idempotent(text)


def _tokens(source):
    from delugelang.formatter_tokens import leaves
    return leaves(token_parser().parse(source))


# ---------------------------------------------------------------- layout

MESSY = """\


string standalone.notify(int id, String name) {
  rec = zoho.crm.getRecordById("Leads", id);   // fetch
  params = {
    "Deal_Name": name,  // the name
    /* nested */ "Amount": -5 * (2 + 3)
  };



  if (rec.get("Email") == null) { info "no email"; } else if(!(a && b)) {
     // only a comment
  }
  else //else comment
  {
  x += 1;
  }
  for each  index i in list:String() { continue; }
  try{ r = invokeUrl [ url: "https://x.com/a" + id
      type: POST  // the verb
      headers: {"Content-Type": "application/json"}
      connection: "crm" ];
  } catch(e){ info e; }
  sendmail [ from: zoho.adminuserid to: "a@b.com", "c@d.com" subject: "Hi" message: "body" ]
  body = "Hello " + name
      + " and welcome";
  x = If(True, NULL, ifnull(a, b));
  return "ok";
}
// end
"""

TIDY = """\
string standalone.notify(int id,String name)
{
\trec = zoho.crm.getRecordById("Leads",id); // fetch
\tparams = {
\t\t"Deal_Name":name, // the name
\t\t/* nested */ "Amount":-5 * (2 + 3)
\t};

\tif(rec.get("Email") == null)
\t{
\t\tinfo "no email";
\t}
\telse if(!(a && b))
\t{
\t\t// only a comment
\t}
\telse //else comment
\t{
\t\tx += 1;
\t}
\tfor each index i in list:String()
\t{
\t\tcontinue;
\t}
\ttry
\t{
\t\tr = invokeurl
\t\t[
\t\t\turl: "https://x.com/a" + id
\t\t\ttype: POST // the verb
\t\t\theaders: {"Content-Type":"application/json"}
\t\t\tconnection: "crm"
\t\t];
\t}
\tcatch (e)
\t{
\t\tinfo e;
\t}
\tsendmail
\t[
\t\tfrom: zoho.adminuserid
\t\tto: "a@b.com","c@d.com"
\t\tsubject: "Hi"
\t\tmessage: "body"
\t]
\tbody = "Hello " + name
\t\t+ " and welcome";
\tx = if(true,null,ifnull(a,b));
\treturn "ok";
}
// end
"""


def test_conventional_layout():
    assert format_source(MESSY) == TIDY
    assert format_source(TIDY) == TIDY


def test_multi_line_collections_indent_by_open_brackets():
    source = ('resp = zoho.crm.createRecord("Deals", {\n"a": {\n"b": 1\n},\n"c": [1,\n2]\n});\n')
    assert format_source(source) == (
        'resp = zoho.crm.createRecord("Deals",{\n'
        '\t"a":{\n'
        '\t\t"b":1\n'
        '\t},\n'
        '\t"c":[1,\n'
        '\t\t2]\n'
        '});\n')


def test_single_line_expressions_stay_on_one_line():
    assert format_source("x=a+b*c-(d/e)%f;") == "x = a + b * c - (d / e) % f;\n"
    assert format_source("y = - x + !done;") == "y = -x + !done;\n"
    assert format_source("m = {1:31,2:28};\nl = [ 1 , 2 ];") == "m = {1:31,2:28};\nl = [1,2];\n"


def test_parentheses_are_kept_as_written():
    source = "x = ((a + b)) * (c);\nif((a > b) && (c < d)) { info x; }\n"
    out = format_source(source)
    assert out.splitlines()[0] == "x = ((a + b)) * (c);"
    assert out.splitlines()[1] == "if((a > b) && (c < d))"


def test_blank_lines_collapse_to_one_and_vanish_at_edges():
    source = "\n\n\na = 1;\n\n\n\nb = 2;\nif(a)\n{\n\n\nc = 3;\n\n}\n\n\n"
    assert format_source(source) == "a = 1;\n\nb = 2;\nif(a)\n{\n\tc = 3;\n}\n"


def test_one_statement_a_line():
    assert format_source("a = 1; b = 2; if(a){b = 3;} c = 4;") == (
        "a = 1;\nb = 2;\nif(a)\n{\n\tb = 3;\n}\nc = 4;\n")


def test_empty_and_comment_only_sources():
    assert format_source("") == ""
    assert format_source("\n\n  \n") == ""
    assert format_source("// only\n\n\n/* two */") == "// only\n\n/* two */\n"


def test_typed_list_lookalike_keeps_its_space():
    # `{list:String()}` would read as a typed list constructor.
    assert format_source("m = {list : String()};") == "m = {list :String()};\n"


# ---------------------------------------------------------------- comments

@pytest.mark.parametrize("source, expected", [
    ("x = 1; // trailing\n", "x = 1; // trailing\n"),
    ("// leading\nx = 1;\n", "// leading\nx = 1;\n"),
    ("if(a)\n{\n}\n// before else\nelse\n{\n}\n", "if(a)\n{\n}\n// before else\nelse\n{\n}\n"),
    ("if(a){\nx = 1;\n// end of block\n}\n", "if(a)\n{\n\tx = 1;\n\t// end of block\n}\n"),
    ("x = f(a, // first\nb);\n", "x = f(a, // first\n\tb);\n"),
    ("x = 1 /* one */ + 2;\n", "x = 1 /* one */ + 2;\n"),
    ("info 1;  /* inline */ info 2;\n", "info 1; /* inline */\ninfo 2;\n"),
    ("r = invokeurl\n[\n// why\nurl: u\n];\n", "r = invokeurl\n[\n\t// why\n\turl: u\n];\n"),
    ("r = invokeurl\n[\nurl: u\n// last\n];\n", "r = invokeurl\n[\n\turl: u\n\t// last\n];\n"),
    ('s = "http://x /* no */";\n', 's = "http://x /* no */";\n'),
    ("d = '01/02//2020';\n", "d = '01/02//2020';\n"),
    ("/* a\n   b */\nx = 1;\n", "/* a\n   b */\nx = 1;\n"),
    ("x = 1; // tabs at the end\t\t\n", "x = 1; // tabs at the end\n"),
])
def test_comments_stay_in_place(source, expected):
    assert format_source(source) == expected
    assert format_source(expected) == expected


# ---------------------------------------------------------------- faithfulness

def test_refuses_when_the_layout_would_change_the_tree(monkeypatch):
    from delugelang import formatter

    monkeypatch.setattr(formatter.Layout, "module", lambda self, tree: "x = 2;\n")
    with pytest.raises(FormatError) as info:
        format_source("x = 1;\n")
    assert "change what this code means" in info.value.message
    assert (info.value.line, info.value.column) == (1, 5)


def test_refuses_when_a_comment_would_be_lost(monkeypatch):
    from delugelang import formatter

    monkeypatch.setattr(formatter.Layout, "module", lambda self, tree: "x = 1;\n")
    with pytest.raises(FormatError) as info:
        format_source("x = 1; // keep me\n")
    assert "comment" in info.value.message


def test_crlf_and_bom_are_kept():
    source = "\ufeffa = 1;\r\nif(a==1){\r\ninfo \"x\";\r\n}\r\n"
    assert format_source(source) == "\ufeffa = 1;\r\nif(a == 1)\r\n{\r\n\tinfo \"x\";\r\n}\r\n"


# ---------------------------------------------------------------- the command

def dg_fmt(*args, capsys):
    code = main(["fmt", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_exit_codes_and_listing(tmp_path, capsys):
    tidy, messy = tmp_path / "tidy.dg", tmp_path / "messy.dg"
    tidy.write_text("x = 1;\n")
    messy.write_text("x=1;\n")
    assert dg_fmt("--check", tidy, capsys=capsys) == (0, "", "")
    code, out, _ = dg_fmt("--check", tidy, messy, capsys=capsys)
    assert code == 1 and out == f"would reformat {messy}\n"
    assert messy.read_text() == "x=1;\n"


def test_rewrites_in_place_keeping_newlines_and_mode(tmp_path, capsys):
    path = tmp_path / "f.dg"
    path.write_bytes(b"a=1;\r\nif(a){info a;}\r\n")
    os.chmod(path, 0o640)
    code, out, err = dg_fmt(path, capsys=capsys)
    assert (code, out) == (0, "") and "reformatted" in err
    assert path.read_bytes() == b"a = 1;\r\nif(a)\r\n{\r\n\tinfo a;\r\n}\r\n"
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["f.dg"]  # no temporary file left
    assert dg_fmt(path, capsys=capsys) == (0, "", "")  # already formatted: untouched


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "f.dg"
    path.write_text("x=1;\ny = 2;\n")
    code, out, _ = dg_fmt("--diff", path, capsys=capsys)
    assert code == 0
    assert f"--- {path} (original)" in out and f"+++ {path} (formatted)" in out
    assert "-x=1;\n+x = 1;\n" in out
    assert path.read_text() == "x=1;\ny = 2;\n"


def test_syntax_error_reports_a_caret_and_leaves_the_file(tmp_path, capsys):
    path = tmp_path / "bad.dg"
    source = b"x = 1;\ny = (2 + ;\n"
    path.write_bytes(source)
    code, out, err = dg_fmt(path, capsys=capsys)
    assert code == 65 and out == ""
    assert f"{path}:2:" in err and "syntax error" in err
    assert "   2 | y = (2 + ;" in err and err.rstrip().endswith("^")
    assert path.read_bytes() == source


def test_refusal_leaves_the_file(tmp_path, capsys, monkeypatch):
    from delugelang import formatter

    monkeypatch.setattr(formatter.Layout, "module", lambda self, tree: "x = 2;\n")
    path = tmp_path / "f.dg"
    path.write_text("x=1;\n")
    code, _, err = dg_fmt(path, capsys=capsys)
    assert code == 65 and "formatter error" in err and "^" in err
    assert path.read_text() == "x=1;\n"


def test_missing_file_is_a_usage_error(tmp_path, capsys):
    code, _, err = dg_fmt(tmp_path / "nope.dg", capsys=capsys)
    assert code == 2 and "no such file" in err


def _dg(*args, stdin: str):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "delugelang.cli", *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)


def test_stdin_to_stdout():
    out = _dg("fmt", "-", stdin="if(a){info a;}")
    assert (out.returncode, out.stdout, out.stderr) == (0, "if(a)\n{\n\tinfo a;\n}\n", "")
    out = _dg("fmt", "--check", "-", stdin="x=1;")
    assert (out.returncode, out.stdout) == (1, "would reformat <stdin>\n")
    out = _dg("fmt", "-", stdin="x = (;")
    assert out.returncode == 65 and out.stdout == "" and "<stdin>:1:" in out.stderr


def test_help_explains_the_command():
    out = _dg("fmt", "--help", stdin="")
    assert out.returncode == 0
    for words in ("--check", "--diff", "standard input", "tab indentation", "exit codes"):
        assert words in out.stdout


def test_tree_comparison_points_at_the_difference_and_survives_deep_chains():
    from delugelang.formatter import first_difference

    a = build(parse('x = 1 + f(2, {"a": 3});'))
    b = build(parse('x = 1 + f(2, {"a": 4});'))
    assert first_difference(a, a) is None
    assert first_difference(a, b) == n.Span(1, 20, 1, 21)

    def chain(last):
        node = n.Literal(n.NO_SPAN, 0, "number")
        for i in range(1, 5000):
            node = n.BinOp(n.Span(1, i, 1, i), "+", node, n.Literal(n.Span(1, i, 1, i), i, "number"),
                           n.NO_SPAN)
        return n.BinOp(n.Span(9, 9, 9, 9), "+", node, n.Literal(n.Span(9, 1, 9, 2), last, "number"),
                       n.NO_SPAN)

    assert first_difference(chain(1), chain(1)) is None
    assert first_difference(chain(1), chain(2)) == n.Span(9, 1, 9, 2)
