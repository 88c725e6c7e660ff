"""The lock of released stages: what a released stage offers may not change by accident.

``routegen lock`` writes ``<spec>.lock.json`` next to the spec. It holds, for every
released stage (every stage not marked ``prerelease``), a readable ``surface`` (routes,
their parameters, models, fields with wire names and types, filters, errors) for review,
and the spec ``source`` it was taken from. Checking rebuilds the locked stages from that
source and compares them with the current ones through the diff engine (``compare``),
so the lock knows every kind of change ``routegen diff`` knows, with the same verdicts:
a breaking change to a released stage is an error, an addition a note asking for
``routegen lock --update``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..spec.build import build_api
from ..spec.errors import JsonPath
from ..spec.model import Api, DataRef, Model, Route, StageApi, format_duration
from .engine import compare

LOCK_FORMAT = 1


def lock_path(spec: str | Path) -> Path:
    """``spec/acme.yaml`` -> ``spec/acme.lock.json``."""
    return Path(spec).with_suffix(".lock.json")


def released(api: Api) -> list[StageApi]:
    """The stages a lock guards: every stage not marked ``prerelease``."""
    return [s for s in api.resolved if not s.stage.prerelease]


@dataclass(frozen=True, slots=True)
class LockFinding:
    """One difference between a released stage and its lock."""

    where: JsonPath  # into the current spec (nearest existing element)
    message: str
    breaking: bool


# ---------------------------------------------------------------- writing


def lock_text(api: Api, source: Mapping[str, Any]) -> str:
    """The lock document of ``api`` (built from ``source``): sorted, stable JSON."""
    doc = {
        "lock": LOCK_FORMAT,
        "note": "written by `routegen lock`; do not edit (see README, Evolving a spec)",
        "released": [s.stage.name for s in released(api)],
        "surface": {s.stage.name: surface(s) for s in released(api)},
        "source": source,
    }
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def surface(stage: StageApi) -> dict[str, Any]:
    """What callers of ``stage`` can name: routes, models, enums, filters, errors."""
    return {
        "routes": {r.name: _route(r) for r in stage.routes},
        "models": {m.name: _model(m) for m in stage.models},
        "enums": {e.name: list(e.values) for e in stage.enums},
        "filters": {
            f.name: {x.name: f"{x.wire}: {x.type}" for x in f.fields}
            for f in stage.filters
        },
        "errors": {e.code: e.status for e in stage.errors},
    }


def _route(r: Route) -> dict[str, Any]:
    out: dict[str, Any] = {
        "call": f"{r.method} {r.path}",
        "auth": r.auth,
        "request_filter": [f.wire for f in r.request_filter],
        "body": _ref(r.body),
        "response": _ref(r.response),
        "status": r.status,
        "paged": r.paged,
        "errors": list(r.errors),
    }
    if r.route_filter is not None:
        out["route_filter"] = {
            r.route_filter.filter: [f.wire for f in r.route_filter.fields]
        }
    if r.max_page_size is not None:
        out["max_page_size"] = r.max_page_size
    if r.max_range is not None:
        out["max_range"] = format_duration(r.max_range)
    return out


def _ref(ref: DataRef | None) -> str | None:
    return None if ref is None else str(ref)


def _model(m: Model) -> dict[str, str]:
    """``wire name -> "type [read-only] [secret] (python: name)"``."""
    out = {}
    for f in m.fields:
        flags = [str(f.type)]
        flags += ["read-only"] * f.read_only + ["secret"] * f.secret
        out[f.name] = " ".join(flags) + f" (python: {f.py_name})"
    return out


# ---------------------------------------------------------------- checking


def read_lock(text: str) -> tuple[Mapping[str, Any] | None, str | None]:
    """The lock's source data, or an error message saying why it cannot be used."""
    fix = "rewrite it with `routegen lock --update`"
    try:
        doc = json.loads(text)
    except ValueError as exc:
        return None, f"lock file is not valid JSON ({exc}); {fix}"
    if not isinstance(doc, dict) or doc.get("lock") != LOCK_FORMAT:
        return None, f"lock file has an unknown format; {fix}"
    source = doc.get("source")
    if not isinstance(source, dict):
        return None, f"lock file has no source; {fix}"
    return source, None


def check_lock(api: Api, locked_source: Mapping[str, Any]) -> list[LockFinding]:
    """Every difference of ``api``'s released stages from the locked ones, merged per place."""
    locked_api, _ = build_api(locked_source, "lock")
    current = {s.stage.name: s for s in api.resolved}
    found: dict[tuple[JsonPath, str], tuple[bool, list[str]]] = {}
    for old in released(locked_api):
        name = old.stage.name
        new = current.get(name)
        if new is None:
            found[(("stages",), f"released stage {name!r} removed")] = (True, [])
            continue
        for change in compare(old, new):
            breaking, stages = found.get((change.where, change.message), (False, []))
            found[(change.where, change.message)] = (
                breaking or change.breaking,
                [*stages, name],
            )
    locked_names = {s.stage.name for s in released(locked_api)}
    for stage in released(api):
        if stage.stage.name not in locked_names:
            where: JsonPath = ("stages", stage.stage.index)
            found[(where, f"stage {stage.stage.name!r} released")] = (False, [])
    # Changes of several stages at one place merge into one finding; any break wins.
    return [
        _finding(where, msg, breaking, stages, api.stage_names)
        for (where, msg), (breaking, stages) in sorted(
            found.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])
        )
    ]


def _finding(
    where: JsonPath, msg: str, breaking: bool, stages: list[str], order: Sequence[str]
) -> LockFinding:
    scope = f" in released stage{'s' if len(stages) > 1 else ''} {', '.join(stages)}"
    scope = scope if stages else ""
    if not breaking:
        text = f"{msg}{scope}, not in the lock: record it with `routegen lock --update`"
        return LockFinding(where, text, False)
    return LockFinding(where, f"{msg}{scope} breaks the lock: {_advice(stages, order)}", True)


def _advice(stages: list[str], order: Sequence[str]) -> str:
    """How to make the change without rewriting a released stage."""
    last = max((order.index(s) for s in stages if s in order), default=len(order))
    nxt = order[last + 1] if last + 1 < len(order) else "<new stage>"
    return (
        "a released stage cannot change in place; keep the old element with "
        f"`until: {nxt}` and declare the new one with `since: {nxt}` (plus "
        f"`renamed_from:` for a rename), or use `changes: {{{nxt}: ...}}`, so the "
        f"change starts in {'a new stage' if nxt.startswith('<') else repr(nxt)}"
    )
