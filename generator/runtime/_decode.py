"""Content decoding with bounded output: no decompression bomb can fill memory.

httpx decodes each network chunk whole, so 64 KiB of gzip may inflate to 64 MB in one
step, and ``Content-Encoding: gzip, gzip`` multiplies that again before any size check
could run. Here every layer inflates at most ``STEP`` bytes at a time and hands them to
the next layer and then to the size count, so memory stays at the body read so far
plus a few ``STEP`` buffers, whatever the server sends.

The client asks for ``gzip, deflate`` only; ``identity`` passes through, and any other
coding is refused with ``ResponseValidationError`` naming the ``content-encoding``
header (reading it raw would hand compressed bytes to the JSON parser).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

__all__ = ["ACCEPT_ENCODING", "BodyDecoder", "UnsupportedEncoding"]

ACCEPT_ENCODING = "gzip, deflate"
STEP = 256 * 1024
_GZIP = zlib.MAX_WBITS | 16


class UnsupportedEncoding(ValueError):
    """A content coding this client neither asked for nor can decode."""


class _Inflate:
    """One gzip or deflate layer that yields at most ``STEP`` bytes per piece."""

    def __init__(self, coding: str) -> None:
        self._deflate = coding == "deflate"
        self._started = False
        self._z = zlib.decompressobj(zlib.MAX_WBITS if self._deflate else _GZIP)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._deflate and not self._started and data:
            self._started = True
            try:
                zlib.decompressobj().decompress(data[:2])
            except zlib.error:
                # Servers send raw deflate under "deflate" too (as httpx allows).
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
        while data and not self._z.eof:
            out = self._z.decompress(data, STEP)
            data = self._z.unconsumed_tail
            if out:
                yield out

    def flush(self) -> Iterator[bytes]:
        # The remaining output is bounded too: flush only empties what is buffered.
        yield from self.feed(b"")
        if not self._z.eof:
            rest = self._z.flush(STEP)
            if rest:
                yield rest


class BodyDecoder:
    """The chain of decoders a ``Content-Encoding`` header names (applied last first)."""

    def __init__(self, header: str) -> None:
        codings = [c.strip().lower() for c in header.split(",") if c.strip()]
        self._layers: list[_Inflate] = []
        for coding in reversed(codings):
            if coding in ("gzip", "x-gzip", "deflate"):
                self._layers.append(
                    _Inflate("deflate" if coding == "deflate" else "gzip")
                )
            elif coding != "identity":
                raise UnsupportedEncoding(coding[:40])

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """Decoded pieces of ``raw``, each at most ``STEP`` bytes."""
        return self._through(0, [raw])

    def flush(self) -> Iterator[bytes]:
        """Whatever the layers still hold, after the last raw chunk."""
        for index, layer in enumerate(self._layers):
            yield from self._through(index + 1, layer.flush())

    def _through(
        self, index: int, pieces: Iterator[bytes] | list[bytes]
    ) -> Iterator[bytes]:
        if index == len(self._layers):
            yield from pieces
            return
        layer = self._layers[index]
        for piece in pieces:
            yield from self._through(index + 1, layer.feed(piece))
