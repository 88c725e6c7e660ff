"""Thin command line: parse arguments, call the library, map results to exit codes.

Exit codes: 0 success, 1 a requested comparison failed (stale output, ``--fail-on``),
2 bad input (spec errors, unknown stage names, bad arguments).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from enum import IntEnum

from .errors import SpecError
from .load import validate
from .model import Api

DEFAULT_SPEC = "spec/vendnovation.yaml"


class Exit(IntEnum):
    """Process exit statuses."""

    OK = 0
    FAILED = 1
    INPUT = 2


def report_errors(errors: Sequence[SpecError]) -> Exit:
    """Print every spec error to stderr; exit status 2."""
    for error in errors:
        print(error.format(), file=sys.stderr)
    print(f"{len(errors)} error{'s' if len(errors) != 1 else ''}", file=sys.stderr)
    return Exit.INPUT


def load_api(spec: str) -> Api | Exit:
    """A validated ``Api``, or ``Exit.INPUT`` after printing the errors."""
    api, errors = validate(spec)
    if api is None:
        return report_errors(errors)
    return api


def _validate(args: argparse.Namespace) -> Exit:
    api = load_api(args.spec)
    if isinstance(api, Exit):
        return api
    routes = sum(len(s.routes) for s in api.resolved)
    print(f"ok: {len(api.stages)} stages, {routes} routes")
    return Exit.OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="routegen", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser(
        "validate", help="check a spec against the schema and semantic rules"
    )
    p.add_argument("spec", nargs="?", default=DEFAULT_SPEC)
    p.set_defaults(func=_validate)
    # Imported here: those modules import this one for Exit and load_api.
    from . import cli_diff, cli_generate, import_openapi, openapi
    from .mock import cli as mock_cli

    for module in (cli_generate, cli_diff, mock_cli, openapi, import_openapi):
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``routegen`` console script."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `routegen check | head`: the reader left. Silence the flush at exit too
        # (the recipe of the Python docs) instead of printing a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
