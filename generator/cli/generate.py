"""``routegen generate`` and ``routegen check``: write the packages, or prove they are fresh."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from ..emit.formatting import FormatError, Formatter
from ..emit.tree import build_tree, compare_tree, default_cache, package_roots, write_tree
from ..spec.model import Api
from ..spec.naming import package_prefix
from .common import Exit, for_each_spec, load_api


def add_parser(sub: Any) -> None:
    """Register the ``generate`` and ``check`` sub-commands."""
    gen = sub.add_parser("generate", help="write one client package per stage")
    gen.add_argument("spec", nargs="?", help="default: every spec/*.yaml")
    gen.add_argument(
        "--out", default="generated", help="output directory (default: generated)"
    )
    gen.add_argument("--stage", action="append", help="only this stage (repeatable)")
    gen.set_defaults(func=run_generate)
    chk = sub.add_parser("check", help="exit 1 when the output directory is stale")
    chk.add_argument("spec", nargs="?", help="default: every spec/*.yaml")
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
    """Generate from the given spec, or from every discovered one."""
    return for_each_spec("generate", args.spec, lambda spec: _generate(spec, args))


def _generate(spec: str, args: argparse.Namespace) -> Exit:
    """Render every requested stage in memory, then swap each package in whole."""
    started = time.perf_counter()
    api = load_api(spec)
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
    """Check the output of the given spec, or of every discovered one."""
    return for_each_spec("check", args.spec, lambda spec: _check(spec, args.out))


def _check(spec: str, out_dir: str) -> Exit:
    """Regenerate in memory and compare with ``out_dir``; never writes."""
    api = load_api(spec)
    if isinstance(api, Exit):
        return api
    tree = _tree(api, None, Formatter(default_cache()))
    if isinstance(tree, Exit):
        return tree
    out = Path(out_dir)
    roots = set(package_roots(tree))
    roots |= {
        p.name for p in out.glob(package_prefix(api.info.name) + "*") if p.is_dir()
    }
    drift = compare_tree(tree, out, sorted(roots))
    if drift.fresh:
        print(f"ok: {out_dir} is up to date ({len(tree)} files)")
        return Exit.OK
    for label, paths in (
        ("stale", drift.stale),
        ("missing", drift.missing),
        ("extra", drift.extra),
    ):
        for path in paths:
            print(f"{label}: {out_dir}/{path}")
    for path in drift.stale:
        print(drift.diffs[path], end="")
    print(
        f"{out_dir} is out of date; run `make generate` (routegen generate {spec})",
        file=sys.stderr,
    )
    return Exit.FAILED
