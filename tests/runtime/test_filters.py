"""The standardized body: wire names, merging, omission and client-side checks."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import pydantic
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
    Api,
    RequestFilter,
    Site,
    json_response,
    page_headers,
)


class MachinesRouteFilter(pydantic.BaseModel):
    include_inactive: bool | None = None


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


def test_filter_object_merges_only_set_fields_with_keywords() -> None:
    filters = RequestFilter(organization_ids=[9])
    body = body_of(MACHINES, filters=filters, request_filter={"site_ids": [2]})
    assert body["requestFilter"] == {"siteIds": [2], "organizationIds": [9]}


def test_a_field_in_an_object_and_a_keyword_is_rejected() -> None:
    filters = RequestFilter(site_ids=[1], organization_ids=[9])
    with pytest.raises(UsageError) as info:
        body_of(MACHINES, filters=filters, request_filter={"site_ids": [2]})
    assert "machines.list" in str(info.value) and "site_ids" in str(info.value)


def test_a_request_and_a_route_filter_object_together() -> None:
    filters = [RequestFilter(site_ids=[1]), MachinesRouteFilter(include_inactive=True)]
    body = body_of(MACHINES, filters=filters)
    assert body["requestFilter"] == {"siteIds": [1]}
    assert body["routeFilter"] == {"includeInactive": True}
    assert body_of(MACHINES, filters=()) == {"requestFilter": {}, "routeFilter": {}}


def test_a_field_set_in_two_objects_is_rejected() -> None:
    filters = [RequestFilter(site_ids=[1]), RequestFilter(site_ids=[2])]
    with pytest.raises(UsageError) as info:
        body_of(MACHINES, filters=filters)
    assert "site_ids" in str(info.value) and "machines.list" in str(info.value)


def test_the_client_accepts_a_sequence_of_filter_objects(api: Api) -> None:
    api.vendor.routes["/machines"] = lambda r: json_response(
        200, [], **page_headers(1, 50, 1)
    )
    client = api.client()
    filters = [RequestFilter(site_ids=[1]), MachinesRouteFilter(include_inactive=True)]
    api.call(client, "_request", MACHINES, filters=filters)
    api.call(client, "_get_page", MACHINES, Site, filters=filters)
    api.collect(client, MACHINES, Site, filters=filters)
    for request in api.vendor.calls:
        assert json.loads(request.content) == {
            "requestFilter": {"siteIds": [1]},
            "routeFilter": {"includeInactive": True},
        }
    assert len(api.vendor.calls) == 3


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


@pytest.mark.parametrize("empty", [[], ()])
def test_a_write_of_no_records_is_a_usage_error(empty: list[Site]) -> None:
    with pytest.raises(UsageError, match=r"sites\.update: an empty list writes nothing"):
        body_of(SITES_UPDATE, body=empty)


def test_body_models_are_dumped_by_alias() -> None:
    body = body_of(SITES_UPDATE, body=[Site(id=1, site_name="Lobby")])
    assert body["body"] == [{"id": 1, "siteName": "Lobby"}]


@pytest.mark.parametrize("empty", [[], (), set()])
def test_an_empty_list_filter_is_rejected(empty: object) -> None:
    with pytest.raises(UsageError) as info:
        body_of(MACHINES, request_filter={"site_ids": empty})
    text = str(info.value)
    assert "machines.list" in text and "site_ids=" in text
    assert "would match every record; pass None to not filter" in text


def test_an_empty_list_in_a_filter_object_is_rejected() -> None:
    with pytest.raises(UsageError, match=r"site_ids=\[\] would match every record"):
        body_of(MACHINES, filters=RequestFilter(site_ids=[]))


@pytest.mark.parametrize("text", ["1", b"1"])
def test_a_string_for_a_list_filter_is_rejected(text: object) -> None:
    with pytest.raises(UsageError) as info:
        body_of(MACHINES, request_filter={"organization_ids": text})
    assert "machines.list" in str(info.value)
    assert "organization_ids" in str(info.value) and "list" in str(info.value)


def test_an_empty_list_is_rejected_before_any_request(api: Api) -> None:
    client = api.client()
    with pytest.raises(UsageError, match="site_ids"):
        api.call(client, "_request", MACHINES, request_filter={"site_ids": []})
    with pytest.raises(UsageError, match="site_ids"):
        api.collect(client, MACHINES, Site, request_filter={"site_ids": "4"})
    assert api.vendor.requests == []


SNIPPET = """
from generator.runtime import SequenceNotStr

def f(ids: SequenceNotStr[str]) -> None: ...

f(["a"])
f(("a", "b"))
f("a")  # line 8: rejected
"""


def test_sequence_not_str_rejects_str_under_mypy(tmp_path: Path) -> None:
    source = tmp_path / "snippet.py"
    source.write_text(textwrap.dedent(SNIPPET))
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",
            f"--cache-dir={tmp_path / 'cache'}",
            str(source),
        ],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, result.stdout
    assert "snippet.py:8:" in errors[0] and "arg-type" in errors[0]
