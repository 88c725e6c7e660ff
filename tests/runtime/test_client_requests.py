"""Single requests: bodies, response kinds, error mapping, retries and timeouts."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime

import httpx
import pytest

from generator.runtime import (
    APIConnectionError,
    APIErrorResponse,
    APIStatusError,
    APITimeoutError,
    DateRangeError,
    GatewayError,
    Hooks,
    RequestEvent,
    ResponseValidationError,
    RetryConfig,
    UnhonouredFilterError,
    UsageError,
)
from tests.runtime.runtime_support import (
    API_KEY,
    MACHINES,
    PASSWORD,
    PING,
    REPORTS,
    SITE_GET,
    SITES_DELETE,
    SITES_UPDATE,
    TRANSACTIONS,
    Api,
    DataAccessError,
    LimitExceededError,
    Machine,
    Site,
    json_response,
    page_headers,
)

MACHINE = {"id": 1, "name": "Snack 1"}
SITE = Site(id=1, site_name="A")


def test_body_has_wire_names_and_models(api: Api) -> None:
    api.vendor.routes["/sites"] = lambda request: json_response(
        200, [{"id": 1, "siteName": "A"}]
    )
    client = api.client()
    result = api.call(
        client, "_request", SITES_UPDATE, body=[Site(id=1, site_name="A")], cast_to=Site
    )
    assert result == [Site(id=1, site_name="A")]
    (request,) = api.vendor.calls
    assert request.method == "PUT"
    assert json.loads(request.content) == {
        "requestFilter": {},
        "routeFilter": {},
        "body": [{"id": 1, "siteName": "A"}],
    }


def test_an_empty_write_sends_nothing(api: Api) -> None:
    client = api.client()
    with pytest.raises(UsageError, match="empty list writes nothing"):
        api.call(client, "_request", SITES_UPDATE, body=[], cast_to=Site)
    assert api.vendor.requests == []  # not even a login


def test_reads_post_the_standardized_filter_body(api: Api) -> None:
    api.vendor.routes["/transactions"] = lambda r: json_response(
        200, [], **page_headers(1, 50, 0)
    )
    client = api.client()
    start = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
    api.call(
        client,
        "_request",
        TRANSACTIONS,
        request_filter={
            "site_ids": [1, 4],
            "start_date": start,
            "end_date": date(2024, 3, 2),
        },
        cast_to=Machine,
    )
    assert json.loads(api.vendor.calls[0].content)["requestFilter"] == {
        "siteIds": [1, 4],
        "startDate": "2024-03-01T08:00:00.000",
        "endDate": "2024-03-02T23:59:59.000",
    }


def test_object_text_and_none_responses(api: Api) -> None:
    api.vendor.routes["/site"] = lambda r: json_response(
        200, {"id": 2, "siteName": "B"}
    )
    api.vendor.routes["/ping"] = lambda r: json_response(200, "pong")
    api.vendor.routes["/sites"] = lambda r: httpx.Response(204)
    client = api.client()
    assert api.call(client, "_request", SITE_GET, cast_to=Site) == Site(
        id=2, site_name="B"
    )
    assert api.call(client, "_request", PING) == "pong"
    assert (
        api.call(client, "_request", SITES_DELETE, body=[Site(id=2, site_name="B")])
        is None
    )


def test_text_response_accepts_plain_and_json_strings(api: Api) -> None:
    """The key-test page documents a plain string; some servers send a JSON string."""
    client = api.client()
    api.vendor.routes["/ping"] = lambda r: httpx.Response(
        200, text="Access token was valid", headers={"content-type": "text/plain"}
    )
    assert api.call(client, "_request", PING) == "Access token was valid"
    api.vendor.routes["/ping"] = lambda r: json_response(200, "Access token was valid")
    assert api.call(client, "_request", PING) == "Access token was valid"


def test_unhonoured_filter_is_rejected_before_any_request(api: Api) -> None:
    client = api.client()
    with pytest.raises(UnhonouredFilterError, match=r"machines\.list.*account_ids"):
        api.call(client, "_request", MACHINES, request_filter={"account_ids": [1]})
    assert api.vendor.requests == []


@pytest.mark.parametrize(
    "dates",
    [
        {"start_date": datetime(2024, 3, 2), "end_date": datetime(2024, 3, 1)},
        {"start_date": datetime(2024, 3, 1)},
    ],
)
def test_date_errors_are_raised_before_any_request(
    api: Api, dates: dict[str, object]
) -> None:
    client = api.client()
    with pytest.raises(DateRangeError):
        api.call(client, "_get_page", REPORTS, Machine, request_filter=dates)
    assert api.vendor.requests == []


ERROR = {
    "code": "DATA_ACCESS",
    "message": "Outside your org.",
    "pointers": [1, 4],
    "pointerName": "Site.Id",
}


@pytest.mark.parametrize(
    ("status", "body", "cls"),
    [
        (403, [ERROR, {"code": "GENERIC_ERROR", "message": "x"}], DataAccessError),
        (403, ERROR, DataAccessError),
        (404, [{"code": "MISSING_RECORD", "message": "gone"}], APIErrorResponse),
        (429, {"message": "Limit Exceeded"}, LimitExceededError),
        (403, {"message": "Forbidden"}, GatewayError),
        (418, {"unexpected": True}, APIStatusError),
        (400, "<html>oops</html>", APIStatusError),
    ],
)
def test_error_bodies_map_to_classes(
    api: Api, status: int, body: object, cls: type
) -> None:
    api.vendor.routes["/sites"] = lambda r: (
        httpx.Response(status, text=body)
        if isinstance(body, str)
        else json_response(status, body)
    )
    client = api.client()
    with pytest.raises(APIStatusError) as info:
        api.call(client, "_request", SITES_UPDATE, body=[SITE])
    error = info.value
    assert type(error) is cls
    assert error.status_code == status and error.route == "sites.update"
    assert str(status) in str(error) and "sites.update" in str(error)
    assert (
        API_KEY not in str(error)
        and PASSWORD not in str(error)
        and "tok-1" not in str(error)
    )


def test_error_object_fields(api: Api) -> None:
    api.vendor.routes["/sites"] = lambda r: json_response(
        403, [ERROR, {"code": "X", "message": "y"}]
    )
    client = api.client()
    with pytest.raises(DataAccessError) as info:
        api.call(client, "_request", SITES_UPDATE, body=[SITE])
    error = info.value
    assert (error.code, error.message, error.pointers, error.pointer_name) == (
        "DATA_ACCESS",
        "Outside your org.",
        [1, 4],
        "Site.Id",
    )
    assert [e.code for e in error.errors] == ["DATA_ACCESS", "X"]
    assert "DATA_ACCESS" in str(error) and "Outside your org." in str(error)


def test_invalid_json_names_route_and_body(api: Api) -> None:
    api.vendor.routes["/site"] = lambda r: httpx.Response(200, text="{not json")
    client = api.client()
    with pytest.raises(ResponseValidationError) as info:
        api.call(client, "_request", SITE_GET, cast_to=Site)
    assert info.value.route == "sites.get" and info.value.field == "body"


def test_wrong_body_type_names_the_field(api: Api) -> None:
    api.vendor.routes["/sites"] = lambda r: json_response(
        200, [{"id": "x", "siteName": "A"}]
    )
    client = api.client()
    with pytest.raises(ResponseValidationError) as info:
        api.call(client, "_request", SITES_UPDATE, body=[SITE], cast_to=Site)
    assert info.value.route == "sites.update" and info.value.field == "0.id"
    assert "sites.update" in str(info.value) and "0.id" in str(info.value)


def test_object_instead_of_list_is_a_validation_error(api: Api) -> None:
    api.vendor.routes["/sites"] = lambda r: json_response(
        200, {"id": 1, "siteName": "A"}
    )
    client = api.client()
    with pytest.raises(ResponseValidationError) as info:
        api.call(client, "_request", SITES_UPDATE, body=[SITE], cast_to=Site)
    assert info.value.field == "body"


def failing(*statuses: int, then: httpx.Response | None = None):  # type: ignore[no-untyped-def]
    """A handler answering each status in turn (gateway bodies for 429), then ``then``."""
    queue = list(statuses)

    def handler(request: httpx.Request) -> httpx.Response:
        if queue:
            status = queue.pop(0)
            if status == 429:
                return json_response(
                    429, {"message": "Too Many Requests"}, **{"retry-after": "2"}
                )
            return json_response(status, {"message": "Service Unavailable"})
        return then or json_response(200, [MACHINE], **page_headers(1, 50, 1))

    return handler


def test_reads_retry_503_then_succeed(api: Api) -> None:
    api.vendor.routes["/machines"] = failing(503, 502)
    client = api.client()
    assert api.call(client, "_request", MACHINES, cast_to=Machine) == [
        Machine(**MACHINE)
    ]
    assert len(api.vendor.calls) == 3
    assert len(api.clock.sleeps) == 2


def test_429_too_many_requests_honours_retry_after(api: Api) -> None:
    api.vendor.routes["/machines"] = failing(429)
    client = api.client(limiter=False)
    api.call(client, "_request", MACHINES, cast_to=Machine)
    assert api.clock.sleeps == [2.0]


def test_quota_gateway_message_is_never_retried(api: Api) -> None:
    api.vendor.routes["/machines"] = lambda r: json_response(
        429, {"message": "Limit Exceeded"}
    )
    client = api.client()
    with pytest.raises(LimitExceededError):
        api.call(client, "_request", MACHINES)
    assert len(api.vendor.calls) == 1


def test_retries_give_up_after_max_attempts(api: Api) -> None:
    api.vendor.routes["/machines"] = failing(503, 503, 503, 503)
    client = api.client()
    with pytest.raises(APIStatusError) as info:
        api.call(client, "_request", MACHINES)
    assert info.value.status_code == 503
    assert len(api.vendor.calls) == 3  # RetryConfig(max_attempts=3)


def test_writes_are_never_retried_on_503(api: Api) -> None:
    api.vendor.routes["/sites"] = failing(503)
    client = api.client()
    with pytest.raises(APIStatusError):
        api.call(client, "_request", SITES_UPDATE, body=[SITE])
    assert len(api.vendor.calls) == 1


def raising(exc: Exception, times: int = 1):  # type: ignore[no-untyped-def]
    count = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        count["n"] += 1
        if count["n"] <= times:
            raise exc
        return json_response(200, [MACHINE], **page_headers(1, 50, 1))

    return handler


def test_writes_retry_a_connect_error_but_not_a_read_error(api: Api) -> None:
    api.vendor.routes["/sites"] = raising(httpx.ConnectError("refused"))
    client = api.client()
    api.call(client, "_request", SITES_UPDATE, body=[SITE])
    assert len(api.vendor.calls) == 2
    api.vendor.routes["/sites"] = raising(httpx.ReadError("reset"))
    with pytest.raises(APIConnectionError) as info:
        api.call(client, "_request", SITES_UPDATE, body=[SITE])
    assert len(api.vendor.calls) == 3
    assert "sites.update" in str(info.value)


def test_reads_retry_read_errors(api: Api) -> None:
    api.vendor.routes["/machines"] = raising(httpx.RemoteProtocolError("eof"), times=2)
    client = api.client()
    assert api.call(client, "_request", MACHINES, cast_to=Machine) == [
        Machine(**MACHINE)
    ]


def test_timeout_raises_api_timeout_error(api: Api) -> None:
    api.vendor.routes["/machines"] = raising(httpx.ReadTimeout("slow"), times=10)
    client = api.client()
    with pytest.raises(APITimeoutError) as info:
        api.call(client, "_request", MACHINES)
    assert isinstance(info.value, APIConnectionError)
    assert info.value.route == "machines.list"


def test_per_call_timeout_overrides_the_clients(api: Api) -> None:
    api.vendor.routes["/machines"] = lambda r: json_response(
        200, [], **page_headers(1, 50, 0)
    )
    client = api.client(timeout=5.0)
    api.call(client, "_request", MACHINES)
    api.call(client, "_request", MACHINES, timeout=1.5)
    api.call(client, "_request", MACHINES, timeout=None)
    timeouts = [r.extensions["timeout"] for r in api.vendor.calls]
    assert timeouts[0]["read"] == 5.0
    assert timeouts[1]["read"] == 1.5
    assert timeouts[2]["read"] is None


class Recorder(Hooks):
    def __init__(self) -> None:
        self.events: list[tuple[str, RequestEvent]] = []

    def on_request(self, event: RequestEvent) -> None:
        self.events.append(("request", event))

    def on_response(self, event: RequestEvent) -> None:
        self.events.append(("response", event))

    def on_retry(self, event: RequestEvent) -> None:
        self.events.append(("retry", event))


def test_hooks_and_logs_never_carry_secrets(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    api.vendor.routes["/machines"] = failing(503)
    hooks = Recorder()
    client = api.client(hooks=hooks)
    with caplog.at_level(logging.DEBUG, logger="vendtest"):
        api.call(client, "_request", MACHINES)
    assert [event.route for _, event in hooks.events[:2]] == ["authenticate"] * 2
    kinds = [kind for kind, _ in hooks.events[2:]]
    assert kinds == ["request", "response", "retry", "request", "response"]
    retry = next(event for kind, event in hooks.events if kind == "retry")
    assert (
        retry.route == "machines.list" and retry.attempt == 1 and retry.wait is not None
    )
    last = hooks.events[-1][1]
    assert last.status == 200 and last.attempt == 2 and last.elapsed is not None
    assert "POST /machines -> 503 (attempt 1)" in caplog.text
    assert "retrying" in caplog.text
    for secret in (API_KEY, PASSWORD, "tok-1"):
        assert secret not in caplog.text
        assert all(secret not in repr(event) for _, event in hooks.events)


def test_retry_disabled_with_one_attempt(api: Api) -> None:
    api.vendor.routes["/machines"] = failing(503)
    client = api.client(retry=RetryConfig(max_attempts=1))
    with pytest.raises(APIStatusError):
        api.call(client, "_request", MACHINES)
    assert len(api.vendor.calls) == 1


def test_echoed_credentials_are_scrubbed_from_exception_text(api: Api) -> None:
    echo = {
        "code": "GENERIC_ERROR",
        "message": f"bad key {API_KEY} for password {PASSWORD}",
    }
    api.vendor.routes["/sites"] = lambda r: json_response(400, [echo])
    client = api.client()
    with pytest.raises(APIErrorResponse) as info:
        api.call(client, "_request", SITES_UPDATE, body=[SITE])
    assert API_KEY not in str(info.value) and PASSWORD not in str(info.value)
    assert "GENERIC_ERROR" in str(info.value)
