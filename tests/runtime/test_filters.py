"""The standardized body: wire names, merging, omission and client-side checks."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from generator.runtime import DateRangeError, UnhonouredFilterError, UsageError
from generator.runtime._filters import build_body, collect_filters
from generator.runtime._types import NOT_GIVEN
from tests.runtime.runtime_support import (
    CONFIG,
    MACHINES,
    REPORTS,
    SITES_UPDATE,
    TRANSACTIONS,
    RequestFilter,
    Site,
)


def body_of(route, **kwargs):  # type: ignore[no-untyped-def]
    body = kwargs.pop("body", None)
    return build_body(CONFIG, route, collect_filters(CONFIG, route, **kwargs), body)


def test_filters_use_wire_names_and_empty_filters_are_objects() -> None:
    body = body_of(
        MACHINES, request_filter={"site_ids": [1, 4], "organization_ids": None}
    )
    assert body == {"requestFilter": {"siteIds": [1, 4]}, "routeFilter": {}}


def test_route_filter_and_bools() -> None:
    body = body_of(MACHINES, route_filter={"include_inactive": False})
    assert body["routeFilter"] == {"includeInactive": False}


def test_not_given_and_none_values_are_omitted() -> None:
    body = body_of(
        MACHINES, request_filter={"site_ids": NOT_GIVEN, "organization_ids": None}
    )
    assert body["requestFilter"] == {}


def test_unhonoured_filter_names_route_and_field() -> None:
    with pytest.raises(UnhonouredFilterError) as info:
        body_of(MACHINES, request_filter={"account_ids": [3]})
    assert info.value.route == "machines.list"
    assert info.value.field == "account_ids"
    assert "machines.list" in str(info.value) and "account_ids" in str(info.value)
    assert isinstance(info.value, UsageError) and isinstance(info.value, ValueError)


def test_filter_object_merges_only_set_fields_and_keywords_win() -> None:
    filters = RequestFilter(site_ids=[1], organization_ids=[9])
    body = body_of(MACHINES, filters=filters, request_filter={"site_ids": [2]})
    assert body["requestFilter"] == {"siteIds": [2], "organizationIds": [9]}


def test_filter_object_with_unhonoured_set_field_is_rejected() -> None:
    with pytest.raises(UnhonouredFilterError, match="account_ids"):
        body_of(MACHINES, filters=RequestFilter(account_ids=[1]))


def test_dates_are_normalised_to_naive_utc_wire_strings() -> None:
    body = body_of(
        TRANSACTIONS,
        request_filter={"start_date": date(2024, 3, 1), "end_date": date(2024, 3, 2)},
    )
    assert body["requestFilter"] == {
        "startDate": "2024-03-01T00:00:00.000",
        "endDate": "2024-03-02T23:59:59.000",
    }


def test_start_after_end_is_an_error() -> None:
    with pytest.raises(DateRangeError) as info:
        body_of(
            TRANSACTIONS,
            request_filter={
                "start_date": datetime(2024, 3, 2, tzinfo=UTC),
                "end_date": datetime(2024, 3, 1, tzinfo=UTC),
            },
        )
    assert info.value.field == "start_date"


def test_required_dates_missing_names_the_field() -> None:
    with pytest.raises(DateRangeError) as info:
        body_of(REPORTS, request_filter={"start_date": datetime(2024, 3, 1)})
    assert info.value.field == "end_date"
    assert info.value.route == "reports.list"


def test_body_models_are_dumped_by_alias() -> None:
    body = body_of(SITES_UPDATE, body=[Site(id=1, site_name="Lobby")])
    assert body["body"] == [{"id": 1, "siteName": "Lobby"}]
