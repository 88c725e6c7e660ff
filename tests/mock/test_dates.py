"""The four clamping rules, date-only values, the search-range headers and date errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from mock_support import NOW, Mock, MockFactory, visible_rows

START, END = "search-range-start-date", "search-range-end-date"


def moments(mock: Mock, rows: list[dict[str, Any]]) -> list[datetime]:
    return [datetime.fromisoformat(r["recordedAtUtc"]) for r in rows]


def all_rows(
    mock: Mock, request_filter: dict[str, Any]
) -> tuple[list[dict[str, Any]], Any]:
    first = mock.read("/transactions", request_filter, headers={"size": "100"})
    rows = list(first.json())
    for page in range(2, int(first.headers["total-pages"]) + 1):
        rows += mock.read(
            "/transactions", request_filter, headers={"page": str(page)}
        ).json()
    return rows, first.headers


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # both given: end trimmed to start + 31 days
        (
            {"startDate": "2024-03-01T00:00:00", "endDate": "2024-05-01T00:00:00"},
            ("2024-03-01T00:00:00.000Z", "2024-04-01T00:00:00.000Z"),
        ),
        # only start: end = start + max
        (
            {"startDate": "2024-03-01T06:00:00"},
            ("2024-03-01T06:00:00.000Z", "2024-04-01T06:00:00.000Z"),
        ),
        # only end: start = end - max
        (
            {"endDate": "2024-05-01T06:00:00"},
            ("2024-03-31T06:00:00.000Z", "2024-05-01T06:00:00.000Z"),
        ),
        # neither: end = now, start = now - max
        ({}, ("2024-05-01T12:00:00.000Z", "2024-06-01T12:00:00.000Z")),
    ],
)
def test_clamping_rows(
    mock: Mock, given: dict[str, str], expected: tuple[str, str]
) -> None:
    rows, headers = all_rows(mock, given)
    assert (headers[START], headers[END]) == expected
    lo, hi = (datetime.fromisoformat(v.rstrip("Z")) for v in expected)
    got = moments(mock, rows)
    assert got and all(lo <= m <= hi for m in got)
    table = visible_rows(mock, "Transaction")
    inside = [r for r in table if lo <= r.moment <= hi]
    assert len(rows) == len(inside)


def test_range_within_max_is_not_reported(mock: Mock) -> None:
    r = mock.read(
        "/transactions",
        {"startDate": "2024-05-01T00:00:00", "endDate": "2024-05-02T00:00:00"},
    )
    assert START not in r.headers and END not in r.headers


def test_date_only_values_get_start_and_end_of_day(mock: Mock) -> None:
    rows, headers = all_rows(mock, {"startDate": "2024-05-01", "endDate": "2024-05-03"})
    assert START not in headers
    got = moments(mock, rows)
    assert min(got) >= datetime(2024, 5, 1) and max(got) <= datetime(
        2024, 5, 3, 23, 59, 59
    )
    table = visible_rows(mock, "Transaction")
    lo, hi = datetime(2024, 5, 1), datetime(2024, 5, 3, 23, 59, 59)
    assert len(rows) == sum(lo <= r.moment <= hi for r in table)


def test_only_end_date_only_is_end_of_day(mock: Mock) -> None:
    r = mock.read("/transactions", {"endDate": "2024-05-01"})
    assert r.headers[END] == "2024-05-01T23:59:59.000Z"
    assert r.headers[START] == "2024-03-31T23:59:59.000Z"


def test_offsets_are_converted_to_utc(mock: Mock) -> None:
    r = mock.read("/transactions", {"startDate": "2024-03-01T02:00:00+02:00"})
    assert r.headers[START] == "2024-03-01T00:00:00.000Z"


def test_range_is_inclusive_at_millisecond_precision(mock: Mock) -> None:
    row = visible_rows(mock, "Transaction")[250]
    stamp = row.data["recordedAtUtc"]
    r = mock.read("/transactions", {"startDate": stamp, "endDate": stamp})
    assert [t["id"] for t in r.json()] == [row.data["id"]]


def test_start_after_end_is_invalid_date_range(mock: Mock) -> None:
    r = mock.read("/transactions", {"startDate": "2024-05-02", "endDate": "2024-05-01"})
    assert r.status_code == 400
    [error] = r.json()
    assert error["code"] == "INVALID_DATE_RANGE"
    assert error["pointers"] == ["requestFilter.startDate", "requestFilter.endDate"]


def test_unparsable_date_is_date_parsing(mock: Mock) -> None:
    r = mock.read("/transactions", {"endDate": "yesterday"})
    assert (r.status_code, r.json()[0]["code"]) == (400, "DATE_PARSING")
    assert r.json()[0]["pointers"] == ["requestFilter.endDate"]


def test_non_string_date_is_deserialization_error(mock: Mock) -> None:
    r = mock.read("/transactions", {"startDate": 20240501})
    assert (r.status_code, r.json()[0]["code"]) == (400, "DESERIALIZATION_ERROR")


RC_RANGED = ("/reports/transactions", "/alerts", "/sessions", "/sessions/events",
             "/reports/inventory-adjustments", "/reports/product-sales-stats")


@pytest.mark.parametrize("path", RC_RANGED)
def test_rc_reads_without_dates_follow_the_clamping_table(
    make_mock: MockFactory, real_api: Any, path: str
) -> None:
    """No start and no end: end = now, start = end - the route's max range (row 4)."""
    rc = make_mock("rc")
    route = next(r for r in real_api.stage("rc").routes if r.path == path)
    r = rc.read(path, {})
    assert r.status_code == 200, r.text
    start = (NOW.replace(tzinfo=None) - route.max_range).isoformat() + ".000Z"
    assert (r.headers[START], r.headers[END]) == (start, "2024-06-01T12:00:00.000Z")
    only_start = rc.read(path, {"startDate": "2024-05-01T00:00:00"})
    end = (datetime(2024, 5, 1) + route.max_range).isoformat() + ".000Z"
    assert (only_start.status_code, only_start.headers[END]) == (200, end)


def test_rc_old_transactions_path_is_the_gateways_403(make_mock: MockFactory) -> None:
    rc = make_mock("rc")
    r = rc.read("/transactions", {})
    assert (r.status_code, r.json()) == (403, {"message": "Missing Authentication Token"})


def test_dates_required_capability_answers_421(make_mock: MockFactory) -> None:
    """The format can still require both dates (golden case dates_required)."""
    v2 = make_mock("v2", "dates_required")
    r = v2.read("/audit", {"endDate": "2024-05-01"})
    assert r.status_code == 421
    [error] = r.json()
    assert error["code"] == "MISSING_REQUIRED_DATA"
    assert error["pointers"] == ["requestFilter.startDate"]
    ok = v2.read("/audit", {"startDate": "2024-04-01", "endDate": "2024-05-01"})
    assert ok.status_code == 200
    v1 = make_mock("v1", "dates_required")
    assert v1.read("/audit", {}).status_code == 200


def test_v1_reads_pascal_case_and_v1_range(make_mock: MockFactory) -> None:
    v1 = make_mock("v1")
    r = v1.read("/transactions", {"StartDate": "2024-05-01"})
    assert r.headers[END] == "2024-05-08T00:00:00.000Z"  # 7 days in v1
    r = v1.read(
        "/transactions", {"startdate": "2024-05-01"}
    )  # case-insensitive binding
    assert r.headers[START] == "2024-05-01T00:00:00.000Z"


def test_routes_without_a_range_ignore_dates(mock: Mock) -> None:
    r = mock.read("/machines", {"startDate": "garbage"})
    assert r.status_code == 200
    assert START not in r.headers


def test_history_spans_about_120_days(mock: Mock) -> None:
    table = visible_rows(mock, "Transaction")
    oldest = min(r.moment for r in table)
    assert NOW.replace(tzinfo=None) - oldest <= timedelta(days=120)
    assert NOW.replace(tzinfo=None) - oldest > timedelta(days=100)
