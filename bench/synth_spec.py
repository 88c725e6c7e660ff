"""Synthetic one-stage specs of N routes, for the generation-scaling benchmark.

The routes, models, filters and errors of ``spec/vendnovation.yaml`` collapsed into one
stage (``since``/``until``/``changes`` dropped), then the routes copied group by group
(``machines``, ``machines2``, …, paths under ``/k2/…``) until there are N. Route
descriptions, examples and sources are dropped so that 10,000 routes fit the 2 MB spec cap.

    python bench/synth_spec.py N OUT.yaml

From Python: ``write_spec(path, routes)``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
_STAGED = ("since", "until", "changes")
# Optional text a copied route does without, so that 10,000 routes fit the 2 MB cap.
_DROPPED = ("description", "example", "source")


def _unstaged(node: Any) -> Any:
    if isinstance(node, dict):
        if "wire_case" in node:  # per-stage map: keep the latest stage's case, for v1
            node = {**node, "wire_case": {"v1": list(node["wire_case"].values())[-1]}}
        return {k: _unstaged(v) for k, v in node.items() if k not in _STAGED}
    if isinstance(node, list):
        return [_unstaged(v) for v in node]
    return node


def synth(routes: int) -> dict[str, Any]:
    """A spec of exactly ``routes`` routes in one stage."""
    base = yaml.safe_load((ROOT / "spec/vendnovation.yaml").read_text(encoding="utf-8"))
    base = _unstaged(base)
    base["stages"] = [{"name": "v1", "description": "The only stage."}]
    templates = [r for r in base["routes"] if not r["name"].startswith("auth.")]
    fixed = [r for r in base["routes"] if r["name"].startswith("auth.")]
    out = list(fixed)
    copy = 1
    while len(out) < routes:
        for route in templates:
            if len(out) >= routes:
                break
            group, action = route["name"].split(".", 1)
            clone = {k: v for k, v in route.items() if k not in _DROPPED}
            if copy > 1:
                clone["name"] = f"{group}{copy}.{action}"
                clone["path"] = f"/k{copy}{route['path']}"
            out.append(clone)
        copy += 1
    base["routes"] = out[:routes]
    return base


def write_spec(path: str | Path, routes: int) -> int:
    """Write a valid one-stage spec of exactly ``routes`` routes to ``path``; its size
    in bytes."""
    text = yaml.safe_dump(synth(routes), sort_keys=False, width=1000, default_flow_style=None)
    data = "routespec: 1\n" + text.replace("routespec: 1\n", "", 1)
    Path(path).write_text(data, "utf-8")
    return len(data.encode("utf-8"))


def main() -> None:
    """Write the spec of ``argv[1]`` routes to ``argv[2]``."""
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    size = write_spec(target, count)
    print(f"{target}: {count} routes, {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
