"""The LALR parser backend: Lark's standalone parser, generated once into the user cache.

Importing Lark and loading even a cached grammar is most of `dg run`'s start-up
(bench/NOTES.md, B6). Lark can write the parser for one grammar as a self-contained
module; we generate it the first time a grammar is seen, into the private cache directory
(parser.cache_dir), with its bytecode, and import that module from then on. The file name
carries the grammar's digest, so a changed grammar gets a new parser. Without a usable
cache directory, or if generation fails, Lark itself parses (with the same options).

`Token`, `Tree` and the three Unexpected* exceptions are the classes of whichever
backend is in use: parse trees and errors always match them.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import sys
from pathlib import Path

OPTIONS = dict(parser="lalr", lexer="contextual", propagate_positions=True,
               maybe_placeholders=True)
_NAMES = ("Token", "Tree", "UnexpectedToken", "UnexpectedCharacters", "UnexpectedEOF")


class Backend:
    """A ready parser (`.parse(text)`) and the classes of its trees and errors."""

    def __init__(self, parser, namespace):
        self.parser = parser
        for name in _NAMES:
            setattr(self, name, getattr(namespace, name))


@functools.lru_cache(maxsize=1)
def backend() -> Backend:
    from .parser import cache_dir, grammar_text

    text = grammar_text()
    # The options are part of the parser a file holds: a change of either is a new file.
    digest = hashlib.sha256((text + repr(sorted(OPTIONS.items()))).encode()).hexdigest()[:16]
    directory = cache_dir()
    if directory is not None:
        module = _standalone(directory, digest, text)
        if module is not None:
            return Backend(module.Lark_StandAlone(), module)
    return _lark(text, digest, directory)


def _lark(text: str, digest: str, directory) -> Backend:
    import lark
    from lark import exceptions

    cache = str(directory / f"grammar-{digest}.lark.cache") if directory else False
    parser = lark.Lark(text, cache=cache, **OPTIONS)
    namespace = type("LarkClasses", (), {"Token": lark.Token, "Tree": lark.Tree,
                                         "UnexpectedToken": exceptions.UnexpectedToken,
                                         "UnexpectedCharacters": exceptions.UnexpectedCharacters,
                                         "UnexpectedEOF": exceptions.UnexpectedEOF})
    return Backend(parser, namespace)


def _standalone(directory, digest: str, text: str):
    """The generated parser module for this grammar, generating it if needed; None when
    it cannot be generated or loaded (the caller falls back to Lark)."""
    path = directory / f"deluge_lalr_{digest}.py"
    try:
        if not path.is_file():
            _generate(path, text)
        name = f"delugelang_lalr_{digest}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses in the module look themselves up here
        try:
            _exec_without_regex(spec, module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
        return module
    except Exception:  # a broken or unwritable cache must never stop parsing
        try:
            path.unlink(missing_ok=True)  # a damaged file is generated afresh next time
        except OSError:
            pass
        return None


def _exec_without_regex(spec, module) -> None:
    """Run the generated module with the optional `regex` package hidden. The module
    imports it only to measure patterns with Unicode categories (`\\p{...}`), which our
    grammar has none of, and Lark(regex=True), which OPTIONS does not ask for; importing
    it cost 15-25 ms of every start-up. Hidden only while the module runs."""
    hidden = "regex" not in sys.modules
    if hidden:
        sys.modules["regex"] = None  # `import regex` raises ImportError
    try:
        spec.loader.exec_module(module)
    finally:
        if hidden and sys.modules.get("regex", 0) is None:
            del sys.modules["regex"]


def _generate(path, text: str) -> None:
    """Write the standalone parser and its bytecode atomically (a concurrent `dg` sees
    either nothing or the whole file)."""
    import io
    import py_compile

    import lark
    from lark.tools.standalone import gen_standalone

    out = io.StringIO()
    gen_standalone(lark.Lark(text, **OPTIONS), out=out)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(out.getvalue(), encoding="utf-8")
    os.replace(temp, path)
    py_compile.compile(str(path), cfile=importlib.util.cache_from_source(str(path)),
                       doraise=True)
    for old in path.parent.glob("deluge_lalr_*.py"):  # parsers of earlier grammars
        if old != path:
            old.unlink(missing_ok=True)
            Path(importlib.util.cache_from_source(str(old))).unlink(missing_ok=True)


def __getattr__(name: str):
    """`from .lalr import Token, Tree`: the classes of the backend in use."""
    if name in _NAMES:
        return getattr(backend(), name)
    raise AttributeError(name)
