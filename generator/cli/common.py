"""What every command shares: exit codes, spec discovery and spec loading.

Command modules import this module, never the command table in ``cli/__init__``,
so the CLI has no import cycle.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from enum import IntEnum
from pathlib import Path

from ..pipeline import AnyApi, load, validate, validate_any
from ..spec.errors import SpecError
from ..spec.model import Api
from ..spec.soap import is_soap

# Where specs are found when a command is given none: every ``*.yaml`` directly inside.
SPEC_DIR = Path("spec")


class Exit(IntEnum):
    """Process exit statuses."""

    OK = 0
    FAILED = 1
    INPUT = 2


def usage_error(command: str, message: str) -> Exit:
    """Print an argparse-style usage error; exit status 2."""
    print(f"routegen {command}: error: {message}", file=sys.stderr)
    return Exit.INPUT


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


def load_any(spec: str) -> AnyApi | Exit:
    """A validated spec of either protocol, or ``Exit.INPUT`` after printing the errors."""
    api, errors = validate_any(spec)
    if api is None:
        return report_errors(errors)
    return api


def discover_specs(directory: Path = SPEC_DIR) -> list[str]:
    """Every ``*.yaml`` spec directly inside ``directory``, sorted."""
    return sorted(p.as_posix() for p in directory.glob("*.yaml") if p.is_file())


def all_specs(command: str, spec: str | None) -> list[str] | Exit:
    """``[spec]`` when given, else every discovered spec (a usage error when none)."""
    if spec is not None:
        return [spec]
    found = discover_specs()
    if not found:
        return usage_error(command, f"no SPEC given and no {SPEC_DIR}/*.yaml found")
    return found


def one_spec(command: str, spec: str | None, protocol: str | None = None) -> str | Exit:
    """``spec`` when given, else the only discovered spec (of ``protocol``, when given).

    A usage error names the candidates when there is none or more than one.
    """
    if spec is not None:
        return spec
    found = discover_specs()
    if protocol is not None:
        found = [s for s in found if ("soap" if _declares_soap(s) else "rest") == protocol]
    if len(found) == 1:
        return found[0]
    listed = ", ".join(found) if found else "none"
    kind = f" {protocol}" if protocol else ""
    return usage_error(
        command,
        f"give SPEC: {SPEC_DIR}/*.yaml holds {len(found)}{kind} specs (candidates: {listed})",
    )


def one_soap_spec(command: str, spec: str | None) -> str | Exit:
    """``spec`` when given, else the only discovered spec declaring ``protocol: soap``."""
    return one_spec(command, spec, "soap")


def _declares_soap(spec: str) -> bool:
    src, errors = load(spec)
    return not errors and isinstance(src.data, dict) and is_soap(src.data)


def load_apis(command: str, spec: str | None) -> list[tuple[str, AnyApi]] | Exit:
    """The given spec or every discovered one (either protocol), each validated."""
    specs = all_specs(command, spec)
    if isinstance(specs, Exit):
        return specs
    loaded = [(s, load_any(s)) for s in specs]
    apis = [(s, api) for s, api in loaded if not isinstance(api, Exit)]
    return apis if len(apis) == len(loaded) else Exit.INPUT


def for_each_spec(command: str, spec: str | None, run: Callable[[str], Exit]) -> Exit:
    """Run ``run`` on the given spec or on every discovered one; the worst exit wins."""
    specs = all_specs(command, spec)
    if isinstance(specs, Exit):
        return specs
    results = [run(s) for s in specs]  # every spec reports, even after a failure
    return Exit(max(results))
