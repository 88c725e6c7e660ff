"""Stage-wide comparisons of ``routegen diff``: what every route of a stage shares.

Base URL, usage plan, pagination, date range, the standardized body keys, the error
object's keys and the gateway errors are declared once per spec, so two stages of one
spec never differ here; ``routegen diff --against`` compares two spec files, where
they can. The base URL is compared as its template: the ``{stage}`` segment always
moves with the stage and is not a change. Verdicts are in ``rules``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

from ..spec.errors import JsonPath
from ..spec.model import DateRange, GatewayError, StageApi
from .core import Changes, Side, mk, presence, show


def _base_url(old: StageApi, new: StageApi) -> Changes:
    a, b = old.info.base_url, new.info.base_url
    if a != b:
        msg = f"base URL changed from {a} to {b}"
        yield mk("api", "api-base-url-changed", msg, ("api", "base_url"))


def _limits(old: StageApi, new: StageApi) -> Changes:
    a, b = old.limits, new.limits
    for attr in ("rate", "burst", "quota", "quota_period"):
        va, vb = getattr(a, attr), getattr(b, attr)
        if va == vb:
            continue
        # a longer quota period allows fewer calls; a quota of None means no quota
        longer = attr == "quota_period" and vb > va
        smaller = attr != "quota_period" and vb is not None and (va is None or vb < va)
        lower = longer or smaller
        msg = f"limit {attr} changed from {show(va)} to {show(vb)}"
        yield mk("limits", "limit-changed", msg, ("limits", attr), lower)


_PAGE_HEADERS = (
    ("page_header", ("request", "page")),
    ("size_header", ("request", "size")),
    ("response_page_header", ("response", "page")),
    ("response_size_header", ("response", "size")),
    ("total_pages_header", ("response", "total_pages")),
)


def _pagination(old: StageApi, new: StageApi) -> Changes:
    a, b = old.pagination, new.pagination
    for attr, key in _PAGE_HEADERS:
        va, vb = getattr(a, attr), getattr(b, attr)
        if va != vb:
            msg = f"pagination {' '.join(key)} header renamed from {va} to {vb}"
            yield mk(
                "pagination", "pagination-header-renamed", msg, ("pagination", *key)
            )
    if a.first_page != b.first_page:
        msg = f"pagination first page changed from {a.first_page} to {b.first_page}"
        where: JsonPath = ("pagination", "first_page")
        yield mk("pagination", "pagination-first-page-changed", msg, where)
    if a.max_size != b.max_size:
        msg = f"pagination max size changed from {a.max_size} to {b.max_size}"
        where, lower = ("pagination", "max_size"), b.max_size < a.max_size
        yield mk("pagination", "pagination-max-size-changed", msg, where, lower)
    if a.default_size != b.default_size:
        msg = (
            f"pagination default size changed from {a.default_size} to {b.default_size}"
        )
        where = ("pagination", "default_size")
        yield mk("pagination", "pagination-default-size-changed", msg, where)


_RANGE_KINDS = {
    "start_field": ("date-range-field-renamed", ("start_field",)),
    "end_field": ("date-range-field-renamed", ("end_field",)),
    "start_header": ("date-range-header-renamed", ("response_headers", "start")),
    "end_header": ("date-range-header-renamed", ("response_headers", "end")),
    "start_of_day": ("date-range-day-bounds-changed", ("start_of_day",)),
    "end_of_day": ("date-range-day-bounds-changed", ("end_of_day",)),
}


def _date_range(old: StageApi, new: StageApi) -> Changes:
    a, b = old.date_range, new.date_range
    if a is None or b is None:
        if a is not b:
            what = "added" if b else "removed"
            side: Side = "new" if b else "old"
            kind, where = f"date-range-{what}", ("date_range",)
            yield mk("date range", kind, f"date range {what}", where, side=side)
        return
    for f in fields(DateRange):
        va, vb = getattr(a, f.name), getattr(b, f.name)
        if va != vb and f.name in _RANGE_KINDS:
            kind, key = _RANGE_KINDS[f.name]
            msg = f"date range {f.name} changed from {va} to {vb}"
            yield mk("date range", kind, msg, ("date_range", *key))


def _keys(old: StageApi, new: StageApi) -> Changes:
    parts = (
        ("body keys", "body-key-renamed", ("body_keys",), old.body_keys, new.body_keys),
        (
            "error object",
            "error-object-key-renamed",
            ("errors", "object"),
            old.error_object,
            new.error_object,
        ),
    )
    for subject, kind, where, a, b in parts:
        for f in fields(a):
            va, vb = getattr(a, f.name), getattr(b, f.name)
            if va != vb:
                msg = f"{subject} {f.name} key renamed from {va} to {vb}"
                yield mk(subject, kind, msg, (*where, f.name))


class _Gateway:
    """A gateway error with its spec location (index in ``errors.gateway``)."""

    def __init__(self, error: GatewayError, index: int) -> None:
        self.error = error
        self.where: JsonPath = ("errors", "gateway", index)


def _gateway(old: StageApi, new: StageApi) -> Changes:
    a = {g.name: _Gateway(g, i) for i, g in enumerate(old.gateway)}
    b = {g.name: _Gateway(g, i) for i, g in enumerate(new.gateway)}
    yield from presence("gateway-error", a, b, "gateway error ")
    for name in sorted(a.keys() & b.keys()):
        ga, gb, where = a[name].error, b[name].error, b[name].where
        subject = f"gateway error {name}"
        if (ga.status, ga.message) != (gb.status, gb.message):
            msg = (
                f"gateway error {name} changed from {ga.status} {ga.message!r} "
                f"to {gb.status} {gb.message!r}"
            )
            yield mk(subject, "gateway-error-changed", msg, where)
        for flag in ("retry", "quota"):
            if getattr(ga, flag) != getattr(gb, flag):
                now = "set" if getattr(gb, flag) else "cleared"
                msg = f"gateway error {name} {flag} flag {now}"
                yield mk(subject, "gateway-error-retry-changed", msg, (*where, flag))


STAGEWIDE: tuple[Callable[[StageApi, StageApi], Changes], ...] = (
    _base_url,
    _limits,
    _pagination,
    _date_range,
    _keys,
    _gateway,
)
