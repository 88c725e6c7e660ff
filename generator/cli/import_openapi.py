"""``routegen import-openapi FILE``: bootstrap a rest-style spec from an OpenAPI 3.x document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from ..importer.openapi import OpenApiImportError, import_document, render
from .common import Exit

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Register ``routegen import-openapi``."""
    p = sub.add_parser(
        "import-openapi", help="bootstrap a spec from an OpenAPI 3.x document"
    )
    p.add_argument("file")
    p.add_argument("--name", help="API name (default: from the title)")
    p.add_argument("--stage", help="stage name (default: from the title, else v1)")
    p.add_argument("--out", help="write the spec here instead of stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> Exit:
    """Read FILE (JSON or YAML), print or write the spec; exit 2 on unreadable input."""
    try:
        data = yaml.safe_load(Path(args.file).read_text("utf-8"))
        if not isinstance(data, dict):
            raise OpenApiImportError("the document is not a mapping")
        spec, notes = import_document(data, args.name, args.stage)
    except (OSError, yaml.YAMLError, OpenApiImportError) as exc:
        print(f"{args.file}: error: {exc}", file=sys.stderr)
        return Exit.INPUT
    text = render(spec, notes, args.file)
    if args.out:
        Path(args.out).write_text(text, "utf-8")
    else:
        sys.stdout.write(text)
    return Exit.OK
