"""Offset pagination: a page of results starting from an offset, a page size, a short last page.

The offset and size travel as query parameters named in the spec; the response body
is the list of records. A page shorter than the size asked for is the last one.
Records added or removed while a walk is under way shift later offsets (a record can
be seen twice or missed); a consistent copy is what synchronisation is for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

import httpx

from ._config import OffsetConfig, RouteInfo
from ._exceptions import UsageError
from ._rest_calls import Query, target
from ._types import NOT_GIVEN, NotGiven, Timeout

if TYPE_CHECKING:
    from ._async_client import AsyncAPIClient
    from ._client import SyncAPIClient

__all__ = ["OffsetConfig", "OffsetPage", "aget_page", "aiterate", "get_page", "iterate"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class OffsetPage(Generic[T]):
    """One page: its records, the offset it started at and the size asked for."""

    items: list[T]
    offset: int
    size: int
    response: httpx.Response

    @property
    def next_offset(self) -> int:
        """Offset of the page after this one."""
        return self.offset + len(self.items)

    def has_next_page(self) -> bool:
        """A full page may have a successor; a short one is the last."""
        return len(self.items) >= self.size > 0


def _config(client: SyncAPIClient | AsyncAPIClient, route: RouteInfo) -> OffsetConfig:
    config = client.config.offset
    if config is None:
        raise UsageError(f"{route.name}: the API declares no offset pagination")
    return config


def page_query(
    config: OffsetConfig, route: RouteInfo, offset: int | None, size: int | None
) -> dict[str, int]:
    """The offset and size parameters; size clamped to the route's and the API's max."""
    offset = 0 if offset is None else offset
    if offset < 0:
        raise UsageError(f"{route.name}: offset must be at least 0, got {offset}")
    size = config.default_size if size is None else size
    if size < 1:
        raise UsageError(f"{route.name}: size must be at least 1, got {size}")
    size = min(size, route.max_page_size or config.max_size, config.max_size)
    return {config.offset_param: offset, config.size_param: size}


def _request(
    config: OffsetConfig,
    route: RouteInfo,
    query: Query,
    offset: int | None,
    size: int | None,
) -> tuple[RouteInfo, int, int]:
    paging = page_query(config, route, offset, size)
    full = {**(query or {}), **paging}
    return (
        target(route, None, full),
        paging[config.offset_param],
        paging[config.size_param],
    )


def get_page(
    client: SyncAPIClient,
    route: RouteInfo,
    item_type: type[T],
    *,
    query: Query = None,
    offset: int | None = None,
    size: int | None = None,
    timeout: Timeout | NotGiven = NOT_GIVEN,
) -> OffsetPage[T]:
    """Fetch the page starting at ``offset``."""
    sent, start, size = _request(_config(client, route), route, query, offset, size)
    response = client._send(sent, None, timeout=timeout)
    items: list[T] = client._parse(route, response, item_type, "list")
    return OffsetPage(items, start, size, response)


def iterate(
    client: SyncAPIClient,
    route: RouteInfo,
    item_type: type[T],
    *,
    query: Query = None,
    size: int | None = None,
    timeout: Timeout | NotGiven = NOT_GIVEN,
) -> Iterator[T]:
    """Every record, page by page, fetched lazily; arguments are checked now."""
    page_query(_config(client, route), route, None, size)

    def walk() -> Iterator[T]:
        offset = 0
        while True:
            page = get_page(
                client,
                route,
                item_type,
                query=query,
                offset=offset,
                size=size,
                timeout=timeout,
            )
            yield from page.items
            if not page.has_next_page():
                return
            offset = page.next_offset

    return walk()


async def aget_page(
    client: AsyncAPIClient,
    route: RouteInfo,
    item_type: type[T],
    *,
    query: Query = None,
    offset: int | None = None,
    size: int | None = None,
    timeout: Timeout | NotGiven = NOT_GIVEN,
) -> OffsetPage[T]:
    """Fetch the page starting at ``offset`` (async)."""
    sent, start, size = _request(_config(client, route), route, query, offset, size)
    response = await client._send(sent, None, timeout=timeout)
    items: list[T] = client._parse(route, response, item_type, "list")
    return OffsetPage(items, start, size, response)


def aiterate(
    client: AsyncAPIClient,
    route: RouteInfo,
    item_type: type[T],
    *,
    query: Query = None,
    size: int | None = None,
    timeout: Timeout | NotGiven = NOT_GIVEN,
) -> AsyncIterator[T]:
    """Every record, page by page, fetched lazily (async); arguments are checked now."""
    page_query(_config(client, route), route, None, size)

    async def walk() -> AsyncIterator[T]:
        offset = 0
        while True:
            page = await aget_page(
                client,
                route,
                item_type,
                query=query,
                offset=offset,
                size=size,
                timeout=timeout,
            )
            for item in page.items:
                yield item
            if not page.has_next_page():
                return
            offset = page.next_offset

    return walk()
