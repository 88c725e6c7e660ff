"""The one exception tree of a generated client, and the one function that maps responses.

```
VendorError                      (root; generated packages alias it as <Api>Error)
├── UsageError(VendorError, ValueError)   bad arguments, raised before any request
│   ├── UnhonouredFilterError    .route, .field
│   ├── DateRangeError           start after end, or required dates missing (.route, .field)
│   └── MissingCredentialsError  missing api key / username / password (.field)
├── QuotaExhausted               .reset_at: the daily quota is spent until then
├── APIConnectionError           transport failure (.route)
│   └── APITimeoutError
├── ResponseValidationError      invalid JSON, wrong body shape, bad paging header
│                                (.route, .field, .response)
└── APIStatusError               .status_code, .response, .route
    ├── GatewayError             body {"message": ...}: .message (subclass per message)
    └── APIErrorResponse         first error object: .code .message .pointers
                                 .pointer_name; .errors holds every error object
                                 (subclass per error code, with ClassVars code/status)
```

Exception text carries status, code, message and route name only: never a header, a
request body or a credential, so it is safe to log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

import httpx

from ._config import ErrorConfig, RouteInfo

__all__ = [
    "APIConnectionError",
    "APIErrorResponse",
    "APIStatusError",
    "APITimeoutError",
    "DateRangeError",
    "ErrorDetail",
    "GatewayError",
    "MissingCredentialsError",
    "QuotaExhausted",
    "ResponseValidationError",
    "UnhonouredFilterError",
    "UsageError",
    "VendorError",
    "make_status_error",
]


class VendorError(Exception):
    """Root of every error the client raises."""


class UsageError(VendorError, ValueError):
    """The call's arguments are wrong; raised before any request is sent."""


class UnhonouredFilterError(UsageError):
    """A filter was passed that the route does not honour (the server would ignore it)."""

    def __init__(self, route: str, field: str) -> None:
        super().__init__(f"{route} does not honour the filter {field!r}")
        self.route = route
        self.field = field


class DateRangeError(UsageError):
    """The date range is inverted, or a required end of it is missing."""

    def __init__(self, route: str, field: str, reason: str) -> None:
        super().__init__(f"{route}: {field}: {reason}")
        self.route = route
        self.field = field


class MissingCredentialsError(UsageError):
    """A credential needed by the client or route was not given."""

    def __init__(self, field: str, hint: str = "") -> None:
        text = f"missing credential {field!r}"
        super().__init__(f"{text}: {hint}" if hint else text)
        self.field = field


class QuotaExhausted(VendorError):
    """The daily request quota is spent; no call is sent until ``reset_at``."""

    def __init__(self, reset_at: datetime, *, quota: int | None = None) -> None:
        spent = f"the daily quota of {quota} requests" if quota else "the daily quota"
        super().__init__(f"{spent} is exhausted until {reset_at.isoformat()}")
        self.reset_at = reset_at
        self.quota = quota


class APIConnectionError(VendorError):
    """The request could not be sent or its response not read."""

    def __init__(self, route: str, message: str = "connection error") -> None:
        super().__init__(f"{route}: {message}")
        self.route = route


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, route: str, message: str = "request timed out") -> None:
        super().__init__(route, message)


class ResponseValidationError(VendorError):
    """The response does not have the shape the spec promises."""

    def __init__(
        self,
        route: str,
        *,
        field: str | None,
        response: httpx.Response | None = None,
        detail: str = "invalid value",
    ) -> None:
        where = f" at {field}" if field else ""
        super().__init__(f"{route}: invalid response{where}: {detail}")
        self.route = route
        self.field = field
        self.response = response


class APIStatusError(VendorError):
    """The server answered with an unexpected HTTP status."""

    def __init__(self, text: str, *, response: httpx.Response, route: str) -> None:
        super().__init__(f"{route}: HTTP {response.status_code}: {text}")
        self.response = response
        self.status_code = response.status_code
        self.route = route


class GatewayError(APIStatusError):
    """The API gateway answered ``{"message": ...}`` (forbidden, throttled, quota, ...)."""

    #: set by generated subclasses to the status their message comes with
    status: ClassVar[int | None] = None

    def __init__(self, *, message: str, response: httpx.Response, route: str) -> None:
        super().__init__(message, response=response, route=route)
        self._message = message

    @property
    def message(self) -> str:
        """The gateway's message."""
        return self._message


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    """One error object of an error response."""

    code: str
    message: str
    pointers: tuple[object, ...] = ()
    pointer_name: str | None = None


class APIErrorResponse(APIStatusError):
    """The API answered with error objects; attributes describe the first one.

    Generated subclasses set ``code: ClassVar[str]`` and ``status: ClassVar[int]``;
    ``code`` is a property here so such a class attribute may override it.
    """

    status: ClassVar[int | None] = None

    def __init__(
        self, *, errors: Sequence[ErrorDetail], response: httpx.Response, route: str
    ) -> None:
        first = errors[0] if errors else ErrorDetail(code="", message="")
        super().__init__(
            f"{first.code}: {first.message}", response=response, route=route
        )
        self.errors = list(errors)
        self._code = first.code
        self.message = first.message
        self.pointers = list(first.pointers)
        self.pointer_name = first.pointer_name

    @property
    def code(self) -> str:
        """The error code of the first error object, e.g. ``API_TOKEN``."""
        return self._code


def _keep(text: str) -> str:
    return text


def make_status_error(
    config: ErrorConfig,
    route: RouteInfo,
    response: httpx.Response,
    *,
    scrub: Callable[[str], str] = _keep,
) -> APIStatusError:
    """Map a non-2xx response to the most specific exception class.

    ``scrub`` is applied to every server-supplied string the exception keeps
    (messages, string pointers, pointer names), so a credential the server echoed
    is in no attribute, not only out of ``str(exc)``.
    """
    try:
        body: object = response.json()
    except ValueError:
        body = None
    errors = _error_objects(config, body, scrub)
    if errors:
        cls = config.codes.get(errors[0].code, APIErrorResponse)
        return cls(errors=errors, response=response, route=route.name)
    message = _gateway_message(config, body)
    if message is not None:
        # The class is chosen by the exact message; only what is kept is scrubbed.
        gateway = config.gateway.get((response.status_code, message), GatewayError)
        return gateway(message=scrub(message), response=response, route=route.name)
    return APIStatusError(
        scrub(response.reason_phrase or "unexpected status"),
        response=response,
        route=route.name,
    )


def _error_objects(
    config: ErrorConfig, body: object, scrub: Callable[[str], str]
) -> list[ErrorDetail]:
    """Error objects from a list of them or a single one; [] when the body is neither."""
    items = body if isinstance(body, list) else [body]
    details = [_error_detail(config, item, scrub) for item in items]
    if not details or any(detail is None for detail in details):
        return []
    return [detail for detail in details if detail is not None]


def _error_detail(
    config: ErrorConfig, item: object, scrub: Callable[[str], str]
) -> ErrorDetail | None:
    if not isinstance(item, dict):
        return None
    code = item.get(config.code_key)
    if not isinstance(code, str):
        return None
    message = item.get(config.message_key)
    pointers = item.get(config.pointers_key)
    pointer_name = item.get(config.pointer_name_key)
    return ErrorDetail(
        code=code,
        message=scrub(message) if isinstance(message, str) else "",
        pointers=(
            tuple(scrub(p) if isinstance(p, str) else p for p in pointers)
            if isinstance(pointers, list)
            else ()
        ),
        pointer_name=scrub(pointer_name) if isinstance(pointer_name, str) else None,
    )


def _gateway_message(config: ErrorConfig, body: object) -> str | None:
    # The gateway's body has a message and nothing that looks like an error code.
    if isinstance(body, dict) and config.code_key not in body:
        message = body.get(config.message_key)
        if isinstance(message, str):
            return message
    return None
