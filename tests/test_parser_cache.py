"""The grammar cache (a pickle) lives only in a directory that this user alone can write."""

from __future__ import annotations

import os

import pytest

from delugelang import parser


def test_cache_dir_is_created_private(tmp_path, monkeypatch):
    monkeypatch.setenv("DG_CACHE_DIR", str(tmp_path / "cache"))
    path = parser.cache_dir()
    assert path == tmp_path / "cache"
    assert path.stat().st_mode & 0o777 == 0o700


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions only")
def test_a_directory_others_can_write_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("DG_CACHE_DIR", str(shared))
    assert parser.cache_dir() is None


def test_default_is_the_user_cache_not_tmp(tmp_path, monkeypatch):
    monkeypatch.delenv("DG_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert parser.cache_dir() == tmp_path / "xdg" / "delugelang"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions only")
def test_the_formatter_parser_caches_only_in_the_private_directory(tmp_path, monkeypatch):
    from delugelang.formatter_tokens import token_parser

    private, shared = tmp_path / "private", tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    token_parser.cache_clear()
    try:
        monkeypatch.setenv("DG_CACHE_DIR", str(shared))
        assert token_parser().parse("x = 1;\n") is not None
        assert list(shared.iterdir()) == []
        token_parser.cache_clear()
        monkeypatch.setenv("DG_CACHE_DIR", str(private))
        token_parser()
        assert [p.name.startswith("fmt-grammar-") for p in private.iterdir()] == [True]
    finally:
        token_parser.cache_clear()


def _shape(node):
    """A tree as plain data: rule names, token types, texts and positions."""
    if hasattr(node, "children"):
        return (node.data, tuple(_shape(c) for c in node.children))
    if node is None:
        return None
    return (node.type, str(node), node.line, node.column, node.end_line, node.end_column)


def test_generated_standalone_parser_builds_the_same_trees_as_lark(tmp_path):
    from pathlib import Path

    from delugelang import lalr

    text = parser.grammar_text()
    module = lalr._standalone(tmp_path, "test", text)
    assert module is not None, "the standalone parser could not be generated"
    assert (tmp_path / "deluge_lalr_test.py").is_file()
    standalone = module.Lark_StandAlone()
    reference = lalr._lark(text, "test", None).parser
    root = Path(__file__).resolve().parents[1]
    scripts = sorted((root / "tests").rglob("*.dg")) + sorted((root / "samples").rglob("*.dg"))
    compared = 0
    for path in scripts:
        source = path.read_text(encoding="utf-8")
        try:
            expected = _shape(reference.parse(source))
        except Exception as exc:  # a script meant not to parse: both must refuse it
            with pytest.raises(Exception) as caught:
                standalone.parse(source)
            assert type(caught.value).__name__ == type(exc).__name__, path.name
            continue
        assert _shape(standalone.parse(source)) == expected, path.name
        compared += 1
    assert compared >= 20


def test_without_a_private_cache_lark_parses(tmp_path):
    from delugelang import lalr

    backend = lalr._lark(parser.grammar_text(), "x", None)
    assert type(backend.parser).__module__.startswith("lark")
    assert backend.parser.parse("x = 1;\n") is not None


def test_a_damaged_parser_file_falls_back_to_lark_and_is_removed(tmp_path):
    from delugelang import lalr

    broken = tmp_path / "deluge_lalr_bad.py"
    broken.write_text("this is not python (\n")
    assert lalr._standalone(tmp_path, "bad", parser.grammar_text()) is None
    assert not broken.exists()
