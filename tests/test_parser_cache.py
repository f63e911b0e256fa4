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
