"""Stage-to-stage comparison: every change, each marked breaking or not, with why.

``compare(old, new)`` walks two resolved stages (of one spec, or of two specs with
``routegen diff --against``) and returns ``Change`` values; ``report`` renders
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
  type changed (except only becoming nullable, or int -> long alike) -> breaking.
- Model fields depend on the direction the model travels (a model reached from a
  route ``response`` is *read*, from a ``body`` is *written*; a model no route uses
  counts as both, since its class is public):
  retyped -> breaking, unless both C# types map to the same JSON type
  (``spec.wiretypes.json_type``: ``int``/``long``, ``double``/``float``; ``decimal``
  is ``Decimal`` in Python, so ``decimal`` <-> ``double`` breaks callers),
  which is reported as an ok ``field-retyped`` (filter fields alike); made nullable
  -> breaking when read (readers relied on a value), else not; made non-nullable
  (required) -> breaking when written (writers must now send it), else not; a
  constraint tightened (smaller ``max_length`` / ``maximum``, larger ``min_length``
  / ``minimum`` / ``exclusive_minimum``, a new or changed ``pattern``) -> breaking
  when written; became read-only -> breaking when written (the value is ignored);
  became writable while non-nullable -> breaking when written (the generated model
  now requires it); a new required field -> breaking when written.
- Smaller max page size, smaller (or new) max range, dates becoming required,
  a changed error status, a new or longer ``min_interval``, a changed success
  status (unless it only follows a response change) -> breaking; ``idempotent``
  changing either way is not (retries only: callers handle the final error anyway).
- Stage-wide settings (``stagewide``, differ only across spec files): renamed
  body keys, error-object keys, pagination or date-range headers and fields, a
  changed first page or day bound, a lower rate/burst/quota or global max size, a
  removed or re-messaged gateway error -> breaking; the base URL template, default
  page size and gateway retry flags -> not.
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

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from ..spec.errors import JsonPath
from ..spec.model import (
    Filter,
    FilterField,
    Model,
    ModelField,
    Route,
    StageApi,
    TypeRef,
    format_duration,
)
from ..spec.wiretypes import json_type
from .core import Change, Changes, Side, at_change, mk, presence, show
from .rules import KINDS
from .rules import RULES as _RULES
from .stagewide import STAGEWIDE

__all__ = ["KINDS", "Change", "compare", "sort_key"]


def compare(old: StageApi, new: StageApi) -> list[Change]:
    """Every change from ``old`` to ``new``, sorted."""
    changes: list[Change] = []
    parts = (_auth, _error_codes, _filters, _models, _enums, _routes, *STAGEWIDE)
    for part in parts:
        changes.extend(part(old, new))
    tagged = [_with_source(c, old if c.side == "old" else new) for c in changes]
    return sorted(tagged, key=sort_key)


def _with_source(change: Change, stage: StageApi) -> Change:
    """The change tagged with the innermost ``source`` at or above its location."""
    return replace(change, source=stage.source_at(change.where))


def sort_key(change: Change) -> tuple[str, str, str]:
    """Deterministic order: subject, kind, message (JSON paths mix str and int)."""
    return (change.subject, change.kind, change.message)


# ---------------------------------------------------------------- auth and errors


def _auth(old: StageApi, new: StageApi) -> Changes:
    a, b = old.auth, new.auth
    if a.api_key_header != b.api_key_header:
        msg = f"api key header changed from {a.api_key_header} to {b.api_key_header}"
        where: JsonPath = ("auth", "api_key", "header")
        yield mk("auth", "auth-api-key-header-changed", msg, where)
    if a.token is None or b.token is None:
        if a.token is not b.token:
            kind = "auth-token-added" if b.token else "auth-token-removed"
            msg = f"token authentication {'added' if b.token else 'removed'}"
            side: Side = "new" if b.token else "old"
            yield mk("auth", kind, msg, ("auth", "token"), side=side)
        return
    for attr in a.token.__slots__:
        if attr == "source":  # provenance describes the element; it is not its surface
            continue
        va, vb = getattr(a.token, attr), getattr(b.token, attr)
        if va != vb:
            kind = f"auth-token-{attr.replace('_', '-')}-changed"
            kind = kind if kind in _RULES else "auth-token-changed"
            msg = f"token {attr} changed from {show(va)} to {show(vb)}"
            where = at_change(("auth", "token"), new.stage.name, attr)
            yield mk("auth", kind, msg, where)


def _error_codes(old: StageApi, new: StageApi) -> Changes:
    a, b = {e.code: e for e in old.errors}, {e.code: e for e in new.errors}
    yield from presence("error", a, b, "error code ")
    for code in sorted(a.keys() & b.keys()):
        if a[code].status != b[code].status:
            msg = f"error code {code} status changed from {a[code].status} to {b[code].status}"
            yield mk(f"error code {code}", "error-status-changed", msg, b[code].where)


# ---------------------------------------------------------------- filters


def _filters(old: StageApi, new: StageApi) -> Changes:
    a, b = {f.name: f for f in old.filters}, {f.name: f for f in new.filters}
    yield from presence("filter", a, b, "filter ")
    folds = old.info.case_insensitive_names and new.info.case_insensitive_names
    for name in sorted(a.keys() & b.keys()):
        yield from _filter_fields(a[name], b[name], new.stage.name, folds)


def _filter_fields(a: Filter, b: Filter, stage: str, folds: bool) -> Changes:
    subject = f"filter {b.name}"
    fa, fb = {f.name: f for f in a.fields}, {f.name: f for f in b.fields}
    yield from presence("filter-field", fa, fb, f"field {b.name}.", subject)
    for name in sorted(fa.keys() & fb.keys()):
        yield from _filter_field(subject, fa[name], fb[name], stage, folds)


def _filter_field(
    subject: str, a: FilterField, b: FilterField, stage: str, folds: bool
) -> Changes:
    label = f"field {subject.removeprefix('filter ')}.{b.name}"
    if a.wire != b.wire:
        msg = f"{label} wire name changed from {a.wire} to {b.wire}"
        where = at_change(b.where, stage, "wire")
        # Names that bind ignoring case still bind under the old spelling.
        only_case = folds and a.wire.lower() == b.wire.lower()
        yield mk(subject, "filter-wire-renamed", msg, where, not only_case)
    if a.type != b.type:
        nullable_ok = b.type.nullable or not a.type.nullable
        loosened = _same_wire_shape(a.type, b.type) and nullable_ok
        msg = f"{label} type changed from {a.type} to {b.type}"
        where = at_change(b.where, stage, "type")
        yield mk(subject, "filter-field-retyped", msg, where, not loosened)


def _same_shape(a: TypeRef, b: TypeRef) -> bool:
    return (a.base, a.is_list, a.item_nullable) == (b.base, b.is_list, b.item_nullable)


def _same_wire_shape(a: TypeRef, b: TypeRef) -> bool:
    """Same shape once C# bases map to JSON types: ``int`` = ``long``,
    ``double`` = ``float`` (one wire and one Python type, ``emit.models``)."""
    ka = (json_type(a.base), a.is_list, a.item_nullable)
    return ka == (json_type(b.base), b.is_list, b.item_nullable)


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
    yield from presence("model", a, b, "model ")
    roles = _model_roles(old, new)
    for name in sorted(a.keys() & b.keys()):
        found = roles.get(name) or _BOTH
        yield from _model_fields(a[name], b[name], found, new.stage.name)


@dataclass(frozen=True, slots=True)
class _FieldCtx:
    """A model's field comparison context: subject, roles and the new stage name."""

    model: str
    roles: Roles
    stage: str

    @property
    def subject(self) -> str:
        return f"model {self.model}"

    def change(
        self, kind: str, f: ModelField, text: str, key: str, bad: bool, case: str = ""
    ) -> Change:
        where = at_change(f.where, self.stage, key)
        msg = f"field {self.model}.{f.name} {text}"
        return mk(self.subject, kind, msg, where, bad, case=case)


def _model_fields(a: Model, b: Model, roles: Roles, stage: str) -> Changes:
    ctx = _FieldCtx(b.name, roles, stage)
    fa, fb = {f.name: f for f in a.fields}, {f.name: f for f in b.fields}
    renamed = {
        f.renamed_from: f
        for f in b.fields
        if f.name not in fa and f.renamed_from in fa and f.renamed_from not in fb
    }
    for name in sorted(fa.keys() - fb.keys()):
        if name in renamed:
            to = renamed[name]
            msg = f"field {b.name}.{name} renamed to {to.name}"
            yield mk(ctx.subject, "field-renamed", msg, to.where)
            yield from _model_field(ctx, fa[name], to)
        else:
            msg = f"field {b.name}.{name} removed"
            yield mk(ctx.subject, "field-removed", msg, fa[name].where, side="old")
    moved = {f.name for f in renamed.values()}
    for name in sorted(fb.keys() - fa.keys() - moved):
        f = fb[name]
        required = not f.type.nullable and not f.read_only
        msg = f"field {b.name}.{name} ({f.type}) added"
        breaking = required and "write" in roles
        yield mk(ctx.subject, "field-added", msg, f.where, breaking)
    for name in sorted(fa.keys() & fb.keys()):
        yield from _model_field(ctx, fa[name], fb[name])


def _model_field(ctx: _FieldCtx, a: ModelField, b: ModelField) -> Changes:
    writes = "write" in ctx.roles and not b.read_only
    same_wire = _same_wire_shape(a.type, b.type)
    if not _same_shape(a.type, b.type):
        text = f"retyped from {a.type} to {b.type}"
        yield ctx.change("field-retyped", b, text, "type", not same_wire)
    if same_wire and b.type.nullable and not a.type.nullable:
        text = f"made nullable ({b.type})"
        yield ctx.change("field-made-nullable", b, text, "type", "read" in ctx.roles)
    elif same_wire and a.type.nullable and not b.type.nullable:
        text = f"made non-nullable ({b.type})"
        yield ctx.change("field-made-required", b, text, "type", writes)
    if a.read_only != b.read_only:
        yield _read_only(ctx, a, b)
    for attr in _CONSTRAINTS:
        va, vb = getattr(a, attr), getattr(b, attr)
        if va != vb:
            text = f"{attr} changed from {show(va)} to {show(vb)}"
            breaking = writes and _tighter(attr, va, vb)
            yield ctx.change("field-constraint-changed", b, text, attr, breaking)


def _read_only(ctx: _FieldCtx, a: ModelField, b: ModelField) -> Change:
    """Read-only breaks writers (value ignored); writable breaks them too when the
    field is non-nullable: the generated model makes it required (``emit.models``).
    """
    kind, written = "field-read-only-changed", "write" in ctx.roles
    if b.read_only:
        return ctx.change(kind, b, "became read-only", "read_only", written)
    required = written and not b.type.nullable
    text = "became writable" + (f" and required ({b.type})" if required else "")
    case = "required" if required else ""
    return ctx.change(kind, b, text, "read_only", required, case)


_CONSTRAINTS: tuple[str, ...] = ("max_length", "min_length", "minimum", "maximum")
_CONSTRAINTS += ("exclusive_minimum", "pattern")
_UPPER_BOUNDS = frozenset({"max_length", "maximum"})


def _tighter(attr: str, a: object, b: object) -> bool:
    """True when ``b`` accepts fewer values than ``a``."""
    if b is None:
        return False
    if a is None or attr == "pattern":
        return a != b
    assert isinstance(a, int | float) and isinstance(b, int | float)
    return b < a if attr in _UPPER_BOUNDS else b > a


def _enums(old: StageApi, new: StageApi) -> Changes:
    a, b = {e.name: e for e in old.enums}, {e.name: e for e in new.enums}
    yield from presence("enum", a, b, "enum ")
    for name in sorted(a.keys() & b.keys()):
        va, vb = a[name].values, b[name].values
        subject, where = f"enum {name}", (*b[name].where, "enum")
        for value in [v for v in va if v not in vb]:
            yield mk(
                subject,
                "enum-value-removed",
                f"enum {name} value {value} removed",
                where,
            )
        for value in [v for v in vb if v not in va]:
            yield mk(
                subject, "enum-value-added", f"enum {name} value {value} added", where
            )


# ---------------------------------------------------------------- routes


@dataclass(frozen=True, slots=True)
class _Pair:
    """One route in both stages (matched by name or by ``renamed_from``)."""

    old_stage: StageApi
    new_stage: StageApi
    a: Route
    b: Route

    def change(self, kind: str, text: str, key: str, bad: bool | None = None) -> Change:
        """A change located at the new route's value of ``key``."""
        msg = f"{self.b.name}: {text}"
        return mk(f"route {self.b.name}", kind, msg, self.b.origin(key), bad)


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
            where = to.origin("renamed_from")
            yield mk(f"route {to.name}", "route-renamed", msg, where)
            pairs.append(_Pair(old, new, r, to))
        else:
            msg = f"route {name} ({r.method} {r.path}) removed"
            yield mk(f"route {name}", "route-removed", msg, r.where, side="old")
    moved = {r.name for r in renames.values()}
    for name in sorted(b.keys() - a.keys() - moved):
        r = b[name]
        msg = f"route {name} ({r.method} {r.path}) added"
        yield mk(f"route {name}", "route-added", msg, r.where)
    for pair in pairs:
        for check in _ROUTE_CHECKS:
            yield from check(pair)


_AUTH_LEVELS = {"none": 0, "key": 1, "token": 2}


def _endpoint(p: _Pair) -> Changes:
    a, b = p.a, p.b
    if a.method != b.method:
        text = f"method changed from {a.method} to {b.method}"
        yield p.change("route-method-changed", text, "method")
    if a.path != b.path:
        text = f"path changed from {a.path} to {b.path}"
        yield p.change("route-path-changed", text, "path")
    if a.paged != b.paged:
        text = "became paged" if b.paged else "is no longer paged"
        yield p.change("route-paged-changed", text, "paged")
    if a.auth != b.auth:
        stricter = _AUTH_LEVELS[b.auth] > _AUTH_LEVELS[a.auth]
        text = f"auth changed from {a.auth} to {b.auth}"
        yield p.change("route-auth-changed", text, "auth", stricter)
    for key in ("body", "response"):
        ra, rb = getattr(a, key), getattr(b, key)
        if ra != rb:
            text = f"{key} changed from {ra or 'none'} to {rb or 'none'}"
            yield p.change(f"route-{key}-changed", text, key)


def _names_diff(
    kind: str, what: str, fa: list[str], fb: list[str], p: _Pair
) -> Changes:
    key = "request_filter" if kind.startswith("request") else "route_filter"
    for name in [n for n in fa if n not in fb]:
        yield p.change(f"{kind}-removed", f"{what}{name} no longer honoured", key)
    for name in [n for n in fb if n not in fa]:
        yield p.change(f"{kind}-added", f"{what}{name} now honoured", key)


def _filters_used(p: _Pair) -> Changes:
    fa = [f.name for f in p.a.request_filter]
    fb = [f.name for f in p.b.request_filter]
    yield from _names_diff("request-filter-field", "request filter field ", fa, fb, p)
    a, b = p.a.route_filter, p.b.route_filter
    if a is not None and b is not None and a.filter == b.filter:
        fa, fb = [f.name for f in a.fields], [f.name for f in b.fields]
        what = f"route filter field {b.filter}."
        yield from _names_diff("route-filter-field", what, fa, fb, p)
    elif b is not None and a is None:
        text = f"route filter {b.filter} added"
        yield p.change("route-filter-added", text, "route_filter")
    elif a is not None:
        what = "removed" if b is None else f"replaced by {b.filter}"
        text = f"route filter {a.filter} {what}"
        yield p.change("route-filter-removed", text, "route_filter")


def _limits(p: _Pair) -> Changes:
    if p.a.paged and p.b.paged:
        sa = p.a.max_page_size or p.old_stage.pagination.max_size
        sb = p.b.max_page_size or p.new_stage.pagination.max_size
        if sa != sb:
            text = f"max page size changed from {sa} to {sb}"
            yield p.change("max-page-size-changed", text, "max_page_size", sb < sa)
    ra, rb = p.a.max_range, p.b.max_range
    if ra != rb:
        smaller = rb is not None and (ra is None or rb < ra)
        text = f"max range changed from {_range(ra)} to {_range(rb)}"
        yield p.change("max-range-changed", text, "max_range", smaller)
    if p.a.dates_required != p.b.dates_required:
        now = p.b.dates_required
        text = "dates became required" if now else "dates are no longer required"
        yield p.change("dates-required-changed", text, "dates_required", now)


def _range(value: timedelta | None) -> str:
    return "unlimited" if value is None else format_duration(value)


def _route_errors(p: _Pair) -> Changes:
    ea, eb = p.a.errors, p.b.errors
    for code in [c for c in eb if c not in ea]:
        yield p.change("route-error-added", f"may now fail with {code}", "errors")
    for code in [c for c in ea if c not in eb]:
        yield p.change("route-error-removed", f"no longer fails with {code}", "errors")


def _route_policy(p: _Pair) -> Changes:
    a, b = p.a, p.b
    if a.min_interval != b.min_interval:
        longer = b.min_interval is not None and (
            a.min_interval is None or b.min_interval > a.min_interval
        )
        text = f"min interval changed from {show(a.min_interval)} to {show(b.min_interval)}"
        yield p.change("route-min-interval-changed", text, "min_interval", longer)
    if a.idempotent != b.idempotent:
        text = "became idempotent" if b.idempotent else "is no longer idempotent"
        yield p.change("route-idempotent-changed", text, "idempotent")
    if a.status != b.status and not (_default_status(a) and _default_status(b)):
        text = f"success status changed from {a.status} to {b.status}"
        yield p.change("route-status-changed", text, "status")


def _default_status(r: Route) -> bool:
    """True when the status is the one the response implies (204 for none, else 200):
    a response change already reports it."""
    return r.status == (204 if r.response.kind == "none" else 200)


_ROUTE_CHECKS: tuple[Callable[[_Pair], Changes], ...] = (
    _endpoint,
    _filters_used,
    _limits,
    _route_errors,
    _route_policy,
)
