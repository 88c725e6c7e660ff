"""Token renewal shared by concurrent callers: one renewal for many 401s."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from generator.runtime import AsyncAPIClient, SyncAPIClient
from tests.runtime.runtime_support import (
    API_KEY,
    CONFIG,
    MACHINES,
    PASSWORD,
    USERNAME,
    Api,
    FakeClock,
    InvalidLoginError,
    Vendor,
    json_response,
    page_headers,
)

pytestmark = pytest.mark.filterwarnings(
    "error::pytest.PytestUnhandledThreadExceptionWarning"
)
CALLERS = 20
EXPIRED = {"code": "API_TOKEN", "message": "Token expired.", "pointers": []}


def answer(request: httpx.Request) -> httpx.Response:
    if request.headers["access-token"] == "tok-1":
        return json_response(401, [EXPIRED])
    return json_response(200, [], **page_headers(1, 50, 0))


def test_threads_hit_by_401_renew_the_token_once(
    vendor: Vendor, clock: FakeClock
) -> None:
    api = Api("sync", vendor, clock)
    client = api.client()
    assert isinstance(client, SyncAPIClient)
    client._authenticate(dict)  # caches tok-1, which the server calls expired
    barrier = threading.Barrier(CALLERS, timeout=10)

    def stale(request: httpx.Request) -> httpx.Response:
        if request.headers["access-token"] == "tok-1":
            barrier.wait()  # every caller has sent the stale token before any 401
        return answer(request)

    vendor.routes["/machines"] = stale
    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(client._request(MACHINES)))
        for _ in range(CALLERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [[]] * CALLERS
    assert vendor.logins == 2  # the first login and exactly one renewal
    assert sum(r.headers["access-token"] == "tok-2" for r in vendor.calls) == CALLERS


def test_tasks_hit_by_401_renew_the_token_once(
    vendor: Vendor, clock: FakeClock
) -> None:
    vendor.routes["/machines"] = answer

    async def run() -> list[object]:
        barrier = asyncio.Barrier(CALLERS)

        async def handler(request: httpx.Request) -> httpx.Response:
            if request.headers.get("access-token") == "tok-1":
                await barrier.wait()  # every task has sent the stale token
            return vendor(request)

        client = AsyncAPIClient(
            CONFIG,
            api_key=API_KEY,
            username=USERNAME,
            password=PASSWORD,
            clock=clock,
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        )
        await client._authenticate(dict)  # caches tok-1, which the server calls expired
        calls = (client._request(MACHINES) for _ in range(CALLERS))
        return list(await asyncio.wait_for(asyncio.gather(*calls), timeout=10))

    assert asyncio.run(run()) == [[]] * CALLERS
    assert vendor.logins == 2  # the first login and exactly one renewal
    assert sum(r.headers["access-token"] == "tok-2" for r in vendor.calls) == CALLERS


def test_wrong_credentials_raise_at_once_for_every_caller(
    vendor: Vendor, clock: FakeClock
) -> None:
    vendor.routes["/machines"] = answer
    client = Api("sync", vendor, clock).client(password="wrong")
    errors: list[BaseException] = []

    def call() -> None:
        try:
            client._request(MACHINES)
        except InvalidLoginError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(errors) == CALLERS
    assert vendor.calls == [] and clock.sleeps == []  # no data call, no retry wait
    assert len(vendor.requests) <= CALLERS  # at most one login per caller


def test_wrong_credentials_are_not_retried(api: Api) -> None:
    api.vendor.routes["/machines"] = answer
    client = api.client(password="wrong")
    with pytest.raises(InvalidLoginError):
        api.call(client, "_request", MACHINES)
    assert len(api.vendor.requests) == 1 and api.clock.sleeps == []
