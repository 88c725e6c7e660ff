"""Receiving one response within the call's limits: its deadline and its size.

httpx bounds each socket read, never a whole response: a server that sends its
headers or body one byte per second keeps every read short and the call alive for
ever. Two mechanisms hold a call to its ``Timeouts.total`` deadline:

- async: the send and the whole body read run under ``anyio.fail_after`` (the time
  left), which cancels whatever read or write is in progress;
- sync: every connection this client opens gets its reads and writes capped at the
  time left (a ``trace`` extension wraps the network stream when it is created), and
  the body loop checks the deadline after every chunk. A connection an injected
  ``httpx.Client`` opened for other requests is not wrapped: its reads are bounded by
  the attempt's read timeout, itself cut to the time left when the attempt started.

Bodies are read as a stream, decoded by ``_decode.py`` in bounded steps and counted
before and after decompression, so neither a huge body nor a small gzip bomb can fill
memory: past ``max_response_bytes`` reading stops with ``ResponseTooLargeError``, for
success and error responses alike. The largest
legitimate page (2000 records) is a few MB; the default of 64 MiB leaves ample room.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import anyio
import httpx

from ._decode import BodyDecoder, UnsupportedEncoding
from ._exceptions import ResponseTooLargeError, ResponseValidationError, UsageError
from ._timeouts import Deadline

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "acollect_body",
    "cap_stream_trace",
    "check_max_bytes",
    "collect_body",
    "deadline_scope",
    "reads_within",
]

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
#: the shortest socket timeout handed out once the deadline is (nearly) reached
_MIN_WAIT = 0.001

# The deadline of the call running in this thread or task (None: no total budget).
_ACTIVE: ContextVar[Deadline | None] = ContextVar("routegen_deadline", default=None)


def check_max_bytes(value: int | None) -> int:
    """The response-size limit: ``value``, or the default when None; must be positive."""
    if value is None:
        return DEFAULT_MAX_RESPONSE_BYTES
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError(f"max_response_bytes must be a positive int, got {value!r}")
    return value


def _capped(timeout: float | None) -> float | None:
    """``timeout`` cut to the active deadline's time left."""
    deadline = _ACTIVE.get()
    left = deadline.remaining() if deadline is not None else None
    if left is None:
        return timeout
    left = max(left, _MIN_WAIT)
    return left if timeout is None else min(timeout, left)


def _wrap(stream: Any) -> None:
    """Cap the reads and writes of one httpcore network stream (once)."""
    if getattr(stream, "_routegen_capped", False):
        return
    read: Callable[..., bytes] = stream.read
    write: Callable[..., None] = stream.write

    def capped_read(max_bytes: int, timeout: float | None = None) -> bytes:
        return read(max_bytes, _capped(timeout))

    def capped_write(buffer: bytes, timeout: float | None = None) -> None:
        write(buffer, _capped(timeout))

    try:
        stream.read = capped_read
        stream.write = capped_write
        stream._routegen_capped = True
    except AttributeError:  # a stream type that takes no attributes: left as is
        pass


def cap_stream_trace(event: str, info: dict[str, Any]) -> None:
    """httpcore ``trace`` extension: wrap each network stream this client opens."""
    if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
        stream = info.get("return_value")
        if stream is not None:
            _wrap(stream)


@contextlib.contextmanager
def reads_within(deadline: Deadline) -> Iterator[None]:
    """Make ``deadline`` the one capped stream reads and writes obey (sync calls)."""
    token = _ACTIVE.set(deadline if deadline.total is not None else None)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def deadline_scope(deadline: Deadline) -> contextlib.AbstractContextManager[Any]:
    """Cancel the enclosed awaits when the deadline passes (async calls)."""
    left = deadline.remaining()
    if left is None:
        return contextlib.nullcontext()
    return anyio.fail_after(max(left, _MIN_WAIT))


class _Body:
    """The body read so far: raw and decoded sizes are both held to ``limit``."""

    def __init__(self, response: httpx.Response, limit: int, route: str) -> None:
        self.response = response
        self.limit = limit
        self.route = route
        self.raw = 0
        # Pieces joined once at the end: a bytearray grown piece by piece copies a
        # page of records several times over, and bytes() of it once more.
        self.pieces: list[bytes] = []
        self.size = 0
        try:
            self.decoder = BodyDecoder(response.headers.get("content-encoding", ""))
        except UnsupportedEncoding as exc:
            raise self._invalid(
                "content-encoding", f"unsupported coding {exc}"
            ) from None

    def add(self, raw: bytes) -> None:
        self.raw += len(raw)
        self._check(self.raw)
        self._decoded(self.decoder.feed(raw))

    def finish(self) -> None:
        self._decoded(self.decoder.flush())
        # What Response.read() does: .content, .json() and .text work as usual.
        pieces = self.pieces
        self.response._content = pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def _decoded(self, pieces: Iterator[bytes]) -> None:
        try:
            for piece in pieces:
                self.pieces.append(piece)
                self.size += len(piece)
                self._check(self.size)
        except zlib.error as exc:
            raise self._invalid("body", f"body could not be decoded ({exc})") from None

    def _check(self, size: int) -> None:
        if size > self.limit:
            raise ResponseTooLargeError(
                self.route, limit=self.limit, response=self.response
            )

    def _invalid(self, field: str, detail: str) -> ResponseValidationError:
        return ResponseValidationError(
            self.route, field=field, response=self.response, detail=detail
        )


def _in_memory(response: httpx.Response, limit: int, route: str) -> bool:
    """True for a response built already read (``httpx.MockTransport``), size checked."""
    if not hasattr(response, "_content"):
        return False
    if len(response.content) > limit:
        raise ResponseTooLargeError(route, limit=limit, response=response)
    return True


def collect_body(
    response: httpx.Response, limit: int, deadline: Deadline, route: str
) -> None:
    """Read a streamed response whole, decoded, within ``limit`` bytes and the deadline."""
    if _in_memory(response, limit, route):
        return
    body = _Body(response, limit, route)
    for raw in response.iter_raw():
        body.add(raw)
        deadline.check(route, "while the response body was read")
    body.finish()


async def acollect_body(
    response: httpx.Response, limit: int, deadline: Deadline, route: str
) -> None:
    """Async ``collect_body``."""
    if _in_memory(response, limit, route):
        return
    body = _Body(response, limit, route)
    async for raw in response.aiter_raw():
        body.add(raw)
        deadline.check(route, "while the response body was read")
    body.finish()
