"""Error answers: application error lists and the gateway's ``{"message": ...}`` bodies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from starlette.responses import JSONResponse

from ..spec.model import StageApi

__all__ = [
    "DEFAULT_STATUS",
    "MockError",
    "MockErrors",
    "error_response",
    "gateway_response",
]

# Statuses of the vendor's common table, used when a spec does not declare the code.
DEFAULT_STATUS = {
    "API_TOKEN": 401,
    "NO_API_ACCESS": 403,
    "ACCESS_ERROR": 500,
    "DATA_ACCESS": 403,
    "UNKNOWN_ERROR": 500,
    "GENERIC_ERROR": 400,
    "UNEXPECTED_RESULT_COUNT": 400,
    "MISSING_RECORD": 404,
    "MISSING_REQUIRED_DATA": 421,
    "DESERIALIZATION_ERROR": 400,
    "INVALID_DATE_RANGE": 400,
    "DATE_PARSING": 400,
    "INVALID_LOGIN": 403,
}

# Gateway names the mock answers with, and the message used when a spec lacks them.
_GATEWAY_FALLBACK = {
    "Forbidden": (403, "Forbidden"),
    "MissingAuthenticationToken": (403, "Missing Authentication Token"),
    "TooManyRequests": (429, "Too Many Requests"),
    "LimitExceeded": (429, "Limit Exceeded"),
}


class MockError(Exception):
    """One application error object; raised by handlers, answered as a list."""

    def __init__(
        self,
        code: str,
        message: str,
        pointers: Sequence[object] = (),
        pointer_name: str | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.pointers = list(pointers)
        self.pointer_name = pointer_name


class MockErrors(Exception):
    """Several error objects answered together (the first one sets the status)."""

    def __init__(self, errors: Sequence[MockError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = list(errors)


def _status(stage: StageApi, code: str) -> int:
    declared = stage.error(code)
    return declared.status if declared is not None else DEFAULT_STATUS.get(code, 400)


def error_response(stage: StageApi, errors: Sequence[MockError]) -> JSONResponse:
    """A JSON list of error objects with the stage's keys; status of the first error."""
    keys = stage.error_object
    body = [
        {
            keys.code: e.code,
            keys.message: e.message,
            keys.pointers: e.pointers,
            keys.pointer_name: e.pointer_name,
        }
        for e in errors
    ]
    return JSONResponse(body, status_code=_status(stage, errors[0].code))


def gateway_response(
    stage: StageApi, name: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """The gateway error ``name`` (e.g. ``Forbidden``) as ``{"message": ...}``."""
    status, message = _GATEWAY_FALLBACK[name]
    for gateway in stage.gateway:
        if gateway.name == name:
            status, message = gateway.status, gateway.message
    return JSONResponse(
        {"message": message}, status_code=status, headers=dict(headers or {})
    )
