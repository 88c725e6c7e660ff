"""Render, format and write: the back half of the pipeline, shared by ``generate`` and ``check``.

Everything is produced in memory first (``build_tree``); only when every file of every
requested stage rendered and formatted does ``write_tree`` touch the disk, one package
at a time through a temporary directory that is swapped in whole.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..diff.report import stages_report
from ..spec.model import Api, StageApi
from ..spec.soap import SoapApi
from .formatting import Formatter
from .layout import needs_black
from .workers import Pools, worker_pool

if TYPE_CHECKING:
    from .templating import RenderedFile

Tree = dict[str, bytes]
STAGES_FILE = "STAGES.md"
# Tool caches and build output a user may leave inside a package (pip install, build).
IGNORED = frozenset(
    {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build", "dist"}
)


def default_cache() -> Path | None:
    """The black cache directory (``ROUTEGEN_CACHE``; empty disables it)."""
    value = os.environ.get("ROUTEGEN_CACHE", ".routegen-cache")
    return Path(value) if value else None


def render_stage(stage: StageApi, spec_file: str) -> list[RenderedFile]:
    """``render.render_stage``, imported on first use: rendering loads Jinja and every
    emitter, which a command reusing a cached tree never needs."""
    from .render import render_stage as render

    return render(stage, spec_file)


def render_templates(stage: StageApi, spec_file: str) -> list[RenderedFile]:
    """``render.render_templates``, imported on first use (see ``render_stage``)."""
    from .render import render_templates as render

    return render(stage, spec_file)


def render_stages(
    api: Api,
    names: Sequence[str],
    pool: Pools | None,
    formatter: Formatter | None = None,
) -> list[RenderedFile]:
    """``render_stage`` of each stage, the models of every stage in the pool meanwhile.

    Stages whose models are the same (an equal ``ModelsJob``) run datamodel-code-generator
    once; the output is the same whichever process ran it. With a ``formatter``, black
    starts on each stage's models as soon as they are back (``Formatter.prefetch``).
    """
    from .models import models_job, run_models_job  # Jinja and emitters on first use
    from .render import header, models_file

    jobs = {name: models_job(api.stage(name), header(api.file)) for name in names}
    unique = list(dict.fromkeys(jobs.values()))
    if pool is None:
        texts = {job: run_models_job(job) for job in unique}
        templates = {name: render_templates(api.stage(name), api.file) for name in names}
    else:
        futures = {pool.models.submit(run_models_job, job): job for job in unique}
        texts = {}

        def collect(future: Future[str]) -> None:  # hand finished models to black at once
            text = texts[futures[future]] = future.result()
            if formatter is not None and pool is not None:
                formatter.prefetch("models.py", text, pool.black)

        templates = {}
        for name in names:
            templates[name] = render_templates(api.stage(name), api.file)
            for future in [f for f in futures if f.done() and futures[f] not in texts]:
                collect(future)
        for future in as_completed([f for f in futures if futures[f] not in texts]):
            collect(future)
    return [
        f
        for name in names
        for f in (models_file(api.stage(name), texts[jobs[name]]), *templates[name])
    ]


def build_tree(
    api: Api | SoapApi,
    stages: Sequence[str] | None = None,
    formatter: Formatter | None = None,
    pool: Pools | None = None,
) -> Tree:
    """Every output file, path relative to the output root -> bytes.

    ``pool`` (``workers.worker_pool``) runs datamodel-code-generator and black; without
    one, a pool is opened for this call.
    """
    if pool is not None:
        return _build(api, stages, formatter, pool)
    with worker_pool(len(stages or api.stage_names) + 1) as own:
        return _build(api, stages, formatter, own)


def _build(
    api: Api | SoapApi,
    stages: Sequence[str] | None,
    formatter: Formatter | None,
    pool: Pools | None,
) -> Tree:
    formatter = formatter or Formatter(default_cache())
    if isinstance(api, SoapApi):  # one contract: no stage diff, no STAGES.md entry
        from .soap import render_soap_stage  # Jinja and the SOAP emitters, on first use

        soap_files = [f for name in stages or api.stage_names for f in render_soap_stage(api, name)]
        return _format(soap_files, formatter, pool.black if pool else None)
    files = render_stages(api, list(stages or api.stage_names), pool, formatter)
    tree = _format(files, formatter, pool.black if pool else None)
    if stages is None or list(stages) == list(api.stage_names):
        tree[STAGES_FILE] = stages_document(api).encode("utf-8")
    return tree


def _format(
    files: Sequence[RenderedFile], formatter: Formatter, pool: Executor | None = None
) -> Tree:
    """Black over the Python files that need it (cached), everything as bytes.

    Template output is black-stable by construction (``tests/unit/test_black_stable.py``
    proves it on every spec and golden spec); it skips black unless ``needs_black``
    finds a line the construction cannot vouch for.
    """
    python = [f for f in files if f.python and not (f.stable and not needs_black(f.content))]
    formatted = formatter.format_many([(f.path, f.content) for f in python], pool)
    texts = {f.path: text for f, text in zip(python, formatted, strict=True)}
    return {f.path: texts.get(f.path, f.content).encode("utf-8") for f in files}


def stages_document(api: Api) -> str:
    """``generated/STAGES.md``: the diff of every consecutive stage pair."""
    return stages_report(api)


def share_stages_file(trees: Sequence[Tree]) -> list[Tree]:
    """Trees of several specs bound for one directory, sharing one ``STAGES.md``.

    The shared file holds every spec's report in spec order and rides with the last
    tree; one tree (one spec) comes back unchanged.
    """
    documents = [t[STAGES_FILE] for t in trees if STAGES_FILE in t]
    if len(documents) < 2:
        return list(trees)
    shared = [{p: b for p, b in t.items() if p != STAGES_FILE} for t in trees]
    shared[-1][STAGES_FILE] = b"\n".join(documents)
    return shared


_SECTION = b"<!-- generated by routegen from "  # first line of each spec's report


def splice_stages_file(trees: Sequence[Tree], existing: bytes | None) -> list[Tree]:
    """Trees of named specs, their reports spliced into the ``STAGES.md`` on disk.

    ``routegen generate spec/a.yaml`` must not drop the other specs' sections of the
    shared file: each section (keyed by its first line) is replaced or added, the
    others kept, in file-name order (the order of discovery).
    """
    shared = share_stages_file(trees)
    if existing is None or not any(STAGES_FILE in t for t in shared):
        return shared
    merged = dict(_sections(existing))
    merged.update(_sections(shared[-1][STAGES_FILE]))
    shared[-1] = {**shared[-1], STAGES_FILE: b"\n".join(v for _, v in sorted(merged.items()))}
    return shared


def _sections(document: bytes) -> list[tuple[bytes, bytes]]:
    """(first line, section) of each spec's report in a ``STAGES.md``."""
    starts = [0] if document.startswith(_SECTION) else []
    at = document.find(b"\n" + _SECTION)
    while at != -1:
        starts.append(at + 1)
        at = document.find(b"\n" + _SECTION, at + 1)
    out = []
    for n, start in enumerate(starts):
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(document)  # - joiner
        section = document[start:end]
        out.append((section.split(b"\n", 1)[0], section))
    return out


def package_roots(tree: Tree) -> list[str]:
    """Top-level entries of a tree (package directories and files)."""
    return sorted({p.split("/", 1)[0] for p in tree})


def write_tree(tree: Tree, out: Path, prune_prefix: str | None = None) -> list[str]:
    """Write each top-level entry of ``tree`` under ``out`` atomically; return what changed.

    With ``prune_prefix``, directories ``out/<prune_prefix>*`` that the tree no longer
    holds (a stage removed from the spec) are removed too.
    """
    out.mkdir(parents=True, exist_ok=True)
    changed = []
    for root in package_roots(tree):
        files = {p: b for p, b in tree.items() if p.split("/", 1)[0] == root}
        if _unchanged(out, root, files):
            continue
        _swap_in(out, root, files)
        changed.append(root)
    if prune_prefix:
        for stale in sorted(out.glob(prune_prefix + "*")):
            if (
                stale.is_dir()
                and stale.name not in package_roots(tree)
                and _is_ours(stale)
            ):
                shutil.rmtree(stale)
                changed.append(stale.name)
    return changed


def _is_ours(directory: Path) -> bool:
    marker = directory / "pyproject.toml"
    return marker.is_file() and "generated by routegen" in marker.read_text(
        "utf-8", "replace"
    )


def _unchanged(out: Path, root: str, files: Tree) -> bool:
    return _disk_tree(out, [root]) == files


def _swap_in(out: Path, root: str, files: Tree) -> None:
    if root not in files:  # a directory: build it beside the target, then rename
        tmp = Path(tempfile.mkdtemp(prefix=f".{root}.tmp-", dir=out))
        try:
            for path, data in files.items():
                target = tmp / path.split("/", 1)[1]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            _replace_dir(out / root, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return
    fd, name = tempfile.mkstemp(prefix=f".{root}.tmp-", dir=out)
    with os.fdopen(fd, "wb") as fh:
        fh.write(files[root])
    os.replace(name, out / root)


def _replace_dir(target: Path, new: Path) -> None:
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _disk_tree(out: Path, roots: Iterable[str]) -> Tree:
    tree: Tree = {}
    for root in roots:
        base = out / root
        if base.is_file():
            tree[root] = base.read_bytes()
        elif base.is_dir():
            for path in sorted(base.rglob("*")):
                rel = path.relative_to(out)
                if path.is_file() and not ignored(rel.parts):
                    tree[rel.as_posix()] = path.read_bytes()
    return tree


def ignored(parts: tuple[str, ...]) -> bool:
    """Whether a path (as parts) is tool cache or build output, never compared or written."""
    return bool(IGNORED.intersection(parts)) or any(
        p.endswith(".egg-info") for p in parts
    )


@dataclass
class Drift:
    """Differences between the expected tree and what is on disk."""

    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    diffs: dict[str, str] = field(default_factory=dict)

    @property
    def fresh(self) -> bool:
        """True when disk and expectation agree byte for byte."""
        return not (self.stale or self.missing or self.extra)


def compare_tree(
    expected: Tree, out: Path, roots: Iterable[str], max_lines: int = 20
) -> Drift:
    """Compare ``expected`` with the files under ``out`` inside the given top-level roots."""
    actual = _disk_tree(out, roots)
    drift = Drift(
        stale=sorted(
            p for p in expected.keys() & actual.keys() if expected[p] != actual[p]
        ),
        missing=sorted(expected.keys() - actual.keys()),
        extra=sorted(actual.keys() - expected.keys()),
    )
    for path in drift.stale:
        drift.diffs[path] = short_diff(actual[path], expected[path], path, max_lines)
    return drift


def short_diff(old: bytes, new: bytes, path: str, max_lines: int = 20) -> str:
    """The first ``max_lines`` lines of a unified diff (on disk -> expected)."""
    a = old.decode("utf-8", "replace").splitlines(keepends=True)
    b = new.decode("utf-8", "replace").splitlines(keepends=True)
    lines = list(
        difflib.unified_diff(a, b, f"{path} (on disk)", f"{path} (expected)", n=2)
    )
    more = len(lines) - max_lines
    text = "".join(lines[:max_lines])
    if not text.endswith("\n"):
        text += "\n"
    return text + (f"... {more} more diff lines\n" if more > 0 else "")
