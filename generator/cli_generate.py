"""``routegen generate`` and ``routegen check``: write the packages, or prove they are fresh."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from .cli import DEFAULT_SPEC, Exit, load_api
from .formatting import FormatError, Formatter
from .generate import build_tree, compare_tree, default_cache, package_roots, write_tree
from .model import Api
from .naming import package_prefix


def add_parser(sub: Any) -> None:
    """Register the ``generate`` and ``check`` sub-commands."""
    gen = sub.add_parser("generate", help="write one client package per stage")
    gen.add_argument("spec", nargs="?", default=DEFAULT_SPEC)
    gen.add_argument(
        "--out", default="generated", help="output directory (default: generated)"
    )
    gen.add_argument("--stage", action="append", help="only this stage (repeatable)")
    gen.set_defaults(func=run_generate)
    chk = sub.add_parser("check", help="exit 1 when the output directory is stale")
    chk.add_argument("spec", nargs="?", default=DEFAULT_SPEC)
    chk.add_argument("--out", default="generated")
    chk.set_defaults(func=run_check)


def _stages(api: Api, wanted: list[str] | None) -> list[str] | Exit:
    if not wanted:
        return list(api.stage_names)
    unknown = [s for s in wanted if s not in api.stage_names]
    if unknown:
        known = ", ".join(api.stage_names)
        print(
            f"error: unknown stage {', '.join(map(repr, unknown))} (known: {known})",
            file=sys.stderr,
        )
        return Exit.INPUT
    return [s for s in api.stage_names if s in wanted]


def _tree(
    api: Api, stages: list[str] | None, formatter: Formatter
) -> dict[str, bytes] | Exit:
    try:
        return build_tree(api, stages, formatter)
    except FormatError as exc:  # a template bug: say which file, write nothing
        print(f"error: {exc}", file=sys.stderr)
        return Exit.FAILED


def run_generate(args: argparse.Namespace) -> Exit:
    """Render every requested stage in memory, then swap each package in whole."""
    started = time.perf_counter()
    api = load_api(args.spec)
    if isinstance(api, Exit):
        return api
    stages = _stages(api, args.stage)
    if isinstance(stages, Exit):
        return stages
    formatter = Formatter(default_cache())
    tree = _tree(api, None if not args.stage else stages, formatter)
    if isinstance(tree, Exit):
        return tree
    prune = package_prefix(api.info.name) if not args.stage else None
    changed = write_tree(tree, Path(args.out), prune)
    elapsed = time.perf_counter() - started
    print(
        f"generated {len(stages)} stage{'s' if len(stages) != 1 else ''} into {args.out}: "
        f"{len(changed)} changed, {formatter.formatted} formatted, {formatter.cached} cached "
        f"({elapsed:.2f}s)"
    )
    return Exit.OK


def run_check(args: argparse.Namespace) -> Exit:
    """Regenerate in memory and compare with ``--out``; never writes."""
    api = load_api(args.spec)
    if isinstance(api, Exit):
        return api
    tree = _tree(api, None, Formatter(default_cache()))
    if isinstance(tree, Exit):
        return tree
    out = Path(args.out)
    roots = set(package_roots(tree))
    roots |= {
        p.name for p in out.glob(package_prefix(api.info.name) + "*") if p.is_dir()
    }
    drift = compare_tree(tree, out, sorted(roots))
    if drift.fresh:
        print(f"ok: {args.out} is up to date ({len(tree)} files)")
        return Exit.OK
    for label, paths in (
        ("stale", drift.stale),
        ("missing", drift.missing),
        ("extra", drift.extra),
    ):
        for path in paths:
            print(f"{label}: {args.out}/{path}")
    for path in drift.stale:
        print(drift.diffs[path], end="")
    print(
        f"{args.out} is out of date; run `make generate` (routegen generate {args.spec})",
        file=sys.stderr,
    )
    return Exit.FAILED
