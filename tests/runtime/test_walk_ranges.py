"""Date-ranged walks: pinning the server's range, windows and clamp detection."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import httpx
import pytest

from generator.runtime import RangeClampedWarning, ResponseValidationError
from tests.runtime.runtime_support import (
    NOW,
    TRANSACTIONS,
    Api,
    Machine,
    json_response,
    page_headers,
)

HOUR = timedelta(hours=1)
WIRE = "%Y-%m-%dT%H:%M:%S.%f"


def wire(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def parse(text: str) -> datetime:
    return datetime.strptime(text, WIRE).replace(tzinfo=NOW.tzinfo)


class SlidingServer:
    """Hourly records; applies the four clamp rules against a "now" that moves.

    Every request moves the server's clock on by an hour, as a real server's
    ``DateTime.Now`` moves between the pages of a long walk.
    """

    def __init__(self, api: Api, max_range: timedelta, *, headers: bool = True):
        self.api = api
        self.max_range = max_range
        self.headers = headers
        self.filters: list[dict[str, str]] = []
        self.first = NOW - timedelta(days=30)

    def clamp(self, flt: dict[str, str]) -> tuple[datetime, datetime]:
        start = parse(flt["startDate"]) if "startDate" in flt else None
        end = parse(flt["endDate"]) if "endDate" in flt else None
        if start is not None and end is not None:
            return start, min(end, start + self.max_range)
        if start is not None:
            return start, start + self.max_range
        if end is not None:
            return end - self.max_range, end
        now = self.api.clock.wall
        return now - self.max_range, now

    def __call__(self, request: httpx.Request) -> httpx.Response:
        flt = json.loads(request.content)["requestFilter"]
        self.filters.append(flt)
        start, end = self.clamp(flt)
        self.api.clock.advance(3600)
        first = -(-(start - self.first) // HOUR)
        last = (end - self.first) // HOUR
        ids = list(range(first, last + 1))
        page, size = int(request.headers["page"]), int(request.headers["size"])
        chunk = ids[(page - 1) * size : page * size]
        body = [{"id": i, "name": wire(self.first + i * HOUR)} for i in chunk]
        headers = page_headers(page, size, max(1, -(-len(ids) // size)))
        if self.headers and (start, end) != (
            flt.get("startDate") and parse(flt["startDate"]),
            flt.get("endDate") and parse(flt["endDate"]),
        ):
            headers["search-range-start-date"] = wire(start) + "Z"
            headers["search-range-end-date"] = wire(end) + "Z"
        return json_response(200, body, **headers)

    def ids_between(self, start: datetime, end: datetime) -> list[int]:
        return list(
            range(-(-(start - self.first) // HOUR), (end - self.first) // HOUR + 1)
        )


@pytest.mark.parametrize("headers", [True, False], ids=["headers", "client-clamp"])
def test_walk_without_dates_is_pinned_to_the_first_pages_range(
    api: Api, headers: bool
) -> None:
    server = SlidingServer(api, timedelta(days=7), headers=headers)
    api.vendor.routes["/transactions"] = server
    client = api.client(limiter=False)
    items = api.collect(client, TRANSACTIONS, Machine, size=50)
    expected = server.ids_between(NOW - timedelta(days=7), NOW)
    assert [m.id for m in items] == expected  # no record slid off between pages
    assert len(server.filters) == 4
    assert server.filters[0] == {}
    pinned = {"startDate": wire(NOW - timedelta(days=7)), "endDate": wire(NOW)}
    assert all(flt == pinned for flt in server.filters[1:])


def test_start_only_walk_pins_the_end_after_the_first_page(api: Api) -> None:
    server = SlidingServer(api, timedelta(days=7))
    api.vendor.routes["/transactions"] = server
    client = api.client(limiter=False)
    start = NOW - timedelta(days=20)
    items = api.collect(
        client, TRANSACTIONS, Machine, size=100, request_filter={"start_date": start}
    )
    assert [m.id for m in items] == server.ids_between(start, start + timedelta(7))
    assert server.filters[0] == {"startDate": wire(start)}
    assert server.filters[1] == {
        "startDate": wire(start),
        "endDate": wire(start + timedelta(days=7)),
    }


def test_a_long_range_is_split_into_windows_by_default(api: Api) -> None:
    server = SlidingServer(api, timedelta(days=7))
    api.vendor.routes["/transactions"] = server
    client = api.client(limiter=False)
    start, end = NOW - timedelta(days=20), NOW
    dates = {"start_date": start, "end_date": end}
    items = api.collect(client, TRANSACTIONS, Machine, size=2000, request_filter=dates)
    assert [m.id for m in items] == server.ids_between(start, end)
    starts = list(dict.fromkeys(flt["startDate"] for flt in server.filters))
    assert starts == [wire(start + timedelta(days=7 * n)) for n in range(3)]
    assert len(server.filters) == 6  # two pages of 100 per window


def test_split_range_false_lets_the_server_clamp(api: Api) -> None:
    server = SlidingServer(api, timedelta(days=7))
    api.vendor.routes["/transactions"] = server
    client = api.client(limiter=False)
    start = NOW - timedelta(days=20)
    dates = {"start_date": start, "end_date": NOW}
    with pytest.warns(RangeClampedWarning, match="less than the") as caught:
        items = api.collect(
            client, TRANSACTIONS, Machine, request_filter=dates, split_range=False
        )
    assert len(caught) == 1  # once per walk, not once per page
    assert [m.id for m in items] == server.ids_between(start, start + timedelta(7))
    assert server.filters[0] == {"startDate": wire(start), "endDate": wire(NOW)}


@pytest.mark.parametrize("days", [20, 6])
def test_a_window_the_server_clamps_is_an_error(api: Api, days: int) -> None:
    server = SlidingServer(api, timedelta(days=5))  # the spec's 7 days is wrong
    api.vendor.routes["/transactions"] = server
    client = api.client(limiter=False)
    dates = {"start_date": NOW - timedelta(days=days), "end_date": NOW}
    with pytest.raises(ResponseValidationError) as info:
        api.collect(client, TRANSACTIONS, Machine, request_filter=dates)
    assert info.value.field == "search-range-end-date"
    assert info.value.route == "transactions.list"
    assert len(server.filters) == 1


def test_a_window_echoed_at_second_precision_is_not_a_clamp(api: Api) -> None:
    sent: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        flt = json.loads(request.content)["requestFilter"]
        sent.append(flt)
        page = int(request.headers["page"])
        headers = page_headers(page, 1, 2)
        headers["search-range-start-date"] = flt["startDate"][:19]
        headers["search-range-end-date"] = flt["endDate"][:19]  # drops the .999
        return json_response(200, [{"id": page, "name": "x"}], **headers)

    api.vendor.routes["/transactions"] = handler
    client = api.client()
    start = NOW - timedelta(days=10)
    dates = {"start_date": start, "end_date": NOW}
    items = api.collect(client, TRANSACTIONS, Machine, size=1, request_filter=dates)
    assert len(items) == 4  # two windows of two pages
    first_window = {
        "startDate": wire(start),
        "endDate": wire(start + timedelta(days=7, milliseconds=-1)),
    }
    assert sent[0] == sent[1] == first_window  # page 2 keeps the window's .999
