"""``routegen lock [SPEC] [--update]``: record the surface of every released stage.

The lock (``<spec>.lock.json``, committed) is what ``validate``, ``generate`` and
``check`` compare released stages with (``diff.lock``). Writing a first lock, or
rewriting one whose stages are unchanged, needs no flag; recording additions needs
``--update``; recording a breaking change to a released stage needs
``--update --accept-breaking`` too (a deliberate act a reviewer sees in the lock's diff).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..diff.lock import lock_path, lock_text, released
from ..pipeline import display_name, load, lock_findings, validate_any
from ..spec.soap import SoapApi
from .common import Exit, for_each_spec, report_errors


def add_parser(sub: Any) -> None:
    """Register the ``lock`` sub-command."""
    p = sub.add_parser(
        "lock",
        help="record the released stages' surface in <spec>.lock.json",
        description=__doc__.split("\n\n")[1].replace("``", "`"),
    )
    p.add_argument("spec", nargs="?", help="default: every spec/*.yaml")
    p.add_argument(
        "--update", action="store_true", help="record additions to released stages"
    )
    p.add_argument(
        "--accept-breaking",
        action="store_true",
        help="with --update: also record breaking changes to released stages",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> Exit:
    """Write or refresh the lock of the given spec, or of every discovered one."""
    return for_each_spec("lock", args.spec, lambda spec: _lock(spec, args))


def _lock(spec: str, args: argparse.Namespace) -> Exit:
    api, errors = validate_any(spec, locked=False)
    if api is None:
        return report_errors(errors)
    if isinstance(api, SoapApi):  # one WSDL contract: no stage surface to record
        print(f"{display_name(Path(spec))}: a soap spec has no lock (nothing written)")
        return Exit.OK
    src, _ = load(spec)
    target = lock_path(spec)
    findings = lock_findings(Path(spec), src, api) if target.exists() else []
    refused = _refusal(findings, args)
    if refused:
        for finding in findings:
            print(finding.format())
        print(f"{display_name(target)} not written: {refused}")
        return Exit.FAILED
    text = lock_text(api, src.data)
    old = target.read_text(encoding="utf-8") if target.exists() else None
    if old != text:
        target.write_text(text, encoding="utf-8")
    names = ", ".join(s.stage.name for s in released(api)) or "none"
    state = "unchanged" if old == text else ("written" if old is None else "updated")
    print(f"{display_name(target)} {state}: released stages {names}")
    return Exit.OK


def _refusal(findings: list[Any], args: argparse.Namespace) -> str | None:
    """Why the lock must not be rewritten with these flags, or None."""
    if any(f.is_error for f in findings) and not args.accept_breaking:
        return (
            "released stages changed in a breaking way (fix the spec, or pass "
            "--update --accept-breaking to record the break on purpose)"
        )
    if findings and not args.update:
        return "released stages changed; pass --update to record the changes"
    return None
