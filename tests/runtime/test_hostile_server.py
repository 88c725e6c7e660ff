"""Generated clients against a slow or malicious server: every attack ends as a
documented error, within the call's total budget, in bounded memory, without a
credential leaving the configured origin or reaching a log record unmasked.

``make test`` runs a sample; ``make hostile`` (``ROUTEGEN_HOSTILE=full``) runs every
variant, bigger bombs and the peak-memory check in a subprocess.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import os
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from generator.runtime import (
    APITimeoutError,
    AsyncAPIClient,
    RedirectError,
    ResponseTooLargeError,
    ResponseValidationError,
    RetryConfig,
    SyncAPIClient,
    Timeouts,
    UsageError,
    VendorError,
)
from tests.runtime import hostile_server as hs
from tests.runtime.runtime_support import (
    API_KEY,
    CONFIG,
    MACHINES,
    PASSWORD,
    PING,
    SITES_UPDATE,
    Machine,
)

FULL = os.environ.get("ROUTEGEN_HOSTILE") == "full"
MODES = ["sync", "async"]


def sample(items: list[Any], bounded: int) -> list[Any]:
    """Every item under ``make hostile``; the first ``bounded`` ones otherwise."""
    return items if FULL else items[:bounded]


@pytest.fixture
def server() -> Iterator[hs.Hostile]:
    hostile = hs.Hostile()
    yield hostile
    hostile.close()


def client(mode: str, base_url: str, **kwargs: Any) -> SyncAPIClient | AsyncAPIClient:
    options: dict[str, Any] = {
        "api_key": API_KEY,
        "username": "api@example.com",
        "password": PASSWORD,
        "base_url": base_url,
        "limiter": False,
        "retry": RetryConfig(max_attempts=2, base_delay=0.01),
    }
    options.update(kwargs)
    if mode == "sync":
        return SyncAPIClient(CONFIG, **options)
    return AsyncAPIClient(CONFIG, **options)


def call(api: SyncAPIClient | AsyncAPIClient, route: Any, **kwargs: Any) -> Any:
    """One ``_request`` in either mode; the async client is closed in its own loop."""
    if isinstance(api, SyncAPIClient):
        with api:
            return api._request(route, **kwargs)

    async def run() -> Any:
        async with api:
            return await api._request(route, **kwargs)

    return asyncio.run(run())


# -- 1. the total deadline holds against a server that dribbles ---------------------

INTERVAL = 0.05
DEADLINE_ATTACKS = {
    "status line a byte at a time": hs.dribble_status(INTERVAL),
    "header lines a byte at a time": hs.dribble_headers(INTERVAL),
    "body a byte at a time": hs.dribble_body(INTERVAL),
    "one-byte chunks": hs.dribble_chunked(INTERVAL),
    "stall after the headers": hs.stall_after_headers(8.0),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("attack", list(DEADLINE_ATTACKS))
@pytest.mark.parametrize("route", sample([PING, SITES_UPDATE], 1), ids=lambda r: r.name)
def test_total_timeout_cuts_a_dribbling_server_off(
    server: hs.Hostile, mode: str, attack: str, route: Any
) -> None:
    # Every answer is valid and would succeed within ~8 s or more; each read is far
    # shorter than the read timeout, so only the total deadline can stop it.
    server.answers["/v2" + route.path] = DEADLINE_ATTACKS[attack]
    api = client(mode, server.url + "/v2", timeout=Timeouts(read=5, total=0.5))
    with pytest.raises(APITimeoutError, match=r"total timeout of 0.5s ran out"):
        call(api, route, body=[] if route.has_body else None)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("mode", MODES)
def test_a_dribbled_login_counts_against_the_calls_deadline(
    server: hs.Hostile, mode: str
) -> None:
    server.answers["/v2/authenticate"] = hs.dribble_body(INTERVAL)
    api = client(mode, server.url + "/v2", timeout=Timeouts(read=5, total=0.5))
    with pytest.raises(APITimeoutError, match="total timeout"):
        call(api, MACHINES, cast_to=Machine)
    assert [r[0] for r in server.requests] == ["/v2/authenticate"]


# -- 2. credentials never leave the configured origin -------------------------------

REDIRECTS = [307, 308, 301, 302, 303]
TARGETS = [
    "https://evil.example.net/v2/machines?key=1",
    "//evil.example.net/v2/machines",
    "/v2/elsewhere",
    "http://api.example.test:8443/v2/machines",
]


def redirecting(status: int, target: str, seen: list[httpx.Request]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/authenticate"):
            body = {"accessToken": "tok-SECRET-789", "expires": "1/1/2100 1:00:00 AM"}
            return httpx.Response(200, json=body)
        return httpx.Response(status, headers={"location": target})

    return handler


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", sample(REDIRECTS, 2))
@pytest.mark.parametrize("target", sample(TARGETS, 2))
@pytest.mark.parametrize("route", [MACHINES, SITES_UPDATE], ids=lambda r: r.name)
def test_redirects_are_never_followed_even_by_a_following_client(
    mode: str, status: int, target: str, route: Any
) -> None:
    seen: list[httpx.Request] = []
    transport = httpx.MockTransport(redirecting(status, target, seen))
    http: Any = (
        httpx.Client(transport=transport, follow_redirects=True)
        if mode == "sync"
        else httpx.AsyncClient(transport=transport, follow_redirects=True)
    )
    api = client(mode, "https://api.example.test/v2", http_client=http)
    kwargs = {"body": [Machine(id=1, name="a")]} if route.has_body else {"cast_to": Machine}
    with pytest.raises(RedirectError) as caught:
        call(api, route, **kwargs)
    assert caught.value.status_code == status
    assert "key=1" not in caught.value.location  # the query is not kept
    assert [r.url.host for r in seen] == ["api.example.test"] * 2  # login + one call
    assert [r.url.path for r in seen][-1] == "/v2" + route.path


# -- 3. bounded memory: huge bodies and decompression bombs -------------------------

LIMIT = 1 << 20
BOMB = (256 if FULL else 16) << 20  # inflated size; the limit is 1 MiB either way
SIZE_ATTACKS: dict[str, Callable[[], hs.Answer]] = {
    "8 MB body": lambda: hs.huge_body(8 << 20),
    "gzip bomb on a 503": lambda: hs.gzip_bomb(
        hs.bomb_payload(BOMB), "gzip", status="503 Service Unavailable"
    ),
    "nested gzip bomb": lambda: hs.gzip_bomb(hs.bomb_payload(4 * BOMB, 2), "gzip, gzip"),
    "8 MB error body": lambda: hs.huge_body(8 << 20, status="500 Internal Server Error"),
    "8 MB chunked body": lambda: hs.huge_body(8 << 20, chunked=True),
    "gzip bomb": lambda: hs.gzip_bomb(hs.bomb_payload(BOMB), "gzip"),
    "deflate bomb": lambda: hs.gzip_bomb(zlib.compress(bytes(BOMB), 9), "deflate"),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("attack", sample(list(SIZE_ATTACKS), 4))
def test_a_body_over_the_limit_raises_naming_the_limit(
    server: hs.Hostile, mode: str, attack: str
) -> None:
    server.answers["/v2/ping"] = SIZE_ATTACKS[attack]()
    api = client(mode, server.url + "/v2", max_response_bytes=LIMIT)
    with pytest.raises(ResponseTooLargeError, match=f"max_response_bytes={LIMIT}") as caught:
        call(api, PING)
    assert caught.value.limit == LIMIT
    assert isinstance(caught.value, ResponseValidationError)


def encoded(data: bytes, encoding: str) -> bytes:
    for coding in reversed([c.strip() for c in encoding.split(",")]):
        if coding == "gzip":
            data = gzip.compress(data)
        elif coding == "deflate":
            data = zlib.compress(data)
    return data


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "gzip, gzip", "identity", ""])
def test_legitimate_compressed_bodies_decode_exactly(
    server: hs.Hostile, mode: str, encoding: str
) -> None:
    records = [{"id": n, "name": f"machine {n}" * 20} for n in range(3000)]
    text = json.dumps(records).encode()
    body = encoded(text, encoding)
    server.answers["/v2/ping"] = hs.gzip_bomb(body, encoding, content_type="text/plain")
    api = client(mode, server.url + "/v2", max_response_bytes=len(text))
    assert json.loads(call(api, PING)) == records  # exactly at the limit is allowed


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("encoding", ["br", "zstd", "compress", "gzip, br"])
def test_an_unrequested_content_coding_is_a_response_error(
    server: hs.Hostile, mode: str, encoding: str
) -> None:
    server.answers["/v2/ping"] = hs.gzip_bomb(b"[]", encoding)
    with pytest.raises(ResponseValidationError, match="content-encoding"):
        call(client(mode, server.url + "/v2"), PING)


@pytest.mark.parametrize("bad", [b"\x1f\x8b\x08garbage", b"not gzip at all"])
@pytest.mark.parametrize("mode", MODES)
def test_a_corrupt_gzip_body_is_a_response_error(
    server: hs.Hostile, mode: str, bad: bytes
) -> None:
    server.answers["/v2/ping"] = hs.gzip_bomb(bad, "gzip")
    with pytest.raises(ResponseValidationError, match="could not be decoded"):
        call(client(mode, server.url + "/v2"), PING)


def test_the_default_limit_fits_the_largest_page_with_room() -> None:
    from generator.runtime import DEFAULT_MAX_RESPONSE_BYTES

    # The widest spec model has 21 fields and the mock's largest record (a transaction
    # with its items) is ~2 KB; a record of 40 fields of 200 characters is ~9 KB, so a
    # page of 2000 of them is ~18 MB, and the default still has three times that.
    record = {f"field{n}": "x" * 200 for n in range(40)}
    page = len(json.dumps([record] * 2000).encode())
    assert page * 3 < DEFAULT_MAX_RESPONSE_BYTES


def test_a_bad_limit_is_a_usage_error() -> None:
    for bad in (0, -1, 1.5, True):
        with pytest.raises(UsageError, match="max_response_bytes"):
            SyncAPIClient(CONFIG, api_key=API_KEY, max_response_bytes=bad)  # type: ignore[arg-type]


BOMB_SCRIPT = """
import resource, sys
from tests.runtime import hostile_server as hs
from tests.runtime.runtime_support import API_KEY, CONFIG, PING
from generator.runtime import SyncAPIClient, ResponseTooLargeError
inflated, layers, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
payload = hs.bomb_payload(inflated, layers)
encoding = ", ".join(["gzip"] * layers)
server = hs.Hostile()
server.answers["/v2/ping"] = hs.gzip_bomb(payload, encoding)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
api = SyncAPIClient(CONFIG, api_key=API_KEY, base_url=server.url + "/v2", limiter=False)
raised = 0
try:
    api._request(PING)
except ResponseTooLargeError:
    raised = 1
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before // 1024, after // 1024, len(payload), raised)
server.close()
"""


@pytest.mark.timeout(240)
@pytest.mark.parametrize(
    ("inflated", "layers"), sample([(80 << 20, 1), (1 << 30, 1), (1 << 30, 2)], 1)
)
def test_peak_memory_under_a_bomb_stays_near_the_limit(inflated: int, layers: int) -> None:
    # Default limit (64 MiB): the body buffer plus its copy and a few 256 KiB steps.
    out = subprocess.run(
        [sys.executable, "-c", BOMB_SCRIPT, str(inflated), str(layers), "sync"],
        capture_output=True,
        text=True,
        timeout=200,
        check=True,
    ).stdout.split()
    before_mb, after_mb, _payload, raised = map(int, out)
    print(f"bomb {inflated >> 20} MiB x{layers}: peak RSS {after_mb} MiB")
    assert raised == 1  # ResponseTooLargeError at the default 64 MiB limit
    assert after_mb - before_mb < 200


# -- 4. every failure a server can cause is in the one tree -------------------------

DEEP = 100_000
Handler = Callable[[httpx.Request], httpx.Response]
TREE_ATTACKS: dict[str, tuple[Any, Handler]] = {}


def attack(name: str, route: Any = MACHINES, own_login: bool = False) -> Callable[[Any], Any]:
    """Register an attack; unless ``own_login``, logins get a valid token first."""

    def register(handler: Handler) -> Any:
        TREE_ATTACKS[name] = (route, handler if own_login else with_login(handler))
        return handler

    return register


def with_login(handler: Handler) -> Handler:
    def transport(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/authenticate"):
            return login(request)
        return handler(request)

    return transport


def login(request: httpx.Request, token: str = "tok-1", expires: str = "") -> httpx.Response:
    return httpx.Response(200, json={"accessToken": token, "expires": expires})


def raw_headers(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    """Header values as a server sends them: any bytes (here UTF-8), not only ASCII."""
    return [(k.encode(), v.encode("utf-8", "surrogatepass")) for k, v in headers.items()]


def paged_ok(**headers: str) -> httpx.Response:
    base = {"page": "1", "size": "50", "total-pages": "1"}
    body = [{"id": 1, "name": "a"}]
    return httpx.Response(200, json=body, headers=raw_headers({**base, **headers}))


for depth in sample([DEEP, 5_000, 990], 1):
    attack(f"list nested {depth} deep")(
        lambda r, d=depth: httpx.Response(200, content=b"[" * d + b"]" * d)
    )
    attack(f"error nested {depth} deep")(
        lambda r, d=depth: httpx.Response(400, content=b"[" * d + b"]" * d)
    )
    attack(f"object nested {depth} deep", SITES_UPDATE)(
        lambda r, d=depth: httpx.Response(200, content=b'{"a":' * d + b"1" + b"}" * d)
    )

for raw in sample([b'[{"id":1,"name":"\xff\xfe"}]', b"\xef\xbb\xbf\xc3(", b"\xed\xa0\x80"], 2):
    attack(f"invalid UTF-8 {raw[:6]!r}")(lambda r, b=raw: httpx.Response(200, content=b))
    attack(f"invalid UTF-8 error {raw[:6]!r}")(lambda r, b=raw: httpx.Response(502, content=b))

RANGE_DATES = [
    "9999-12-31T23:59:59-05:00",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59.9999999-00:01",
    "0001-01-01T00:30:00+00:59",
    "+10000-01-01T00:00:00",
    "2024-02-30T00:00:00",
    "9999-99-99",
    "1e309",
    "\u0661\u0669\u0667\u0660-01-01",
    "2024-01-01T00:00:00+24:00",
]
for value in sample(RANGE_DATES, 4):
    for header in ("search-range-start-date", "search-range-end-date"):
        attack(f"{header}={value!r}")(lambda r, h=header, v=value: paged_ok(**{h: v}))

PAGING = ["-1", "1e3", "", "0x10", "9" * 5000, "NaN", "\u221e", "1.5", "+", "2 3"]
for value in sample(PAGING, 4):
    for header in ("page", "size", "total-pages"):
        attack(f"{header}={value[:12]!r}")(lambda r, h=header, v=value: paged_ok(**{h: v}))

TOKENS = ["t\u00f6k", "tok\r\nx-evil: 1", " tok", "tok\x00", "tok\u2028x", "tok\x7f", " "]
for value in sample(TOKENS, 3):
    attack(f"token {value!r}", own_login=True)(
        lambda r, v=value: login(r, v) if r.url.path.endswith("/authenticate") else paged_ok()
    )

EXPIRIES = ["1/1/0001 12:00:00 AM", "12/31/9999 11:59:59 PM", "13/45/2024 99:00:00 PM"]
for value in sample(EXPIRIES, 2):
    attack(f"expiry {value!r}", own_login=True)(
        lambda r, v=value: login(r, "tok-1", v)
        if r.url.path.endswith("/authenticate")
        else httpx.Response(418)
    )

RETRY_AFTER = ["9" * 400, "Fri, 31 Dec 9999 23:59:59 GMT", "-1", "nan", "1e309", "\u0661"]
for value in sample(RETRY_AFTER, 3):
    attack(f"retry-after {value[:12]!r}")(
        lambda r, v=value: httpx.Response(503, headers=raw_headers({"retry-after": v}))
    )

REASONS = [b"\xff\xfe", b"OK \x00", b"x" * 5000]
for value in sample(REASONS, 2):
    attack(f"reason {value[:8]!r}")(
        lambda r, v=value: httpx.Response(418, extensions={"reason_phrase": v})
    )

ERROR_BODIES = [
    b'[{"code": NaN}]',
    b'{"code": ["x"], "message": {"a": 1}}',
    b'[{"code": "API_TOKEN", "pointers": "x"}]',
    b"[" + b'{"code":"X"},' * 20000 + b'{"code":"Y"}]',
    b'{"message": 12}',
    b"1" * 5000,
]
for value in sample(ERROR_BODIES, 3):
    attack(f"error body {value[:16]!r}")(lambda r, v=value: httpx.Response(400, content=v))

attack("text route, bogus charset", PING)(
    lambda r: httpx.Response(
        200, content=b"\xff", headers={"content-type": "text/plain; charset=bogus"}
    )
)
attack("object route, NaN id", SITES_UPDATE)(
    lambda r: httpx.Response(200, content=b'[{"id": NaN, "name": "a"}]')
)
attack("transport: local protocol error")(
    lambda r: (_ for _ in ()).throw(httpx.LocalProtocolError("bad header"))
)
attack("transport: decoding error")(
    lambda r: (_ for _ in ()).throw(httpx.DecodingError("bad gzip"))
)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", list(TREE_ATTACKS))
def test_every_server_failure_is_a_documented_error(mode: str, name: str) -> None:
    route, handler = TREE_ATTACKS[name]
    transport = httpx.MockTransport(handler)
    http: Any = (
        httpx.Client(transport=transport)
        if mode == "sync"
        else httpx.AsyncClient(transport=transport)
    )
    api = client(
        mode,
        "https://api.example.test/v2",
        http_client=http,
        retry=RetryConfig(max_attempts=2, base_delay=0.0, max_retry_after=0.0),
    )
    kwargs: dict[str, Any] = {"cast_to": Machine}
    if route is SITES_UPDATE:
        kwargs = {"body": [Machine(id=1, name="a")], "cast_to": Machine}
    elif route is PING:
        kwargs = {}
    try:
        if route is MACHINES and mode == "sync":
            with api:
                api._get_page(route, Machine)  # type: ignore[union-attr]
        elif route is MACHINES:
            asyncio.run(api._get_page(route, Machine))  # type: ignore[arg-type]
        else:
            call(api, route, **kwargs)
    except VendorError as exc:
        assert API_KEY not in str(exc) and PASSWORD not in str(exc)
        return
    # The one odd but harmless answer: undecodable text is read with replacements.
    assert name == "text route, bogus charset", name


@pytest.mark.parametrize("key", ["k\u00e9y-SECRET", "key\r\nx: 1", "key\x00abc"])
def test_a_credential_httpx_cannot_send_is_a_usage_error(key: str) -> None:
    with pytest.raises(UsageError, match="api_key must be printable ASCII"):
        SyncAPIClient(CONFIG, api_key=key)


# -- 5. secrets echoed by a server are masked in httpx's and httpcore's records -----


@pytest.mark.timeout(30)
@pytest.mark.parametrize("mode", MODES)
def test_secrets_echoed_in_a_reason_phrase_are_masked_in_transport_logs(
    server: hs.Hostile, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    server.answers["/v2/ping"] = hs.echo_secrets
    caplog.set_level(logging.DEBUG)
    with pytest.raises(VendorError):
        call(client(mode, server.url + "/v2"), PING)
    transport = [r for r in caplog.records if r.name.split(".")[0] in ("httpx", "httpcore")]
    assert any("Bad key" in r.getMessage() for r in transport)  # the echo was logged
    assert {r.name for r in transport} >= {"httpx", "httpcore.http11"}
    for record in caplog.records:
        assert API_KEY not in record.getMessage()
