"""Benchmark: generating all four stages of spec/vendnovation.yaml.

Measured in one run, each as the median of N repetitions:
  baseline  the naive pipeline: every file (runtime copies included) through black, no cache
  cold      routegen as shipped, with an empty black cache (runtime copies are never formatted)
  warm      routegen with the cache filled (the usual `make generate` after a spec edit)
Also reported: the share of the cold run spent inside black.

Run: .venv/bin/python bench/bench_generate.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import black

import generator
from generator.emit.formatting import MODE, Formatter
from generator.emit.render import render_stage
from generator.emit.tree import build_tree


class TimedFormatter(Formatter):
    """A Formatter that adds up the time spent in black itself."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        super().__init__(cache_dir)
        self.black_seconds = 0.0

    def format_many(self, items: list[tuple[str, str]]) -> list[str]:
        started = time.perf_counter()
        out = super().format_many(items)
        self.black_seconds += time.perf_counter() - started
        return out


def naive(api: generator.Api) -> None:
    """Every file through black, nothing cached."""
    for name in api.stage_names:
        for f in render_stage(api.stage(name), api.file):
            if f.path.endswith(".py"):
                black.format_str(f.content, mode=MODE)


def timed(fn: object, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    api = generator.build("spec/vendnovation.yaml")
    base = timed(lambda: naive(api), args.repeat)
    shares = []

    def cold() -> None:
        f = TimedFormatter(None)
        start = time.perf_counter()
        build_tree(api, formatter=f)
        shares.append(f.black_seconds / (time.perf_counter() - start))

    cold_t = timed(cold, args.repeat)
    with tempfile.TemporaryDirectory() as cache:
        build_tree(api, formatter=Formatter(Path(cache)))
        warm_t = timed(
            lambda: build_tree(api, formatter=Formatter(Path(cache))), args.repeat
        )
    print(f"baseline (naive, all files through black): {base:.2f}s")
    print(
        f"cold (empty cache):                        {cold_t:.2f}s  ratio {cold_t / base:.2f}"
    )
    print(f"  of which black:                          {statistics.median(shares):.0%}")
    print(
        f"warm (cache filled):                       {warm_t:.2f}s  ratio {warm_t / base:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
