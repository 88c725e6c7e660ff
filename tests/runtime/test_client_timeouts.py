"""Timeouts: per-phase httpx timeouts, and the total budget of a call (fake clock)."""

from __future__ import annotations

import httpx
import pytest

from generator.runtime import (
    DEFAULT_TIMEOUT,
    APIStatusError,
    APITimeoutError,
    AsyncAPIClient,
    RateLimiter,
    RetryConfig,
    SyncAPIClient,
    Timeouts,
)
from tests.runtime.runtime_support import (
    API_KEY,
    CONFIG,
    MACHINES,
    PING,
    Api,
    json_response,
    page_headers,
)


def ok(request: httpx.Request | None = None) -> httpx.Response:
    return json_response(200, [], **page_headers(1, 50, 0))


def slow(seconds: float, api: Api, *, fail: int, **headers: str):  # type: ignore[no-untyped-def]
    """A handler that takes ``seconds`` on the fake clock and answers 503 ``fail`` times."""
    left = {"n": fail}

    def handler(request: httpx.Request) -> httpx.Response:
        api.clock.advance(seconds)
        if left["n"] > 0:
            left["n"] -= 1
            return json_response(503, {"message": "Service Unavailable"}, **headers)
        return ok()

    return handler


def test_timeouts_normalize_every_accepted_value() -> None:
    assert Timeouts.of(5) == Timeouts(5.0, 5.0, 5.0, 5.0, None)
    assert Timeouts.of(None) == Timeouts(None, None, None, None, None)
    assert Timeouts.of(httpx.Timeout(30.0, connect=10.0)) == Timeouts()
    budget = Timeouts(total=3)
    assert Timeouts.of(budget) is budget
    capped = Timeouts(connect=10, read=None).for_attempt(4.0)
    assert (capped.connect, capped.read) == (4.0, 4.0)
    assert Timeouts().for_attempt() == httpx.Timeout(30.0, connect=10.0)


@pytest.mark.parametrize("field", ["connect", "read", "total"])
@pytest.mark.parametrize("value", [-1.0, float("inf"), float("nan")])
def test_timeouts_reject_bad_values(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        Timeouts(**{field: value})  # type: ignore[arg-type]


def test_each_attempt_is_capped_by_the_time_left(api: Api) -> None:
    api.vendor.routes["/machines"] = slow(3.0, api, fail=1)
    client = api.client(timeout=Timeouts(connect=10, read=30, total=5))
    api.call(client, "_request", MACHINES)
    first, second = (r.extensions["timeout"] for r in api.vendor.calls)
    assert first["read"] == 5.0 and first["connect"] == 5.0
    waited = api.clock.sleeps[0]
    assert second["read"] == pytest.approx(5.0 - 3.0 - waited)
    assert second["connect"] == second["read"] < 2.0


def test_a_retry_wait_past_the_deadline_is_not_taken(api: Api) -> None:
    api.vendor.routes["/machines"] = slow(0.0, api, fail=5, **{"retry-after": "10"})
    client = api.client(timeout=Timeouts(total=5))
    with pytest.raises(APITimeoutError) as info:
        api.call(client, "_request", MACHINES)
    assert info.value.route == "machines.list" and "machines.list" in str(info.value)
    assert "total timeout of 5s" in str(info.value)
    assert isinstance(info.value.__cause__, APIStatusError)
    assert len(api.vendor.calls) == 1 and api.clock.sleeps == []


def test_slow_attempts_use_up_the_budget(api: Api) -> None:
    def timing_out(request: httpx.Request) -> httpx.Response:
        api.clock.advance(request.extensions["timeout"]["read"])
        raise httpx.ReadTimeout("slow", request=request)

    api.vendor.routes["/ping"] = timing_out
    client = api.client(
        timeout=Timeouts(read=4, total=10), retry=RetryConfig(max_attempts=10)
    )
    with pytest.raises(APITimeoutError) as info:
        api.call(client, "_request", PING)
    assert info.value.route == "ping"
    reads = [r.extensions["timeout"]["read"] for r in api.vendor.requests]
    assert reads[:2] == [4.0, pytest.approx(4.0)]
    assert sum(reads) + sum(api.clock.sleeps) <= 10.0 + 1e-9
    assert api.clock.mono - 1000.0 <= 10.0 + 1e-9


def test_per_call_total_overrides_the_clients(api: Api) -> None:
    api.vendor.routes["/machines"] = slow(0.0, api, fail=2, **{"retry-after": "2"})
    client = api.client()
    with pytest.raises(APITimeoutError):
        api.call(client, "_request", MACHINES, timeout=Timeouts(total=1))
    assert api.call(client, "_request", MACHINES) == []  # no total: waits 2s
    assert api.clock.sleeps == [2.0]


def test_a_rate_limit_wait_counts_against_the_budget(api: Api) -> None:
    api.vendor.routes["/machines"] = ok
    limiter = RateLimiter(rate=1, burst=1, quota=10, clock=api.clock)
    client = api.client(limiter=limiter, timeout=Timeouts(total=0.5))
    with pytest.raises(APITimeoutError, match=r"needs a 1s wait, only 0\.5s are left"):
        api.call(client, "_request", MACHINES)  # the login took the only token
    assert api.vendor.calls == [] and api.vendor.logins == 1
    assert api.clock.sleeps == []  # raised at once, not after sleeping past the deadline
    assert limiter.remaining_quota == 9  # the refused call reserved nothing


def test_the_login_shares_the_calls_deadline(api: Api) -> None:
    api.vendor.routes["/machines"] = ok
    client = api.client(timeout=Timeouts(read=30, total=7))
    api.clock.advance(0)
    api.call(client, "_request", MACHINES)
    login, data = api.vendor.requests
    assert login.extensions["timeout"]["read"] == 7.0
    assert data.extensions["timeout"]["read"] == 7.0  # the fake login took no time


def test_float_and_httpx_timeouts_still_work(api: Api) -> None:
    api.vendor.routes["/ping"] = lambda request: httpx.Response(200, text="pong")
    client = api.client(timeout=httpx.Timeout(3.0, connect=1.0))
    api.call(client, "_request", PING)
    api.call(client, "_request", PING, timeout=2)
    first, second = (r.extensions["timeout"] for r in api.vendor.requests)
    assert (first["connect"], first["read"]) == (1.0, 3.0)
    assert (second["connect"], second["read"]) == (2.0, 2.0)


def make_client(
    mode: str, api: Api, http_timeout: httpx.Timeout | None, **kwargs: object
) -> SyncAPIClient | AsyncAPIClient:
    """A client with an injected http client (or none when ``http_timeout`` is None)."""
    options: dict[str, object] = {"api_key": API_KEY, "clock": api.clock, **kwargs}
    transport = httpx.MockTransport(api.vendor)
    if mode == "sync":
        http = (
            None
            if http_timeout is None
            else httpx.Client(transport=transport, timeout=http_timeout)
        )
        return SyncAPIClient(CONFIG, http_client=http, **options)  # type: ignore[arg-type]
    ahttp = (
        None
        if http_timeout is None
        else httpx.AsyncClient(transport=transport, timeout=http_timeout)
    )
    return AsyncAPIClient(CONFIG, http_client=ahttp, **options)  # type: ignore[arg-type]


def test_an_injected_clients_timeout_is_kept(api: Api) -> None:
    api.vendor.routes["/ping"] = lambda request: httpx.Response(200, text="pong")
    client = make_client(api.mode, api, httpx.Timeout(7.0, connect=2.0))
    api.call(client, "_request", PING)
    sent = api.vendor.requests[0].extensions["timeout"]
    assert (sent["connect"], sent["read"], sent["pool"]) == (2.0, 7.0, 7.0)
    assert client.timeout == Timeouts(connect=2.0, read=7.0, write=7.0, pool=7.0)


def test_an_explicit_timeout_beats_the_injected_clients(api: Api) -> None:
    api.vendor.routes["/ping"] = lambda request: httpx.Response(200, text="pong")
    client = make_client(api.mode, api, httpx.Timeout(7.0), timeout=3.0)
    api.call(client, "_request", PING)
    assert api.vendor.requests[0].extensions["timeout"]["read"] == 3.0


def test_without_an_injected_client_the_default_applies(api: Api) -> None:
    client = make_client(api.mode, api, None)
    assert Timeouts.of(client.timeout) == Timeouts.of(DEFAULT_TIMEOUT)
    assert client._http.timeout == DEFAULT_TIMEOUT
