"""``routegen validate [SPEC]``: check specs against the schema and semantic rules."""

from __future__ import annotations

import argparse
from typing import Any

from .common import Exit, for_each_spec, load_entry


def add_parser(sub: Any) -> None:
    """Register the ``validate`` sub-command."""
    p = sub.add_parser(
        "validate", help="check a spec against the schema and semantic rules"
    )
    p.add_argument("spec", nargs="?", help="default: every spec/*.yaml")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> Exit:
    """Validate the given spec, or every discovered one."""
    return for_each_spec("validate", args.spec, _validate)


def _validate(spec: str) -> Exit:
    entry = load_entry(spec)
    if isinstance(entry, Exit):
        return entry
    summary = entry.summary
    if summary.protocol == "soap":
        print(f"ok: soap, {len(summary.stage_names)} stages, {summary.routes} operations")
        return Exit.OK
    print(f"ok: {len(summary.stage_names)} stages, {summary.routes} routes")
    return Exit.OK
