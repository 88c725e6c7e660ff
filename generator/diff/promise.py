"""The promise of a stage declared ``breaking: false``: it may only add to the stage before it.

A semantic check of the spec that needs the diff engine, so it lives here, above
``spec``; ``pipeline.validate`` runs it after the checks of ``spec.checks``.
"""

from __future__ import annotations

from ..spec.build import Problem
from ..spec.model import Api
from .engine import compare


def breaking_in_stable(api: Api) -> list[Problem]:
    """A stage declared ``breaking: false`` may only add to the stage before it."""
    out = []
    for prev, cur in zip(api.resolved, api.resolved[1:], strict=False):
        if cur.stage.breaking:
            continue
        for change in compare(prev, cur):
            if change.breaking:
                msg = f"breaking change in non-breaking stage {cur.stage.name!r}: {change.message}"
                out.append(Problem(change.where, msg, ""))
    return out
