"""``routegen generate`` and ``routegen check``: write the packages, or prove they are fresh."""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..emit.formatting import FormatError, Formatter
from ..emit.tree import (
    STAGES_FILE,
    Tree,
    build_tree,
    compare_tree,
    default_cache,
    package_roots,
    share_stages_file,
    splice_stages_file,
    write_tree,
)
from ..emit.workers import Pools, worker_pool
from ..pipeline import AnyApi
from ..spec.errors import SpecError
from ..spec.naming import package_prefix
from . import cache
from .cache import Summary
from .common import Exit, all_specs, load_entry


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


def _stages(api: Summary, wanted: list[str] | None) -> list[str] | Exit:
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
    api: AnyApi, stages: list[str] | None, formatter: Formatter, pool: Pools | None
) -> Tree | Exit:
    try:
        return build_tree(api, stages, formatter, pool)
    except FormatError as exc:  # a template bug: say which file, write nothing
        print(f"error: {exc}", file=sys.stderr)
        return Exit.FAILED


def run_generate(args: argparse.Namespace) -> Exit:
    """Render every requested stage of every spec in memory, then swap each package in whole."""
    started = time.perf_counter()
    formatter = Formatter(default_cache())
    built = _build_all("generate", args.spec, args.stage, formatter, args.out)
    if isinstance(built, Exit):
        return built
    for summary, stages, tree in built:
        prune = package_prefix(summary.name) if not args.stage else None
        changed = write_tree(tree, Path(args.out), prune)
        elapsed = time.perf_counter() - started
        print(
            f"generated {len(stages)} stage{'s' if len(stages) != 1 else ''} into {args.out}: "
            f"{len(changed)} changed, {formatter.formatted} formatted, "
            f"{formatter.cached} cached ({elapsed:.2f}s)"
        )
    return Exit.OK


def _build_all(
    command: str,
    spec: str | None,
    wanted: list[str] | None,
    formatter: Formatter,
    out: str,
    notes: list[SpecError] | None = None,
) -> list[tuple[Summary, list[str], Tree]] | Exit:
    """Each spec's summary, chosen stages and tree; specs share one ``STAGES.md``.

    Every spec is validated (and reports its errors) even after one failed. Every spec
    (SPEC omitted) rewrites the shared file; a named SPEC replaces only its own section
    of the file already in ``out``.
    """
    specs = all_specs(command, spec)
    if isinstance(specs, Exit):
        return specs
    # A cold build opens its worker pool first: workers load datamodel-code-generator
    # and black while this process validates the specs.
    cold = bool(wanted) or any(_cold(s) for s in specs)
    with worker_pool(os.cpu_count() or 1) if cold else nullcontext() as pool:
        built = [_build_one(s, wanted, formatter, notes, pool) for s in specs]
    if any(isinstance(b, Exit) for b in built):
        return Exit(max(int(b) for b in built if isinstance(b, Exit)))
    done = [b for b in built if not isinstance(b, Exit)]
    parts = [tree for _, _, tree in done]
    trees = (
        share_stages_file(parts)
        if spec is None
        else splice_stages_file(parts, _read(Path(out) / STAGES_FILE))
    )
    return [(sm, stages, tree) for (sm, stages, _), tree in zip(done, trees, strict=True)]


def _cold(spec: str) -> bool:
    """Whether ``spec``'s tree must be built (the cache holds no tree for it)."""
    entry = cache.read(cache.key(spec))
    return entry is None or entry.tree is None


def _build_one(
    spec: str,
    wanted: list[str] | None,
    formatter: Formatter,
    notes: list[SpecError] | None,
    pool: Pools | None = None,
) -> tuple[Summary, list[str], Tree] | Exit:
    """One spec's summary, stages and tree; the whole tree comes from the cache when unchanged."""
    entry = load_entry(spec, notes)
    if isinstance(entry, Exit):
        return entry
    stages = _stages(entry.summary, wanted)
    if isinstance(stages, Exit):
        return stages
    if not wanted and entry.tree is not None:
        return entry.summary, stages, dict(entry.tree)
    tree = _tree(entry.api(), stages if wanted else None, formatter, pool)
    if isinstance(tree, Exit):
        return tree
    if not wanted:
        cache.write(cache.key(spec), replace(entry, tree=tree))
    return entry.summary, stages, tree


def run_check(args: argparse.Namespace) -> Exit:
    """Regenerate every spec in memory and compare with ``--out``; never writes."""
    notes: list[SpecError] = []
    built = _build_all("check", args.spec, None, Formatter(default_cache()), args.out, notes)
    if isinstance(built, Exit):
        return built
    fix = _regenerate_command(args.spec, args.out)
    results = [_check(summary, tree, args.out, fix) for summary, _, tree in built]
    if notes:  # an unrecorded addition to a released stage: the lock is stale
        print("a lock is out of date; run `routegen lock --update`", file=sys.stderr)
        results.append(Exit.FAILED)
    return Exit(max(results))


def _regenerate_command(spec: str | None, out_dir: str) -> str:
    """The command that makes ``out_dir`` fresh again, as the user would type it."""
    given = f" {spec}" if spec else ""
    out = "" if out_dir == "generated" else f" --out {out_dir}"
    hint = f"`routegen generate{given}{out}`"
    return hint + (" or `make generate`" if not given and not out else "")


def _check(api: Summary, tree: Tree, out_dir: str, fix: str) -> Exit:
    """Compare one spec's expected tree with ``out_dir``; report the drift."""
    out = Path(out_dir)
    roots = set(package_roots(tree))
    roots |= {
        p.name for p in out.glob(package_prefix(api.name) + "*") if p.is_dir()
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
        f"{out_dir} is out of date; run {fix}",
        file=sys.stderr,
    )
    return Exit.FAILED


def _read(path: Path) -> bytes | None:
    """A file's bytes, or None when it is absent or unreadable."""
    try:
        return path.read_bytes()
    except OSError:
        return None
