"""Date handling: UTC normalisation, wire format, range headers, clamping and windows.

Inside the runtime every datetime is timezone-aware UTC, truncated to milliseconds
(the vendor's precision), so comparisons and window arithmetic are exact.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from ._config import DateRangeConfig

__all__ = [
    "MILLISECOND",
    "clamp_range",
    "format_wire",
    "normalize_date",
    "parse_header_date",
    "split_windows",
    "to_utc",
]

MILLISECOND = timedelta(milliseconds=1)


def to_utc(value: datetime) -> datetime:
    """Return ``value`` as aware UTC (naive means UTC), truncated to milliseconds."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.replace(microsecond=aware.microsecond // 1000 * 1000)


def normalize_date(
    value: date | datetime, role: Literal["start", "end"], config: DateRangeConfig
) -> datetime:
    """Normalise a filter value; a bare date gets the start-of-day or end-of-day time."""
    if isinstance(value, datetime):
        return to_utc(value)
    clock = config.start_of_day if role == "start" else config.end_of_day
    return datetime.combine(value, clock, tzinfo=UTC)


def format_wire(value: datetime, config: DateRangeConfig) -> str:
    """Format as naive UTC with milliseconds, e.g. ``2021-11-15T18:07:05.477``."""
    utc = to_utc(value)
    return f"{utc.strftime(config.wire_format)}.{utc.microsecond // 1000:03d}"


def parse_header_date(value: str) -> datetime:
    """Parse an ISO 8601 ``search-range-*`` header (offset or ``Z`` optional, naive = UTC).

    Raises ``ValueError`` when the value is not ISO 8601.
    """
    text = value.strip()
    # fromisoformat accepts "Z" since 3.11, but some servers send 7 fractional digits
    # (.NET's "o" format); keep at most 6 so those parse too.
    head, dot, tail = text.partition(".")
    if dot:
        digits = len(tail) - len(tail.lstrip("0123456789"))
        if digits > 6:
            tail = tail[:6] + tail[digits:]
        text = f"{head}.{tail}"
    return to_utc(datetime.fromisoformat(text))


def clamp_range(
    start: datetime | None, end: datetime | None, max_range: timedelta, now: datetime
) -> tuple[datetime, datetime]:
    """Apply the vendor's four clamping rules; returns the range the server will use."""
    if start is not None and end is not None:
        return start, min(end, start + max_range)
    if start is not None:
        return start, start + max_range
    if end is not None:
        return end - max_range, end
    current = to_utc(now)
    return current - max_range, current


def split_windows(
    start: datetime, end: datetime, max_range: timedelta
) -> Iterator[tuple[datetime, datetime]]:
    """Yield inclusive windows of at most ``max_range`` covering ``[start, end]``.

    Window k is ``[start + k*max, min(start + (k+1)*max - 1ms, end)]``: consecutive
    windows neither overlap nor leave a gap at millisecond precision.
    """
    if max_range < MILLISECOND:
        raise ValueError("max_range must be at least one millisecond")
    window_start = start
    while window_start <= end:
        next_start = window_start + max_range
        yield window_start, min(next_start - MILLISECOND, end)
        window_start = next_start
