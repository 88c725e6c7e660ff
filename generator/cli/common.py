"""What every command shares: exit codes, spec discovery and spec loading.

Command modules import this module, never the command table in ``cli/__init__``,
so the CLI has no import cycle.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from enum import IntEnum
from pathlib import Path

from ..pipeline import AnyApi, load, validate, validate_any
from ..spec.errors import SpecError
from ..spec.model import Api
from ..spec.soap import is_soap
from . import cache

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


# Errors printed before "... and K more"; ROUTEGEN_MAX_ERRORS overrides (0: print all).
DEFAULT_MAX_ERRORS = 200


def max_errors() -> int | None:
    """How many errors to print: ``ROUTEGEN_MAX_ERRORS`` or the default; None for all."""
    raw = os.environ.get("ROUTEGEN_MAX_ERRORS", "").strip()
    limit = int(raw) if raw.isdigit() else DEFAULT_MAX_ERRORS
    return limit or None


def report_errors(errors: Sequence[SpecError]) -> Exit:
    """Print the first spec errors and notes (all, when few) to stderr, then the count."""
    limit = max_errors()
    shown = errors if limit is None else errors[:limit]
    sys.stderr.write("".join(error.format() + "\n" for error in shown))
    if len(shown) < len(errors):
        more = len(errors) - len(shown)
        print(
            f"... and {more:,} more (set ROUTEGEN_MAX_ERRORS=0 to print all)",
            file=sys.stderr,
        )
    count = sum(e.is_error for e in errors)
    print(f"{count} error{'s' if count != 1 else ''}", file=sys.stderr)
    return Exit.INPUT


def load_entry(spec: str, notes: list[SpecError] | None = None) -> cache.Entry | Exit:
    """The validated spec (from the cache when unchanged), or ``Exit.INPUT`` after
    printing the errors.

    Notes (additions to a released stage not yet in its lock) are printed too, and
    appended to ``notes`` when given, so ``check`` can fail on them.
    """
    spec_key = cache.key(spec)
    entry = cache.read(spec_key)
    if entry is None:
        api, errors = validate_any(spec)
        if api is None:
            return report_errors(errors)
        entry = cache.Entry.of(api, tuple(errors))
        cache.write(spec_key, entry)
    for note in entry.notes:
        print(note.format(), file=sys.stderr)
    if notes is not None:
        notes.extend(entry.notes)
    return entry


def load_api(spec: str, notes: list[SpecError] | None = None) -> Api | Exit:
    """A validated REST ``Api``, or ``Exit.INPUT`` after printing the errors (see
    ``load_entry``); a SOAP spec is an error here."""
    entry = load_entry(spec, notes)
    if isinstance(entry, Exit):
        return entry
    api = entry.api()
    if isinstance(api, Api):
        return api
    return report_errors(validate(spec)[1])  # names the spec's protocol line


def load_any(spec: str, notes: list[SpecError] | None = None) -> AnyApi | Exit:
    """A validated spec of either protocol, or ``Exit.INPUT`` after printing the errors."""
    entry = load_entry(spec, notes)
    return entry if isinstance(entry, Exit) else entry.api()


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


def load_apis(
    command: str, spec: str | None, notes: list[SpecError] | None = None
) -> list[tuple[str, AnyApi]] | Exit:
    """The given spec or every discovered one (either protocol), each validated; errors
    of all are printed."""
    specs = all_specs(command, spec)
    if isinstance(specs, Exit):
        return specs
    loaded = [(s, load_any(s, notes)) for s in specs]
    apis = [(s, api) for s, api in loaded if not isinstance(api, Exit)]
    return apis if len(apis) == len(loaded) else Exit.INPUT


def for_each_spec(command: str, spec: str | None, run: Callable[[str], Exit]) -> Exit:
    """Run ``run`` on the given spec or on every discovered one; the worst exit wins."""
    specs = all_specs(command, spec)
    if isinstance(specs, Exit):
        return specs
    results = [run(s) for s in specs]  # every spec reports, even after a failure
    return Exit(max(results))
