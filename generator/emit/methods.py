"""The methods of a generated resource class: signatures and calls, computed in Python.

Each route gives one to three methods (``list`` + ``page`` for a paged read, one call
otherwise), each in a sync and an async flavour. The template only prints what these
views hold, so it has no branches of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from .layout import Brackets, keyword, lay, tuple_of
from .views import Param, RouteView, docstring, lit

_IND = "        "  # docstrings of methods are indented two levels


@dataclass(frozen=True, slots=True)
class Flavour:
    """Sync or async: how a method is declared and how it calls the client."""

    prefix: str  # class-name prefix: "" or "Async"
    base: str  # runtime base class of the resource
    iterator: str  # return type of list()
    def_: str  # "def" or "async def"
    await_: str  # "" or "await "


SYNC = Flavour("", "SyncResource", "Iterator", "def", "")
ASYNC = Flavour("Async", "AsyncResource", "AsyncIterator", "async def", "await ")


@dataclass(frozen=True, slots=True)
class MethodView:
    """One generated method: its ``def`` line(s), docstring and body lines, laid out."""

    name: str
    def_line: str
    doc: str
    body: tuple[str, ...]
    signature: str  # the parameters on one line, as the user reads them
    returns: str


def _method(
    def_: str,
    name: str,
    params: tuple[str, ...],
    returns: str,
    doc: str,
    call: str,
    args: tuple[str | Brackets, ...],
    bind: bool,
) -> MethodView:
    """Assemble a method; ``bind`` types the result first (the runtime returns Any)."""
    head = f"result: {returns} = {call}(" if bind else f"return {call}("
    body: tuple[str, ...] = (lay(Brackets(head, args, ")"), 8),)
    body += ("return result",) if bind else ()
    signature = Brackets(f"{def_} {name}(", ("self", *params), f") -> {returns}:")
    params_line = ", ".join(("self", *params))
    return MethodView(name, lay(signature, 4), doc, body, params_line, returns)


def methods(route: RouteView, flavour: Flavour, filter_class: str) -> list[MethodView]:
    """The methods one route contributes to its resource class."""
    if route.paged:
        return [
            _iterate(route, flavour, filter_class),
            _page(route, flavour, filter_class),
        ]
    if route.is_token_route:
        return [_authenticate(route, flavour)]
    return [_call(route, flavour, filter_class)]


def _filter_params(route: RouteView, filter_class: str) -> list[str]:
    params = [f"{p.name}: {p.annotation} = {p.default}" for p in _all(route)]
    if route.request_params:
        params.append(f"request_filter: {filter_class} | None = None")
    if route.route_filter_class:
        params.append(f"route_filter: {route.route_filter_class} | None = None")
    return params


def _all(route: RouteView) -> tuple[Param, ...]:
    return route.request_params + route.route_params


def _dict(key: str, params: tuple[Param, ...]) -> Brackets:
    return Brackets(f"{key}={{", tuple(f"{lit(p.name)}: {p.value}" for p in params), "}")


def _filter_args(route: RouteView) -> list[str | Brackets]:
    args: list[str | Brackets] = []
    if route.request_params:
        args.append(_dict("request_filter", route.request_params))
    if route.route_params:
        args.append(_dict("route_filter", route.route_params))
    objects = ["request_filter"] if route.request_params else []
    objects += ["route_filter"] if route.route_filter_class else []
    if objects:
        args.append(keyword("filters", tuple_of(objects)))
    return args


def _iterate(route: RouteView, flavour: Flavour, filter_class: str) -> MethodView:
    # On by default: list() means every record, and the server would clamp a long
    # range away silently.
    split = ["split_range: bool = True"] if route.split_range else []
    params = [
        "*",
        *_filter_params(route, filter_class),
        "size: int | None = None",
        *split,
    ]
    args: list[str | Brackets] = [
        f"_api.{route.const}",
        str(route.response_model),
        *_filter_args(route),
        "size=size",
    ]
    args += ["split_range=split_range"] if route.split_range else []
    doc = route.doc + "\n\nIterates every record, fetching pages lazily."
    return _method(
        "def",  # both flavours: the async one returns an async iterator, not a coroutine
        route.py_verb,
        (*params, "timeout: Timeout | NotGiven = NOT_GIVEN"),
        f"{flavour.iterator}[{route.response_model}]",
        docstring(doc, _IND),
        "self._client._iterate",
        (*args, "timeout=timeout"),
        bind=False,
    )


def _page(route: RouteView, flavour: Flavour, filter_class: str) -> MethodView:
    params = ["*", *_filter_params(route, filter_class), "page: int | None = None"]
    args: list[str | Brackets] = [
        f"_api.{route.const}",
        str(route.response_model),
        *_filter_args(route),
    ]
    return _method(
        flavour.def_,
        str(route.page_verb),
        (*params, "size: int | None = None", "timeout: Timeout | NotGiven = NOT_GIVEN"),
        f"Page[{route.response_model}]",
        docstring(route.doc + "\n\nReturns one page with its paging headers.", _IND),
        f"{flavour.await_}self._client._get_page",
        (*args, "page=page", "size=size", "timeout=timeout"),
        bind=False,
    )


def _authenticate(route: RouteView, flavour: Flavour) -> MethodView:
    return _method(
        flavour.def_,
        route.py_verb,
        (),
        _returns(route),
        docstring(route.doc, _IND),
        f"{flavour.await_}self._client._authenticate",
        (str(route.response_model),),
        bind=False,
    )


def _call(route: RouteView, flavour: Flavour, filter_class: str) -> MethodView:
    body = [f"body: Sequence[{route.body_model}]"] if route.body_model else []
    params = [*body, "*", *_filter_params(route, filter_class)]
    args: list[str | Brackets] = [f"_api.{route.const}", *_filter_args(route)]
    args += ["body=body"] if route.body_model else []
    args += [f"cast_to={route.response_model}"] if route.response_model else []
    return _method(
        flavour.def_,
        route.py_verb,
        (*params, "timeout: Timeout | NotGiven = NOT_GIVEN"),
        _returns(route),
        docstring(route.doc, _IND),
        f"{flavour.await_}self._client._request",
        (*args, "timeout=timeout"),
        bind=True,
    )


def _returns(route: RouteView) -> str:
    # Inside a class with a ``list`` method, a bare ``list[...]`` would name the method.
    kind = route.return_type
    return "builtins." + kind if kind.startswith("list[") else kind
