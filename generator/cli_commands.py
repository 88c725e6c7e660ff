"""Registry of sub-command modules; each module defines ``add_parser(subparsers)``."""

from __future__ import annotations

import importlib
from typing import Any

# Modules are optional while the tool grows: a missing one simply has no command yet.
_MODULES = ("generator.cli_generate", "generator.cli_diff", "generator.mock.cli")


def modules() -> list[Any]:
    """The importable sub-command modules, in a fixed order."""
    found = []
    for name in _MODULES:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return found
