"""Worker processes of one generation run, warmed up as soon as they start.

datamodel-code-generator takes most of a second to import and to build its own
configuration on first use, and black a fraction of that. Workers do it in their
initializer, so pools opened before the spec is validated warm up while the parent
validates. Models run in a few workers (each pays that second once), black in one per
core, starting on a stage's models as soon as they are back. With one core there is no
pool: everything runs in the calling process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass


def _warm_models() -> None:
    """Initializer of a models worker: datamodel-code-generator loaded and run once."""
    from .models import warm_up

    warm_up()


def _warm_black() -> None:
    """Initializer of a black worker."""
    import black  # noqa: F401


def _nothing() -> None:
    """A task that only makes a pool start its workers."""


@dataclass(frozen=True)
class Pools:
    """Worker processes of one run: ``models`` runs datamodel-code-generator (half the
    cores: each worker pays a second to warm up), ``black`` formats (every core); the
    two may be one executor."""

    models: Executor
    black: Executor


@contextmanager
def worker_pool(tasks: int) -> Iterator[Pools | None]:
    """Pools started now, their workers warming up while the caller validates; None
    when one process does as well (one task or one core)."""
    cores = os.cpu_count() or 1
    if min(tasks, cores) < 2:
        yield None
        return
    # Imported here: multiprocessing costs a warm run (no pool) 20 ms for nothing.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork") if "fork" in methods else None
    models = ProcessPoolExecutor(
        max_workers=max(1, min(tasks, cores // 2)), mp_context=context, initializer=_warm_models
    )
    black = ProcessPoolExecutor(max_workers=cores, mp_context=context, initializer=_warm_black)
    with models, black:
        models.submit(_nothing)  # forks the workers now: they warm up while we work
        black.submit(_nothing)
        yield Pools(models, black)
