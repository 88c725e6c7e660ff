"""Retries, rate limits, logging and hooks through the client, on the fake clock."""

from __future__ import annotations

import logging

import httpx
import pytest

from generator.runtime import (
    APIConnectionError,
    APIStatusError,
    QuotaExhausted,
    RateLimiter,
    RetryConfig,
)
from tests.runtime.runtime_support import (
    CONFIG,
    MACHINES,
    PING,
    SITES_UPDATE,
    Api,
    Site,
    json_response,
    page_headers,
)
from tests.runtime.test_client_requests import Recorder


def pong(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, text="pong")


def always(status: int, body: object, **headers: str):  # type: ignore[no-untyped-def]
    return lambda request: json_response(status, body, **headers)


UNAVAILABLE = {"message": "Service Unavailable"}
WRITE_FAILURES = {
    "503": always(503, UNAVAILABLE),
    "502": always(502, {"message": "Bad Gateway"}),
    "504": always(504, {"message": "Gateway Timeout"}),
    "429": always(429, {"message": "Too Many Requests"}, **{"retry-after": "1"}),
}


def raises(exc: type[httpx.TransportError]):  # type: ignore[no-untyped-def]
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc("dropped", request=request)

    return handler


@pytest.mark.parametrize(
    "handler",
    [
        *WRITE_FAILURES.values(),
        raises(httpx.ReadError),
        raises(httpx.RemoteProtocolError),
        raises(httpx.ReadTimeout),
    ],
    ids=[*WRITE_FAILURES, "ReadError", "RemoteProtocolError", "ReadTimeout"],
)
def test_writes_raise_after_exactly_one_request(api: Api, handler: object) -> None:
    api.vendor.routes["/sites"] = handler  # type: ignore[assignment]
    client = api.client(retry=RetryConfig(max_attempts=5))
    with pytest.raises((APIStatusError, APIConnectionError)):
        api.call(client, "_request", SITES_UPDATE, body=[Site(id=1, site_name="A")])
    assert len(api.vendor.calls) == 1 and api.clock.sleeps == []


def test_writes_retry_a_connect_error_as_documented(api: Api) -> None:
    import generator.runtime._base_client as base

    assert "ConnectError" in (base.__doc__ or "")
    api.vendor.routes["/sites"] = raises(httpx.ConnectError)
    client = api.client(retry=RetryConfig(max_attempts=3))
    with pytest.raises(APIConnectionError):
        api.call(client, "_request", SITES_UPDATE, body=[Site(id=1, site_name="A")])
    assert len(api.vendor.calls) == 3  # nothing was sent, so repeating is safe


def test_always_503_reads_stop_after_max_attempts(api: Api) -> None:
    api.vendor.routes["/machines"] = always(503, UNAVAILABLE)
    client = api.client(retry=RetryConfig(max_attempts=5, base_delay=0.1))
    with pytest.raises(APIStatusError) as info:
        api.call(client, "_request", MACHINES)
    assert info.value.status_code == 503
    assert len(api.vendor.calls) == 5 and len(api.clock.sleeps) == 4


def test_a_day_long_retry_after_never_hangs(api: Api) -> None:
    api.vendor.routes["/machines"] = always(
        503, UNAVAILABLE, **{"retry-after": "86400"}
    )
    retry = RetryConfig(max_attempts=5, max_total_delay=60.0, max_retry_after=30.0)
    client = api.client(retry=retry)
    with pytest.raises(APIStatusError):
        api.call(client, "_request", MACHINES)
    assert api.clock.sleeps == [30.0, 30.0]  # capped, then the budget is spent
    assert sum(api.clock.sleeps) <= retry.max_total_delay


def test_a_malformed_retry_after_falls_back_to_backoff(api: Api) -> None:
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            return json_response(503, UNAVAILABLE, **{"retry-after": "soon-ish"})
        return json_response(200, [], **page_headers(1, 50, 0))

    api.vendor.routes["/machines"] = handler
    client = api.client(retry=RetryConfig(max_attempts=3, base_delay=0.25))
    assert api.call(client, "_request", MACHINES) == []
    assert len(api.clock.sleeps) == 1 and 0.0 <= api.clock.sleeps[0] <= 0.25


def max_in_one_second(times: list[float]) -> int:
    """The most requests in any window [t, t + 1) starting at a request."""
    best, first = 0, 0
    for last, now in enumerate(times):
        while now - times[first] >= 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best


def test_client_paces_reads_within_burst_plus_rate(api: Api) -> None:
    api.vendor.routes["/machines"] = lambda r: json_response(
        200, [], **page_headers(1, 50, 0)
    )
    limiter = RateLimiter(rate=20, burst=100, quota=5000, clock=api.clock)
    client = api.client(limiter=limiter)
    for _ in range(400):
        api.call(client, "_request", MACHINES)
    assert len(api.vendor.requests) == 401  # and one login
    assert max_in_one_second(api.vendor.sent_at) <= 120
    assert api.vendor.sent_at[-1] - api.vendor.sent_at[0] >= (401 - 100) / 20 - 1e-9


def test_quota_raises_before_sending(api: Api) -> None:
    api.vendor.routes["/ping"] = pong
    client = api.client(
        limiter=RateLimiter(rate=20, burst=100, quota=50, clock=api.clock)
    )
    for _ in range(50):
        api.call(client, "_request", PING)
    with pytest.raises(QuotaExhausted) as info:
        api.call(client, "_request", PING)
    assert info.value.quota == 50
    assert len(api.vendor.requests) == 50


def test_limiter_false_disables_limiting(api: Api) -> None:
    api.vendor.routes["/ping"] = pong
    client = api.client(limiter=False)
    for _ in range(400):
        api.call(client, "_request", PING)
    assert len(api.vendor.requests) == 400 and api.clock.sleeps == []
    assert set(api.vendor.sent_at) == {1000.0}


def test_one_limiter_is_one_budget_for_two_clients(api: Api) -> None:
    api.vendor.routes["/ping"] = pong
    shared = RateLimiter(rate=20, burst=10, quota=60, clock=api.clock)
    first, second = api.client(limiter=shared), api.client(limiter=shared)
    for n in range(60):
        api.call(first if n % 2 else second, "_request", PING)
    assert max_in_one_second(api.vendor.sent_at) <= 30
    for client in (first, second):
        with pytest.raises(QuotaExhausted):
            api.call(client, "_request", PING)
    assert len(api.vendor.requests) == 60 and shared.remaining_quota == 0


def test_debug_per_request_and_info_per_retry_wait(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    replies = iter(
        [
            httpx.ReadError("reset"),
            json_response(503, UNAVAILABLE, **{"retry-after": "1.5"}),
            json_response(200, [], **page_headers(1, 50, 0)),
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        reply = next(replies)
        if isinstance(reply, Exception):
            raise reply
        return reply

    api.vendor.routes["/machines"] = handler
    hooks = Recorder()
    client = api.client(hooks=hooks, retry=RetryConfig(max_attempts=3, base_delay=0.1))
    with caplog.at_level(logging.DEBUG, logger=CONFIG.name):
        api.call(client, "_request", MACHINES)
    ours = [r for r in caplog.records if r.name == CONFIG.name]
    debug = [r.getMessage() for r in ours if r.levelno == logging.DEBUG]
    info = [r.getMessage() for r in ours if r.levelno == logging.INFO]
    assert debug == [
        "POST /authenticate -> 200 (attempt 1)",
        "POST /machines -> ReadError (attempt 1)",
        "POST /machines -> 503 (attempt 2)",
        "POST /machines -> 200 (attempt 3)",
    ]
    assert len(info) == 2 and "ReadError" in info[0] and "HTTP 503" in info[1]
    assert "retrying in 1.50s (attempt 3)" in info[1]
    events = [(kind, e.attempt, e.status, e.wait) for kind, e in hooks.events[2:]]
    assert events == [
        ("request", 1, None, None),
        ("retry", 1, None, api.clock.sleeps[0]),
        ("request", 2, None, None),
        ("response", 2, 503, None),
        ("retry", 2, None, 1.5),
        ("request", 3, None, None),
        ("response", 3, 200, None),
    ]
