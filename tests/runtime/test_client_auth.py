"""Credentials, headers and the session token, for the sync and the async client."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from generator.runtime import AsyncAPIClient, MissingCredentialsError, SyncAPIClient
from tests.runtime.runtime_support import (
    API_KEY,
    CONFIG,
    MACHINES,
    PASSWORD,
    PING,
    Api,
    ApiTokenError,
    InvalidLoginError,
    Machine,
    json_response,
    page_headers,
)

MACHINE = {"id": 1, "name": "Snack 1"}


def ok(request: httpx.Request) -> httpx.Response:
    return json_response(200, [MACHINE], **page_headers(1, 50, 1))


def test_key_route_sends_api_key_and_user_agent_but_no_token(api: Api) -> None:
    api.vendor.routes["/ping"] = lambda request: httpx.Response(200, text="pong")
    client = api.client()
    assert api.call(client, "_request", PING) == "pong"
    (request,) = api.vendor.requests
    assert request.headers["x-api-key"] == API_KEY
    assert request.headers["user-agent"] == CONFIG.user_agent
    assert "access-token" not in request.headers
    assert api.vendor.logins == 0  # the token is fetched lazily


def test_token_is_fetched_lazily_once_and_sent(api: Api) -> None:
    api.vendor.routes["/machines"] = ok
    client = api.client()
    for _ in range(3):
        api.call(client, "_request", MACHINES, cast_to=Machine)
    assert api.vendor.logins == 1
    login = api.vendor.requests[0]
    assert login.headers["x-api-key"] == API_KEY
    assert "access-token" not in login.headers
    assert all(r.headers["access-token"] == "tok-1" for r in api.vendor.calls)


def test_token_is_renewed_before_expiry(api: Api) -> None:
    api.vendor.routes["/machines"] = ok
    client = api.client()
    api.call(client, "_request", MACHINES, cast_to=Machine)
    api.clock.advance(3 * 86400 - 2 * 3600)  # two hours before expiry: still fine
    api.call(client, "_request", MACHINES, cast_to=Machine)
    assert api.vendor.logins == 1
    api.clock.advance(3600 + 1)  # inside the one-hour renewal margin
    api.call(client, "_request", MACHINES, cast_to=Machine)
    assert api.vendor.logins == 2
    assert api.vendor.calls[-1].headers["access-token"] == "tok-2"


def test_lifetime_is_used_when_expiry_is_unreadable(api: Api) -> None:
    api.vendor.expires = "not a date"
    api.vendor.routes["/machines"] = ok
    client = api.client()
    api.call(client, "_request", MACHINES, cast_to=Machine)
    api.clock.advance(3 * 86400 - 3601)
    api.call(client, "_request", MACHINES, cast_to=Machine)
    assert api.vendor.logins == 1


def expired_then_ok(limit: int) -> object:
    """A handler answering 401 API_TOKEN ``limit`` times, then success."""
    seen = {"count": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["count"] += 1
        if seen["count"] <= limit:
            error = {"code": "API_TOKEN", "message": "Token expired.", "pointers": []}
            return json_response(401, [error])
        return ok(request)

    return handler


def test_401_api_token_renews_and_repeats_once(api: Api) -> None:
    api.vendor.routes["/machines"] = expired_then_ok(1)  # type: ignore[assignment]
    client = api.client()
    assert api.call(client, "_request", MACHINES, cast_to=Machine) == [
        Machine(**MACHINE)
    ]
    assert api.vendor.logins == 2
    assert [r.headers["access-token"] for r in api.vendor.calls] == ["tok-1", "tok-2"]


def test_second_401_is_raised_not_renewed_again(api: Api) -> None:
    api.vendor.routes["/machines"] = expired_then_ok(5)  # type: ignore[assignment]
    client = api.client()
    with pytest.raises(ApiTokenError) as info:
        api.call(client, "_request", MACHINES, cast_to=Machine)
    assert info.value.status_code == 401 and info.value.code == "API_TOKEN"
    assert api.vendor.logins == 2
    assert len(api.vendor.calls) == 2


def test_invalid_login_raises_at_once(api: Api) -> None:
    api.vendor.routes["/machines"] = ok
    client = api.client(password="wrong")
    with pytest.raises(InvalidLoginError) as info:
        api.call(client, "_request", MACHINES, cast_to=Machine)
    assert info.value.status_code == 403
    assert info.value.route == "authenticate"
    assert len(api.vendor.requests) == 1  # no retry, no data call
    assert "wrong" not in str(info.value)


def test_missing_username_fails_before_any_request(api: Api) -> None:
    client = api.client(username=None)
    with pytest.raises(MissingCredentialsError) as info:
        api.call(client, "_request", MACHINES, cast_to=Machine)
    assert info.value.field == "username"
    assert api.vendor.requests == []


def test_scheme_prefixes_the_token(api: Api) -> None:
    import dataclasses

    import tests.runtime.runtime_support as runtime_support

    token = dataclasses.replace(
        runtime_support.TOKEN, header="Authorization", scheme="Bearer"
    )
    config = dataclasses.replace(CONFIG, token=token)
    api.vendor.routes["/machines"] = ok
    transport = httpx.MockTransport(api.vendor)
    client: SyncAPIClient | AsyncAPIClient
    if api.mode == "sync":
        client = SyncAPIClient(
            config,
            api_key=API_KEY,
            username="api@example.com",
            password=PASSWORD,
            http_client=httpx.Client(transport=transport),
            clock=api.clock,
        )
    else:
        client = AsyncAPIClient(
            config,
            api_key=API_KEY,
            username="api@example.com",
            password=PASSWORD,
            http_client=httpx.AsyncClient(transport=transport),
            clock=api.clock,
        )
    api.call(client, "_request", MACHINES, cast_to=Machine)
    assert api.vendor.calls[0].headers["authorization"] == "Bearer tok-1"


def test_missing_api_key_fails_at_construction(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(MissingCredentialsError) as info:
        api.client(api_key=None)
    assert info.value.field == "api_key"


def test_api_key_is_read_from_the_environment(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    monkeypatch.setenv("VENDTEST_API_KEY", "env-key")
    config = dataclasses.replace(CONFIG, api_key_env="VENDTEST_API_KEY")
    client = SyncAPIClient(
        config, http_client=httpx.Client(transport=httpx.MockTransport(ok))
    )
    assert client._api_key.get() == "env-key"


def test_repr_hides_secrets(api: Api) -> None:
    client = api.client()
    text = repr(client)
    assert "api.example.test/v2" in text and "'v2'" in text
    assert API_KEY not in text and PASSWORD not in text


def test_context_managers_close_only_owned_clients() -> None:
    injected = httpx.Client(transport=httpx.MockTransport(ok))
    with SyncAPIClient(CONFIG, api_key=API_KEY, http_client=injected) as client:
        assert isinstance(client, SyncAPIClient)
    assert not injected.is_closed
    with SyncAPIClient(CONFIG, api_key=API_KEY) as owned:
        pass
    assert owned._http.is_closed

    async def run() -> None:
        async with AsyncAPIClient(CONFIG, api_key=API_KEY) as aclient:
            pass
        assert aclient._http.is_closed

    asyncio.run(run())


def test_threads_share_one_token_fetch(vendor, clock) -> None:  # type: ignore[no-untyped-def]
    vendor.routes["/machines"] = ok
    client = Api("sync", vendor, clock).client()
    threads = [
        threading.Thread(target=client._request, args=(MACHINES,)) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert vendor.logins == 1
    assert len(vendor.calls) == 8


def test_tasks_share_one_token_fetch(vendor, clock) -> None:  # type: ignore[no-untyped-def]
    vendor.routes["/machines"] = ok

    async def slow_vendor(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(
            0
        )  # yield, so the other tasks reach the token lock meanwhile
        return vendor(request)

    transport = httpx.MockTransport(slow_vendor)
    client = AsyncAPIClient(
        CONFIG,
        api_key=API_KEY,
        username="api@example.com",
        password=PASSWORD,
        http_client=httpx.AsyncClient(transport=transport),
        clock=clock,
    )

    async def run() -> None:
        await asyncio.gather(*(client._request(MACHINES) for _ in range(8)))

    asyncio.run(run())
    assert vendor.logins == 1
