"""NOT_GIVEN, omit_not_given and make_status_error as pure functions."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import httpx
import pytest

from generator.runtime import (
    NOT_GIVEN,
    APIConnectionError,
    APIErrorResponse,
    APIStatusError,
    APITimeoutError,
    GatewayError,
    MissingCredentialsError,
    NotGiven,
    QuotaExhausted,
    ResponseValidationError,
    UsageError,
    VendorError,
    make_status_error,
    omit_not_given,
)
from tests.runtime.runtime_support import (
    CONFIG,
    MACHINES,
    ApiTokenError,
    TooManyRequestsError,
)


def test_not_given_is_a_falsy_singleton() -> None:
    assert not NOT_GIVEN
    assert repr(NOT_GIVEN) == "NOT_GIVEN"
    assert NotGiven() is NOT_GIVEN
    assert copy.deepcopy(NOT_GIVEN) is NOT_GIVEN


def test_omit_not_given_keeps_none() -> None:
    assert omit_not_given(a=1, b=NOT_GIVEN, c=None) == {"a": 1, "c": None}


def status_error(status: int, body: object) -> APIStatusError:
    response = httpx.Response(
        status, json=body, request=httpx.Request("POST", "https://x/m")
    )
    return make_status_error(CONFIG.errors, MACHINES, response)


def test_code_maps_to_generated_class_with_class_attributes() -> None:
    error = status_error(401, [{"code": "API_TOKEN", "message": "expired"}])
    assert type(error) is ApiTokenError
    assert error.code == "API_TOKEN" and ApiTokenError.status == 401
    assert error.pointers == [] and error.pointer_name is None


def test_unknown_code_falls_back_to_api_error_response() -> None:
    error = status_error(400, [{"code": "NEW_CODE", "message": "m"}])
    assert type(error) is APIErrorResponse
    assert isinstance(error, APIErrorResponse) and error.code == "NEW_CODE"


def test_gateway_messages() -> None:
    assert (
        type(status_error(429, {"message": "Too Many Requests"}))
        is TooManyRequestsError
    )
    other = status_error(403, {"message": "Missing Authentication Token"})
    assert type(other) is GatewayError
    assert (
        isinstance(other, GatewayError)
        and other.message == "Missing Authentication Token"
    )


def test_an_unknown_path_says_the_base_url_or_stage_is_wrong() -> None:
    errors = dataclasses.replace(
        CONFIG.errors, unknown_path_gateway=(403, "Missing Authentication Token")
    )
    response = httpx.Response(
        403,
        json={"message": "Missing Authentication Token"},
        request=httpx.Request("POST", "https://x/v9/machines"),
    )
    error = make_status_error(errors, MACHINES, response)
    assert type(error) is GatewayError
    assert str(error) == (
        "machines.list: HTTP 403: Missing Authentication Token (the server knows no"
        " such path: the base URL or stage is probably wrong;"
        " URL used: https://x/v9/machines)"
    )


@pytest.mark.parametrize(
    "body", [[], [1, 2], {"detail": "x"}, [{"message": "no code"}], None]
)
def test_other_bodies_are_plain_status_errors(body: object) -> None:
    assert type(status_error(500, body)) is APIStatusError


def test_not_given_survives_pickling() -> None:
    assert pickle.loads(pickle.dumps(NOT_GIVEN)) is NOT_GIVEN


def test_tree() -> None:
    assert issubclass(UsageError, ValueError)
    assert issubclass(MissingCredentialsError, UsageError)
    assert issubclass(APITimeoutError, APIConnectionError)
    for cls in (
        QuotaExhausted,
        APIConnectionError,
        ResponseValidationError,
        APIStatusError,
    ):
        assert issubclass(cls, VendorError)
