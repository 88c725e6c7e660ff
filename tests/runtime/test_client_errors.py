"""httpx errors outside TransportError, and a closed client, stay inside the tree."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from generator.runtime import (
    APIConnectionError,
    AsyncAPIClient,
    ResponseValidationError,
    SyncAPIClient,
    UsageError,
)
from tests.runtime.runtime_support import (
    API_KEY,
    CONFIG,
    MACHINES,
    PING,
    Api,
    Machine,
    page_headers,
)


def bad_gzip(request: httpx.Request) -> httpx.Response:
    headers = {"content-encoding": "gzip", **page_headers(1, 50, 1)}
    return httpx.Response(200, content=b"this is not gzip", headers=headers)


def test_undecodable_body_is_a_validation_error_not_retried(api: Api) -> None:
    api.vendor.routes["/machines"] = bad_gzip
    client = api.client()
    with pytest.raises(ResponseValidationError) as info:
        api.call(client, "_request", MACHINES, cast_to=Machine)
    assert info.value.route == "machines.list" and info.value.field == "body"
    assert isinstance(info.value.__cause__, httpx.DecodingError)
    assert len(api.vendor.calls) == 1 and api.clock.sleeps == []


def test_other_request_errors_are_connection_errors_not_retried(api: Api) -> None:
    def redirecting(request: httpx.Request) -> httpx.Response:
        raise httpx.TooManyRedirects(f"too many {API_KEY}", request=request)

    api.vendor.routes["/machines"] = redirecting
    client = api.client()
    with pytest.raises(APIConnectionError) as info:
        api.call(client, "_request", MACHINES)
    assert info.value.route == "machines.list"
    assert "TooManyRedirects" in str(info.value) and API_KEY not in str(info.value)
    assert len(api.vendor.calls) == 1 and api.clock.sleeps == []


def close_http(api: Api, client: SyncAPIClient | AsyncAPIClient) -> None:
    if isinstance(client, SyncAPIClient):
        client._http.close()
    else:
        asyncio.run(client._http.aclose())


def test_a_closed_http_client_is_a_usage_error(api: Api) -> None:
    client = api.client()
    close_http(api, client)
    with pytest.raises(UsageError) as info:
        api.call(client, "_request", MACHINES)
    assert "machines.list" in str(info.value) and "client is closed" in str(info.value)
    with pytest.raises(UsageError, match="client is closed"):
        api.collect(client, MACHINES, Machine)
    assert api.vendor.requests == []


def test_a_closed_owned_client_is_a_usage_error() -> None:
    sync = SyncAPIClient(CONFIG, api_key=API_KEY)
    sync.close()
    with pytest.raises(UsageError, match=r"ping: .*client is closed"):
        sync._request(PING)

    async def run() -> None:
        client = AsyncAPIClient(CONFIG, api_key=API_KEY)
        await client.aclose()
        with pytest.raises(UsageError, match=r"ping: .*client is closed"):
            await client._request(PING)

    asyncio.run(run())
