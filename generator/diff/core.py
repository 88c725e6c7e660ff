"""The parts every ``routegen diff`` comparison shares: ``Change`` and its constructor.

``mk`` gives a change the verdict and reason of its kind's rule (``rules``);
``engine`` (routes, models, filters, auth) and ``stagewide`` (limits, pagination,
date range, body keys, error object, gateway errors, base URL) build on it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, Protocol

from ..spec.errors import JsonPath
from ..spec.model import format_duration
from .rules import RULES

Side = Literal["old", "new"]
Changes = Iterator["Change"]


@dataclass(frozen=True, slots=True, order=True)
class Change:
    """One difference between two stages."""

    subject: str  # what changed, e.g. "route transactions.list" or "model Site"
    kind: str  # e.g. "route-added", "field-retyped" (every kind: ``KINDS``)
    message: str
    breaking: bool
    reason: str  # why it breaks (or why not) existing callers
    where: JsonPath = ()  # spec location of the new (or removed) element
    side: Side = "new"  # which stage's spec ``where`` points into
    source: str | None = None  # provenance of the change (spec ``source``), if declared


def mk(
    subject: str,
    kind: str,
    message: str,
    where: JsonPath,
    breaking: bool | None = None,
    side: Side = "new",
    case: str = "",
) -> Change:
    """A change with the verdict and reason its kind's rule gives.

    A kind with one rule line ignores ``breaking``; otherwise ``breaking`` and
    ``case`` pick the line (``case`` names a second reason for the same verdict).
    """
    verdicts = RULES[kind]
    key = next(iter(verdicts)) if len(verdicts) == 1 else (bool(breaking), case)
    return Change(subject, kind, message, key[0], verdicts[key], where, side)


def at_change(where: JsonPath, stage: str, key: str) -> JsonPath:
    """Path of ``changes.<stage>.<key>`` under ``where``; a locator falls back to the
    nearest ancestor that exists (the element itself when no such entry exists)."""
    return (*where, "changes", stage, key)


class Located(Protocol):
    """Anything with a spec location."""

    @property
    def where(self) -> JsonPath: ...


def presence(
    kind: str,
    a: Mapping[str, Located],
    b: Mapping[str, Located],
    label: str,
    subject: str | None = None,
) -> Changes:
    """``<kind>-removed`` / ``<kind>-added`` for names in only one side."""
    for name in sorted(a.keys() - b.keys()):
        what, msg = subject or label + name, f"{label}{name} removed"
        yield mk(what, f"{kind}-removed", msg, a[name].where, side="old")
    for name in sorted(b.keys() - a.keys()):
        what, msg = subject or label + name, f"{label}{name} added"
        yield mk(what, f"{kind}-added", msg, b[name].where)


def show(value: object) -> str:
    """A value as messages print it: durations in spec notation, None as ``none``."""
    if isinstance(value, timedelta):
        return format_duration(value)
    return "none" if value is None else str(value)
