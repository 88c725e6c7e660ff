"""``routegen validate [SPEC]``: check specs against the schema and semantic rules."""

from __future__ import annotations

import argparse
from typing import Any

from ..spec.soap import SoapApi
from .common import Exit, for_each_spec, load_any


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
    api = load_any(spec)
    if isinstance(api, Exit):
        return api
    if isinstance(api, SoapApi):
        print(f"ok: soap, {len(api.stages)} stages, {len(api.operations)} operations")
        return Exit.OK
    routes = sum(len(s.routes) for s in api.resolved)
    print(f"ok: {len(api.stages)} stages, {routes} routes")
    return Exit.OK
