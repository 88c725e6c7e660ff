"""Rows of a generated package's README: every route with its call and an example."""

from __future__ import annotations

from typing import Any

from ..spec import naming
from ..spec.model import Route, StageApi, format_duration
from ..spec.naming import one_line
from .rest_views import credentials
from .views import GroupView, RouteView


def _md(text: str) -> str:
    """Spec text safe inside a Markdown table cell."""
    return one_line(text).replace("|", "\\|").replace("`", "'") or "—"


def _signature(rv: RouteView) -> str:
    if rv.rest:
        return _rest_signature(rv)
    params = [p.name for p in rv.request_params + rv.route_params]
    if rv.route.body is not None:
        params.insert(0, f"[{rv.route.body.model}(...)]")
    return f"{rv.py_verb}({', '.join(params)})"


def _rest_signature(rv: RouteView) -> str:
    params = [naming.param_name(p) for p in rv.route.path_params]
    params += [f"{rv.route.body.model}(...)"] if rv.route.body is not None else []
    params += [f"{q.py_name}=" for q in rv.route.query]
    return f"{rv.py_verb}({', '.join(params)})"


def _example(group: str, rv: RouteView) -> str:
    r: Route = rv.route
    if r.example:
        # Documentation only, but keep a fence from being closed by spec text.
        return one_line(r.example).replace("```", "'''")
    call = f"client.{group}.{rv.py_verb}"
    if rv.rest:
        return f"result = {call}({_rest_signature(rv).split('(', 1)[1]}"
    if r.paged:
        return f"for item in {call}():\n    print(item)"
    if r.body is not None:
        return f"{call}([{r.body.model}(...)])"
    return f"result = {call}()"


def _row(stage: StageApi, group: str, rv: RouteView) -> dict[str, Any]:
    r = rv.route
    return {
        "name": r.name,
        "call": f"client.{group}.{rv.py_verb}"
        + (f" / .{rv.page_verb}" if rv.page_verb else ""),
        "signature": _md(_signature(rv)),
        "http": f"{r.method} {r.path}",
        "auth": r.auth,
        "max_page": r.max_page_size or (stage.pagination.max_size if r.paged else "—"),
        "max_range": (
            (format_duration(r.max_range) + (" (required)" if r.dates_required else ""))
            if r.max_range
            else "—"
        ),
        "summary": _md(r.summary),
        "source": _md(r.source or ""),
        "example": _example(group, rv),
    }


def _auth_headers(stage: StageApi) -> str:
    pair = stage.auth.token_pair
    if pair is None:
        return f"the `{stage.auth.api_key_header}` header"
    return "the " + " and ".join(f"`{t.header}`" for t in pair.tokens) + " headers"


def readme_context(
    stage: StageApi, spec_file: str, groups: tuple[GroupView, ...], md_header: str
) -> dict[str, Any]:
    """Everything README.md.j2 prints."""
    token = stage.auth.token
    rows = [_row(stage, g.attr, rv) for g in groups for rv in g.routes]
    return {
        "md_header": md_header + " -->",
        "title": _md(stage.info.title),
        "stage": stage.stage.name,
        "stage_description": _md(stage.stage.description),
        "project_dir": f"generated/{stage.package}",
        "package": stage.package,
        "root": stage.info.error_root,
        "base_url": stage.base_url,
        "auth_headers": _auth_headers(stage),
        "client_args": ", ".join(f'{n}="..."' for n in credentials(stage)[0]),
        "token_header": (
            (
                f"{token.header}: {token.scheme} <token>"
                if token.scheme
                else token.header
            )
            if token
            else None
        ),
        "token_path": stage.route(token.route).path if token else None,
        "rate": f"{stage.limits.rate:g}",
        "burst": stage.limits.burst,
        "quota": stage.limits.quota,
        "routes": rows,
        "errors": [
            {
                "code": e.code,
                "status": e.status,
                "class_name": e.class_name,
                "description": _md(e.description),
            }
            for e in stage.errors
        ],
        "gateway": [
            {
                "message": _md(g.message),
                "status": g.status,
                "name": g.name,
                "description": _md(g.description),
            }
            for g in stage.gateway
        ],
    }
