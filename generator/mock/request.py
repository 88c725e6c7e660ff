"""Reading one request the way the vendor does: JSON body, filters, date range, paging.

Keys are matched case-insensitively when the spec says names bind that way
(``api.case_insensitive_names``, as ASP.NET model binding does), exactly otherwise;
filter fields a route does not honour are ignored; the date range follows the four
clamping rules.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ..spec.model import FilterField, Route, StageApi, TypeRef
from .data import format_moment
from .errors import MockError

__all__ = [
    "MAX_BODY_BYTES",
    "Query",
    "binder",
    "int_fits",
    "lower_keys",
    "paging",
    "parse_date",
    "parse_payload",
    "read_query",
]

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: the range of each integer type, as .NET binds it (beyond: DESERIALIZATION_ERROR)
_INT_RANGES = {
    "byte": (0, 2**8 - 1),
    "short": (-(2**15), 2**15 - 1),
    "int": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
}
_INTS = frozenset(_INT_RANGES)
#: the largest request body the vendor accepts (its gateway's payload ceiling)
MAX_BODY_BYTES = 6 * 1024 * 1024


def int_fits(base: str, value: Any) -> bool:
    """Whether ``value`` is an integer within the range of the integer type ``base``."""
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    low, high = _INT_RANGES[base]
    return low <= value <= high


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 overflows to infinity
        raise ValueError(f"number out of range: {text[:20]}")
    return value


def _no_constant(text: str) -> Any:
    # NaN, Infinity and -Infinity are not JSON; .NET's deserializer rejects them too.
    raise ValueError(f"{text} is not a JSON value")


@dataclass(slots=True)
class Query:
    """What a request asks for: honoured filter values, the effective range, the body."""

    filters: dict[str, Any] = field(default_factory=dict)  # canonical name -> value
    start: datetime | None = None  # effective range, naive UTC
    end: datetime | None = None
    range_headers: dict[str, str] = field(default_factory=dict)
    body: Any = None  # the body key's value, None when absent


def _same(name: str) -> str:
    return name


def binder(stage: StageApi) -> Callable[[str], str]:
    """How a JSON key is compared with a wire name: lower-cased when the spec's names
    bind case-insensitively, as is otherwise."""
    return str.lower if stage.info.case_insensitive_names else _same


def lower_keys(
    value: Mapping[str, Any], key: Callable[[str], str] = str.lower
) -> dict[str, Any]:
    """A copy with every key passed through ``key`` (lower-cased by default)."""
    return {key(str(name)): item for name, item in value.items()}


def parse_payload(raw: bytes, key: Callable[[str], str] = str.lower) -> dict[str, Any]:
    """The JSON object of a request body; ``{}`` when empty."""
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw, parse_float=_finite, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        # RecursionError: nested deeper than any parser allows; ValueError covers
        # invalid UTF-8, NaN/Infinity and numbers too long or too large.
        raise MockError(
            "DESERIALIZATION_ERROR", "The request body is not valid JSON."
        ) from None
    if not isinstance(data, dict):
        raise MockError(
            "DESERIALIZATION_ERROR", "The request body must be a JSON object."
        )
    return lower_keys(data, key)


def _section(stage: StageApi, payload: dict[str, Any], key: str) -> dict[str, Any]:
    value = payload.get(binder(stage)(key))
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MockError(
            "DESERIALIZATION_ERROR", f"{key} must be an object.", [key], "field"
        )
    return lower_keys(value, binder(stage))


def read_query(
    stage: StageApi, route: Route, payload: dict[str, Any], now: datetime
) -> Query:
    """Honoured filters by canonical name, the clamped range and the body of a request."""
    keys = stage.body_keys
    sections = (
        (keys.request_filter, route.request_filter),
        (keys.route_filter, route.route_filter.fields if route.route_filter else ()),
    )
    bind = binder(stage)
    query = Query(body=payload.get(bind(keys.body)))
    dates: dict[str, tuple[str, datetime | None]] = {}
    for key, fields in sections:
        given = _section(stage, payload, key)
        for item in fields:
            value = given.get(bind(item.wire))
            pointer = f"{key}.{item.wire}"
            if item.date_role is not None:
                dates[item.date_role] = (
                    pointer,
                    _date_value(stage, item, value, pointer),
                )
            elif value is not None:
                query.filters[item.name] = _check_type(item, value, pointer)
    if dates or route.max_range is not None:
        _apply_range(stage, route, query, dates, now)
    return query


def _check_type(item: FilterField, value: Any, pointer: str) -> Any:
    if not _fits(item.type, value):
        raise MockError(
            "DESERIALIZATION_ERROR",
            f"{item.wire} could not be deserialized as {item.type}.",
            [pointer],
            "field",
        )
    return value


def _fits(ref: TypeRef, value: Any) -> bool:
    if ref.is_list:
        return isinstance(value, list) and all(
            _fits(TypeRef(ref.base), v) for v in value
        )
    if ref.base in _INTS:
        return int_fits(ref.base, value)
    if ref.base == "bool":
        return isinstance(value, bool)
    if ref.base in {"decimal", "double", "float"}:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)


def parse_date(text: str, role: str, stage: StageApi) -> datetime:
    """Naive UTC from ISO 8601; a bare date gets the start- or end-of-day time."""
    text = text.strip()
    if _DATE_ONLY.match(text) and stage.date_range is not None:
        day = datetime.fromisoformat(text)
        clock = (
            stage.date_range.start_of_day
            if role == "start"
            else stage.date_range.end_of_day
        )
        return datetime.combine(day.date(), clock)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _date_value(
    stage: StageApi, item: FilterField, value: Any, pointer: str
) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise MockError(
            "DESERIALIZATION_ERROR",
            f"{item.wire} must be a date string.",
            [pointer],
            "field",
        )
    try:
        return parse_date(value, item.date_role or "start", stage)
    except (ValueError, OverflowError):  # OverflowError: an offset past year 1 or 9999
        raise MockError(
            "DATE_PARSING",
            f"{item.wire} could not be parsed: {value!r}.",
            [pointer],
            "field",
        ) from None


def _apply_range(
    stage: StageApi,
    route: Route,
    query: Query,
    dates: dict[str, tuple[str, datetime | None]],
    now: datetime,
) -> None:
    start_ptr, start = dates.get("start", (_pointer(stage, route, "start"), None))
    end_ptr, end = dates.get("end", (_pointer(stage, route, "end"), None))
    if route.dates_required and (start is None or end is None):
        missing = [p for p, v in ((start_ptr, start), (end_ptr, end)) if v is None]
        raise MockError(
            "MISSING_REQUIRED_DATA",
            "This route requires a start and an end date.",
            missing,
            "field",
        )
    if start is not None and end is not None and start > end:
        raise MockError(
            "INVALID_DATE_RANGE",
            "The start date is after the end date.",
            [start_ptr, end_ptr],
            "field",
        )
    limit = route.max_range
    if limit is None:
        query.start, query.end = start, end
        return
    try:
        used_start, used_end = clamp(start, end, limit, now.replace(tzinfo=None))
    except OverflowError:
        # The clamped range would end before year 1 or after 9999: unparseable there.
        raise MockError(
            "DATE_PARSING",
            "The date range runs past the years 1 to 9999.",
            [p for p, v in ((start_ptr, start), (end_ptr, end)) if v is not None],
            "field",
        ) from None
    query.start, query.end = used_start, used_end
    if (used_start, used_end) != (start, end) and stage.date_range is not None:
        query.range_headers = {
            stage.date_range.start_header: format_moment(used_start) + "Z",
            stage.date_range.end_header: format_moment(used_end) + "Z",
        }


def _pointer(stage: StageApi, route: Route, role: str) -> str:
    for item in route.request_filter:
        if item.date_role == role:
            return f"{stage.body_keys.request_filter}.{item.wire}"
    return f"{stage.body_keys.request_filter}.{role}Date"


def clamp(
    start: datetime | None, end: datetime | None, limit: timedelta, now: datetime
) -> tuple[datetime, datetime]:
    """The four clamping rules: trim end, derive the missing end, or both from now."""
    if start is not None and end is not None:
        # Compared as a span: start + limit may lie past year 9999 when end does not.
        return start, end if end - start <= limit else start + limit
    if start is not None:
        return start, start + limit
    if end is not None:
        return end - limit, end
    return now - limit, now


def paging(
    stage: StageApi, route: Route, headers: Mapping[str, str]
) -> tuple[int, int]:
    """The page and size a paged request uses (defaults, then the clamps)."""
    rules = stage.pagination
    page = _int(headers.get(rules.page_header), rules.first_page)
    size = _int(headers.get(rules.size_header), rules.default_size)
    page = max(page, rules.first_page)
    if size < 1:
        size = rules.default_size
    return page, min(size, rules.max_size, route.max_page_size or rules.max_size)


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw.strip()) if raw is not None else default
    except ValueError:
        return default
