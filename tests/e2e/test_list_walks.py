"""How list() walks ranges over loopback: default windows, no split, pinned ranges.

The runtime splits a range longer than the route's max_range by default, clamps
nothing away with ``split_range=False`` beyond what the server does, refuses empty or
string list filters before sending, and pins a walk without dates to its first page's
range even while the server's clock moves.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from e2e_support import STAGES, Served, serve, utcnow
from test_reads import aware, expected_ids, max_range, window_pages

from generator.mock import ManualClock

SIZE = 100  # transactions.list's max page size on every stage
ROUTE = "transactions.list"


def pages(served: Served, start: datetime, end: datetime, size: int) -> int:
    """Requests one walk of [start, end] takes (a short or empty page ends it)."""
    return max(1, math.ceil(len(expected_ids(served, start, end)) / size))


def ninety_days() -> tuple[datetime, datetime]:
    end = utcnow().replace(microsecond=0) - timedelta(days=7)
    return end - timedelta(days=90), end


@pytest.mark.timeout(60)
def test_90_days_walked_in_windows_by_default(served: Served) -> None:
    start, end = ninety_days()
    with served.client() as client:
        got = [
            t.id
            for t in client.transactions.list(start_date=start, end_date=end, size=SIZE)
        ]
    want = expected_ids(served, start, end)
    assert len(got) == len(set(got)) == len(want)
    assert sorted(got) == want
    assert served.stats.by_route[ROUTE] == window_pages(served, start, end, SIZE)
    assert served.stats.requests == 1 + served.stats.by_route[ROUTE]
    assert served.stats.by_status.keys() == {200}


@pytest.mark.timeout(60)
def test_90_days_walked_in_windows_by_default_async(served: Served) -> None:
    start, end = ninety_days()

    async def walk() -> list[str]:
        async with served.async_client() as client:
            it = client.transactions.list(start_date=start, end_date=end, size=SIZE)
            return [t.id async for t in it]

    got = asyncio.run(walk())
    assert len(got) == len(set(got))
    assert sorted(got) == expected_ids(served, start, end)
    assert served.stats.by_route[ROUTE] == window_pages(served, start, end, SIZE)
    assert served.stats.requests == 1 + served.stats.by_route[ROUTE]


@pytest.mark.timeout(60)
def test_split_range_false_gets_the_server_clamped_first_window(
    served: Served,
) -> None:
    start, end = ninety_days()
    clamped = start + max_range(served.stage)
    with served.client() as client:
        with pytest.warns(served.pkg.RangeClampedWarning, match="split_range=True"):
            got = [
                t.id
                for t in client.transactions.list(
                    start_date=start, end_date=end, size=SIZE, split_range=False
                )
            ]
        walked = served.stats.by_route[ROUTE]
        page = client.transactions.page(start_date=start, end_date=end, size=SIZE)
        inside = client.transactions.page(start_date=start, end_date=clamped, size=SIZE)
    assert page.clamped and not inside.clamped
    want = expected_ids(served, start, clamped)
    assert sorted(got) == want and len(got) == len(set(got))
    assert len(want) < len(expected_ids(served, start, end))  # the rest was clamped
    assert walked == pages(served, start, clamped, SIZE)
    assert (page.start_date, page.end_date) == (aware(start), aware(clamped))
    assert page.end_date < aware(end)
    assert served.stats.requests == 1 + walked + 2  # authenticate, walk, two pages


@pytest.mark.timeout(60)
def test_split_range_false_async(served: Served) -> None:
    start, end = ninety_days()
    clamped = start + max_range(served.stage)

    async def walk() -> list[str]:
        async with served.async_client() as client:
            it = client.transactions.list(
                start_date=start, end_date=end, size=SIZE, split_range=False
            )
            return [t.id async for t in it]

    with pytest.warns(served.pkg.RangeClampedWarning, match="transactions.list"):
        got = asyncio.run(walk())
    assert sorted(got) == expected_ids(served, start, clamped)
    assert served.stats.by_route[ROUTE] == pages(served, start, clamped, SIZE)


def _bad_list_filters(client: Any) -> list[Any]:
    """Calls that must fail before sending: empty list filters, a str for a list."""
    return [
        lambda: list(client.machines.list(site_ids=[])),
        lambda: client.machines.page(site_ids=[]),
        lambda: list(client.transactions.list(site_ids=[], start_date=utcnow())),
        lambda: list(client.sites.list(organization_ids=[])),
        lambda: list(client.machines.list(machine_identifiers="ABC123")),
    ]


@pytest.mark.timeout(60)
def test_empty_or_str_list_filter_is_a_usage_error_before_sending(
    served: Served,
) -> None:
    with served.client() as client:
        for call in _bad_list_filters(client):
            with pytest.raises(served.pkg.UsageError):
                call()
    assert served.stats.requests == 0, served.stats.by_route


@pytest.mark.timeout(60)
def test_empty_list_filter_is_a_usage_error_before_sending_async(
    served: Served,
) -> None:
    async def drain(it: AsyncIterator[Any]) -> list[Any]:
        return [x async for x in it]

    async def run() -> int:
        raised = 0
        async with served.async_client() as client:
            for make in (
                lambda: drain(client.machines.list(site_ids=[])),
                lambda: client.machines.page(site_ids=[]),
                lambda: drain(client.machines.list(machine_identifiers="ABC123")),
            ):
                with pytest.raises(served.pkg.UsageError):
                    await make()
                raised += 1
        return raised

    assert asyncio.run(run()) == 3
    assert served.stats.requests == 0, served.stats.by_route


# -- a walk without dates while the server's clock moves ------------------------------

STEP = timedelta(hours=6)  # the mock's clock moves this much after every page
SMALL = 25  # small pages, so the walk spans many clock steps
UNDATED = STAGES  # every stage follows the four-row clamping table


@pytest.fixture(scope="module", params=UNDATED)
def clocked(request: pytest.FixtureRequest) -> Iterator[tuple[Served, ManualClock]]:
    """A mock per stage whose clock only moves when the test moves it."""
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0))
    mock = serve(
        request.param, records=4000, now=clock, token_lifetime=timedelta(days=365)
    )
    mock.state.store.rows("Transaction")  # generate at the clock's start
    yield mock, clock
    mock.server.stop()


def _pinned(served: Served, clock: ManualClock) -> tuple[datetime, datetime]:
    """The range the first page is clamped to: [now - max_range, now], naive UTC."""
    now = clock().replace(tzinfo=None)
    return now - max_range(served.stage), now


def _check_pinned_walk(
    served: Served, pinned: tuple[datetime, datetime], got: list[str], steps: int
) -> None:
    want = expected_ids(served, *pinned)
    assert len(got) == len(set(got)), "a record was repeated"
    assert sorted(got) == want, "a record was lost or came from outside the range"
    walked = served.stats.by_route[ROUTE]
    assert walked == pages(served, *pinned, SMALL) and walked >= 4
    assert steps >= walked - 1  # the clock moved between every two requests
    # Re-clamping to the moved clock would have lost the range's oldest records.
    low = pinned[0]
    assert expected_ids(served, low, low + STEP * (walked - 1))
    assert served.stats.by_route["auth.authenticate"] == 1
    assert served.stats.by_status.keys() == {200}


@pytest.mark.timeout(60)
def test_undated_walk_is_pinned_while_the_clock_moves(
    clocked: tuple[Served, ManualClock],
) -> None:
    served, clock = clocked
    served.stats.reset()
    pinned = _pinned(served, clock)
    start = clock()
    got: list[str] = []
    with served.client() as client:
        for index, t in enumerate(client.transactions.list(size=SMALL)):
            got.append(t.id)
            if index % SMALL == SMALL - 1:  # a page consumed: time passes
                clock.advance(STEP)
    _check_pinned_walk(served, pinned, got, (clock() - start) // STEP)
    clock.set(start)


@pytest.mark.timeout(60)
def test_undated_walk_is_pinned_while_the_clock_moves_async(
    clocked: tuple[Served, ManualClock],
) -> None:
    served, clock = clocked
    served.stats.reset()
    pinned = _pinned(served, clock)
    start = clock()

    async def walk() -> list[str]:
        got: list[str] = []
        async with served.async_client() as client:
            index = 0
            async for t in client.transactions.list(size=SMALL):
                got.append(t.id)
                if index % SMALL == SMALL - 1:
                    clock.advance(STEP)
                index += 1
        return got

    got = asyncio.run(walk())
    _check_pinned_walk(served, pinned, got, (clock() - start) // STEP)
    clock.set(start)
