"""Views of the rest styles: ApiConfig arguments, mirror tables, imports and credentials.

Computed in Python like ``views.py``; the package templates only print them. An API
without these styles gets empty lists, so its output is unchanged.
"""

from __future__ import annotations

from typing import Any

from ..spec import naming
from ..spec.model import Model, StageApi, TypeRef
from .layout import Brackets, call, kwargs, tuple_of
from .templating import from_import, import_sections
from .views import RouteView, lit, used_models

_SQL_TYPES = {
    "int": "INTEGER",
    "long": "INTEGER",
    "short": "INTEGER",
    "byte": "INTEGER",
    "bool": "INTEGER",
    "decimal": "TEXT",  # money stays exact: the decimal's digits, never a float
    "double": "REAL",
    "float": "REAL",
}


def style_args(stage: StageApi) -> list[tuple[str, str | Brackets]]:
    """``ApiConfig`` keyword arguments of the declared token-pair, offset and sync styles."""
    out: list[tuple[str, str | Brackets]] = []
    pair = stage.auth.token_pair
    if pair is not None:
        tokens = tuple_of(
            [call("PairToken", [lit(t.header), lit(t.param), lit(t.env)]) for t in pair.tokens]
        )
        config: list[tuple[str, str | Brackets]] = [
            ("tokens", tokens),
            ("rejected_code", lit(pair.rejected_error)),
        ]
        config += [("rejected_hint", lit(pair.rejected_hint))]
        out.append(("token_pair", kwargs("TokenPairConfig", config)))
    p = stage.pagination
    if p.style == "offset":
        offset = [
            ("offset_param", lit(p.offset_param)),
            ("size_param", lit(p.size_param)),
        ]
        offset += [("default_size", str(p.default_size)), ("max_size", str(p.max_size))]
        out.append(("offset", kwargs("OffsetConfig", offset)))
    if stage.sync is not None:
        s = stage.sync
        keys = ["items_key", "cursor_key", "ack_param", "size_param", "id_field"]
        keys += ["version_field", "deleted_field"]
        sync = [(k, lit(getattr(s, k))) for k in keys]
        sync += [("default_size", str(s.default_size)), ("max_size", str(s.max_size))]
        out.append(("sync", kwargs("SyncConfig", sync)))
    hooks = stage.webhooks
    if hooks is not None:
        signed = [("signature_header", lit(hooks.signature_header))]
        signed += [("entity_key", lit(hooks.entity_key))]
        out.append(("webhooks", kwargs("WebhookConfig", signed)))
    return out


def sql_type(stage: StageApi, t: TypeRef) -> str:
    """The SQLite column type of a model field (lists and nested models as JSON text)."""
    if t.is_list or stage.model(t.base) is not None:
        return "TEXT"
    return _SQL_TYPES.get(t.base, "TEXT")


def mirror_tables(stage: StageApi) -> list[dict[str, Any]]:
    """One ``MirrorTable`` constant per group with a sync route, for ``_api.py``."""
    if stage.sync is None:
        return []
    out = []
    for r in stage.routes:
        model = stage.model(r.response.model) if r.sync and r.response.model else None
        if model is None:
            continue
        out.append(
            {
                "const": naming.snake_case(r.group).upper() + "_TABLE",
                "call": "MirrorTable",
                "args": _table_args(stage, r.group, model),
            }
        )
    return out


def _table_args(
    stage: StageApi, group: str, model: Model
) -> list[tuple[str, str | Brackets]]:
    assert stage.sync is not None
    cols = tuple_of([lit((f.name, sql_type(stage, f.type))) for f in model.fields])
    return [
        ("name", lit(naming.snake_case(group))),
        ("columns", cols),
        ("id_field", lit(stage.sync.id_field)),
        ("version_field", lit(stage.sync.version_field)),
        ("deleted_field", lit(stage.sync.deleted_field)),
    ]


def api_style_imports(stage: StageApi) -> list[str]:
    """Runtime names ``_api.py`` needs for the declared styles."""
    names = ["PairToken", "TokenPairConfig"] if stage.auth.token_pair else []
    names += ["OffsetConfig"] if stage.pagination.style == "offset" else []
    names += ["MirrorTable", "SyncConfig"] if stage.sync is not None else []
    names += ["WebhookConfig"] if stage.webhooks is not None else []
    return names


def credentials(stage: StageApi) -> tuple[list[str], list[str]]:
    """The client's credential keywords and how ``__init__`` passes them on."""
    pair = stage.auth.token_pair
    if pair is None:
        names = ["api_key", "username", "password"]
        return names, [f"{n}={n}" for n in names]
    names = [t.param for t in pair.tokens]
    mapping = ", ".join(f"{lit(n)}: {n}" for n in names)
    return names, [f"tokens={{{mapping}}}"]


def rest_resource_imports(stage: StageApi, routes: tuple[RouteView, ...]) -> list[str]:
    """Import lines of a rest-style group module (``resources/<group>.py``)."""
    paged = any(r.paged or r.route.sync for r in routes)
    lists = any(
        not (r.paged or r.route.sync) and r.return_type.startswith("list[")
        for r in routes
    )
    dates = any(q.type.base == "DateTime" for r in routes for q in r.route.query)
    stdlib = ["import builtins"] if lists else []
    stdlib += from_import("collections.abc", ["Iterator", "AsyncIterator"] if paged else [])
    stdlib += from_import("datetime", ["datetime"] if dates else [])
    runtime = ["NOT_GIVEN", "NotGiven", "Timeout", "SyncResource", "AsyncResource"]
    runtime += ["_rest_calls"]
    if any(r.paged and not r.route.sync for r in routes):
        runtime += ["OffsetPage", "_offset_pagination"]
    if any(r.route.sync for r in routes):
        runtime += ["Change", "SyncPage", "SqliteMirror", "_sync_cursor"]
    local = ["from .. import _api", *from_import(".._runtime", runtime)]
    local += from_import("..models", used_models(routes))
    return import_sections(stdlib, local)


#: runtime names a rest-style package exports besides the common ones
REST_EXPORTS = [
    "Change",
    "MirrorTable",
    "OffsetPage",
    "SqliteMirror",
    "SyncPage",
    "TextRuleError",
    "WebhookReceiver",
]
