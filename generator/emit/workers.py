"""One process pool per generation run, its workers warmed up as soon as it starts.

datamodel-code-generator takes most of a second to import and to build its own
configuration on first use, and black a fraction of that. Each worker does both in its
initializer, so a pool opened before the spec is validated warms up while the parent
validates; the same pool then runs the models of every stage and black over what
needs it. With one core there is no pool: everything runs in the calling process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager


def _warm() -> None:
    """Worker initializer: load black and datamodel-code-generator before any task."""
    import black  # noqa: F401

    from .models import warm_up

    warm_up()


def _nothing() -> None:
    """A task that only makes the pool start its workers."""


@contextmanager
def worker_pool(tasks: int) -> Iterator[Executor | None]:
    """A pool of up to one worker per core, started now; None when one process does as
    well (one task or one core)."""
    workers = min(tasks, os.cpu_count() or 1)
    if workers < 2:
        yield None
        return
    # Imported here: multiprocessing costs a warm run (no pool) 20 ms for nothing.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork") if "fork" in methods else None
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_warm
    ) as pool:
        pool.submit(_nothing)  # forks every worker now: they warm up while we work
        yield pool
