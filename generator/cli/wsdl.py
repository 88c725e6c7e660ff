"""``routegen wsdl [SPEC] --stage S``: print the WSDL of one stage of a SOAP spec."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..export.wsdl import stage_wsdl
from ..spec.soap import SoapApi
from .common import Exit, load_any, one_soap_spec


def add_parser(sub: Any) -> None:
    """Register ``routegen wsdl``."""
    p = sub.add_parser("wsdl", help="print the WSDL of a stage of a SOAP spec")
    p.add_argument("spec", nargs="?", help="default: the only SOAP spec/*.yaml")
    p.add_argument("--stage", required=True)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> Exit:
    """Print the document (stable bytes for the same spec)."""
    spec = one_soap_spec("wsdl", args.spec)
    if isinstance(spec, Exit):
        return spec
    api = load_any(spec)
    if isinstance(api, Exit):
        return api
    if not isinstance(api, SoapApi):
        print(f"error: {spec} is not a soap spec (use routegen openapi)", file=sys.stderr)
        return Exit.INPUT
    try:
        sys.stdout.write(stage_wsdl(api, args.stage))
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return Exit.INPUT
    return Exit.OK
