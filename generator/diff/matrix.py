"""The evolution at a glance: element × stage matrices that open ``STAGES.md``.

One table each for routes, models (with enums) and filters. A row is an element by
name, a column a stage; a cell says what that stage did to the element compared with
the stage before: ``added``, ``changed``, ``moved`` (a route renamed or given a new
method or path), ``removed``, ``renamed → x`` (on the old name's row), ``✓`` (present,
unchanged) or ``·`` (absent). Changed and moved cells list the change kinds (the
``routegen diff`` kinds without the element prefix); ``!`` marks a breaking kind. The
cells come from ``compare`` of consecutive stages, so the matrix and the sections
below it never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise

from ..spec.model import StageApi
from .engine import Change, compare

_MOVES = frozenset({"route-renamed", "route-method-changed", "route-path-changed"})
Names = Callable[[StageApi], Iterable[str]]

# (table title, subject prefixes, names present in a stage)
TABLES: tuple[tuple[str, tuple[str, ...], Names], ...] = (
    ("Routes", ("route",), lambda s: (r.name for r in s.routes)),
    (
        "Models and enums",
        ("model", "enum"),
        lambda s: [m.name for m in s.models] + [f"{e.name} (enum)" for e in s.enums],
    ),
    ("Filters", ("filter",), lambda s: (f.name for f in s.filters)),
)


def matrices(stages: Sequence[StageApi], md: Callable[[str], str]) -> list[str]:
    """Markdown lines: the legend and the three tables (``md`` escapes markdown)."""
    steps = [compare(a, b) for a, b in pairwise(stages)]
    lines = [
        "## The stages at a glance",
        "",
        "Each cell compares a stage with the one before it: `✓` present and unchanged,",
        "`·` absent, `added`, `changed`, `moved` (route renamed, new method or path),",
        "`removed`, `renamed → x`; changed cells list the change kinds, `!` marks a",
        "breaking one. The sections below give every change in full.",
        "",
    ]
    for title, prefixes, names in TABLES:
        lines += _table(title, prefixes, names, stages, steps, md)
    return lines


def _table(
    title: str,
    prefixes: tuple[str, ...],
    names: Names,
    stages: Sequence[StageApi],
    steps: list[list[Change]],
    md: Callable[[str], str],
) -> list[str]:
    present = [set(names(s)) for s in stages]
    rows = sorted(set().union(*present)) if present else []
    if not rows:
        return []
    head = "| " + " | ".join(
        [title.split()[0].rstrip("s").lower(), *(s.stage.name for s in stages)]
    )
    lines = [f"### {title}", "", head + " |", "|---" * (len(stages) + 1) + "|"]
    for row in rows:
        cells = [_cell(row, i, present, stages, steps, prefixes) for i in range(len(stages))]
        lines.append(f"| {md(row)} | " + " | ".join(md(c) for c in cells) + " |")
    return [*lines, ""]


def _cell(
    row: str,
    i: int,
    present: list[set[str]],
    stages: Sequence[StageApi],
    steps: list[list[Change]],
    prefixes: tuple[str, ...],
) -> str:
    now = row in present[i]
    if i == 0:
        return "✓" if now else "·"
    before = row in present[i - 1]
    name = row.removesuffix(" (enum)")
    mine = [c for c in steps[i - 1] if c.subject in {f"{p} {name}" for p in prefixes}]
    if not now:
        if not before:
            return "·"
        to = next((r.name for r in stages[i].routes if r.renamed_from == row), None)
        renamed = to is not None and any(
            c.kind == "route-renamed" and c.subject == f"route {to}" for c in steps[i - 1]
        )
        return f"renamed → {to}" if renamed else "removed"
    if not before:
        return _kinds("moved", mine) if any(c.kind in _MOVES for c in mine) else "added"
    if not mine:
        return "✓"
    return _kinds("moved" if any(c.kind in _MOVES for c in mine) else "changed", mine)


def _kinds(label: str, changes: list[Change]) -> str:
    """``changed: error-added, path-changed!`` (each kind once, ``!`` when breaking)."""
    verdicts: dict[str, bool] = {}
    for c in changes:
        # "route-path-changed" reads "path-changed" in a route's row; a route filter's
        # kinds keep their prefix ("route-filter-added" is not the filter's own).
        own = c.kind.startswith(("route-", "model-", "enum-", "filter-"))
        short = c.kind.split("-", 1)[1] if own and not c.kind.startswith("route-filter") else c.kind
        verdicts[short] = verdicts.get(short, False) or c.breaking
    return f"{label}: " + ", ".join(k + "!" * b for k, b in sorted(verdicts.items()))
