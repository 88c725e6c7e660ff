"""Thin command line: parse arguments, call the library, map results to exit codes.

One module per command (``validate``, ``generate``/``check``, ``diff``, ``mock``,
``openapi``, ``import-openapi``, ``wsdl``); ``common`` holds what they share.

Exit codes: 0 success, 1 a requested comparison failed (stale output, ``--fail-on``),
2 bad input (spec errors, unknown stage names, bad arguments).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from .common import Exit

__all__ = ["Exit", "main"]

# The command table: sub-command -> the module that registers and runs it (each imports
# only ``common`` of its siblings). Only the module of the command being run is imported:
# the others pull in lxml, starlette, the OpenAPI importer…, and a warm ``generate`` or
# ``check`` should pay for none of them. Help, a typo or no command register them all.
COMMANDS = {
    "validate": "validate",
    "generate": "generate",
    "check": "generate",
    "diff": "diff",
    "lock": "lock",
    "sources": "sources",
    "mock": "mock",
    "openapi": "openapi",
    "import-openapi": "import_openapi",
    "wsdl": "wsdl",
}


DESCRIPTION = """\
Turn a YAML route spec (spec/*.yaml) into typed Python client packages, one per API
stage, and keep them honest: validate the spec, generate or check the packages, lock
the released stages, diff stages (or a spec against a git revision), serve a mock,
export OpenAPI (REST specs) or WSDL (SOAP specs).
"""

EPILOG = """\
typical loop:
  routegen validate                 check every spec/*.yaml (and its lock)
  routegen generate                 write generated/ (cached: quick when unchanged)
  routegen diff v2.1 rc             what changed between two stages
  routegen diff --against git:origin/main --fail-on breaking
  routegen lock --update            record additions to released stages
  routegen sources                  how much of each stage is documented or proposed
  routegen mock --stage v2.1        a local server that behaves like the vendor
  routegen import-openapi FILE      bootstrap a spec from an OpenAPI 3.0/3.1 document
  routegen wsdl                     the WSDL of the only SOAP spec

exit status: 0 ok, 1 a requested comparison failed (stale output, --fail-on, lock
refused), 2 bad input (spec errors with file:line:col, unknown stages, bad arguments).
"""


def _modules(argv: Sequence[str]) -> list[str]:
    """The command modules to register: the chosen command's, or every one."""
    first = next((a for a in argv if not a.startswith("-")), None)
    chosen = COMMANDS.get(first) if first is not None else None
    return [chosen] if chosen is not None else list(dict.fromkeys(COMMANDS.values()))


def _parser(modules: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="routegen",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(
        dest="command", required=True, title="commands", metavar="COMMAND"
    )
    for name in modules:
        importlib.import_module(f".{name}", __name__).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``routegen`` console script."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(_modules(argv))
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

