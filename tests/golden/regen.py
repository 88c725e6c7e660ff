"""Regenerate every golden ``expected/`` tree from its ``spec.yaml``: ``make regen-goldens``.

Run as ``python -m tests.golden.regen`` from anywhere: generation runs with the
repository root as working directory (headers name only the spec's file name, so
they are the same in every checkout whatever the working directory).
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path

import generator
from generator.emit.tree import Tree, build_tree, ignored

GOLDEN = Path(__file__).resolve().parent
ROOT = GOLDEN.parents[1]


def cases() -> list[str]:
    """Names of every golden case (directories holding a ``spec.yaml``)."""
    return sorted(p.parent.name for p in GOLDEN.glob("*/spec.yaml"))


def spec_path(case: str) -> str:
    """The case's spec path relative to the repository root (as headers show it)."""
    return f"tests/golden/{case}/spec.yaml"


def at_root() -> contextlib.chdir[Path]:
    """Run the body with the repository root as working directory."""
    return contextlib.chdir(ROOT)


def generate_case(case: str) -> Tree:
    """The tree routegen generates for a case today (in memory)."""
    with at_root():
        return build_tree(generator.build_any(spec_path(case)))


def read_tree(directory: Path) -> Tree:
    """Every file under ``directory`` (path relative to it -> bytes), caches ignored."""
    tree: Tree = {}
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if path.is_file() and not ignored(rel.parts):
            tree[rel.as_posix()] = path.read_bytes()
    return tree


def write_expected(case: str, tree: Tree) -> Path:
    """Replace ``<case>/expected/`` with ``tree``."""
    expected = GOLDEN / case / "expected"
    shutil.rmtree(expected, ignore_errors=True)
    for rel, data in sorted(tree.items()):
        target = expected / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return expected


def main() -> int:
    """Regenerate every case; print what was written."""
    for case in cases():
        tree = generate_case(case)
        expected = write_expected(case, tree)
        roots = sorted({p.split("/", 1)[0] for p in tree})
        print(f"{expected.relative_to(ROOT)}: {len(tree)} files ({', '.join(roots)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
