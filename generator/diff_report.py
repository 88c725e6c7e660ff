"""Render stage changes as text, a markdown changelog section or JSON; and STAGES-<api>.md.

Renderers take the changes ``diff.compare`` found plus the two sides (spec and stage
names) and an optional ``Locator`` that turns a change into ``file:line:col``; the
CLI builds one from the parsed sources, so no renderer reads files itself. Output is
deterministic: changes are sorted, nothing depends on time or the environment.

The JSON shape (``format: 1``, described by ``spec/diff.schema.json``)::

    {"format": 1,
     "old": {"spec": "spec/acme.yaml", "stage": "v2.1"},
     "new": {"spec": "spec/acme.yaml", "stage": "rc"},
     "summary": {"breaking": 7, "total": 15},
     "changes": [{"subject": "auth", "kind": "auth-token-header-changed",
                  "message": "...", "breaking": true, "reason": "...",
                  "location": "spec/acme.yaml:55:11"}, ...]}
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from .diff import Change, compare, sort_key
from .model import Api
from .render import spec_label
from .yamlsource import Source

Locator = Callable[[Change], "str | None"]
FORMATS = ("text", "markdown", "json")
JSON_FORMAT = 1
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


@dataclass(frozen=True, slots=True)
class StageRef:
    """One side of a comparison: the spec file (as displayed) and the stage name."""

    spec: str
    stage: str


def source_locator(old: Source, new: Source | None = None) -> Locator:
    """A locator over parsed specs: removals point into ``old``, the rest into ``new``."""

    def locate(change: Change) -> str | None:
        src = old if change.side == "old" or new is None else new
        line, column = src.where(change.where)
        return f"{src.file}:{line}:{column}"

    return locate


def render(
    fmt: str,
    changes: Sequence[Change],
    old: StageRef,
    new: StageRef,
    locator: Locator | None = None,
) -> str:
    """The changes in ``fmt`` (one of ``FORMATS``)."""
    renderers = {"text": render_text, "markdown": render_markdown, "json": render_json}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    return renderers[fmt](changes, old, new, locator)


def _title(old: StageRef, new: StageRef) -> str:
    if old.spec == new.spec:
        return f"{old.stage} → {new.stage}"
    return f"{old.spec}:{old.stage} → {new.spec}:{new.stage}"


def _summary(changes: Sequence[Change]) -> str:
    breaking = sum(c.breaking for c in changes)
    total = len(changes)
    return f"{total} change{'s' if total != 1 else ''}, {breaking} breaking"


def render_text(
    changes: Sequence[Change],
    old: StageRef,
    new: StageRef,
    locator: Locator | None = None,
) -> str:
    """One line per change, marked ``BREAKING`` or ``ok``, grouped by subject."""
    head = f"{_title(old, new)} ({old.spec if old.spec == new.spec else 'two specs'})"
    lines = [f"{head}: {_summary(changes)}"]
    ordered = sorted(changes, key=sort_key)
    for subject, group in groupby(ordered, key=lambda c: c.subject):
        lines.append(subject)
        for c in group:
            mark = "BREAKING" if c.breaking else "ok"
            where = locator(c) if locator else None
            suffix = f" [{where}]" if where else ""
            lines.append(f"  {mark:<8}  {c.message} ({c.reason}){suffix}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Escape markdown punctuation so type names such as ``List<Site>`` survive."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def _md_item(change: Change, locator: Locator | None) -> str:
    where = locator(change) if locator else None
    suffix = f" (`{where}`)" if where else ""
    return f"- {_md(change.message)} — {_md(change.reason)}{suffix}"


def render_markdown(
    changes: Sequence[Change],
    old: StageRef,
    new: StageRef,
    locator: Locator | None = None,
) -> str:
    """A changelog section: ``## old → new`` with breaking and other changes."""
    lines = [f"## {_md(_title(old, new))}", ""]
    if not changes:
        return "\n".join([*lines, "No changes.", ""])
    ordered = sorted(changes, key=sort_key)
    for title, breaking in (("Breaking changes", True), ("Other changes", False)):
        items = [_md_item(c, locator) for c in ordered if c.breaking is breaking]
        if items:
            lines += [f"### {title}", "", *items, ""]
    return "\n".join(lines)


def report_json(
    changes: Sequence[Change],
    old: StageRef,
    new: StageRef,
    locator: Locator | None = None,
) -> dict[str, Any]:
    """The documented JSON document (``spec/diff.schema.json``) as Python data."""
    ordered = sorted(changes, key=sort_key)
    return {
        "format": JSON_FORMAT,
        "old": {"spec": old.spec, "stage": old.stage},
        "new": {"spec": new.spec, "stage": new.stage},
        "summary": {
            "breaking": sum(c.breaking for c in ordered),
            "total": len(ordered),
        },
        "changes": [
            {
                "subject": c.subject,
                "kind": c.kind,
                "message": c.message,
                "breaking": c.breaking,
                "reason": c.reason,
                "location": locator(c) if locator else None,
            }
            for c in ordered
        ],
    }


def render_json(
    changes: Sequence[Change],
    old: StageRef,
    new: StageRef,
    locator: Locator | None = None,
) -> str:
    """``report_json`` serialised: two-space indent, non-ASCII kept, final newline."""
    document = report_json(changes, old, new, locator)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def stages_report(api: Api, locator: Locator | None = None) -> str:
    """``generated/STAGES-<api>.md``: the changes between every pair of consecutive stages."""
    spec = spec_label(api.file)
    lines = [
        f"<!-- generated by routegen from {spec} — do not edit -->",
        f"# {_md(api.info.title)}: changes between stages",
        "",
        "Each section lists what changed from one stage to the next, breaking changes",
        "first; a breaking change can make code written for the older stage fail.",
        "",
    ]
    for prev, cur in zip(api.resolved, api.resolved[1:], strict=False):
        old, new = StageRef(spec, prev.stage.name), StageRef(spec, cur.stage.name)
        lines.append(render_markdown(compare(prev, cur), old, new, locator))
    return "\n".join(lines).rstrip("\n") + "\n"
