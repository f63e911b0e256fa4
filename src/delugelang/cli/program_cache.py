"""`dg run`'s compiled-program cache: entries on disk, as Python keeps .pyc files.

The second run of an unchanged script loads its compiled program (delugelang.program_codec)
instead of parsing, checking and compiling it again. Entries live in the private per-user
cache directory (user_cache.private_cache_dir: $DG_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache,
plus delugelang/programs; 0700, refused when not ours or writable by others), are written
atomically (a temporary file, then os.replace) and bounded in number and size, the oldest
going first. An entry is used only when everything it was compiled from matches exactly:
the source text, the file name, the compile-relevant limits, the Python version and the
engine's fingerprint (its version and the mtime and size of every file in the package).
Nothing here ever fails a run: an entry that cannot be read, written or used is ignored,
and the script compiles as it would without the cache.
"""

from __future__ import annotations

import os
import zlib

from ..limits import compile_limits

SUBDIRECTORY = "programs"
MAX_ENTRIES = 500
MAX_BYTES = 50 * 1024 * 1024
MAX_ENTRY_BYTES = 16 * 1024 * 1024  # a program larger than this is not stored
_SUFFIX = ".dgc"

# Set DG_NO_PROGRAM_CACHE=1 to run without the cache, as `dg run --no-cache` does.
DISABLE_ENV = "DG_NO_PROGRAM_CACHE"


def enabled(no_cache_option: bool) -> bool:
    return not no_cache_option and os.environ.get(DISABLE_ENV, "") in ("", "0")


def compile_cached(source: str, filename: str, limits):
    """The Program for `source`: from the cache when an entry matches, else compiled (and
    stored). Raises what delugelang.program.compile raises, and nothing else."""
    from ..program import compile as compile_program

    try:
        where = _entry_path(source, filename, limits)
        extra = _extra(limits) if where is not None else None
        program = _load(where, source, filename, extra) if where is not None else None
    except Exception:  # the cache never fails a run
        where = program = None
    if program is not None:
        return program
    program = compile_program(source, filename, limits=limits)
    if where is not None:
        try:
            _store(where, program, extra)
        except Exception:
            pass
    return program


def _extra(limits) -> tuple:
    """What a compiled program depends on besides its source and file name."""
    return ("limits", *compile_limits(limits), "engine", engine_fingerprint())


def engine_fingerprint() -> tuple:
    """The package's version, and (path, mtime_ns, size) of every file in it: a changed
    engine (an upgrade, an edited module) never runs code an older one compiled."""
    import delugelang

    root = os.path.dirname(os.path.abspath(delugelang.__file__))
    files = []
    _walk(root, "", files)
    grammar = os.path.join(os.path.dirname(os.path.dirname(root)), "grammar", "deluge.lark")
    try:  # a checkout's grammar, outside the package (parser.grammar_text)
        info = os.stat(grammar)
        files.append(("../../grammar/deluge.lark", info.st_mtime_ns, info.st_size))
    except OSError:
        pass
    return (delugelang.__version__, tuple(files))


def _walk(directory: str, prefix: str, out: list) -> None:
    with os.scandir(directory) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name == "__pycache__":  # Python's own bytecode cache of the files seen
                continue
            if entry.is_dir(follow_symlinks=False):
                _walk(entry.path, prefix + entry.name + "/", out)
            else:
                info = entry.stat()
                out.append((prefix + entry.name, info.st_mtime_ns, info.st_size))


def _entry_path(source: str, filename: str, limits) -> str | None:
    """The file an entry for this script would be in (a cheap name: entries are verified
    in full), or None when there is no private cache directory."""
    from ..user_cache import private_cache_dir

    directory = private_cache_dir(SUBDIRECTORY)
    if directory is None:
        return None
    text = "\0".join(map(str, (filename, *compile_limits(limits), "")))
    name = zlib.crc32(source.encode("utf-8", "surrogatepass"), zlib.crc32(text.encode(
        "utf-8", "surrogatepass")))
    return os.path.join(directory, f"{name:08x}{_SUFFIX}")


def _load(path: str, source: str, filename: str, extra: tuple):
    from ..program_codec import CodecError, decode

    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_ENTRY_BYTES + 1)  # a larger one is refused by decode
    except OSError:
        return None
    try:
        program = decode(data, source, filename, extra)
    except CodecError:
        return None  # stale, damaged or another script's: compiled again, and replaced
    try:
        os.utime(path)  # recently used: evicted last
    except OSError:
        pass
    return program


def _store(path: str, program, extra: tuple) -> None:
    from ..program_codec import encode

    data = encode(program, extra)
    if data is None or len(data) > MAX_ENTRY_BYTES:
        return
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        _evict(os.path.dirname(path))
    except OSError:
        pass


def _evict(directory: str, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
    """Remove the least recently used entries beyond `max_entries` or `max_bytes` in all
    (and temporary files a killed run left behind)."""
    entries = []
    with os.scandir(directory) as found:
        for entry in found:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if entry.name.endswith(_SUFFIX):
                entries.append((info.st_mtime_ns, info.st_size, entry.path))
            elif entry.name.endswith(".tmp") and info.st_mtime_ns < _an_hour_ago():
                _remove(entry.path)
    entries.sort(reverse=True)  # newest first
    total = 0
    for count, (_, size, path) in enumerate(entries):
        total += size
        if count >= max_entries or total > max_bytes:
            _remove(path)


def _an_hour_ago() -> int:
    import time
    return time.time_ns() - 3600 * 10**9


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def cache_directory() -> str:
    """Where entries live, for --help (without creating it)."""
    from ..user_cache import cache_base

    return os.path.join(cache_base(), SUBDIRECTORY)
