"""Writes the server applied but whose answer was lost: raised once, never repeated.

A fault injected before the handler means nothing happened, so it cannot catch a
client that repeats a write. Here the mock applies the write first and only then
drops the connection or answers 502/503: the client must raise after exactly one
request, and the store must hold the write exactly once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from e2e_support import Served, fast_retry, serve

WRITE_STAGES = ("v2", "v2.1", "rc")  # the stages with sites.create (v1 has none)
FAULTS = ("drop", 502, 503)
ROUTE = "sites.create"


@pytest.fixture(scope="module", params=WRITE_STAGES)
def writable(request: pytest.FixtureRequest) -> Iterator[Served]:
    """A small mock of its own per stage, so the writes touch no other test's data."""
    mock = serve(request.param, records=50)
    yield mock
    mock.server.stop()


def arm(served: Served, fault: str | int) -> type[Exception]:
    """Inject ``fault`` after the handler of the next create; the class it must raise."""
    faults = served.app.state.faults
    faults.clear()
    if fault == "drop":
        faults.drop_after_next(1, routes=(ROUTE,))
        error: type[Exception] = served.pkg.APIConnectionError
    else:
        assert isinstance(fault, int)
        faults.fail_after_next(1, status=fault, routes=(ROUTE,))
        error = served.pkg.APIStatusError
    served.stats.reset()
    return error


def check_one_request(served: Served, fault: str | int, raised: Exception) -> None:
    assert served.stats.by_route[ROUTE] == 1, served.stats.by_route
    assert served.stats.requests == 1, served.stats.by_route  # no retry, no re-auth
    status = 0 if fault == "drop" else fault
    assert dict(served.stats.by_status) == {status: 1}
    if fault != "drop":
        assert getattr(raised, "status_code", None) == fault
    assert not isinstance(raised, served.pkg.APITimeoutError)


def check_applied_once(
    before: list[dict[str, Any]], after: list[dict[str, Any]], name: str
) -> None:
    created = [s for s in after if s["name"] == name]
    assert len(created) == 1, f"{len(created)} sites named {name!r}"
    assert created[0]["id"] not in {s["id"] for s in before}
    assert [s for s in after if s["name"] != name] == before  # nothing else changed


def dumps(sites: Any) -> list[dict[str, Any]]:
    return [s.model_dump() for s in sites]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("fault", FAULTS)
def test_applied_write_raises_once_sync(writable: Served, fault: str | int) -> None:
    name = f"Applied then {fault} (sync)"
    with writable.client(retry=fast_retry(writable)) as client:
        before = dumps(client.sites.list())
        new = (
            client.sites.list().__next__().model_copy(update={"id": None, "name": name})
        )
        version = writable.state.store.version
        error = arm(writable, fault)
        with pytest.raises(error) as info:
            client.sites.create([new])
        check_one_request(writable, fault, info.value)
        assert writable.state.store.version == version + 1  # applied, once
        after = dumps(client.sites.list())
    check_applied_once(before, after, name)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("fault", FAULTS)
def test_applied_write_raises_once_async(writable: Served, fault: str | int) -> None:
    name = f"Applied then {fault} (async)"

    async def run() -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
        async with writable.async_client(retry=fast_retry(writable)) as client:
            before = [s.model_dump() async for s in client.sites.list()]
            template = await client.sites.list().__anext__()
            new = template.model_copy(update={"id": None, "name": name})
            version = writable.state.store.version
            error = arm(writable, fault)
            with pytest.raises(error) as info:
                await client.sites.create([new])
            check_one_request(writable, fault, info.value)
            applied = writable.state.store.version - version
            after = [s.model_dump() async for s in client.sites.list()]
            return before, after, applied

    before, after, applied = asyncio.run(run())
    assert applied == 1
    check_applied_once(before, after, name)
