"""``routegen diff [SPEC] OLD NEW``: what changed between two stages, breaking or not.

``--against FILE`` takes stage NEW from another spec file. ``--against git:REV`` takes
the baseline from the spec as committed at REV (read with ``git show``, no checkout)
and compares it with the working spec: ``[SPEC] [STAGE | OLD NEW]``, every stage both
have when none is named (the CI recipe: ``routegen diff --against git:origin/main
--format markdown --fail-on breaking``).

Exit 0; 1 when ``--fail-on`` matches (``breaking``: any breaking change, ``any``: any
change); 2 for spec errors, unknown stage names, the same stage twice, a bad git
revision or wrong positional arguments.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diff.engine import Change, compare
from ..diff.report import FORMATS, StageRef, render, report_json, source_locator
from ..pipeline import display_name, load, validate_source
from ..spec.model import Api
from ..spec.yamlsource import Source, parse_text
from .common import Exit, load_api, one_spec, report_errors, usage_error

GIT = "git:"


def add_parser(sub: Any) -> None:
    """Register the ``diff`` sub-command on ``sub`` (argparse sub-parsers)."""
    p = sub.add_parser(
        "diff",
        help="list the changes between two stages, each marked breaking or not",
        description=__doc__.split("\n\n")[1].replace("``", "`")
        + " SPEC defaults to the only REST spec.",
    )
    p.add_argument("stages", nargs="*", metavar="[SPEC] OLD NEW")
    p.add_argument(
        "--against",
        metavar="FILE|git:REV",
        help="FILE: take stage NEW from this spec; git:REV: compare the spec at REV "
        "(old) with the working spec (new)",
    )
    p.add_argument("--format", choices=FORMATS, default="text", help="default: text")
    p.add_argument(
        "--fail-on",
        choices=("breaking", "any"),
        help="exit 1 when there is a breaking change (breaking) or any change (any)",
    )
    p.set_defaults(func=run)


@dataclass(frozen=True, slots=True)
class Side:
    """One spec of a comparison: parsed source and validated API."""

    src: Source
    api: Api


def _is_spec(arg: str) -> bool:
    return arg.endswith((".yaml", ".yml")) or Path(arg).is_file()


def _positionals(args: argparse.Namespace) -> tuple[str | None, list[str]] | Exit:
    """``(spec, stage names)``; a stray or missing argument is a usage error."""
    given = list(args.stages)
    spec = given.pop(0) if given and _is_spec(given[0]) else None
    allowed = (0, 1, 2) if (args.against or "").startswith(GIT) else (2,)
    if len(given) > max(allowed):
        stray = ", ".join(map(repr, given[max(allowed) :]))
        form = "[SPEC] [STAGE | OLD NEW]" if len(allowed) > 1 else "[SPEC] OLD NEW"
        hint = "" if spec or not given else f" ({given[0]!r} is not a spec file)"
        return usage_error("diff", f"unexpected argument {stray}: expected {form}{hint}")
    if len(given) not in allowed:
        return usage_error("diff", "expected [SPEC] OLD NEW (two stage names)")
    if args.against is None and given[0] == given[1]:
        return usage_error("diff", f"OLD and NEW are the same stage ({given[0]!r})")
    return spec, given


def _side(spec: str) -> Side | Exit:
    api = load_api(spec)
    return api if isinstance(api, Exit) else Side(load(spec)[0], api)


def _git_side(rev: str, spec: str) -> Side | Exit:
    """The spec as committed at ``rev``, read with ``git show`` (the work tree is untouched)."""
    path = Path(spec)
    try:
        proc = subprocess.run(
            ["git", "show", f"{rev}:./{path.name}"],
            cwd=path.parent,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        return usage_error("diff", f"cannot run git: {exc.strerror or exc}")
    if proc.returncode != 0:
        why = proc.stderr.decode(errors="replace").strip().splitlines()
        return usage_error(
            "diff", f"cannot read {spec} at {rev}: {why[-1] if why else 'git failed'}"
        )
    src, errors = parse_text(
        proc.stdout.decode("utf-8-sig", errors="replace"), f"{rev}:{display_name(path)}"
    )
    api, more = (None, errors) if errors else validate_source(src)
    return report_errors(more) if api is None else Side(src, api)


def _pairs(old: Api, new: Api, names: list[str]) -> list[tuple[str, str]] | Exit:
    """The stage pairs to compare; unknown names are an error listing the known ones."""
    if not names:
        return [(n, n) for n in old.stage_names if n in new.stage_names]
    first, second = (names[0], names[-1])
    for api, name in ((old, first), (new, second)):
        if name not in api.stage_names:
            known = ", ".join(api.stage_names)
            print(f"{api.file}: unknown stage {name!r} (known stages: {known})", file=sys.stderr)
            return Exit.INPUT
    return [(first, second)]


def _sides(args: argparse.Namespace, spec: str) -> tuple[Side, Side] | Exit:
    against: str | None = args.against
    if against is not None and against.startswith(GIT):
        old, new = _git_side(against[len(GIT) :], spec), _side(spec)
    else:
        old = _side(spec)
        new = old if against is None or isinstance(old, Exit) else _side(against)
    if isinstance(old, Exit) or isinstance(new, Exit):
        return Exit.INPUT
    return old, new


def run(args: argparse.Namespace) -> Exit:
    """Load the spec(s), compare the stages, print the report, pick the exit code."""
    parsed = _positionals(args)
    if isinstance(parsed, Exit):
        return parsed
    given, names = parsed
    spec = one_spec("diff", given, "rest")
    if isinstance(spec, Exit):
        return spec
    sides = _sides(args, spec)
    if isinstance(sides, Exit):
        return sides
    old, new = sides
    pairs = _pairs(old.api, new.api, names)
    if isinstance(pairs, Exit):
        return pairs
    results = [
        (
            compare(old.api.stage(a), new.api.stage(b)),
            StageRef(old.src.file, a),
            StageRef(new.src.file, b),
        )
        for a, b in pairs
    ]
    removed = [n for n in old.api.stage_names if n not in new.api.stage_names] if not names else []
    sys.stdout.write(_render(args.format, results, removed, source_locator(old.src, new.src)))
    changes = [c for found, _, _ in results for c in found]
    return Exit.FAILED if _failed(changes, bool(removed), args.fail_on) else Exit.OK


Result = tuple[list[Change], StageRef, StageRef]


def _render(fmt: str, results: list[Result], removed: list[str], locator: Any) -> str:
    """One report per stage pair; several in JSON are a list of documents."""
    if fmt == "json" and len(results) != 1:
        docs = [report_json(c, a, b, locator) for c, a, b in results]
        return json.dumps(docs, indent=2, ensure_ascii=False) + "\n"
    parts = [render(fmt, c, a, b, locator) for c, a, b in results]
    mark = "### " if fmt == "markdown" else ""
    parts += [f"{mark}BREAKING: stage {name} removed\n" for name in removed]
    return "\n".join(parts)


def _failed(changes: list[Change], removed: bool, fail_on: str | None) -> bool:
    if fail_on == "breaking":
        return removed or any(c.breaking for c in changes)
    return fail_on == "any" and (removed or bool(changes))
