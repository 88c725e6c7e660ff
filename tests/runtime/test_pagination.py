"""Paged routes: page(), lazy iteration, size clamping, header checks and split ranges."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from generator.runtime import (
    DateRangeError,
    Page,
    ResponseValidationError,
    UsageError,
)
from tests.runtime.runtime_support import (
    MACHINES,
    NOW,
    REPORTS,
    TRANSACTIONS,
    Api,
    Machine,
    json_response,
    page_headers,
    paged,
)

RECORDS = [{"id": i, "name": f"m{i}"} for i in range(1, 8)]


def sizes(api: Api) -> list[tuple[str, str]]:
    return [(r.headers["page"], r.headers["size"]) for r in api.vendor.calls]


def test_iterate_yields_every_record_across_pages(api: Api) -> None:
    api.vendor.routes["/machines"] = paged(RECORDS)
    client = api.client()
    items = api.collect(client, MACHINES, Machine, size=3)
    assert [m.id for m in items] == list(range(1, 8))
    assert sizes(api) == [("1", "3"), ("2", "3"), ("3", "3")]


def test_iterate_is_lazy(vendor, clock) -> None:  # type: ignore[no-untyped-def]
    vendor.routes["/machines"] = paged(RECORDS)
    client = Api("sync", vendor, clock).client()
    items = client._iterate(MACHINES, Machine, size=3)
    assert vendor.requests == []
    assert next(iter(items)).id == 1  # type: ignore[call-overload]
    assert len(vendor.calls) == 1


def test_page_exposes_paging_and_range_fields(api: Api) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = page_headers(2, 3, 3)
        headers["search-range-start-date"] = "2024-03-01T00:00:00.000Z"
        headers["search-range-end-date"] = "2024-03-08T00:00:00"
        return json_response(200, RECORDS[3:6], **headers)

    api.vendor.routes["/transactions"] = handler
    client = api.client()
    page = api.call(
        client,
        "_get_page",
        TRANSACTIONS,
        Machine,
        request_filter={"start_date": date(2024, 3, 1), "end_date": date(2024, 3, 20)},
        page=2,
        size=3,
    )
    assert isinstance(page, Page)
    assert [m.id for m in page.items] == [4, 5, 6]
    assert (page.page, page.size, page.total_pages) == (2, 3, 3)
    assert page.start_date == datetime(2024, 3, 1, tzinfo=UTC)
    assert page.end_date == datetime(2024, 3, 8, tzinfo=UTC)
    assert page.has_next_page()
    assert page.response.status_code == 200


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {"start_date": date(2024, 3, 1), "end_date": date(2024, 3, 20)},
            (datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 3, 8, tzinfo=UTC)),
        ),
        (
            {"start_date": datetime(2024, 3, 1)},
            (datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 3, 8, tzinfo=UTC)),
        ),
        (
            {"end_date": datetime(2024, 3, 8)},
            (datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 3, 8, tzinfo=UTC)),
        ),
        ({}, (NOW - timedelta(days=7), NOW)),
    ],
)
def test_page_range_falls_back_to_client_side_clamping(
    api: Api, filters: dict[str, Any], expected: tuple[datetime, datetime]
) -> None:
    api.vendor.routes["/transactions"] = paged([])
    client = api.client()
    page = api.call(client, "_get_page", TRANSACTIONS, Machine, request_filter=filters)
    assert (page.start_date, page.end_date) == expected


def test_size_is_clamped_to_the_route_max(api: Api) -> None:
    api.vendor.routes["/machines"] = paged(RECORDS)
    client = api.client()
    api.call(client, "_get_page", MACHINES, Machine, size=5000)
    api.call(client, "_get_page", MACHINES, Machine)
    assert sizes(api) == [("1", "100"), ("1", "50")]


@pytest.mark.parametrize("size", [0, -1])
def test_size_below_one_is_a_usage_error(api: Api, size: int) -> None:
    client = api.client()
    with pytest.raises(UsageError):
        api.call(client, "_get_page", MACHINES, Machine, size=size)
    with pytest.raises(UsageError):
        api.collect(client, MACHINES, Machine, size=size)
    assert api.vendor.requests == []


def test_total_pages_changing_between_pages_is_followed(api: Api) -> None:
    totals = {1: 2, 2: 3, 3: 3}

    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.headers["page"])
        body = [RECORDS[page - 1]]
        return json_response(200, body, **page_headers(page, 1, totals[page]))

    api.vendor.routes["/machines"] = handler
    client = api.client()
    assert [m.id for m in api.collect(client, MACHINES, Machine, size=1)] == [1, 2, 3]


def test_shrinking_total_stops_early(api: Api) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.headers["page"])
        return json_response(
            200, [RECORDS[page - 1]], **page_headers(page, 1, 5 if page == 1 else 2)
        )

    api.vendor.routes["/machines"] = handler
    client = api.client()
    assert [m.id for m in api.collect(client, MACHINES, Machine, size=1)] == [1, 2]


def test_empty_page_stops_iteration(api: Api) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.headers["page"])
        body = [RECORDS[0]] if page == 1 else []
        return json_response(200, body, **page_headers(page, 1, 10))

    api.vendor.routes["/machines"] = handler
    client = api.client()
    assert len(api.collect(client, MACHINES, Machine, size=1)) == 1
    assert len(api.vendor.calls) == 2


def test_server_ignoring_the_page_header_is_an_error_not_duplicates(
    api: Api,
) -> None:
    api.vendor.routes["/machines"] = lambda r: json_response(
        200, RECORDS[:1], **page_headers(1, 1, 3)
    )
    client = api.client()
    with pytest.raises(ResponseValidationError) as info:
        api.collect(client, MACHINES, Machine, size=1)
    assert info.value.field == "page" and info.value.route == "machines.list"
    assert len(api.vendor.calls) == 2  # page 2 was asked for and page 1 came back


def test_short_page_ends_the_walk(api: Api) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.headers["page"])
        body = RECORDS[:2] if page == 1 else RECORDS[2:3]
        return json_response(200, body, **page_headers(page, 2, 10))

    api.vendor.routes["/machines"] = handler
    client = api.client()
    assert len(api.collect(client, MACHINES, Machine, size=2)) == 3
    assert len(api.vendor.calls) == 2


def test_ever_growing_total_is_capped(api: Api) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.headers["page"])
        assert page < 1000, "the walk never ends"
        return json_response(200, RECORDS[:1], **page_headers(page, 1, page + 1))

    api.vendor.routes["/machines"] = handler
    client = api.client(limiter=False)
    with pytest.raises(ResponseValidationError) as info:
        api.collect(client, MACHINES, Machine, size=1)
    assert info.value.field == "total-pages"
    assert len(api.vendor.calls) == 102  # max(2 * 2, 2 + 100)


def test_growing_total_within_the_cap_is_followed(api: Api) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.headers["page"])
        return json_response(
            200, RECORDS[:1], **page_headers(page, 1, min(page + 1, 50))
        )

    api.vendor.routes["/machines"] = handler
    client = api.client(limiter=False)
    assert len(api.collect(client, MACHINES, Machine, size=1)) == 50


@pytest.mark.parametrize(
    ("headers", "field"),
    [
        ({"page": "1", "size": "50"}, "total-pages"),
        ({"page": "1", "size": "50", "total-pages": "-1"}, "total-pages"),
        ({"page": "1", "size": "50", "total-pages": "many"}, "total-pages"),
        ({"size": "50", "total-pages": "1"}, "page"),
        ({"page": "1", "size": "x", "total-pages": "1"}, "size"),
        (
            {
                "page": "1",
                "size": "50",
                "total-pages": "1",
                "search-range-start-date": "soon",
            },
            "search-range-start-date",
        ),
    ],
)
def test_bad_paging_headers_name_the_header(
    api: Api, headers: dict[str, str], field: str
) -> None:
    api.vendor.routes["/transactions"] = lambda r: json_response(200, [], **headers)
    client = api.client()
    with pytest.raises(ResponseValidationError) as info:
        api.call(client, "_get_page", TRANSACTIONS, Machine)
    assert info.value.field == field
    assert info.value.route == "transactions.list"
    assert field in str(info.value)


def window_server(api: Api) -> list[tuple[str, str]]:
    """Answer one record per window and remember the windows asked for."""
    windows: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        flt = json.loads(request.content)["requestFilter"]
        windows.append((flt["startDate"], flt.get("endDate")))
        body = [{"id": len(windows), "name": flt["startDate"]}]
        return json_response(200, body, **page_headers(1, 50, 1))

    api.vendor.routes["/transactions"] = handler
    return windows


def test_split_range_walks_windows_in_order(api: Api) -> None:
    windows = window_server(api)
    client = api.client()
    items = api.collect(
        client,
        TRANSACTIONS,
        Machine,
        request_filter={"start_date": date(2024, 1, 1), "end_date": date(2024, 1, 20)},
        split_range=True,
    )
    assert [m.id for m in items] == [1, 2, 3]
    assert windows == [
        ("2024-01-01T00:00:00.000", "2024-01-07T23:59:59.999"),
        ("2024-01-08T00:00:00.000", "2024-01-14T23:59:59.999"),
        ("2024-01-15T00:00:00.000", "2024-01-20T23:59:59.000"),
    ]


def test_split_range_without_an_end_or_a_range_is_one_walk(api: Api) -> None:
    windows = window_server(api)
    api.vendor.routes["/machines"] = paged(RECORDS)
    client = api.client()
    items = api.collect(
        client,
        TRANSACTIONS,
        Machine,
        request_filter={"start_date": date(2024, 1, 1)},
        split_range=True,
    )
    assert len(items) == 1 and windows == [("2024-01-01T00:00:00.000", None)]
    assert len(api.collect(client, MACHINES, Machine, split_range=True)) == 7


def test_dates_required_route_rejects_missing_start(api: Api) -> None:
    client = api.client()
    with pytest.raises(DateRangeError) as info:
        api.collect(
            client, REPORTS, Machine, request_filter={"end_date": date(2024, 1, 1)}
        )
    assert info.value.field == "start_date"
    assert api.vendor.requests == []
