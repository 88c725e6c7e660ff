"""The runtime's style interfaces and their first implementations (pagination, auth, transport)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from generator.runtime._auth import AuthStyle, SyncTokenCache
from generator.runtime._config import ApiConfig, PaginationConfig, RouteInfo, TokenConfig
from generator.runtime._exceptions import UsageError
from generator.runtime._limits import SystemClock
from generator.runtime._pagination import HEADER_PAGINATION, PaginationStyle
from generator.runtime._transport import JSON_TRANSPORT, Transport

CONFIG = ApiConfig(
    name="acme",
    title="Acme",
    stage="v1",
    base_url="https://api.acme.test",
    pagination=PaginationConfig(max_size=50),
)
ROUTE = RouteInfo(name="things.list", method="POST", path="/things", response="list")


def test_first_implementations_satisfy_their_interfaces() -> None:
    assert isinstance(HEADER_PAGINATION, PaginationStyle)
    assert isinstance(JSON_TRANSPORT, Transport)
    token = TokenConfig(
        path="/auth",
        username_field="user",
        password_field="pass",
        token_field="token",
        expires_field=None,
        expires_format=None,
        header="access-token",
        scheme=None,
        lifetime=timedelta(hours=1),
        renew_before=timedelta(minutes=1),
        expired_code="TOKEN",
    )
    tokens = SyncTokenCache(token, SystemClock())
    tokens.store(httpx.Response(200, json={"token": "t-1"}))
    assert (tokens.current(), tokens.header("t-1")) == ("t-1", ("access-token", "t-1"))
    assert isinstance(tokens, AuthStyle)
    assert not isinstance(object(), AuthStyle)


def test_header_pagination_asks_and_reads_through_headers() -> None:
    headers = HEADER_PAGINATION.request_headers(CONFIG, ROUTE, 3, 500)
    paging = CONFIG.pagination
    assert headers == {paging.page_header: "3", paging.size_header: "50"}
    with pytest.raises(UsageError, match="size must be at least 1"):
        HEADER_PAGINATION.request_headers(CONFIG, ROUTE, None, 0)
    response = httpx.Response(
        200,
        headers={
            paging.response_page_header: "3",
            paging.response_size_header: "50",
            paging.total_pages_header: "4",
        },
    )
    page = HEADER_PAGINATION.read_page(CONFIG, ROUTE, response, [1, 2], (None, None))
    assert (page.items, page.page, page.size, page.total_pages) == ([1, 2], 3, 50, 4)
    assert page.has_next_page()


def test_json_transport_builds_json_requests_and_decodes_json() -> None:
    with httpx.Client() as http:
        request = JSON_TRANSPORT.build_request(
            http,
            "POST",
            "https://api.acme.test/things",
            {"a": 1},
            headers={"x-api-key": "k"},
            timeout=httpx.Timeout(5.0),
        )
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-api-key"] == "k"
    assert JSON_TRANSPORT.decode(httpx.Response(200, content=request.content)) == {"a": 1}
    with pytest.raises(ValueError):
        JSON_TRANSPORT.decode(httpx.Response(200, content=b"<soap/>"))
