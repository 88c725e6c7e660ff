"""Rest-style calls: path parameters, query parameters and one model as the JSON body.

The route's path is filled in (each value URL-quoted) and the query string appended
on a copy of its ``RouteInfo``, so the client's one sending loop (limits, retries,
timeouts, error mapping) serves these calls unchanged.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, urlencode

import pydantic

from ._config import RouteInfo
from ._exceptions import UsageError
from ._json import jsonable
from ._text_rules import check_model
from ._types import NOT_GIVEN, NotGiven, Timeout

if TYPE_CHECKING:
    from ._async_client import AsyncAPIClient
    from ._client import SyncAPIClient

__all__ = ["acall", "call", "encode_body", "target"]

T = TypeVar("T")
Query = Mapping[str, object] | None


def _wire(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _wire(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def target(route: RouteInfo, path: Mapping[str, str] | None, query: Query) -> RouteInfo:
    """``route`` with its ``{name}`` path parameters filled in and its query appended."""
    filled = route.path
    for name, value in (path or {}).items():
        if not isinstance(value, str) or not value.strip():
            raise UsageError(
                f"{route.name}: path parameter {name!r} must be a non-empty string"
            )
        filled = filled.replace("{" + name + "}", quote(value, safe=""))
    if "{" in filled:
        raise UsageError(f"{route.name}: a path parameter of {route.path} is missing")
    params = [(k, _wire(v)) for k, v in (query or {}).items() if v is not None]
    if params:
        filled += "?" + urlencode(params)
    return dataclasses.replace(route, path=filled)


def encode_body(body: pydantic.BaseModel | None) -> object:
    """The JSON body of a write; text rules are checked first, so nothing bad is sent."""
    if body is None:
        return None
    check_model(body)
    # jsonable keeps Decimal: money goes out as the exact JSON number the API
    # documents, not as pydantic's JSON-mode string ("9.93").
    return jsonable(body)


def call(
    client: SyncAPIClient,
    route: RouteInfo,
    *,
    path: Mapping[str, str] | None = None,
    query: Query = None,
    body: pydantic.BaseModel | None = None,
    cast_to: type[T] | None = None,
    timeout: Timeout | NotGiven = NOT_GIVEN,
) -> Any:
    """Call a rest-style route once and return its parsed body."""
    payload = encode_body(body)
    response = client._send(target(route, path, query), payload, timeout=timeout)
    return client._parse(route, response, cast_to)


async def acall(
    client: AsyncAPIClient,
    route: RouteInfo,
    *,
    path: Mapping[str, str] | None = None,
    query: Query = None,
    body: pydantic.BaseModel | None = None,
    cast_to: type[T] | None = None,
    timeout: Timeout | NotGiven = NOT_GIVEN,
) -> Any:
    """Call a rest-style route once and return its parsed body (async)."""
    payload = encode_body(body)
    response = await client._send(target(route, path, query), payload, timeout=timeout)
    return client._parse(route, response, cast_to)
