"""Response bodies decoded as they stream, with the decoded size capped (no decompression bombs)."""

from __future__ import annotations

import zlib


class BodyTooLarge(Exception):
    """The body (raw or decoded) went over the cap; the caller turns it into a LimitError."""


class BodyUndecodable(Exception):
    """The body claims an encoding it does not have."""


class _ZlibLayer:
    """One gzip or deflate layer. Never produces more than `cap` bytes in total."""

    def __init__(self, encoding: str, cap: int):
        self._cap = cap
        self._produced = 0
        self._deflate = encoding == "deflate"
        self._first = True
        wbits = zlib.MAX_WBITS if self._deflate else zlib.MAX_WBITS | 16
        self._inflater = zlib.decompressobj(wbits)

    def feed(self, data: bytes) -> bytes:
        if self._inflater.eof or not data:
            return b""  # bytes after the end of the stream are ignored, not buffered
        out = self._inflate(data)
        self._first = False
        return self._count(out)

    def finish(self) -> bytes:
        if self._inflater.eof:
            return b""
        try:
            return self._count(self._inflater.flush())
        except zlib.error:
            raise BodyUndecodable from None

    def _inflate(self, data: bytes) -> bytes:
        # Ask for at most one byte past the cap: zlib keeps the rest in unconsumed_tail.
        budget = self._cap - self._produced + 1
        try:
            return self._inflater.decompress(data, budget)
        except zlib.error:
            if not (self._deflate and self._first):
                raise BodyUndecodable from None
        # Some servers send raw deflate without the zlib header (httpx retries the same way).
        self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            return self._inflater.decompress(data, budget)
        except zlib.error:
            raise BodyUndecodable from None

    def _count(self, out: bytes) -> bytes:
        self._produced += len(out)
        if self._produced > self._cap:
            raise BodyTooLarge
        return out


_KNOWN = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}


class BodyReader:
    """Collects a response body: raw bytes in, decoded bytes out, both capped at `cap`.

    Content-Encoding layers are undone last-applied first. An encoding we cannot undo
    (br, zstd) leaves the body as received, as httpx does.
    """

    def __init__(self, content_encoding: str, cap: int):
        self._cap = cap
        self._raw = 0
        self._parts: list[bytes] = []
        self._size = 0
        self._layers = _layers_for(content_encoding, cap)

    def feed(self, raw: bytes) -> None:
        self._raw += len(raw)
        if self._raw > self._cap:
            raise BodyTooLarge
        data = raw
        for layer in self._layers:
            data = layer.feed(data)
        self._keep(data)

    def finish(self) -> bytes:
        data = b""
        for layer in self._layers:
            data = layer.feed(data) + layer.finish()
        self._keep(data)
        return b"".join(self._parts)

    def _keep(self, data: bytes) -> None:
        if data:
            self._size += len(data)
            if self._size > self._cap:
                raise BodyTooLarge
            self._parts.append(data)


def _layers_for(content_encoding: str, cap: int) -> list[_ZlibLayer]:
    names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
    names = [n for n in names if n != "identity"]
    if len(names) > 3 or any(n not in _KNOWN for n in names):
        return []
    return [_ZlibLayer(_KNOWN[n], cap) for n in reversed(names)]
