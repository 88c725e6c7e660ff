"""Builds the standardized request body ``{requestFilter, routeFilter, body}``.

Filters arrive keyed by their Python names; only the fields a route honours are
accepted (the server would silently ignore the others, so a typo or a filter from
another stage would quietly widen the result set).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date, datetime

import pydantic

from ._config import ApiConfig, DateRangeConfig, FilterField, RouteInfo
from ._dates import format_wire, normalize_date
from ._exceptions import DateRangeError, UnhonouredFilterError, UsageError
from ._json import jsonable
from ._types import NotGiven

__all__ = ["FilterValues", "Filters", "build_body", "collect_filters"]


@dataclass(frozen=True, slots=True)
class FilterValues:
    """Validated filter values by Python name, with the date range normalised to UTC."""

    request: dict[str, object] = field(default_factory=dict)
    route: dict[str, object] = field(default_factory=dict)
    start: datetime | None = None
    end: datetime | None = None

    def with_range(self, start: datetime | None, end: datetime | None) -> FilterValues:
        """A copy with another date range (used to walk split windows)."""
        return dataclasses.replace(self, start=start, end=end)


def _given(value: object) -> bool:
    return value is not None and not isinstance(value, NotGiven)


def _date_fields(route: RouteInfo, role: str) -> FilterField | None:
    for item in (*route.request_filter, *route.route_filter):
        if item.date_role == role:
            return item
    return None


def _pick(
    route: RouteInfo,
    honoured: tuple[FilterField, ...],
    values: Mapping[str, object] | None,
) -> dict[str, object]:
    """Keep the given values; a given value for a field the route ignores is an error."""
    names = {item.name for item in honoured}
    picked: dict[str, object] = {}
    for name, value in (values or {}).items():
        if not _given(value):
            continue  # generated signatures default every filter to None / NOT_GIVEN
        if name not in names:
            raise UnhonouredFilterError(route.name, name)
        picked[name] = value
    return picked


def _check_value(route: RouteInfo, item: FilterField, value: object) -> None:
    """Reject list values the server would misread; raises before any request."""
    if isinstance(value, str | bytes):
        if item.is_list:
            raise UsageError(
                f"{route.name}: {item.name} takes a list of values, got "
                f"{type(value).__name__} {value!r}; pass [{value!r}] for one value"
            )
        return
    if isinstance(value, Sequence | Set) and not value:
        # The server reads an empty list as "no restriction", not "match nothing".
        raise UsageError(
            f"{route.name}: {item.name}={value!r} would match every record; "
            "pass None to not filter, or at least one value"
        )


def _check_lists(route: RouteInfo, values: FilterValues) -> None:
    honoured = (*route.request_filter, *route.route_filter)
    for item in honoured:
        bucket = values.request if item in route.request_filter else values.route
        if item.name in bucket:
            _check_value(route, item, bucket[item.name])


#: one filter object, or several (a request filter and a route filter object)
#: one filter object, or several (None entries are skipped: generated methods pass
#: their optional request- and route-filter objects together)
Filters = pydantic.BaseModel | Sequence[pydantic.BaseModel | None] | None


def _split_model(
    route: RouteInfo, filters: Filters
) -> tuple[dict[str, object], dict[str, object]]:
    """Split the filter objects' explicitly set fields into request and route filters.

    A field set in two objects is an error: silently letting one win would hide which
    value is sent.
    """
    request: dict[str, object] = {}
    routed: dict[str, object] = {}
    if filters is None:
        return request, routed
    models = (filters,) if isinstance(filters, pydantic.BaseModel) else filters
    request_names = {item.name for item in route.request_filter}
    route_names = {item.name for item in route.route_filter}
    for model in models:
        if model is None:
            continue
        for name in sorted(model.model_fields_set):
            value = getattr(model, name)
            if not _given(value):
                continue
            if name in request or name in routed:
                raise UsageError(
                    f"{route.name}: {name} is set in two filter objects; set it once"
                )
            if name in request_names:
                request[name] = value
            elif name in route_names:
                routed[name] = value
            else:
                raise UnhonouredFilterError(route.name, name)
    return request, routed


def _merge(
    route: RouteInfo, from_models: dict[str, object], keywords: dict[str, object]
) -> dict[str, object]:
    """Keyword values over object values; a field given both ways is an error."""
    for name in keywords:
        if name in from_models:
            raise UsageError(
                f"{route.name}: {name} is set both in a filter object and as a "
                "keyword; set it once"
            )
    return {**from_models, **keywords}


def _range_value(
    route: RouteInfo,
    item: FilterField | None,
    values: FilterValues,
    dates: DateRangeConfig,
) -> datetime | None:
    if item is None or item.date_role is None:
        return None
    bucket = values.request if item in route.request_filter else values.route
    raw = bucket.get(item.name)
    if raw is None:
        return None
    if not isinstance(raw, date):
        raise DateRangeError(
            route.name, item.name, f"expected a date, got {type(raw).__name__}"
        )
    return normalize_date(raw, item.date_role, dates)


def collect_filters(
    config: ApiConfig,
    route: RouteInfo,
    *,
    request_filter: Mapping[str, object] | None = None,
    route_filter: Mapping[str, object] | None = None,
    filters: Filters = None,
) -> FilterValues:
    """Validate and merge keyword filters and filter objects; check the date range."""
    model_request, model_route = _split_model(route, filters)
    values = FilterValues(
        request=_merge(
            route, model_request, _pick(route, route.request_filter, request_filter)
        ),
        route=_merge(
            route, model_route, _pick(route, route.route_filter, route_filter)
        ),
    )
    _check_lists(route, values)
    start_field, end_field = _date_fields(route, "start"), _date_fields(route, "end")
    start = _range_value(route, start_field, values, config.dates)
    end = _range_value(route, end_field, values, config.dates)
    if route.dates_required:
        for item, value in ((start_field, start), (end_field, end)):
            if item is not None and value is None:
                raise DateRangeError(route.name, item.name, "is required by this route")
    if (
        start is not None
        and end is not None
        and start > end
        and start_field is not None
    ):
        raise DateRangeError(
            route.name, start_field.name, "start date is after end date"
        )
    return values.with_range(start, end)


def _serialise(value: object, dates: DateRangeConfig) -> object:
    """Turn a filter value into JSON-ready data."""
    if isinstance(value, pydantic.BaseModel):
        return jsonable(value)
    if isinstance(value, enum.Enum):
        return _serialise(value.value, dates)
    if isinstance(value, datetime):
        return format_wire(value, dates)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _serialise(item, dates) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return [_serialise(item, dates) for item in items]
    return value


def _wire_filter(
    honoured: tuple[FilterField, ...],
    given: dict[str, object],
    values: FilterValues,
    config: ApiConfig,
) -> dict[str, object]:
    out: dict[str, object] = {}
    for item in honoured:
        if item.date_role is not None:
            moment = values.start if item.date_role == "start" else values.end
            if moment is not None:
                out[item.wire] = format_wire(moment, config.dates)
        elif item.name in given:
            out[item.wire] = _serialise(given[item.name], config.dates)
    return out


def build_body(
    config: ApiConfig,
    route: RouteInfo,
    values: FilterValues,
    body: Sequence[pydantic.BaseModel] | None = None,
) -> dict[str, object]:
    """The JSON body: both filters by wire name (``{}`` when empty), then the models."""
    payload: dict[str, object] = {
        config.request_filter_key: _wire_filter(
            route.request_filter, values.request, values, config
        ),
        config.route_filter_key: _wire_filter(
            route.route_filter, values.route, values, config
        ),
    }
    if body is not None:
        if not body:  # the server would answer 2xx having done nothing: say so instead
            raise UsageError(
                f"{route.name}: an empty list writes nothing; pass records"
            )
        payload[config.body_key] = [jsonable(model) for model in body]
    return payload
