"""Static descriptions of an API stage, built by generated code and read by the runtime.

A generated package holds one ``ApiConfig`` and one ``RouteInfo`` per route (in its
``_api.py``); the runtime never knows a vendor's names, only these values. Everything
here is immutable so one config can be shared by many clients and threads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ._exceptions import APIErrorResponse, GatewayError
    from ._token_pair_auth import TokenPairConfig
    from ._webhooks import WebhookConfig

AuthMode = Literal["none", "key", "token"]
ResponseKind = Literal["list", "object", "text", "none"]


@dataclass(frozen=True, slots=True)
class FilterField:
    """One filter field a route honours: Python keyword name and this stage's wire name."""

    name: str
    wire: str
    #: "start" / "end" for the date-range fields, None otherwise.
    date_role: Literal["start", "end"] | None = None
    #: a list-typed filter (``List<int>?``): a str or bytes value is a caller's mistake
    is_list: bool = False


@dataclass(frozen=True, slots=True)
class RouteInfo:
    """Everything the runtime needs to call one route of one stage."""

    name: str  # spec name, e.g. "transactions.list"; used in errors and logs
    method: str  # "POST", "PUT", "PATCH", "DELETE", "GET"
    path: str  # relative to base_url, e.g. "/transactions"
    request_filter: tuple[FilterField, ...] = ()  # honoured standard-filter fields
    route_filter: tuple[FilterField, ...] = ()  # honoured route-filter fields
    paged: bool = False
    max_page_size: int | None = None  # None: only the global max applies
    max_range: timedelta | None = None  # None: the route takes no date range
    dates_required: bool = False  # both range ends must be given by the caller
    idempotent: bool = (
        True  # safe to retry after the request may have reached the server
    )
    auth: AuthMode = "token"  # "key": x-api-key only; "none": nothing at all
    has_body: bool = False  # writes send {"body": [...]}
    response: ResponseKind = "list"
    success_status: int = 200
    min_interval: timedelta | None = None  # per-route floor between two calls


@dataclass(frozen=True, slots=True)
class TokenConfig:
    """How to obtain and send the session token."""

    path: str  # e.g. "/authenticate"
    username_field: str  # wire names in the request body
    password_field: str
    token_field: str  # wire names in the response body
    expires_field: str | None
    expires_format: (
        str | None
    )  # strptime format of expires_field, e.g. "%m/%d/%Y %I:%M:%S %p"
    header: str  # request header that carries the token, e.g. "access-token"
    scheme: (
        str | None
    )  # e.g. "Bearer" -> "Authorization: Bearer <token>"; None -> bare token
    lifetime: timedelta  # used when the response carries no expiry
    renew_before: timedelta  # renew this long before expiry
    expired_code: (
        str  # error code that means "token missing or expired", e.g. "API_TOKEN"
    )


@dataclass(frozen=True, slots=True)
class PaginationConfig:
    """Header pagination: request and response header names and size bounds."""

    page_header: str = "page"
    size_header: str = "size"
    response_page_header: str = "page"
    response_size_header: str = "size"
    total_pages_header: str = "total-pages"
    first_page: int = 1
    default_size: int = 50
    max_size: int = 2000


@dataclass(frozen=True, slots=True)
class DateRangeConfig:
    """Date-range clamping: response headers and the times given to date-only values."""

    start_header: str = "search-range-start-date"
    end_header: str = "search-range-end-date"
    start_of_day: time = time(0, 0, 0)
    end_of_day: time = time(23, 59, 59)
    wire_format: str = (
        "%Y-%m-%dT%H:%M:%S"  # naive UTC on the wire, as the vendor's examples
    )


@dataclass(frozen=True, slots=True)
class LimitsConfig:
    """The usage plan: token bucket and daily quota (None: no quota)."""

    rate: float = 20.0  # requests per second
    burst: int = 100
    quota: int | None = 5000
    quota_period: timedelta = timedelta(days=1)  # counted per UTC day


@dataclass(frozen=True, slots=True)
class ErrorConfig:
    """Error-object keys and the classes each code or gateway message maps to."""

    code_key: str = "code"
    message_key: str = "message"
    pointers_key: str = "pointers"
    pointer_name_key: str = "pointerName"
    codes: Mapping[str, type[APIErrorResponse]] = field(default_factory=dict)
    #: (HTTP status, gateway message) -> class, e.g. (429, "Limit Exceeded")
    gateway: Mapping[tuple[int, str], type[GatewayError]] = field(default_factory=dict)
    #: gateway messages that mean "slow down and retry" (429 Too Many Requests)
    retryable_gateway: frozenset[tuple[int, str]] = frozenset()
    #: gateway message that means the daily quota is spent (never retried)
    quota_gateway: tuple[int, str] | None = None
    #: gateway message for a path no route matches: the base URL or stage is wrong
    unknown_path_gateway: tuple[int, str] | None = None


# The rest styles' wire names live here, not beside their code: that code calls the
# clients, which import this module.
@dataclass(frozen=True, slots=True)
class OffsetConfig:
    """Query parameter names and size bounds of offset pagination."""

    offset_param: str = "offset"
    size_param: str = "pageSize"
    default_size: int = 100
    max_size: int = 500


@dataclass(frozen=True, slots=True)
class SyncConfig:
    """Wire names of a synchronisation page and of the record fields it relies on."""

    items_key: str = "items"
    cursor_key: str = "cursor"
    ack_param: str = "ack"
    size_param: str = "pageSize"
    id_field: str = "uuid"
    version_field: str = "versionNumber"
    deleted_field: str = "deletedTimestamp"
    default_size: int = 100
    max_size: int = 1000


@dataclass(frozen=True, slots=True)
class ApiConfig:
    """One stage of one API, as the generated package declares it."""

    name: str  # import package name; also the logger name
    title: str
    stage: str
    base_url: str  # default base URL of this stage
    api_key_header: str | None = "x-api-key"  # None: the API takes no api key
    api_key_env: str | None = (
        None  # environment variable read when api_key is not passed
    )
    username_env: str | None = None  # read when username is not passed
    password_env: str | None = None  # read when password is not passed
    request_filter_key: str = "requestFilter"
    route_filter_key: str = "routeFilter"
    body_key: str = "body"
    token: TokenConfig | None = None
    pagination: PaginationConfig = PaginationConfig()
    dates: DateRangeConfig = DateRangeConfig()
    limits: LimitsConfig = LimitsConfig()
    errors: ErrorConfig = ErrorConfig()
    user_agent: str = "routegen-client"
    token_pair: TokenPairConfig | None = None  # two caller-held tokens as headers
    offset: OffsetConfig | None = None  # offset pagination (rest-style APIs)
    sync: SyncConfig | None = None  # server-cursor synchronisation
    webhooks: WebhookConfig | None = None  # signed change notifications
