"""The worker pool changes how fast a tree is built, never what it holds."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import black

from generator import pipeline
from generator.emit import tree
from generator.emit.formatting import MODE, Formatter
from generator.emit.models import models_job
from generator.emit.render import header
from generator.emit.workers import Pools, worker_pool

ROOT = Path(__file__).resolve().parents[2]


def test_pool_and_single_process_build_the_same_tree() -> None:
    api = pipeline.build(ROOT / "tests/golden/evolution/spec.yaml")
    with ProcessPoolExecutor(max_workers=2) as pool:  # whatever the number of cores
        parallel = tree.build_tree(api, None, Formatter(None), Pools(pool, pool))
    serial = tree._build(api, None, Formatter(None), None)
    assert parallel == serial
    assert any(p.endswith("/resources/gadgets.py") for p in serial)


def test_stages_with_the_same_models_share_one_job() -> None:
    # the errors golden's two stages differ only in their errors: one models job
    api = pipeline.build(ROOT / "tests/golden/errors/spec.yaml")
    jobs = {models_job(api.stage(n), header(api.file)) for n in api.stage_names}
    assert len(api.stage_names) == 2 and len(jobs) == 1
    (job,) = jobs
    assert not any(api.stage(n).package in job.document for n in api.stage_names)
    # stages whose models differ keep their own job
    api = pipeline.build(ROOT / "tests/golden/evolution/spec.yaml")
    assert len({models_job(api.stage(n), header(api.file)) for n in api.stage_names}) == 2


SOURCE = "import os\nX = {'a':1}\n\n\ndef f(a,b):\n    return a+b\nclass C( object ):\n    x=1\n"


def test_prefetched_chunks_are_formatted_once_and_equal_black() -> None:
    formatter = Formatter(None)
    with ProcessPoolExecutor(max_workers=1) as pool:
        formatter.prefetch("m.py", SOURCE, pool)
        assert formatter._pending  # black is already running on the chunks
        out = formatter.format_many([("m.py", SOURCE)], pool)
    assert out == [black.format_str(SOURCE, mode=MODE)]
    assert not formatter._pending


def test_worker_pool_starts_warm_workers_or_none() -> None:
    with worker_pool(1) as none:
        assert none is None  # one task: no pool to pay for
    with worker_pool(2) as pool:
        if pool is not None:  # a machine with one core gets None here too
            assert pool.models.submit(len, "ab").result() == 2
            assert pool.black.submit(len, "abc").result() == 3

