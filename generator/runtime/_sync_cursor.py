"""Server-cursor synchronisation: pages of changes the server tracks per session.

The server remembers what a session has received. Each page carries a cursor token;
the next request acknowledges it (``ack``), and only then does the server move its
cursor past that page. A client that dies before storing a page sends the previous
token (or none) and gets the page again, so no change is lost; applying a page twice
is harmless because a record only replaces one with a lower version number.
Deletions arrive as the deleted record with its deleted-timestamp set (a tombstone).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import httpx
import pydantic

from ._config import RouteInfo, SyncConfig
from ._exceptions import ResponseValidationError, UsageError
from ._rest_calls import target
from ._types import NOT_GIVEN, NotGiven, Timeout

if TYPE_CHECKING:
    from ._async_client import AsyncAPIClient
    from ._client import SyncAPIClient

__all__ = [
    "Change",
    "SyncConfig",
    "SyncPage",
    "achanges",
    "async_page",
    "changes",
    "sync_page",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Change(Generic[T]):
    """One change: an upsert (added or changed) or a deletion (a tombstone)."""

    kind: Literal["upsert", "delete"]
    id: str
    version: int
    record: T
    data: Mapping[str, Any]  # the record as JSON, wire names (what a mirror stores)


@dataclass(frozen=True, slots=True)
class SyncPage(Generic[T]):
    """One page of changes and the cursor token that acknowledges it."""

    changes: list[Change[T]]
    cursor: str | None
    response: httpx.Response


@functools.lru_cache(maxsize=64)
def _adapter(kind: type[Any]) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(kind)


def _config(client: SyncAPIClient | AsyncAPIClient, route: RouteInfo) -> SyncConfig:
    config = client.config.sync
    if config is None:
        raise UsageError(f"{route.name}: the API declares no synchronisation")
    return config


def _query(
    config: SyncConfig, route: RouteInfo, ack: str | None, size: int | None
) -> RouteInfo:
    size = config.default_size if size is None else size
    if size < 1:
        raise UsageError(f"{route.name}: size must be at least 1, got {size}")
    query = {config.size_param: min(size, config.max_size), config.ack_param: ack}
    return target(route, None, query)


def _bad(
    route: RouteInfo, response: httpx.Response, field: str, detail: str
) -> ResponseValidationError:
    return ResponseValidationError(
        route.name, field=field, response=response, detail=detail
    )


def _change(config: SyncConfig, raw: Mapping[str, Any], record: T) -> Change[T]:
    deleted = raw.get(config.deleted_field) is not None
    data = (
        record.model_dump(mode="json", by_alias=True)
        if isinstance(record, pydantic.BaseModel)
        else raw
    )
    return Change(
        "delete" if deleted else "upsert",
        str(raw.get(config.id_field)),
        int(raw.get(config.version_field) or 0),
        record,
        data,
    )


def read_page(
    config: SyncConfig, route: RouteInfo, response: httpx.Response, item_type: type[T]
) -> SyncPage[T]:
    """Decode ``{items: [...], cursor: "..."}`` into validated changes."""
    try:
        body = response.json()
    except ValueError:
        raise _bad(route, response, "body", "body is not valid JSON") from None
    items = body.get(config.items_key) if isinstance(body, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise _bad(route, response, config.items_key, "not a list of records")
    cursor = body.get(config.cursor_key)
    if cursor is not None and not isinstance(cursor, str):
        raise _bad(route, response, config.cursor_key, "not a string")
    try:
        records = _adapter(list[item_type]).validate_python(items)  # type: ignore[valid-type]
    except pydantic.ValidationError as exc:
        detail = exc.errors()[0]["msg"] if exc.error_count() else "invalid"
        raise _bad(route, response, config.items_key, detail) from None
    changes = [
        _change(config, raw, rec) for raw, rec in zip(items, records, strict=True)
    ]
    return SyncPage(changes, cursor, response)


def sync_page(
    client: SyncAPIClient,
    route: RouteInfo,
    item_type: type[T],
    *,
    ack: str | None = None,
    size: int | None = None,
    timeout: Timeout | NotGiven = NOT_GIVEN,
) -> SyncPage[T]:
    """The next page of changes, acknowledging the page whose cursor is ``ack``."""
    config = _config(client, route)
    response = client._send(_query(config, route, ack, size), None, timeout=timeout)
    return read_page(config, route, response, item_type)


async def async_page(
    client: AsyncAPIClient,
    route: RouteInfo,
    item_type: type[T],
    *,
    ack: str | None = None,
    size: int | None = None,
    timeout: Timeout | NotGiven = NOT_GIVEN,
) -> SyncPage[T]:
    """The next page of changes, acknowledging ``ack`` (async)."""
    config = _config(client, route)
    response = await client._send(
        _query(config, route, ack, size), None, timeout=timeout
    )
    return read_page(config, route, response, item_type)


def changes(
    client: SyncAPIClient,
    route: RouteInfo,
    item_type: type[T],
    *,
    size: int | None = None,
    timeout: Timeout | NotGiven = NOT_GIVEN,
) -> Iterator[Change[T]]:
    """Every pending change, page by page; a page is acknowledged when the next is asked for.

    Stop early and the unacknowledged page comes again next time.
    """
    _query(_config(client, route), route, None, size)

    def walk() -> Iterator[Change[T]]:
        ack: str | None = None
        while True:
            page = sync_page(
                client, route, item_type, ack=ack, size=size, timeout=timeout
            )
            if not page.changes:
                return
            yield from page.changes
            ack = page.cursor

    return walk()


def achanges(
    client: AsyncAPIClient,
    route: RouteInfo,
    item_type: type[T],
    *,
    size: int | None = None,
    timeout: Timeout | NotGiven = NOT_GIVEN,
) -> AsyncIterator[Change[T]]:
    """Every pending change, page by page (async)."""
    _query(_config(client, route), route, None, size)

    async def walk() -> AsyncIterator[Change[T]]:
        ack: str | None = None
        while True:
            page = await async_page(
                client, route, item_type, ack=ack, size=size, timeout=timeout
            )
            if not page.changes:
                return
            for change in page.changes:
                yield change
            ack = page.cursor

    return walk()
