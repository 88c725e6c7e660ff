"""Shared by the runtime tests: a hand-built API stage, a fake vendor and a fake clock."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import httpx
import pydantic

from generator.runtime import (
    ApiConfig,
    APIErrorResponse,
    AsyncAPIClient,
    ErrorConfig,
    FilterField,
    GatewayError,
    LimitsConfig,
    RetryConfig,
    RouteInfo,
    SyncAPIClient,
    TokenConfig,
)

API_KEY = "key-SECRET-123"
USERNAME = "api@example.com"
PASSWORD = "pw-SECRET-456"
NOW = datetime(2024, 3, 10, 12, 0, 0, tzinfo=UTC)


class Machine(pydantic.BaseModel):
    id: int
    name: str


class Site(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    id: int
    site_name: str = pydantic.Field(alias="siteName")


class RequestFilter(pydantic.BaseModel):
    """Like a generated filter class: Python names equal the FilterField names."""

    site_ids: list[int] | None = None
    organization_ids: list[int] | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    account_ids: list[int] | None = None


class ApiTokenError(APIErrorResponse):
    code: ClassVar[str] = "API_TOKEN"
    status: ClassVar[int | None] = 401


class InvalidLoginError(APIErrorResponse):
    code: ClassVar[str] = "INVALID_LOGIN"
    status: ClassVar[int | None] = 403


class DataAccessError(APIErrorResponse):
    code: ClassVar[str] = "DATA_ACCESS"
    status: ClassVar[int | None] = 403


class TooManyRequestsError(GatewayError):
    status: ClassVar[int | None] = 429


class LimitExceededError(GatewayError):
    status: ClassVar[int | None] = 429


TOKEN = TokenConfig(
    path="/authenticate",
    username_field="username",
    password_field="password",
    token_field="accessToken",
    expires_field="expires",
    expires_format="%m/%d/%Y %I:%M:%S %p",
    header="access-token",
    scheme=None,
    lifetime=timedelta(days=3),
    renew_before=timedelta(hours=1),
    expired_code="API_TOKEN",
)

CONFIG = ApiConfig(
    name="vendtest",
    title="Vend Test",
    stage="v2",
    base_url="https://api.example.test/v2",
    token=TOKEN,
    limits=LimitsConfig(rate=20.0, burst=100, quota=5000),
    errors=ErrorConfig(
        codes={
            "API_TOKEN": ApiTokenError,
            "INVALID_LOGIN": InvalidLoginError,
            "DATA_ACCESS": DataAccessError,
        },
        gateway={
            (429, "Too Many Requests"): TooManyRequestsError,
            (429, "Limit Exceeded"): LimitExceededError,
        },
        retryable_gateway=frozenset({(429, "Too Many Requests")}),
        quota_gateway=(429, "Limit Exceeded"),
    ),
)

SITE_IDS = FilterField("site_ids", "siteIds", is_list=True)
ORG_IDS = FilterField("organization_ids", "organizationIds", is_list=True)
START = FilterField("start_date", "startDate", "start")
END = FilterField("end_date", "endDate", "end")

MACHINES = RouteInfo(
    name="machines.list",
    method="POST",
    path="/machines",
    request_filter=(ORG_IDS, SITE_IDS),
    route_filter=(FilterField("include_inactive", "includeInactive"),),
    paged=True,
    max_page_size=100,
)
TRANSACTIONS = RouteInfo(
    name="transactions.list",
    method="POST",
    path="/transactions",
    request_filter=(SITE_IDS, START, END),
    paged=True,
    max_page_size=100,
    max_range=timedelta(days=7),
)
REPORTS = RouteInfo(
    name="reports.list",
    method="POST",
    path="/reports",
    request_filter=(START, END),
    paged=True,
    max_range=timedelta(days=31),
    dates_required=True,
)
SITES_UPDATE = RouteInfo(
    name="sites.update",
    method="PUT",
    path="/sites",
    idempotent=False,
    has_body=True,
    response="list",
)
SITE_GET = RouteInfo(name="sites.get", method="POST", path="/site", response="object")
PING = RouteInfo(name="ping", method="GET", path="/ping", auth="key", response="text")
SITES_DELETE = RouteInfo(
    name="sites.delete",
    method="DELETE",
    path="/sites",
    idempotent=False,
    has_body=True,
    response="none",
    success_status=204,
)

Handler = Callable[[httpx.Request], httpx.Response]


class FakeClock:
    """Monotonic and wall clock that only move when something sleeps or a test says so."""

    def __init__(self) -> None:
        self.mono = 1000.0
        self.wall = NOW
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.mono

    def utcnow(self) -> datetime:
        return self.wall

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += timedelta(seconds=seconds)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def json_response(status: int, body: object, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def page_headers(page: int, size: int, total: int) -> dict[str, str]:
    return {"page": str(page), "size": str(size), "total-pages": str(total)}


def paged(records: list[dict[str, Any]]) -> Handler:
    """Serve ``records`` in pages using the page/size request headers."""

    def handler(request: httpx.Request) -> httpx.Response:
        page, size = int(request.headers["page"]), int(request.headers["size"])
        total = max(1, -(-len(records) // size))
        chunk = records[(page - 1) * size : page * size]
        return httpx.Response(200, json=chunk, headers=page_headers(page, size, total))

    return handler


class Vendor:
    """The fake server: a login route plus per-route handlers; records every request."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock
        self.requests: list[httpx.Request] = []
        self.sent_at: list[float] = []  # the fake clock's time of each request
        self.routes: dict[str, Handler] = {}
        self.logins = 0
        self.expires = "3/13/2024 12:00:00 PM"  # NOW + 3 days, US format, UTC

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.clock is not None:
            self.sent_at.append(self.clock.now())
        path = request.url.path.removeprefix("/v2")
        if path == "/authenticate":
            return self.authenticate(request)
        return self.routes[path](request)

    def authenticate(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body != {"username": USERNAME, "password": PASSWORD}:
            error = {
                "code": "INVALID_LOGIN",
                "message": "Invalid login.",
                "pointers": [],
            }
            return json_response(403, [error])
        self.logins += 1
        return json_response(
            200, {"accessToken": f"tok-{self.logins}", "expires": self.expires}
        )

    @property
    def calls(self) -> list[httpx.Request]:
        """Requests other than logins."""
        return [r for r in self.requests if not r.url.path.endswith("/authenticate")]


async def _collect(items: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in items]


class Api:
    """Runs the same test against the sync and the async client."""

    def __init__(self, mode: str, vendor: Vendor, clock: FakeClock) -> None:
        self.mode = mode
        self.vendor = vendor
        self.clock = clock

    def client(self, **kwargs: Any) -> SyncAPIClient | AsyncAPIClient:
        options: dict[str, Any] = {
            "api_key": API_KEY,
            "username": USERNAME,
            "password": PASSWORD,
            "clock": self.clock,
            "retry": RetryConfig(max_attempts=3, base_delay=0.1),
        }
        options.update(kwargs)
        transport = httpx.MockTransport(self.vendor)
        if self.mode == "sync":
            return SyncAPIClient(
                CONFIG, http_client=httpx.Client(transport=transport), **options
            )
        return AsyncAPIClient(
            CONFIG, http_client=httpx.AsyncClient(transport=transport), **options
        )

    def call(
        self, client: SyncAPIClient | AsyncAPIClient, method: str, *args: Any, **kw: Any
    ) -> Any:
        """Call ``_request`` / ``_get_page`` and return the result in either mode."""
        result = getattr(client, method)(*args, **kw)
        return asyncio.run(result) if self.mode == "async" else result

    def collect(
        self, client: SyncAPIClient | AsyncAPIClient, *args: Any, **kw: Any
    ) -> list[Any]:
        """Drain ``_iterate`` into a list."""
        items = client._iterate(*args, **kw)
        if self.mode == "async":
            return asyncio.run(_collect(items))  # type: ignore[arg-type]
        return list(items)  # type: ignore[arg-type]
