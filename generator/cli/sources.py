"""``routegen sources [SPEC]``: how much of each stage is documented, observed or proposed.

Every route, model (enums included), field (model and filter fields), filter, error
(application codes and gateway errors) and stage change (the ``changes: {<stage>: ...}``
entries that stage introduces) is counted by the kind of its ``source:``: ``doc``,
``observed``, ``platform``, ``proposal``, or ``none`` when the spec gives none (a field
without its own source has its model's or filter's, a change its element's). Exit 0; 2
for spec errors or an unknown ``--stage``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import Any

from ..spec.errors import JsonPath
from ..spec.model import StageApi
from .common import Exit, load_api, one_spec

#: Provenance kinds in report order (``none``: the spec names no source).
KINDS = ("doc", "observed", "platform", "proposal", "none")
#: Element kinds in report order.
ELEMENTS = ("routes", "models", "fields", "filters", "errors", "changes")


def provenance(source: str | None) -> str:
    """The kind of a ``source`` value: ``doc: Get Transactions`` -> ``doc``."""
    if not source:
        return "none"
    kind = source.split(":", 1)[0].strip()
    return kind if kind in KINDS else "none"


def stage_sources(stage: StageApi) -> dict[str, dict[str, int]]:
    """For each element kind, how many elements of the stage have each provenance."""
    sources: dict[str, list[str | None]] = {
        "routes": [r.source for r in stage.routes],
        "models": [m.source for m in stage.models] + [e.source for e in stage.enums],
        "fields": [f.source for m in stage.models for f in m.fields]
        + [f.source for flt in stage.filters for f in flt.fields],
        "filters": [f.source for f in stage.filters],
        "errors": [e.source for e in stage.errors] + [g.source for g in stage.gateway],
        "changes": [stage.source_at(path) for path in _stage_changes(stage)],
    }
    out: dict[str, dict[str, int]] = {}
    for element in ELEMENTS:
        counts = Counter(provenance(s) for s in sources[element])
        out[element] = {kind: counts.get(kind, 0) for kind in KINDS}
    return out


def _stage_changes(stage: StageApi) -> list[JsonPath]:
    """Paths of the ``changes.<stage>`` entries this stage introduces."""
    located = [(r.where, r.origins) for r in stage.routes]
    located += [(f.where, f.origins) for m in stage.models for f in m.fields]
    located += [(f.where, f.origins) for flt in stage.filters for f in flt.fields]
    heads: set[JsonPath] = set()
    for where, origins in located:
        for _, path in origins:
            head = path[: len(where) + 2]
            if head[len(where) :] == ("changes", stage.stage.name):
                heads.add(head)
    return sorted(heads, key=str)


def render_text(spec: str, report: dict[str, dict[str, dict[str, int]]]) -> str:
    """One table: a row per stage and element kind, a column per provenance."""
    head = ["stage", "element", *KINDS, "total"]
    rows = [head]
    for stage, elements in report.items():
        for element, counts in elements.items():
            total = sum(counts.values())
            rows.append([stage, element, *(str(counts[k]) for k in KINDS), str(total)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [f"{spec}: provenance of each element per stage"]
    for row in rows:
        cells = [
            cell.ljust(w) if i < 2 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def add_parser(sub: Any) -> None:
    """Register the ``sources`` sub-command on ``sub`` (argparse sub-parsers)."""
    p = sub.add_parser(
        "sources",
        help="count the elements of each stage by provenance (doc, observed, proposal)",
        description="Summarise the source: of SPEC per stage.",
    )
    p.add_argument("spec", nargs="?", help="default: the only spec/*.yaml")
    p.add_argument("--stage", help="only this stage")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> Exit:
    """Load the spec, count provenance per stage, print the report."""
    spec = one_spec("sources", args.spec)
    if isinstance(spec, Exit):
        return spec
    args.spec = spec
    api = load_api(spec)
    if isinstance(api, Exit):
        return api
    stages = api.resolved
    if args.stage is not None:
        stages = tuple(s for s in api.resolved if s.stage.name == args.stage)
        if not stages:
            known = ", ".join(api.stage_names)
            print(
                f"{api.file}: unknown stage {args.stage!r} (known stages: {known})",
                file=sys.stderr,
            )
            return Exit.INPUT
    report = {s.stage.name: stage_sources(s) for s in stages}
    if args.format == "json":
        document = {"spec": args.spec, "kinds": list(KINDS), "stages": report}
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        sys.stdout.write(render_text(args.spec, report))
    return Exit.OK
