"""BodyReader: content decoding with the decoded size capped while it streams."""

from __future__ import annotations

import gzip
import zlib

import pytest

from delugelang.net.body import BodyReader, BodyTooLarge, BodyUndecodable


def read(encoding: str, data: bytes, cap: int = 1_000_000, chunk: int = 1000) -> bytes:
    reader = BodyReader(encoding, cap)
    for start in range(0, len(data), chunk):
        reader.feed(data[start:start + chunk])
    return reader.finish()


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


TEXT = b"Deluge " * 500


@pytest.mark.parametrize("encoding, body", [
    ("", TEXT), ("identity", TEXT), ("gzip", gzip.compress(TEXT)), ("x-gzip", gzip.compress(TEXT)),
    ("deflate", zlib.compress(TEXT)), ("deflate", raw_deflate(TEXT)),
    ("gzip, deflate", zlib.compress(gzip.compress(TEXT))), ("GZIP", gzip.compress(TEXT)),
])
def test_decodes(encoding, body):
    assert read(encoding, body) == TEXT


def test_unknown_encoding_is_kept_as_received():
    assert read("br", b"\x8b\x00raw") == b"\x8b\x00raw"


def test_bytes_after_the_gzip_stream_are_ignored():
    assert read("gzip", gzip.compress(TEXT) + b"\0" * 5000) == TEXT


def test_exactly_the_cap_passes_and_one_more_byte_fails():
    assert len(read("gzip", gzip.compress(b"a" * 4096), cap=4096)) == 4096
    with pytest.raises(BodyTooLarge):
        read("gzip", gzip.compress(b"a" * 4097), cap=4096)
    with pytest.raises(BodyTooLarge):
        read("", b"a" * 4097, cap=4096)


def test_bomb_never_inflates_past_the_cap_in_one_step():
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))
    reader = BodyReader("gzip", 10_000)
    with pytest.raises(BodyTooLarge):
        reader.feed(bomb)  # one chunk holding the whole bomb
    assert reader._size == 0  # the layer stopped at cap + 1 bytes; nothing was kept


def test_nested_bomb_is_capped_at_every_layer():
    bomb = gzip.compress(gzip.compress(b"\0" * (20 * 1024 * 1024)))
    with pytest.raises(BodyTooLarge):
        read("gzip, gzip", bomb, cap=10_000)


def test_corrupt_body_is_undecodable():
    with pytest.raises(BodyUndecodable):
        read("gzip", b"not gzip at all")
