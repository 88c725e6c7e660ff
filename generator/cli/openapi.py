"""``routegen openapi [SPEC] --stage S``: print the OpenAPI 3.1 document of one stage."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..export.openapi import openapi_document
from .common import Exit, load_api, one_spec


def add_parser(sub: Any) -> None:
    """Register ``routegen openapi``."""
    p = sub.add_parser("openapi", help="print the OpenAPI 3.1 document of a stage")
    p.add_argument("spec", nargs="?", help="default: the only REST spec/*.yaml")
    p.add_argument("--stage", required=True)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> Exit:
    """Print the document as JSON (sorted keys, stable)."""
    spec = one_spec("openapi", args.spec, "rest")
    if isinstance(spec, Exit):
        return spec
    api = load_api(spec)
    if isinstance(api, Exit):
        return api
    try:
        stage = api.stage(args.stage)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return Exit.INPUT
    json.dump(openapi_document(stage), sys.stdout, indent=2, sort_keys=True)
    print()
    return Exit.OK
