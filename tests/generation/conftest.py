"""Shared fixtures: the real spec's tree, a fresh output directory, tree hashing."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from pathlib import Path

import pytest

import generator
from generator.emit.tree import Tree, build_tree, ignored

ROOT = Path(__file__).resolve().parents[2]
SPEC = "spec/vendnovation.yaml"
STAGE_PACKAGES = [
    "vendnovation_rc",
    "vendnovation_v1",
    "vendnovation_v2",
    "vendnovation_v2_1",
]


def cwd(path: Path) -> contextlib.chdir[Path]:
    """Run the body in ``path`` (spec display paths are relative to the working directory)."""
    return contextlib.chdir(path)


def read_tree(directory: Path) -> Tree:
    """Every file under ``directory`` (relative path -> bytes), tool caches ignored."""
    tree: Tree = {}
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if path.is_file() and not ignored(rel.parts):
            tree[rel.as_posix()] = path.read_bytes()
    return tree


def tree_digest(directory: Path) -> str:
    """One hash over every path and byte under ``directory`` (caches included)."""
    h = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        h.update(path.relative_to(directory).as_posix().encode() + b"\0")
        if path.is_file():
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="session")
def real_tree() -> Tree:
    """The real spec's tree as routegen generates it today."""
    with cwd(ROOT):
        return build_tree(generator.build(SPEC))


@pytest.fixture(scope="session")
def fresh_dir(real_tree: Tree, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding exactly ``real_tree`` (never modified; copy it first)."""
    out = tmp_path_factory.mktemp("fresh") / "generated"
    for rel, data in real_tree.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return out


@pytest.fixture
def out_copy(fresh_dir: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the fresh output."""
    target = tmp_path / "generated"
    shutil.copytree(fresh_dir, target)
    return target
