"""Pagination styles: how a paged route asks for a page and reads the page it got.

``PaginationStyle`` is the interface; ``HeaderPagination`` (page and size request
headers, page/size/total-pages response headers) is today's style. Another style
(offset search, server-cursor sync) is one more class here, not a branch in the clients.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar, runtime_checkable

import httpx

from ._config import ApiConfig, RouteInfo
from ._dates import parse_header_date
from ._exceptions import ResponseValidationError, UsageError

__all__ = [
    "HEADER_PAGINATION",
    "HeaderPagination",
    "Page",
    "PaginationStyle",
    "make_page",
    "page_headers",
    "read_count_header",
    "read_range_headers",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results with the paging and date-range values the server used."""

    items: list[T]
    page: int
    size: int
    total_pages: int
    #: effective range from the ``search-range-*`` headers, else the client-side clamp
    start_date: datetime | None
    end_date: datetime | None
    response: httpx.Response
    #: the server searched less than the range asked for (max range or clamp rules):
    #: records outside ``start_date``..``end_date`` are not in this walk
    clamped: bool = False

    def has_next_page(self) -> bool:
        """Whether a page after this one exists."""
        return bool(self.items) and self.page < self.total_pages


def read_count_header(route: RouteInfo, response: httpx.Response, name: str) -> int:
    """Read a required non-negative integer header; missing or bad values raise."""
    raw = response.headers.get(name)
    if raw is None:
        raise ResponseValidationError(
            route.name, field=name, response=response, detail="header missing"
        )
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if value < 0:
        raise ResponseValidationError(
            route.name,
            field=name,
            response=response,
            detail="not a non-negative integer",
        )
    return value


def read_range_headers(
    config: ApiConfig,
    route: RouteInfo,
    response: httpx.Response,
    fallback: tuple[datetime | None, datetime | None],
) -> tuple[datetime | None, datetime | None]:
    """The effective date range: the ``search-range-*`` headers, else ``fallback``."""
    names = (config.dates.start_header, config.dates.end_header)
    found: list[datetime | None] = []
    for name, default in zip(names, fallback, strict=True):
        raw = response.headers.get(name)
        if raw is None or not raw.strip():
            found.append(default)
            continue
        try:
            found.append(parse_header_date(raw))
        except (ValueError, OverflowError):
            # OverflowError: a valid date whose offset moves it past year 1 or 9999
            raise ResponseValidationError(
                route.name,
                field=name,
                response=response,
                detail="not an ISO 8601 date within years 1 to 9999 in UTC",
            ) from None
    return found[0], found[1]


def _narrower(
    asked: tuple[datetime | None, datetime | None],
    got: tuple[datetime | None, datetime | None],
) -> bool:
    """Whether ``got`` leaves out part of ``asked`` (a second apart is an echo, not a clamp)."""
    (want_start, want_end), (start, end) = asked, got
    second = timedelta(seconds=1)
    later = (
        want_start is not None and start is not None and start - want_start >= second
    )
    earlier = want_end is not None and end is not None and want_end - end >= second
    return later or earlier


def make_page(
    config: ApiConfig,
    route: RouteInfo,
    response: httpx.Response,
    items: list[T],
    fallback_range: tuple[datetime | None, datetime | None],
    asked: tuple[datetime | None, datetime | None] = (None, None),
) -> Page[T]:
    """Build a ``Page`` from a parsed body and the paging and date-range headers.

    ``asked`` is the range the caller gave; ``Page.clamped`` says when less was searched.
    """
    paging = config.pagination
    start, end = read_range_headers(config, route, response, fallback_range)
    return Page(
        items=items,
        page=read_count_header(route, response, paging.response_page_header),
        size=read_count_header(route, response, paging.response_size_header),
        total_pages=read_count_header(route, response, paging.total_pages_header),
        start_date=start,
        end_date=end,
        response=response,
        clamped=_narrower(asked, (start, end)),
    )


def page_headers(
    config: ApiConfig, route: RouteInfo, page: int | None, size: int | None
) -> dict[str, str]:
    """``page`` / ``size`` request headers, size clamped to the route's maximum."""
    paging = config.pagination
    page = paging.first_page if page is None else page
    if page < paging.first_page:
        raise UsageError(f"{route.name}: page must be at least {paging.first_page}")
    size = paging.default_size if size is None else size
    if size < 1:
        raise UsageError(f"{route.name}: size must be at least 1, got {size}")
    size = min(size, route.max_page_size or paging.max_size, paging.max_size)
    return {paging.page_header: str(page), paging.size_header: str(size)}


@runtime_checkable
class PaginationStyle(Protocol):
    """What a client needs from a pagination style."""

    def request_headers(
        self, config: ApiConfig, route: RouteInfo, page: int | None, size: int | None
    ) -> dict[str, str]:
        """Headers that ask for one page (``None``: the style's first page, default size)."""
        ...

    def read_page(
        self,
        config: ApiConfig,
        route: RouteInfo,
        response: httpx.Response,
        items: list[T],
        fallback_range: tuple[datetime | None, datetime | None],
    ) -> Page[T]:
        """The page a response carries, its items already parsed."""
        ...


class HeaderPagination:
    """Page and size in request headers; page, size and total pages in response headers."""

    def request_headers(
        self, config: ApiConfig, route: RouteInfo, page: int | None, size: int | None
    ) -> dict[str, str]:
        """See ``page_headers``."""
        return page_headers(config, route, page, size)

    def read_page(
        self,
        config: ApiConfig,
        route: RouteInfo,
        response: httpx.Response,
        items: list[T],
        fallback_range: tuple[datetime | None, datetime | None],
    ) -> Page[T]:
        """See ``make_page``."""
        return make_page(config, route, response, items, fallback_range)


HEADER_PAGINATION: PaginationStyle = HeaderPagination()
