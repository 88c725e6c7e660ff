"""The one exception tree of a generated client (``_error_map`` maps responses onto it).

```
VendorError                      (root; generated packages alias it as <Api>Error)
├── UsageError(VendorError, ValueError)   bad arguments, raised before any request
│   ├── UnhonouredFilterError    .route, .field
│   ├── DateRangeError           start after end, or required dates missing (.route, .field)
│   └── MissingCredentialsError  missing api key / username / password (.field)
├── QuotaExhausted               .reset_at: the daily quota is spent until then
├── LimiterUnavailable           the shared limiter's store is unreachable (fail closed)
├── APIConnectionError           transport failure (.route)
│   └── APITimeoutError
├── ResponseValidationError      invalid JSON or UTF-8, JSON nested too deep, wrong body
│   │                            shape, bad paging or date-range header, unsendable token
│   │                            (.route, .field, .response)
│   └── ResponseTooLargeError    body over ``max_response_bytes`` after decompression
│                                (.limit); reading stopped there
└── APIStatusError               .status_code, .response, .route
    ├── RedirectError            a 3xx: redirects are never followed (.location)
    ├── GatewayError             body {"message": ...}: .message (subclass per message)
    └── APIErrorResponse         first error object: .code .message .pointers
                                 .pointer_name; .errors holds every error object
                                 (subclass per error code, with ClassVars code/status)
```

Exception text carries status, code, message and route name only: never a header, a
request body or a credential, so it is safe to log. Whatever a server sends (a slow,
huge, malformed or hostile response) ends as one of these classes, never as a bare
``RecursionError``, ``OverflowError``, ``UnicodeError`` or httpx exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

import httpx

__all__ = [
    "APIConnectionError",
    "APIErrorResponse",
    "APIStatusError",
    "APITimeoutError",
    "DateRangeError",
    "ErrorDetail",
    "GatewayError",
    "LimiterUnavailable",
    "MissingCredentialsError",
    "QuotaExhausted",
    "RangeClampedWarning",
    "RedirectError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "UnhonouredFilterError",
    "UsageError",
    "VendorError",
]


class VendorError(Exception):
    """Root of every error the client raises."""


class RangeClampedWarning(UserWarning):
    """A walk the caller chose not to split searched less than the range asked for."""


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


class LimiterUnavailable(VendorError):
    """The shared limiter cannot reach its store, and is set to fail closed.

    Nothing was sent: without the shared count the call could overrun the plan.
    """

    def __init__(self, store: str, reason: str) -> None:
        super().__init__(f"the shared rate limiter at {store} is unavailable: {reason}")
        self.store = store


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


class ResponseTooLargeError(ResponseValidationError):
    """The body grew past ``limit`` bytes (counted after decompression); reading stopped.

    Raised for success and error responses alike, so a huge or compressed-bomb body
    never fills memory. Raise the client's ``max_response_bytes`` if pages are legitimately
    that large.
    """

    def __init__(
        self, route: str, *, limit: int, response: httpx.Response | None = None
    ) -> None:
        super().__init__(
            route,
            field="body",
            response=response,
            detail=f"body exceeds max_response_bytes={limit} bytes",
        )
        self.limit = limit


class APIStatusError(VendorError):
    """The server answered with an unexpected HTTP status."""

    def __init__(self, text: str, *, response: httpx.Response, route: str) -> None:
        super().__init__(f"{route}: HTTP {response.status_code}: {text}")
        self.response = response
        self.status_code = response.status_code
        self.route = route


class RedirectError(APIStatusError):
    """The server answered 3xx. Redirects are never followed for API calls, even by an
    injected ``httpx.Client(follow_redirects=True)``: the API key, session token and
    write body must not reach another origin. ``location`` is the target (host and path,
    without query)."""

    def __init__(self, *, location: str, response: httpx.Response, route: str) -> None:
        super().__init__(
            f"redirect to {location or '(no location)'} not followed",
            response=response,
            route=route,
        )
        self.location = location


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
