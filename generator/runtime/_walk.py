"""How ``list()`` walks the pages of a paged route, and when a walk must stop or fail.

The sync and async clients run the same loop; every decision lives here so the two
cannot drift. A walk never returns a record twice nor drops one silently: a server
that ignores the ``page`` request header raises instead of repeating page 1.

A walk ends at an empty page, a short page (fewer items than the echoed size: nothing
can follow it) or when the latest ``total-pages`` is reached. A total that keeps
growing is followed only up to ``max(2 * first, first + 100)`` pages, so a buggy
server cannot make ``list()`` run forever; beyond that the walk raises.

On a route with ``max_range`` the range is pinned after the first page: every later
page sends the effective range of the first one (``search-range-*`` headers, else the
client-side clamp) as explicit dates. Otherwise a walk without dates would be
re-clamped to the server's moving "now" on every page, and records would slide off
between pages unnoticed.

``split_range`` (the default) walks a range longer than ``max_range`` as consecutive
windows, so the server never clamps records away. Each window's first page must report
the window itself as its effective range: if the server clamped it anyway, the spec's
``max_range`` is wrong, and the walk raises rather than lose records silently. Without
both ends, or with ``split_range=False``, one walk is made and the server's documented
clamp rules decide its range.
"""

from __future__ import annotations

import warnings
from datetime import timedelta
from typing import Any

from ._config import ApiConfig, RouteInfo
from ._dates import split_windows
from ._exceptions import RangeClampedWarning, ResponseValidationError
from ._filters import FilterValues
from ._pagination import Page

__all__ = ["Walk", "plan_walks"]

_PRECISION = timedelta(seconds=1)


class Walk:
    """The state of one walk over the pages of one filter (or one range window)."""

    def __init__(
        self,
        config: ApiConfig,
        route: RouteInfo,
        values: FilterValues,
        *,
        window: bool = False,
    ) -> None:
        self.route = route
        self.values = values  # the filter sent with the next page
        #: the range is a window the client chose; a server clamp of it is an error
        self.window = window
        self._paging = config.pagination
        self._dates = config.dates
        self.page_no = self._paging.first_page  # the page to ask for next
        self.first_total: int | None = None  # total-pages of the walk's first page

    def check(self, page: Page[Any]) -> None:
        """Validate a page before its items are used."""
        if page.page != self.page_no:
            # Page 1 again for page 2 would repeat records; say so instead.
            raise ResponseValidationError(
                self.route.name,
                field=self._paging.response_page_header,
                response=page.response,
                detail=(
                    f"asked for page {self.page_no}, got page {page.page}: the server "
                    f"ignores the {self._paging.page_header!r} request header"
                ),
            )
        if self.first_total is None:
            self.first_total = page.total_pages
            if self.window:
                # A checked window is already explicit: keep it exactly as asked.
                self._check_window(page)
            elif self.route.max_range is not None:
                self._warn_if_clamped(page)
                self.values = self.values.with_range(page.start_date, page.end_date)

    def advance(self, page: Page[Any]) -> bool:
        """Move to the next page; False when ``page`` was the last one."""
        seen = self.page_no - self._paging.first_page + 1
        short = len(page.items) < page.size
        if not page.items or short or seen >= page.total_pages:
            return False
        first = self.first_total if self.first_total is not None else page.total_pages
        cap = max(2 * first, first + 100)
        if seen >= cap:
            raise ResponseValidationError(
                self.route.name,
                field=self._paging.total_pages_header,
                response=page.response,
                detail=(
                    f"still growing after {seen} pages (first said {first}); "
                    "stopped rather than walk forever"
                ),
            )
        self.page_no += 1
        return True

    def _warn_if_clamped(self, page: Page[Any]) -> None:
        """A walk the caller chose not to split still says what it leaves out."""
        if page.clamped:
            warnings.warn(
                RangeClampedWarning(
                    f"{self.route.name}: the server searched {page.start_date} to "
                    f"{page.end_date}, less than the {self.values.start} to "
                    f"{self.values.end} asked for; records outside are not returned "
                    "(split_range=True walks the whole range)"
                ),
                stacklevel=4,
            )

    def _check_window(self, page: Page[Any]) -> None:
        """Raise when the server clamped the window: its records would be lost."""
        asked = (self.values.start, self.values.end)
        got = (page.start_date, page.end_date)
        names = (self._dates.start_header, self._dates.end_header)
        for name, want, have in zip(names, asked, got, strict=True):
            # Under a second apart is an echo at second precision, not a clamp.
            if want is None or have is None or abs(want - have) >= _PRECISION:
                raise ResponseValidationError(
                    self.route.name,
                    field=name,
                    response=page.response,
                    detail=(
                        f"the server clamped the window to {have} instead of {want}; "
                        "its max range is shorter than the spec's, so records "
                        "would be lost"
                    ),
                )


def plan_walks(
    config: ApiConfig, route: RouteInfo, values: FilterValues, split_range: bool
) -> list[Walk]:
    """The walks of one ``list()``: one per ``max_range`` window, or a single one."""
    start, end, limit = values.start, values.end, route.max_range
    if not split_range or limit is None or start is None or end is None:
        return [Walk(config, route, values)]
    spans = split_windows(start, end, limit) if end - start > limit else [(start, end)]
    return [Walk(config, route, values.with_range(s, e), window=True) for s, e in spans]
