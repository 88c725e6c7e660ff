"""Thin command line: parse arguments, call the library, map results to exit codes.

One module per command (``validate``, ``generate``/``check``, ``diff``, ``mock``,
``openapi``, ``wsdl``); ``common`` holds what they share.

Exit codes: 0 success, 1 a requested comparison failed (stale output, ``--fail-on``),
2 bad input (spec errors, unknown stage names, bad arguments).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import diff, generate, mock, openapi, validate, wsdl
from .common import Exit

__all__ = ["Exit", "main"]

# The command table: each module registers its sub-commands and imports only ``common``.
COMMANDS = (validate, generate, diff, mock, openapi, wsdl)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="routegen", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
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

