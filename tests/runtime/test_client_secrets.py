"""No credential reaches a log record, an exception's text or traceback, or a repr."""

from __future__ import annotations

import gc
import logging
import traceback

import httpx
import pytest

from generator.runtime import APIErrorResponse, GatewayError, VendorError
from generator.runtime._redact import _LiveSecretsFilter
from tests.runtime.runtime_support import (
    API_KEY,
    CONFIG,
    MACHINES,
    PASSWORD,
    SITES_UPDATE,
    Api,
    Machine,
    Site,
    json_response,
    page_headers,
)

SECRETS = (API_KEY, PASSWORD, "tok-1", "tok-2")


def flow_handler(api: Api):  # type: ignore[no-untyped-def]
    """Page 1 ok; page 2 first 401 API_TOKEN (tok-1), then 503 once, then ok."""
    state = {"expired": False, "unavailable": False}

    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.headers["page"])
        if page == 2 and not state["expired"]:
            state["expired"] = True
            error = {"code": "API_TOKEN", "message": "Token expired.", "pointers": []}
            return json_response(401, [error])
        if page == 2 and not state["unavailable"]:
            state["unavailable"] = True
            return json_response(503, {"message": "Service Unavailable"})
        machine = {"id": page, "name": f"M{page}"}
        return json_response(200, [machine], **page_headers(page, 1, 2))

    return handler


def echoing(request: httpx.Request) -> httpx.Response:
    token = request.headers["access-token"]
    text = f"rejected key {API_KEY} password {PASSWORD} token {token}"
    return json_response(400, [{"code": "GENERIC_ERROR", "message": text}])


def dropping(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadError(f"reset while sending {request.headers['access-token']}")


def assert_clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_full_flow_leaks_no_secret(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    api.vendor.routes["/machines"] = flow_handler(api)
    client = api.client()
    errors: list[BaseException] = []
    with caplog.at_level(logging.DEBUG):
        items = api.collect(client, MACHINES, Machine, size=1)
        for handler in (echoing, dropping):
            api.vendor.routes["/sites"] = handler
            with pytest.raises(VendorError) as info:
                api.call(client, "_request", SITES_UPDATE, body=[Site(id=1, site_name="A")])
            errors.append(info.value)
        # Even a careless message on the client's logger is masked.
        logging.getLogger(CONFIG.name).debug("key=%s token=%s", API_KEY, "tok-2")
    assert [item.id for item in items] == [1, 2]
    assert api.vendor.logins == 2 and len(api.clock.sleeps) == 1
    assert len(caplog.records) >= 8
    for record in caplog.records:
        assert_clean(record.getMessage())
    for error in errors:
        assert_clean(str(error) + repr(error))
        assert_clean("".join(traceback.format_exception(error)))
        assert error.__cause__ is None or "***" in "".join(
            traceback.format_exception(error)
        )
    assert_clean(repr(client))


def test_one_filter_per_logger_for_many_clients(api: Api) -> None:
    logger = logging.getLogger(CONFIG.name)
    clients = [api.client(api_key=f"key-{n}-SECRET") for n in range(50)]
    ours = [f for f in logger.filters if isinstance(f, _LiveSecretsFilter)]
    assert len(ours) == 1
    record = logger.makeRecord(
        logger.name,
        logging.INFO,
        __file__,
        1,
        "%s %s",
        ("key-3-SECRET", "key-49-SECRET"),
        None,
    )
    assert ours[0].filter(record) and record.getMessage() == "*** ***"
    del clients
    gc.collect()
    record = logger.makeRecord(
        logger.name, logging.INFO, __file__, 1, "%s", ("key-3-SECRET",), None
    )
    ours[0].filter(record)
    assert record.getMessage() == "key-3-SECRET"


def test_error_attributes_are_scrubbed_not_only_the_text(api: Api) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        token = request.headers["access-token"]
        errors = [
            {
                "code": "GENERIC_ERROR",
                "message": f"bad key {API_KEY}",
                "pointers": [1, f"pw={PASSWORD}", token],
                "pointerName": f"Field.{token}",
            },
            {"code": "X", "message": f"token {token}", "pointers": [token]},
        ]
        return json_response(400, errors)

    api.vendor.routes["/sites"] = handler
    client = api.client()
    with pytest.raises(APIErrorResponse) as info:
        api.call(client, "_request", SITES_UPDATE, body=[Site(id=1, site_name="A")])
    error = info.value
    assert error.message == "bad key ***"
    assert error.pointers == [1, "pw=***", "***"]
    assert error.pointer_name == "Field.***"
    assert [e.message for e in error.errors] == ["bad key ***", "token ***"]
    assert error.errors[0].pointers == (1, "pw=***", "***")
    assert error.errors[1].pointers == ("***",)
    assert_clean(repr(vars(error)) + repr(error.errors) + str(error))


def test_gateway_message_attribute_is_scrubbed(api: Api) -> None:
    api.vendor.routes["/sites"] = lambda request: json_response(
        403, {"message": f"Invalid key {API_KEY}"}
    )
    client = api.client()
    with pytest.raises(GatewayError) as info:
        api.call(client, "_request", SITES_UPDATE, body=[Site(id=1, site_name="A")])
    assert info.value.message == "Invalid key ***"
    assert_clean(str(info.value) + repr(vars(info.value)))


def test_a_one_character_key_does_not_mangle_messages(api: Api) -> None:
    api.vendor.routes["/sites"] = lambda request: json_response(
        400, [{"code": "GENERIC_ERROR", "message": "update failed"}]
    )
    client = api.client(api_key="p")
    with pytest.raises(APIErrorResponse) as info:
        api.call(client, "_request", SITES_UPDATE, body=[Site(id=1, site_name="A")])
    assert info.value.message == "update failed"
    assert "update failed" in str(info.value)
    assert api.vendor.calls[0].headers["x-api-key"] == "p"
