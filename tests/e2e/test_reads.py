"""Reads of every stage's generated client against the mock: paging, clamping, windows."""

from __future__ import annotations

import asyncio
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from e2e_support import Served, spec_api, utcnow

MS = timedelta(milliseconds=1)


def max_range(stage: str) -> timedelta:
    limit = spec_api().stage(stage).route("transactions.list").max_range
    assert limit is not None
    return limit


def expected_ids(served: Served, start: datetime, end: datetime) -> list[str]:
    rows = served.visible("Transaction")
    return sorted(r.data["id"] for r in rows if start <= r.moment <= end)


def window_pages(served: Served, start: datetime, end: datetime, size: int) -> int:
    """Requests a split-range walk needs: one page per size rows in each window (at least 1)."""
    limit, pages, low = max_range(served.stage), 0, start
    while low <= end:
        high = min(low + limit - MS, end)
        pages += max(1, math.ceil(len(expected_ids(served, low, high)) / size))
        low += limit
    return pages


def aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


@pytest.mark.slow  # 10 000 records through the mock: make test, not make test-fast
@pytest.mark.timeout(60)
def test_paging_through_10000_records(served: Served) -> None:
    end = utcnow().replace(microsecond=0)
    start = end - timedelta(days=121)
    with served.client() as client:
        got = [
            t.id
            for t in client.transactions.list(
                start_date=start, end_date=end, split_range=True, size=100
            )
        ]
    want = expected_ids(served, start, end)
    assert len(want) >= 10_000
    assert len(set(got)) == len(got), "a record was repeated"
    assert sorted(got) == want, "a record was lost"
    assert served.stats.by_route["transactions.list"] == window_pages(
        served, start, end, 100
    )
    assert served.stats.by_route["auth.authenticate"] == 1
    assert served.stats.by_status.keys() == {200}


@pytest.mark.timeout(60)
def test_split_range_of_90_days(served: Served) -> None:
    end = utcnow().replace(microsecond=0) - timedelta(days=10)
    start = end - timedelta(days=90)
    with served.client() as client:
        got = [
            t.id
            for t in client.transactions.list(
                start_date=start, end_date=end, split_range=True
            )
        ]
    want = expected_ids(served, start, end)
    assert len(got) == len(set(got)) == len(want)
    assert sorted(got) == want
    assert served.stats.requests == 1 + window_pages(served, start, end, 50)


def _page(client: Any, **dates: Any) -> Any:
    return client.transactions.page(size=100, **dates)


@pytest.mark.timeout(60)
def test_clamping_both_dates_trims_the_end(served: Served) -> None:
    limit = max_range(served.stage)
    start = utcnow().replace(microsecond=0) - timedelta(days=100)
    end = start + limit * 2
    with served.client() as client:
        page = _page(client, start_date=start, end_date=end)
    assert (page.start_date, page.end_date) == (aware(start), aware(start + limit))
    assert page.total_pages == math.ceil(
        len(expected_ids(served, start, start + limit)) / 100
    )
    assert all(
        start <= t.recorded_at_utc.replace(tzinfo=None) <= start + limit
        for t in page.items
    )


def _one_sided(served: Served) -> tuple[Any, datetime, timedelta]:
    return (
        served.client(),
        utcnow().replace(microsecond=0) - timedelta(days=60),
        max_range(served.stage),
    )


@pytest.mark.timeout(60)
def test_clamping_only_start(served: Served) -> None:
    client, start, limit = _one_sided(served)
    with client:
        page = _page(client, start_date=start)
    assert (page.start_date, page.end_date) == (aware(start), aware(start + limit))


@pytest.mark.timeout(60)
def test_clamping_only_end(served: Served) -> None:
    client, end, limit = _one_sided(served)
    with client:
        page = _page(client, end_date=end)
    assert (page.start_date, page.end_date) == (aware(end - limit), aware(end))


@pytest.mark.timeout(60)
def test_clamping_neither_date(served: Served) -> None:
    client, _, limit = _one_sided(served)
    with client:
        page = _page(client)
    assert page.end_date is not None and page.start_date is not None
    assert abs(page.end_date - datetime.now(UTC)) < timedelta(seconds=30)
    assert page.end_date - page.start_date == limit
    assert page.page == 1 and page.size == 100


@pytest.mark.timeout(60)
def test_filters_reach_the_server(served: Served) -> None:
    with served.client() as client:
        machines = list(client.machines.list(site_ids=[1, 4]))
        sites = list(client.sites.list(organization_ids=[2]))
    assert machines and {m.site_id for m in machines} == {1, 4}
    assert sites and {s.org_id for s in sites} == {2}


@pytest.mark.timeout(60)
def test_async_client_pages_like_the_sync_client(served: Served) -> None:
    end = utcnow().replace(microsecond=0) - timedelta(days=5)
    start = end - timedelta(days=40)

    async def walk() -> list[str]:
        async with served.async_client() as client:
            return [
                t.id
                async for t in client.transactions.list(
                    start_date=start, end_date=end, split_range=True, size=100
                )
            ]

    got = asyncio.run(walk())
    assert sorted(got) == expected_ids(served, start, end)
    assert len(got) == len(set(got))
