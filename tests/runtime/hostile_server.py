"""A loopback HTTP/1.1 server that answers like a slow or malicious vendor.

Each request's path picks a scripted answer (``Hostile.answers``): headers or a body
dribbled a byte at a time, a body far larger than any page, gzip bombs (nested too).
Writers stop when the client hangs up or the server stops, and record whether they
were cut off before the end, so a test can tell "the client gave up" from "the
client read it all". Every thread is a daemon bounded by ``MAX_SECONDS``.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import os
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

Answer = Callable[["Writer"], None]
#: zlib level of the bombs: 9 (1 GiB of zeros in ~1 MB) under ``make hostile``, 1 (faster
#: to build, ~4.5 KB per inflated MiB) in the bounded run
LEVEL = 9 if os.environ.get("ROUTEGEN_HOSTILE") == "full" else 1
MAX_SECONDS = 20.0  # no scripted answer runs longer, whatever the client does


class Writer:
    """Writes one answer to one connection; ``cut`` once the client hung up."""

    def __init__(
        self,
        conn: socket.socket,
        stop: threading.Event,
        request: tuple[str, dict[str, str], bytes] = ("/", {}, b""),
    ) -> None:
        self.conn = conn
        self.request = request
        self.stop = stop
        self.cut = False
        self.sent = 0
        self._ends = time.monotonic() + MAX_SECONDS

    def send(self, data: bytes) -> bool:
        """Send ``data``; False (and ``cut``) when the client has gone."""
        if self.stop.is_set() or time.monotonic() > self._ends:
            return False
        try:
            self.conn.sendall(data)
        except OSError:
            self.cut = True
            return False
        self.sent += len(data)
        return True

    def dribble(self, data: bytes, interval: float) -> bool:
        """Send ``data`` one byte every ``interval`` seconds."""
        for index in range(len(data)):
            if not self.send(data[index : index + 1]):
                return False
            time.sleep(interval)
        return True

    def stream(self, chunks: Iterator[bytes]) -> bool:
        return all(self.send(chunk) for chunk in chunks)


def head(status: str = "200 OK", **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [
        f"{k.replace('_', '-')}: {v}" for k, v in headers.items()
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def zeros(total: int, step: int = 1 << 20) -> Iterator[bytes]:
    block = bytes(step)
    for offset in range(0, total, step):
        yield block[: min(step, total - offset)]


def gzip_bytes(chunks: Iterator[bytes]) -> bytes:
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [packer.compress(chunk) for chunk in chunks]
    parts.append(packer.flush())
    return b"".join(parts)


@dataclass
class Hostile:
    """The server: ``answers`` maps a path to its scripted answer."""

    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    writers: list[Writer] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with contextlib.closing(conn):
            conn.settimeout(MAX_SECONDS)
            request = _read_request(conn)
            if request is None:
                return
            self.requests.append(request)
            writer = Writer(conn, self._stop, request)
            self.writers.append(writer)
            path = request[0].split("?")[0]
            answer = self.answers.get(path, not_found)
            with contextlib.suppress(OSError):
                answer(writer)


def _read_request(conn: socket.socket) -> tuple[str, dict[str, str], bytes] | None:
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        top, _, body = data.partition(b"\r\n\r\n")
        lines = top.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
    except OSError:
        return None
    return lines[0].split(" ")[1], headers, body


def not_found(w: Writer) -> None:
    w.send(head("404 Not Found", content_length="0", connection="close"))


# -- scripted answers ---------------------------------------------------------------


def dribble_headers(interval: float, count: int = 200) -> Answer:
    """A status line, then endless valid header lines, one byte at a time."""

    def answer(w: Writer) -> None:
        w.send(b"HTTP/1.1 200 OK\r\n")
        w.dribble(b"x-pad: a\r\n" * count + b"content-length: 2\r\n\r\n[]", interval)

    return answer


def dribble_status(interval: float) -> Answer:
    """Even the status line arrives a byte at a time."""

    def answer(w: Writer) -> None:
        w.dribble(head("200 OK", content_length="2") + b"[]", interval)

    return answer


def dribble_body(interval: float, size: int = 400) -> Answer:
    """Headers at once, then a valid JSON body of ``size`` bytes a byte at a time."""
    body = b"[" + b" " * (size - 2) + b"]"

    def answer(w: Writer) -> None:
        if w.send(head(content_type="application/json", content_length=str(size))):
            w.dribble(body, interval)

    return answer


def dribble_chunked(interval: float, count: int = 400) -> Answer:
    """Chunked encoding: a one-byte chunk every ``interval`` seconds."""

    def answer(w: Writer) -> None:
        if not w.send(head(content_type="application/json", transfer_encoding="chunked")):
            return
        for index in range(count):
            byte = b"[" if index == 0 else b" "
            if not w.send(b"1\r\n" + byte + b"\r\n"):
                return
            time.sleep(interval)
        w.send(b"1\r\n]\r\n0\r\n\r\n")

    return answer


def stall_after_headers(seconds: float) -> Answer:
    """Headers promise a body, then nothing for ``seconds``, then the body."""

    def answer(w: Writer) -> None:
        if w.send(head(content_type="application/json", content_length="2")):
            time.sleep(seconds)
            w.send(b"[]")

    return answer


def huge_body(size: int, status: str = "200 OK", chunked: bool = False) -> Answer:
    """``size`` bytes of a JSON list (``[0,0,0,...]`` padded), sent as fast as possible."""

    def chunks() -> Iterator[bytes]:
        yield b"["
        for block in zeros(size - 2):
            yield block.replace(b"\x00", b" ")
        yield b"]"

    def answer(w: Writer) -> None:
        if chunked:
            w.send(head(status, content_type="application/json", transfer_encoding="chunked"))
            w.stream(f"{len(c):x}\r\n".encode() + c + b"\r\n" for c in chunks())
            w.send(b"0\r\n\r\n")
        else:
            w.send(head(status, content_type="application/json", content_length=str(size)))
            w.stream(chunks())

    return answer


def gzip_bomb(
    payload: bytes,
    encoding: str,
    status: str = "200 OK",
    content_type: str = "application/json",
) -> Answer:
    """A small compressed body that inflates to far more than any limit."""

    def answer(w: Writer) -> None:
        w.send(
            head(
                status,
                content_type=content_type,
                content_encoding=encoding,
                content_length=str(len(payload)),
            )
        )
        w.send(payload)

    return answer


@functools.lru_cache(maxsize=8)
def bomb_payload(inflated: int, layers: int = 1) -> bytes:
    """gzip of ``inflated`` zero bytes, gzipped again ``layers - 1`` times."""
    data = gzip_bytes(zeros(inflated))
    for _ in range(layers - 1):
        data = gzip.compress(data, 9)
    return data


def echo_secrets(w: Writer) -> None:
    """A 400 whose reason phrase, headers and body echo the credentials it received."""
    key = w.request[1].get("x-api-key", "")
    body = b'[{"code": "GENERIC_ERROR", "message": "bad key ' + key.encode() + b'"}]'
    w.send(
        head(
            f"400 Bad key {key}",
            content_type="application/json",
            content_length=str(len(body)),
            x_echo=key,
        )
        + body
    )
