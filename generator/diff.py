"""Stage-to-stage comparison: every change, each marked breaking or not, with why.

``compare(old, new)`` walks two resolved stages (of one spec, or of two specs with
``routegen diff --against``) and returns ``Change`` values; ``diff_report`` renders
them. Routes are matched by name; a new route whose ``renamed_from`` names an old
route that is gone is a rename, not a removal plus an addition (model fields alike).

Breaking rules ("breaking" = code or requests that worked against ``old`` can fail,
or silently change meaning, against ``new``):

- Removed anything callers can name: route, model, enum, enum value, model field,
  filter, filter field, error code (its exception class disappears) -> breaking.
- Renamed route or field, changed method or path, changed body or response,
  paged <-> unpaged, a route needing more auth (none < key < token) -> breaking.
- A request-filter field no longer honoured by a route, a route filter removed,
  replaced or narrowed -> breaking: the server silently ignores unhonoured fields,
  so callers would get unfiltered data.
- A filter field's wire name changed (v1 ``StartDate`` -> v2 ``startDate``) or its
  type changed (except only becoming nullable) -> breaking.
- Model fields depend on the direction the model travels (a model reached from a
  route ``response`` is *read*, from a ``body`` is *written*; a model no route uses
  counts as both, since its class is public):
  retyped -> breaking; made nullable -> breaking when read (readers relied on a
  value), else not; made non-nullable (required) -> breaking when written (writers
  must now send it), else not; a constraint tightened (smaller ``max_length`` /
  ``maximum``, larger ``min_length`` / ``minimum`` / ``exclusive_minimum``, a new or
  changed ``pattern``) -> breaking when written; became read-only -> breaking when
  written (the value is ignored); a new required field -> breaking when written.
- Smaller max page size, smaller (or new) max range, dates becoming required,
  a changed error status -> breaking.
- Auth: api-key header, token header, scheme, route, body/response keys or the
  expiry error changed, or token auth added/removed -> breaking. A token lifetime
  change is not: clients renew before expiry and once on ``401 API_TOKEN``.
- Everything else is an addition or a loosening and is not breaking: new routes,
  models, enums, enum values, filters, optional fields, newly honoured filter
  fields, route filters and route-filter fields, larger limits, new error codes
  (stage-wide or on a route), a route no longer raising an error code.

``Change.where`` is the spec JSON path of the element in the new stage (the old one
when removed, with ``side="old"``); for values set by a per-stage ``changes`` entry it
points into that entry, so ``checks._breaking_in_stable`` reports the right line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from .errors import JsonPath
from .model import (
    DataRef,
    Filter,
    FilterField,
    Model,
    ModelField,
    Route,
    StageApi,
    TypeRef,
    format_duration,
)

Side = Literal["old", "new"]
Changes = Iterator["Change"]


@dataclass(frozen=True, slots=True, order=True)
class Change:
    """One difference between two stages."""

    subject: str  # what changed, e.g. "route transactions.list" or "model Site"
    kind: str  # e.g. "route-added", "field-retyped"
    message: str
    breaking: bool
    reason: str  # why it breaks (or why not) existing callers
    where: JsonPath = ()  # spec location of the new (or removed) element
    side: Side = "new"  # which stage's spec ``where`` points into


def compare(old: StageApi, new: StageApi) -> list[Change]:
    """Every change from ``old`` to ``new``, sorted."""
    changes: list[Change] = []
    for part in (_auth, _error_codes, _filters, _models, _enums, _routes):
        changes.extend(part(old, new))
    return sorted(changes, key=sort_key)


def sort_key(change: Change) -> tuple[str, str, str, str]:
    """Deterministic order: subject, kind, message (JSON paths mix str and int)."""
    return (change.subject, change.kind, change.message, change.reason)


def _at_change(where: JsonPath, stage: str, key: str) -> JsonPath:
    """Path of the ``changes.<stage>.<key>`` entry under ``where`` (a locator falls back
    to the nearest ancestor that exists, i.e. the element itself)."""
    return (*where, "changes", stage, key)


# ---------------------------------------------------------------- auth and errors


_TOKEN_ATTRS: tuple[tuple[str, bool, str], ...] = (
    ("route", True, "clients fetch tokens from the old route"),
    ("header", True, "clients send the token in the old header and are rejected"),
    ("scheme", True, "clients send the token with the old scheme and are rejected"),
    ("username_field", True, "clients send credentials under the old key"),
    ("password_field", True, "clients send credentials under the old key"),
    ("token_field", True, "clients read the token from the old key"),
    ("expires_field", True, "clients read the expiry from the old key"),
    ("expires_format", True, "clients cannot parse the new expiry format"),
    ("expired_error", True, "clients no longer recognise an expired token"),
    ("invalid_error", True, "clients no longer recognise bad credentials"),
    (
        "lifetime",
        False,
        "clients renew before expiry and once on an expired-token error",
    ),
    ("renew_before", False, "a client-side renewal margin only"),
)


def _auth(old: StageApi, new: StageApi) -> Changes:
    a, b = old.auth, new.auth
    if a.api_key_header != b.api_key_header:
        msg = f"api key header changed from {a.api_key_header} to {b.api_key_header}"
        why = "clients send the key in the old header and are rejected"
        yield Change(
            "auth",
            "auth-api-key-header-changed",
            msg,
            True,
            why,
            ("auth", "api_key", "header"),
        )
    where: JsonPath = ("auth", "token")
    if a.token is None or b.token is None:
        if a.token is not b.token:
            kind = "auth-token-added" if b.token else "auth-token-removed"
            msg = f"token authentication {'added' if b.token else 'removed'}"
            why = "clients authenticate the old way"
            yield Change(
                "auth", kind, msg, True, why, where, "new" if b.token else "old"
            )
        return
    for attr, breaking, why in _TOKEN_ATTRS:
        va, vb = getattr(a.token, attr), getattr(b.token, attr)
        if va != vb:
            shown = [
                format_duration(v) if isinstance(v, timedelta) else _show(v)
                for v in (va, vb)
            ]
            msg = f"token {attr} changed from {shown[0]} to {shown[1]}"
            kind = f"auth-token-{attr.replace('_', '-')}-changed"
            yield Change(
                "auth",
                kind,
                msg,
                breaking,
                why,
                _at_change(where, new.stage.name, attr),
            )


def _error_codes(old: StageApi, new: StageApi) -> Changes:
    a, b = {e.code: e for e in old.errors}, {e.code: e for e in new.errors}
    for code in sorted(a.keys() - b.keys()):
        why = "its exception class disappears; code catching it breaks"
        yield Change(
            f"error {code}",
            "error-removed",
            f"error code {code} removed",
            True,
            why,
            a[code].where,
            "old",
        )
    for code in sorted(b.keys() - a.keys()):
        why = "new codes get their own exception class under the existing root"
        msg = f"error code {code} added (HTTP {b[code].status})"
        yield Change(f"error {code}", "error-added", msg, False, why, b[code].where)
    for code in sorted(a.keys() & b.keys()):
        if a[code].status != b[code].status:
            msg = f"error code {code} status changed from {a[code].status} to {b[code].status}"
            why = "callers handling the error by HTTP status miss it"
            yield Change(
                f"error {code}", "error-status-changed", msg, True, why, b[code].where
            )


# ---------------------------------------------------------------- filters


def _filters(old: StageApi, new: StageApi) -> Changes:
    a, b = {f.name: f for f in old.filters}, {f.name: f for f in new.filters}
    for name in sorted(a.keys() - b.keys()):
        why = "callers passing this filter fail"
        yield Change(
            f"filter {name}",
            "filter-removed",
            f"filter {name} removed",
            True,
            why,
            a[name].where,
            "old",
        )
    for name in sorted(b.keys() - a.keys()):
        why = "a new filter is only used by routes that honour it"
        yield Change(
            f"filter {name}",
            "filter-added",
            f"filter {name} added",
            False,
            why,
            b[name].where,
        )
    for name in sorted(a.keys() & b.keys()):
        yield from _filter_fields(a[name], b[name], new.stage.name)


def _filter_fields(a: Filter, b: Filter, stage: str) -> Changes:
    subject = f"filter {b.name}"
    fa, fb = {f.name: f for f in a.fields}, {f.name: f for f in b.fields}
    for name in sorted(fa.keys() - fb.keys()):
        msg = f"field {b.name}.{name} removed"
        why = "callers passing this field fail"
        yield Change(
            subject, "filter-field-removed", msg, True, why, fa[name].where, "old"
        )
    for name in sorted(fb.keys() - fa.keys()):
        msg = f"field {b.name}.{name} ({fb[name].type}) added"
        why = "a new filter field is optional until a caller uses it"
        yield Change(subject, "filter-field-added", msg, False, why, fb[name].where)
    for name in sorted(fa.keys() & fb.keys()):
        yield from _filter_field(subject, fa[name], fb[name], stage)


def _filter_field(subject: str, a: FilterField, b: FilterField, stage: str) -> Changes:
    if a.wire != b.wire:
        msg = f"field {b.name} wire name changed from {a.wire} to {b.wire}"
        why = "requests using the old wire name are silently ignored by the server"
        yield Change(
            subject,
            "filter-wire-renamed",
            msg,
            True,
            why,
            _at_change(b.where, stage, "wire"),
        )
    if a.type != b.type:
        only_nullable = _same_shape(a.type, b.type) and b.type.nullable
        msg = f"field {b.name} type changed from {a.type} to {b.type}"
        why = (
            "any value valid before is still valid"
            if only_nullable
            else "values of the old type are rejected"
        )
        kind = "filter-field-retyped"
        yield Change(
            subject,
            kind,
            msg,
            not only_nullable,
            why,
            _at_change(b.where, stage, "type"),
        )


def _same_shape(a: TypeRef, b: TypeRef) -> bool:
    return (a.base, a.is_list, a.item_nullable) == (b.base, b.is_list, b.item_nullable)


# ---------------------------------------------------------------- models and enums


Roles = frozenset[str]  # subset of {"read", "write"}
_BOTH: Roles = frozenset({"read", "write"})


def _model_roles(*stages: StageApi) -> dict[str, Roles]:
    """How each model travels: ``read`` (in a response), ``write`` (in a body), both."""
    roles: dict[str, set[str]] = {}
    for stage in stages:
        for r in stage.routes:
            for ref, role in ((r.body, "write"), (r.response, "read")):
                if ref is not None and ref.model is not None:
                    _mark(stage, ref.model, role, roles)
    return {name: frozenset(found) for name, found in roles.items()}


def _mark(stage: StageApi, name: str, role: str, roles: dict[str, set[str]]) -> None:
    if role in roles.get(name, set()):
        return
    roles.setdefault(name, set()).add(role)
    model = stage.model(name)
    for f in model.fields if model else ():
        if stage.model(f.type.base) is not None:
            _mark(stage, f.type.base, role, roles)


def _models(old: StageApi, new: StageApi) -> Changes:
    a, b = {m.name: m for m in old.models}, {m.name: m for m in new.models}
    for name in sorted(a.keys() - b.keys()):
        why = "code importing or receiving this model breaks"
        yield Change(
            f"model {name}",
            "model-removed",
            f"model {name} removed",
            True,
            why,
            a[name].where,
            "old",
        )
    for name in sorted(b.keys() - a.keys()):
        why = "a new model does not affect existing callers"
        yield Change(
            f"model {name}",
            "model-added",
            f"model {name} added",
            False,
            why,
            b[name].where,
        )
    roles = _model_roles(old, new)
    for name in sorted(a.keys() & b.keys()):
        yield from _model_fields(
            a[name], b[name], roles.get(name) or _BOTH, new.stage.name
        )


def _model_fields(a: Model, b: Model, roles: Roles, stage: str) -> Changes:
    subject = f"model {b.name}"
    fa, fb = {f.name: f for f in a.fields}, {f.name: f for f in b.fields}
    renamed = {
        f.renamed_from: f
        for f in b.fields
        if f.name not in fa and f.renamed_from in fa and f.renamed_from not in fb
    }
    for name in sorted(fa.keys() - fb.keys()):
        if name in renamed:
            new_f = renamed[name]
            msg = f"field {b.name}.{name} renamed to {new_f.name}"
            why = "the old wire and attribute names are gone"
            yield Change(subject, "field-renamed", msg, True, why, new_f.where)
            yield from _model_field(subject, b.name, fa[name], new_f, roles, stage)
        else:
            why = "readers and writers of this field break"
            msg = f"field {b.name}.{name} removed"
            yield Change(
                subject, "field-removed", msg, True, why, fa[name].where, "old"
            )
    moved = {f.name for f in renamed.values()}
    for name in sorted(fb.keys() - fa.keys() - moved):
        yield _field_added(subject, b.name, fb[name], roles)
    for name in sorted(fa.keys() & fb.keys()):
        yield from _model_field(subject, b.name, fa[name], fb[name], roles, stage)


def _field_added(subject: str, model: str, f: ModelField, roles: Roles) -> Change:
    required = not f.type.nullable and not f.read_only
    breaking = required and "write" in roles
    msg = f"field {model}.{f.name} ({f.type}) added"
    if breaking:
        why = "a new required field in a written model: writers must now send it"
    else:
        why = (
            "readers ignore fields they do not know"
            if "write" not in roles
            else "the field is optional"
        )
    return Change(subject, "field-added", msg, breaking, why, f.where)


def _model_field(
    subject: str, model: str, a: ModelField, b: ModelField, roles: Roles, stage: str
) -> Changes:
    label = f"field {model}.{b.name}"
    writes = "write" in roles and not b.read_only
    if not _same_shape(a.type, b.type):
        msg = f"{label} retyped from {a.type} to {b.type}"
        why = "values of the old type no longer validate"
        yield Change(
            subject, "field-retyped", msg, True, why, _at_change(b.where, stage, "type")
        )
    elif a.type.nullable != b.type.nullable:
        yield _nullability(subject, label, a, b, roles, writes, stage)
    if a.read_only != b.read_only:
        breaking = b.read_only and "write" in roles
        state = "read-only" if b.read_only else "writable"
        msg = f"{label} became {state}"
        why = (
            "the server now ignores the value writers send"
            if breaking
            else "no caller loses anything"
        )
        yield Change(
            subject,
            "field-read-only-changed",
            msg,
            breaking,
            why,
            _at_change(b.where, stage, "read_only"),
        )
    yield from _constraints(subject, label, a, b, writes, stage)


def _nullability(
    subject: str,
    label: str,
    a: ModelField,
    b: ModelField,
    roles: Roles,
    writes: bool,
    stage: str,
) -> Change:
    where = _at_change(b.where, stage, "type")
    if b.type.nullable:
        breaking = "read" in roles
        why = (
            "readers relying on a value get null"
            if breaking
            else "writers may now omit it"
        )
        return Change(
            subject,
            "field-made-nullable",
            f"{label} made nullable ({b.type})",
            breaking,
            why,
            where,
        )
    why = (
        "writers must now send a value" if writes else "readers now always get a value"
    )
    return Change(
        subject,
        "field-made-required",
        f"{label} made non-nullable ({b.type})",
        writes,
        why,
        where,
    )


_CONSTRAINTS = (
    "max_length",
    "min_length",
    "minimum",
    "maximum",
    "exclusive_minimum",
    "pattern",
)
_UPPER_BOUNDS = frozenset({"max_length", "maximum"})


def _tighter(attr: str, a: object, b: object) -> bool:
    """True when ``b`` accepts fewer values than ``a``."""
    if b is None:
        return False
    if a is None or attr == "pattern":
        return a != b
    assert isinstance(a, int | float) and isinstance(b, int | float)
    return b < a if attr in _UPPER_BOUNDS else b > a


def _constraints(
    subject: str, label: str, a: ModelField, b: ModelField, writes: bool, stage: str
) -> Changes:
    for attr in _CONSTRAINTS:
        va, vb = getattr(a, attr), getattr(b, attr)
        if va == vb:
            continue
        tighter = _tighter(attr, va, vb)
        breaking = tighter and writes
        if breaking:
            why = "values writers sent before may now be rejected"
        else:
            why = (
                "every value valid before is still valid"
                if not tighter
                else "the model is only read"
            )
        msg = f"{label} {attr} changed from {_show(va)} to {_show(vb)}"
        yield Change(
            subject,
            "field-constraint-changed",
            msg,
            breaking,
            why,
            _at_change(b.where, stage, attr),
        )


def _show(value: object) -> str:
    return "none" if value is None else str(value)


def _enums(old: StageApi, new: StageApi) -> Changes:
    a, b = {e.name: e for e in old.enums}, {e.name: e for e in new.enums}
    for name in sorted(a.keys() - b.keys()):
        why = "code importing or receiving this enum breaks"
        yield Change(
            f"enum {name}",
            "enum-removed",
            f"enum {name} removed",
            True,
            why,
            a[name].where,
            "old",
        )
    for name in sorted(b.keys() - a.keys()):
        why = "a new enum does not affect existing callers"
        yield Change(
            f"enum {name}",
            "enum-added",
            f"enum {name} added",
            False,
            why,
            b[name].where,
        )
    for name in sorted(a.keys() & b.keys()):
        va, vb = a[name].values, b[name].values
        where = (*b[name].where, "enum")
        for value in [v for v in va if v not in vb]:
            why = "callers sending or matching this value break"
            yield Change(
                f"enum {name}",
                "enum-value-removed",
                f"enum {name} value {value} removed",
                True,
                why,
                where,
            )
        for value in [v for v in vb if v not in va]:
            why = "existing values keep their meaning; handle unknown values gracefully"
            yield Change(
                f"enum {name}",
                "enum-value-added",
                f"enum {name} value {value} added",
                False,
                why,
                where,
            )


# ---------------------------------------------------------------- routes


@dataclass(frozen=True, slots=True)
class _Pair:
    """One route in both stages (matched by name or by ``renamed_from``)."""

    old_stage: StageApi
    new_stage: StageApi
    a: Route
    b: Route

    @property
    def subject(self) -> str:
        return f"route {self.b.name}"

    def change(
        self, kind: str, message: str, breaking: bool, reason: str, key: str
    ) -> Change:
        """A change located at the new route's value of ``key``."""
        return Change(
            self.subject,
            kind,
            f"{self.b.name}: {message}",
            breaking,
            reason,
            self.b.origin(key),
        )


def _routes(old: StageApi, new: StageApi) -> Changes:
    a, b = {r.name: r for r in old.routes}, {r.name: r for r in new.routes}
    renames = {
        r.renamed_from: r
        for r in new.routes
        if r.name not in a and r.renamed_from in a and r.renamed_from not in b
    }
    pairs = [_Pair(old, new, a[n], b[n]) for n in sorted(a.keys() & b.keys())]
    for name in sorted(a.keys() - b.keys()):
        r = a[name]
        if name in renames:
            to = renames[name]
            msg = f"route {name} renamed to {to.name}"
            why = "the client method moves to a new name"
            yield Change(
                f"route {to.name}",
                "route-renamed",
                msg,
                True,
                why,
                to.origin("renamed_from"),
            )
            pairs.append(_Pair(old, new, r, to))
            continue
        msg = f"route {name} ({r.method} {r.path}) removed"
        yield Change(
            f"route {name}",
            "route-removed",
            msg,
            True,
            "callers of this route get an error",
            r.where,
            "old",
        )
    moved = {r.name for r in renames.values()}
    for name in sorted(b.keys() - a.keys() - moved):
        r = b[name]
        msg = f"route {name} ({r.method} {r.path}) added"
        yield Change(
            f"route {name}",
            "route-added",
            msg,
            False,
            "new routes do not affect existing callers",
            r.where,
        )
    for pair in pairs:
        for check in _ROUTE_CHECKS:
            yield from check(pair)


def _endpoint(p: _Pair) -> Changes:
    a, b = p.a, p.b
    why = "requests to the old endpoint fail"
    if a.method != b.method:
        yield p.change(
            "route-method-changed",
            f"method changed from {a.method} to {b.method}",
            True,
            why,
            "method",
        )
    if a.path != b.path:
        yield p.change(
            "route-path-changed",
            f"path changed from {a.path} to {b.path}",
            True,
            why,
            "path",
        )
    if a.paged != b.paged:
        msg = "became paged" if b.paged else "is no longer paged"
        yield p.change(
            "route-paged-changed",
            msg,
            True,
            "the client method's shape changes",
            "paged",
        )
    levels = {"none": 0, "key": 1, "token": 2}
    if a.auth != b.auth:
        stricter = levels[b.auth] > levels[a.auth]
        why = (
            "callers sending less authentication are rejected"
            if stricter
            else "callers send more than needed"
        )
        yield p.change(
            "route-auth-changed",
            f"auth changed from {a.auth} to {b.auth}",
            stricter,
            why,
            "auth",
        )


def _request_filter(p: _Pair) -> Changes:
    fa = [f.name for f in p.a.request_filter]
    fb = [f.name for f in p.b.request_filter]
    for name in [n for n in fa if n not in fb]:
        why = "the server silently ignores it, so callers get unfiltered data"
        msg = f"request filter field {name} no longer honoured"
        yield p.change("request-filter-field-removed", msg, True, why, "request_filter")
    for name in [n for n in fb if n not in fa]:
        why = "a newly honoured filter field is optional"
        msg = f"request filter field {name} now honoured"
        yield p.change("request-filter-field-added", msg, False, why, "request_filter")


def _route_filter(p: _Pair) -> Changes:
    a, b = p.a.route_filter, p.b.route_filter
    if a is None or b is None or a.filter != b.filter:
        if a is None and b is not None:
            msg, why = (
                f"route filter {b.filter} added",
                "a new route filter is optional",
            )
            yield p.change("route-filter-added", msg, False, why, "route_filter")
        elif a is not None:
            what = "removed" if b is None else f"replaced by {b.filter}"
            msg, why = (
                f"route filter {a.filter} {what}",
                "callers' route-filter values are ignored",
            )
            yield p.change("route-filter-removed", msg, True, why, "route_filter")
        return
    fa, fb = [f.name for f in a.fields], [f.name for f in b.fields]
    for name in [n for n in fa if n not in fb]:
        msg = f"route filter field {b.filter}.{name} no longer honoured"
        why = "the server silently ignores it, so callers get unfiltered data"
        yield p.change("route-filter-field-removed", msg, True, why, "route_filter")
    for name in [n for n in fb if n not in fa]:
        msg, why = (
            f"route filter field {b.filter}.{name} now honoured",
            "a new filter field is optional",
        )
        yield p.change("route-filter-field-added", msg, False, why, "route_filter")


def _data(p: _Pair) -> Changes:
    for key, kind in (
        ("body", "route-body-changed"),
        ("response", "route-response-changed"),
    ):
        ra: DataRef | None = getattr(p.a, key)
        rb: DataRef | None = getattr(p.b, key)
        if ra != rb:
            msg = f"{key} changed from {ra or 'none'} to {rb or 'none'}"
            why = (
                "callers send the old body"
                if key == "body"
                else "callers expect the old response"
            )
            yield p.change(kind, msg, True, why, key)


def _limits(p: _Pair) -> Changes:
    if p.a.paged and p.b.paged:
        sa = p.a.max_page_size or p.old_stage.pagination.max_size
        sb = p.b.max_page_size or p.new_stage.pagination.max_size
        if sa != sb:
            smaller = sb < sa
            why = (
                "larger pages are clamped: fewer records per page"
                if smaller
                else "larger pages are allowed"
            )
            msg = f"max page size changed from {sa} to {sb}"
            yield p.change("max-page-size-changed", msg, smaller, why, "max_page_size")
    ra, rb = p.a.max_range, p.b.max_range
    if ra != rb:
        smaller = rb is not None and (ra is None or rb < ra)
        why = (
            "longer ranges are clamped: records silently missing"
            if smaller
            else "longer ranges are served"
        )
        msg = f"max range changed from {_duration(ra)} to {_duration(rb)}"
        yield p.change("max-range-changed", msg, smaller, why, "max_range")
    if p.a.dates_required != p.b.dates_required:
        required = p.b.dates_required
        msg = (
            "start and end dates became required"
            if required
            else "dates are no longer required"
        )
        why = (
            "calls without both dates are rejected"
            if required
            else "calls with dates still work"
        )
        yield p.change("dates-required-changed", msg, required, why, "dates_required")


def _duration(value: timedelta | None) -> str:
    return "unlimited" if value is None else format_duration(value)


def _route_errors(p: _Pair) -> Changes:
    ea, eb = p.a.errors, p.b.errors
    for code in [c for c in eb if c not in ea]:
        why = "a new error code on a route is an addition (its class exists under the root)"
        yield p.change(
            "route-error-added", f"may now fail with {code}", False, why, "errors"
        )
    for code in [c for c in ea if c not in eb]:
        why = "the route no longer raises it; handlers for it are merely unused"
        yield p.change(
            "route-error-removed", f"no longer fails with {code}", False, why, "errors"
        )


_ROUTE_CHECKS: tuple[Callable[[_Pair], Changes], ...] = (
    _endpoint,
    _request_filter,
    _route_filter,
    _data,
    _limits,
    _route_errors,
)
