"""``routegen generate`` and ``routegen check``: write the packages, or prove they are fresh."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from ..emit.formatting import FormatError, Formatter
from ..emit.tree import (
    Tree,
    build_tree,
    compare_tree,
    default_cache,
    package_roots,
    share_stages_file,
    write_tree,
)
from ..pipeline import AnyApi
from ..spec.naming import package_prefix
from .common import Exit, load_apis


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


def _stages(api: AnyApi, wanted: list[str] | None) -> list[str] | Exit:
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


def _tree(api: AnyApi, stages: list[str] | None, formatter: Formatter) -> Tree | Exit:
    try:
        return build_tree(api, stages, formatter)
    except FormatError as exc:  # a template bug: say which file, write nothing
        print(f"error: {exc}", file=sys.stderr)
        return Exit.FAILED


def run_generate(args: argparse.Namespace) -> Exit:
    """Render every requested stage of every spec in memory, then swap each package in whole."""
    started = time.perf_counter()
    formatter = Formatter(default_cache())
    built = _build_all("generate", args.spec, args.stage, formatter)
    if isinstance(built, Exit):
        return built
    for api, stages, tree in built:
        prune = package_prefix(api.info.name) if not args.stage else None
        changed = write_tree(tree, Path(args.out), prune)
        elapsed = time.perf_counter() - started
        print(
            f"generated {len(stages)} stage{'s' if len(stages) != 1 else ''} into {args.out}: "
            f"{len(changed)} changed, {formatter.formatted} formatted, "
            f"{formatter.cached} cached ({elapsed:.2f}s)"
        )
    return Exit.OK


def _build_all(
    command: str, spec: str | None, wanted: list[str] | None, formatter: Formatter
) -> list[tuple[AnyApi, list[str], Tree]] | Exit:
    """Each spec's API, chosen stages and tree; specs share one ``STAGES.md``."""
    loaded = load_apis(command, spec)
    if isinstance(loaded, Exit):
        return loaded
    built = []
    for _, api in loaded:
        stages = _stages(api, wanted)
        if isinstance(stages, Exit):
            return stages
        tree = _tree(api, stages if wanted else None, formatter)
        if isinstance(tree, Exit):
            return tree
        built.append((api, stages, tree))
    trees = share_stages_file([tree for _, _, tree in built])
    return [(api, stages, tree) for (api, stages, _), tree in zip(built, trees, strict=True)]


def run_check(args: argparse.Namespace) -> Exit:
    """Regenerate every spec in memory and compare with ``--out``; never writes."""
    built = _build_all("check", args.spec, None, Formatter(default_cache()))
    if isinstance(built, Exit):
        return built
    results = [_check(api, tree, args.out) for api, _, tree in built]
    return Exit(max(results))


def _check(api: AnyApi, tree: Tree, out_dir: str) -> Exit:
    """Compare one spec's expected tree with ``out_dir``; report the drift."""
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
        f"{out_dir} is out of date; run `make generate` (routegen generate {api.file})",
        file=sys.stderr,
    )
    return Exit.FAILED
