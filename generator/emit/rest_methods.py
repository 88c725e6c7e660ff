"""Methods of a rest-style resource: path and query parameters, one model as the body.

The counterpart of ``methods.py`` for APIs declaring ``request_style: rest``: an
offset-paged read gives an iterator and a ``*_page`` method, a sync route gives
``sync`` (changes), ``sync_page`` and ``sync_into`` (a SQLite mirror), any other route
one call. Each method is one call into the copied runtime.
"""

from __future__ import annotations

from ..spec import naming
from .layout import Brackets
from .methods import _IND, Flavour, MethodView, _method, _returns
from .views import RouteView, docstring, lit

_TIMEOUT = "timeout: Timeout | NotGiven = NOT_GIVEN"
_TYPES = {
    "int": "int",
    "long": "int",
    "short": "int",
    "byte": "int",
    "decimal": "float",
    "double": "float",
    "float": "float",
    "bool": "bool",
    "string": "str",
    "DateTime": "datetime",
    "Guid": "str",
}


def _is_async(flavour: Flavour) -> bool:
    return flavour.prefix == "Async"


def _path(route: RouteView) -> tuple[list[str], list[str | Brackets]]:
    """Positional path parameters and the ``path={...}`` argument."""
    names = [naming.param_name(p) for p in route.route.path_params]
    params = [f"{n}: str" for n in names]
    pairs = tuple(
        f"{lit(p)}: {n}" for p, n in zip(route.route.path_params, names, strict=True)
    )
    return params, ([Brackets("path={", pairs, "}")] if names else [])


def _query(route: RouteView) -> tuple[list[str], list[str | Brackets]]:
    """Keyword query parameters and the ``query={...}`` argument."""
    params, pairs = [], []
    for q in route.route.query:
        base = _TYPES.get(q.type.base, q.type.base)
        params.append(f"{q.py_name}: {base} | None = None")
        pairs.append(f"{lit(q.name)}: {q.py_name}")
    return params, ([Brackets("query={", tuple(pairs), "}")] if pairs else [])


def rest_methods(route: RouteView, flavour: Flavour) -> list[MethodView]:
    """The methods one rest-style route contributes to its resource class."""
    if route.route.sync:
        return _sync_methods(route, flavour)
    if route.paged:
        return [_iterate(route, flavour), _page(route, flavour)]
    return [_call(route, flavour)]


def _call(route: RouteView, flavour: Flavour) -> MethodView:
    path_params, path_args = _path(route)
    query_params, query_args = _query(route)
    body = [f"body: {route.body_model}"] if route.body_model else []
    args: list[str | Brackets] = [f"_api.{route.const}", *path_args, *query_args]
    args += ["body=body"] if route.body_model else []
    args += [f"cast_to={route.response_model}"] if route.response_model else []
    func = "_rest_calls.acall" if _is_async(flavour) else "_rest_calls.call"
    return _method(
        flavour.def_,
        route.py_verb,
        (*path_params, *body, "*", *query_params, _TIMEOUT),
        _returns(route),
        docstring(route.doc, _IND),
        f"{flavour.await_}{func}",
        ("self._client", *args, "timeout=timeout"),
        bind=True,
    )


def _iterate(route: RouteView, flavour: Flavour) -> MethodView:
    query_params, query_args = _query(route)
    func = "aiterate" if _is_async(flavour) else "iterate"
    doc = route.doc + "\n\nIterates every record, fetching pages lazily from offset 0."
    return _method(
        "def",  # both flavours: the async one returns an async iterator
        route.py_verb,
        ("*", *query_params, "size: int | None = None", _TIMEOUT),
        f"{flavour.iterator}[{route.response_model}]",
        docstring(doc, _IND),
        f"_offset_pagination.{func}",
        (
            "self._client",
            f"_api.{route.const}",
            str(route.response_model),
            *query_args,
            "size=size",
            "timeout=timeout",
        ),
        bind=False,
    )


def _page(route: RouteView, flavour: Flavour) -> MethodView:
    query_params, query_args = _query(route)
    func = "aget_page" if _is_async(flavour) else "get_page"
    params = (
        "*",
        *query_params,
        "offset: int | None = None",
        "size: int | None = None",
    )
    return _method(
        flavour.def_,
        str(route.page_verb),
        (*params, _TIMEOUT),
        f"OffsetPage[{route.response_model}]",
        docstring(route.doc + "\n\nReturns the page starting at ``offset``.", _IND),
        f"{flavour.await_}_offset_pagination.{func}",
        (
            "self._client",
            f"_api.{route.const}",
            str(route.response_model),
            *query_args,
            "offset=offset",
            "size=size",
            "timeout=timeout",
        ),
        bind=False,
    )


def _sync_methods(route: RouteView, flavour: Flavour) -> list[MethodView]:
    return [_changes(route, flavour), _sync_page(route, flavour), _into(route, flavour)]


def _changes(route: RouteView, flavour: Flavour) -> MethodView:
    model = str(route.response_model)
    func = "achanges" if _is_async(flavour) else "changes"
    doc = "\n\nYields every pending change; a page is acknowledged when the next one is asked for."
    return _method(
        "def",
        route.py_verb,
        ("*", "size: int | None = None", _TIMEOUT),
        f"{flavour.iterator}[Change[{model}]]",
        docstring(route.doc + doc, _IND),
        f"_sync_cursor.{func}",
        ("self._client", f"_api.{route.const}", model, "size=size", "timeout=timeout"),
        bind=False,
    )


def _sync_page(route: RouteView, flavour: Flavour) -> MethodView:
    model = str(route.response_model)
    func = "async_page" if _is_async(flavour) else "sync_page"
    doc = "The next page of changes, acknowledging the page whose cursor is ``ack``."
    return _method(
        flavour.def_,
        f"{route.py_verb}_page",
        ("*", "ack: str | None = None", "size: int | None = None", _TIMEOUT),
        f"SyncPage[{model}]",
        docstring(doc, _IND),
        f"{flavour.await_}_sync_cursor.{func}",
        (
            "self._client",
            f"_api.{route.const}",
            model,
            "ack=ack",
            "size=size",
            "timeout=timeout",
        ),
        bind=False,
    )


def _into(route: RouteView, flavour: Flavour) -> MethodView:
    fetch = (
        f"lambda ack: self.{route.py_verb}_page(ack=ack, size=size, timeout=timeout)"
    )
    doc = (
        "Bring ``mirror``'s table up to date, one transaction per page; "
        "returns the changes received."
    )
    return _method(
        flavour.def_,
        f"{route.py_verb}_into",
        ("mirror: SqliteMirror", "*", "size: int | None = None", _TIMEOUT),
        "int",
        docstring(doc, _IND),
        f"{flavour.await_}mirror.{'async_sync' if _is_async(flavour) else 'sync'}",
        (f"_api.{table_const(route)}", fetch),
        bind=False,
    )


def table_const(route: RouteView) -> str:
    """Name of the ``MirrorTable`` constant of a sync route's group in ``_api.py``."""
    return naming.snake_case(route.route.group).upper() + "_TABLE"
