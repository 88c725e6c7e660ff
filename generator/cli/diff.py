"""``routegen diff [SPEC] OLD NEW``: what changed between two stages, breaking or not.

Exit 0; 1 when ``--fail-on`` matches (``breaking``: any breaking change, ``any``: any
change); 2 for spec errors, unknown stage names, the same stage twice or a wrong
number of positional arguments.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..diff.engine import Change, compare
from ..diff.report import FORMATS, StageRef, render, source_locator
from ..pipeline import load
from ..spec.model import Api, StageApi
from .common import Exit, load_api, one_spec, usage_error


def add_parser(sub: Any) -> None:
    """Register the ``diff`` sub-command on ``sub`` (argparse sub-parsers)."""
    p = sub.add_parser(
        "diff",
        help="list the changes between two stages, each marked breaking or not",
        description="Compare stage OLD with stage NEW of SPEC (default: the only REST spec).",
    )
    p.add_argument("stages", nargs="+", metavar="[SPEC] OLD NEW")
    p.add_argument(
        "--against", metavar="FILE", help="take stage NEW from this spec file"
    )
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument(
        "--fail-on",
        choices=("breaking", "any"),
        help="exit 1 when there is a breaking change (breaking) or any change (any)",
    )
    p.set_defaults(func=run)


def _stage(api: Api, name: str) -> StageApi | None:
    try:
        return api.stage(name)
    except KeyError:
        known = ", ".join(api.stage_names)
        print(
            f"{api.file}: unknown stage {name!r} (known stages: {known})",
            file=sys.stderr,
        )
        return None


def _failed(changes: list[Change], fail_on: str | None) -> bool:
    if fail_on == "breaking":
        return any(c.breaking for c in changes)
    return fail_on == "any" and bool(changes)


def run(args: argparse.Namespace) -> Exit:
    """Load the spec(s), compare the two stages, print the report, pick the exit code."""
    if len(args.stages) not in (2, 3):
        return usage_error("diff", "expected [SPEC] OLD NEW (two or three arguments)")
    given, old_name, new_name = (
        args.stages if len(args.stages) == 3 else (None, *args.stages)
    )
    if args.against is None and old_name == new_name:
        return usage_error("diff", f"OLD and NEW are the same stage ({old_name!r})")
    spec = one_spec("diff", given, "rest")
    if isinstance(spec, Exit):
        return spec
    old_api = load_api(spec)
    if isinstance(old_api, Exit):
        return old_api
    new_api = old_api if args.against is None else load_api(args.against)
    if isinstance(new_api, Exit):
        return new_api
    old, new = _stage(old_api, old_name), _stage(new_api, new_name)
    if old is None or new is None:
        return Exit.INPUT
    changes = compare(old, new)
    old_src, _ = load(spec)
    new_src = old_src if args.against is None else load(args.against)[0]
    refs = StageRef(old_src.file, old_name), StageRef(new_src.file, new_name)
    sys.stdout.write(
        render(args.format, changes, *refs, source_locator(old_src, new_src))
    )
    return Exit.FAILED if _failed(changes, args.fail_on) else Exit.OK
