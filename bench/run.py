"""``make bench``: every benchmark as whole processes, side by side, into one table.

Rows (each a ratio measured in this run; see ``bench/harness.py`` for the method):

- ``gen``: cold generation of the four VendNovation stages vs openapi-python-client
  (default ruff hooks and without) and OpenAPI Generator (``python``) on each stage's
  ``routegen openapi`` document; warm generation, a no-op ``make generate`` and
  ``routegen check`` vs cold.
- ``client``: paging 50,000 records vs raw httpx + json and vs httpx + pydantic
  ``TypeAdapter.validate_json`` (sync and async), 2,000 small requests vs raw httpx,
  import time vs ``import httpx, pydantic``, peak memory at 50,000 and 200,000 records
  (``bench/clientcase.py`` against ``bench/pageserver.py``).
- ``scale``: cold generation of synthetic one-stage specs of 25 … 10,000 routes
  (``bench/synth_spec.py``): seconds per route should stay flat.
- ``throughput``: a generated client against the mock's enforced usage plan.

    .venv/bin/python bench/run.py [--repeat 5] [--sections gen,client,scale,throughput]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    BENCH,
    PEERS_BIN,
    ROOT,
    VENV_BIN,
    Row,
    alternate,
    environment,
    fmt,
    machine,
    peer_versions,
    ratio_row,
    run,
    table,
    write_readme,
)

SPEC = "spec/vendnovation.yaml"
STAGES = ("v1", "v2", "v2.1", "rc")
ROUTEGEN = str(VENV_BIN / "routegen")

# -- generation --------------------------------------------------------------------


def export_documents(work: Path) -> list[Path]:
    """Each stage's ``routegen openapi`` document (what the peers generate from)."""
    docs = []
    for stage in STAGES:
        doc = work / f"openapi-{stage}.json"
        out = subprocess.run(
            [ROUTEGEN, "openapi", SPEC, "--stage", stage],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        doc.write_text(out, encoding="utf-8")
        docs.append(doc)
    return docs


def cold(work: Path, spec: str | None) -> float:
    """``routegen generate``: empty cache, empty output directory (``spec=None``: all)."""
    shutil.rmtree(work / "cold", ignore_errors=True)
    env = {"ROUTEGEN_CACHE": str(work / "cold" / "cache")}
    cmd = [
        ROUTEGEN,
        "generate",
        *([spec] if spec else []),
        "--out",
        str(work / "cold" / "out"),
    ]
    return run(cmd, env)


def opc(docs: list[Path], work: Path, hooks: bool) -> float:
    """openapi-python-client over the four stage documents (four processes, summed)."""
    config = work / "nohooks.yaml"
    config.write_text("post_hooks: []\n", encoding="utf-8")
    env = {"PATH": f"{PEERS_BIN}:{os.environ['PATH']}"}  # its ruff hooks
    total = 0.0
    for doc in docs:
        out = work / "opc" / doc.stem
        shutil.rmtree(out, ignore_errors=True)
        cmd = [
            str(PEERS_BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(doc),
            "--output-path",
            str(out),
            "--meta",
            "none",
        ]
        total += run(cmd + ([] if hooks else ["--config", str(config)]), env)
    return total


def openapi_generator(docs: list[Path], work: Path) -> float:
    """OpenAPI Generator's ``python`` client over the four documents (summed)."""
    total = 0.0
    for doc in docs:
        out = work / "oag" / doc.stem
        shutil.rmtree(out, ignore_errors=True)
        cmd = [str(PEERS_BIN / "openapi-generator-cli"), "generate", "-i", str(doc)]
        total += run([*cmd, "-g", "python", "-o", str(out), "--skip-validate-spec"])
    return total


def generation_rows(work: Path, repeat: int) -> list[Row]:
    """Cold vs the peers; warm, no-op ``make generate`` and ``check`` vs cold."""
    docs = export_documents(work)
    warm_env = {"ROUTEGEN_CACHE": str(work / "warm" / "cache")}
    warm_cmd = [ROUTEGEN, "generate", SPEC, "--out", str(work / "warm" / "out")]
    run(warm_cmd, warm_env)  # fill the cache and the output once
    run(["make", "generate"])  # the checkout's own cache and generated/ current
    sides: dict[str, Callable[[], float]] = {
        "cold": lambda: cold(work, SPEC),
        "cold_all": lambda: cold(work, None),
        "opc_hooks": lambda: opc(docs, work, hooks=True),
        "opc_plain": lambda: opc(docs, work, hooks=False),
        "warm": lambda: run(warm_cmd, warm_env),
        "make": lambda: run(["make", "generate"]),
        "check": lambda: run([ROUTEGEN, "check", SPEC, "--out", "generated"]),
    }
    if (PEERS_BIN / "openapi-generator-cli").exists():
        sides["oag"] = lambda: openapi_generator(docs, work)
    t = alternate(sides, repeat)
    rows = [
        ratio_row(
            "cold generation, 4 stages vs openapi-python-client (default ruff hooks)",
            t["cold"],
            t["opc_hooks"],
        ),
        ratio_row(
            "cold generation, 4 stages vs openapi-python-client (no hooks) — target ≤ 0.5",
            t["cold"],
            t["opc_plain"],
        ),
    ]
    if "oag" in t:
        rows.append(
            ratio_row(
                "cold generation, 4 stages vs OpenAPI Generator (`-g python`)",
                t["cold"],
                t["oag"],
            )
        )
    return [
        *rows,
        ratio_row(
            "warm generation, 4 stages (cache filled, output current) vs cold — target ≤ 0.1",
            t["warm"],
            t["cold"],
        ),
        ratio_row("`routegen check` of the 4 stages vs cold — target ≤ 0.1", t["check"], t["cold"]),
        ratio_row(
            "no-op `make generate` (every spec) vs cold generation of every spec",
            t["make"],
            t["cold_all"],
        ),
    ]


# -- clients -----------------------------------------------------------------------


def case(contender: str, name: str, url: str, records: int = 50_000) -> tuple[float, float]:
    """One ``bench/clientcase.py`` process: (whole-process seconds, peak RSS in MiB)."""
    cmd = [str(VENV_BIN / "python"), str(BENCH / "clientcase.py"), contender, name]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*cmd, "--url", url, "--records", str(records)], cwd=ROOT, env=environment()
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return seconds, usage.ru_maxrss / 1024  # Linux reports KiB


def _side(contender: str, name: str, url: str) -> Callable[[], float]:
    return lambda: case(contender, name, url)[0]


def client_rows(repeat: int) -> list[Row]:
    """Paging, per-request overhead, import time and streaming memory."""
    server = subprocess.Popen(
        [str(VENV_BIN / "python"), str(BENCH / "pageserver.py")],
        cwd=ROOT,
        env=environment(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = f"http://127.0.0.1:{int(server.stdout.readline())}"
        return _paging_rows(url, repeat) + _small_rows(url, repeat)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _paging_rows(url: str, repeat: int) -> list[Row]:
    rows: list[Row] = []
    for name, label in (("page-sync", "sync"), ("page-async", "async")):
        names = ("routegen", "httpx-json", "httpx-adapter")
        t = alternate({n: _side(n, name, url) for n in names}, repeat)
        what = f"paging 50,000 records ({label}), 25 pages of 2,000"
        rows.append(ratio_row(f"{what} vs httpx + json", t["routegen"], t["httpx-json"]))
        rows.append(
            ratio_row(
                f"{what} vs httpx + TypeAdapter.validate_json — target ≤ 1.1",
                t["routegen"],
                t["httpx-adapter"],
            )
        )
    return rows


def _small_rows(url: str, repeat: int) -> list[Row]:
    t = alternate({n: _side(n, "requests", url) for n in ("routegen", "raw")}, repeat)
    rows = [
        ratio_row(
            "2,000 small requests vs raw httpx (same body and headers) — target ≤ 1.10",
            t["routegen"],
            t["raw"],
        )
    ]
    t = alternate({n: _side(n, "import", url) for n in ("routegen", "raw")}, repeat * 2)
    rows.append(
        ratio_row(
            "`import vendnovation_v2_1` vs `import httpx, pydantic` — target ≤ 1.3",
            t["routegen"],
            t["raw"],
        )
    )
    t = alternate({n: _side(n, "import-use", url) for n in ("routegen", "raw")}, repeat * 2)
    rows.append(
        ratio_row(
            "import + `Client(...)` + `client.machines` + `Machine` (models and one group"
            " loaded) vs `import httpx, pydantic`",
            t["routegen"],
            t["raw"],
        )
    )
    small = case("routegen", "page-sync", url, 50_000)[1]
    large = case("routegen", "page-sync", url, 200_000)[1]
    rows.append(
        (
            "peak RSS iterating 200,000 vs 50,000 records — target flat (1.0)",
            f"{large:.0f} MiB",
            f"{small:.0f} MiB",
            f"{large / small:.2f}",
        )
    )
    return rows


# -- scaling -----------------------------------------------------------------------


def _scale_one(work: Path, count: int, timeout: float) -> tuple[float | None, float]:
    """Cold generation of a synthetic spec of ``count`` routes: (seconds, spec MB)."""
    spec = work / f"synth{count}.yaml"
    synth = [
        str(VENV_BIN / "python"),
        str(BENCH / "synth_spec.py"),
        str(count),
        str(spec),
    ]
    subprocess.run(synth, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(work / "scale", ignore_errors=True)
    env = {"ROUTEGEN_CACHE": str(work / "scale" / "cache")}
    cmd = [ROUTEGEN, "generate", str(spec), "--out", str(work / "scale" / "out")]
    try:
        return run(cmd, env, timeout=timeout), spec.stat().st_size / 1e6
    except subprocess.TimeoutExpired:
        return None, spec.stat().st_size / 1e6


def scale_rows(work: Path, sizes: Sequence[int], timeout: float) -> list[Row]:
    """One-stage synthetic specs: the time each added route costs should stay flat.

    Each row gives the seconds per route added since the previous size. Small specs
    finish within the fixed costs (imports, worker start-up overlapping validation), so
    the ratio compares only steps of at least 1,000 added routes: a step's cost per
    added route over the previous such step's, about 1 when growth is linear.
    """
    rows: list[Row] = []
    previous: tuple[int, float] | None = None
    last_step: float | None = None
    for count in sizes:
        seconds, mb = _scale_one(work, count, timeout)
        what = f"cold generation, {count:,} routes (one stage, {mb:.2f} MB)"
        if seconds is None:
            rows.append((what, f"> {timeout:.0f} s (stopped)", "–", "–"))
            previous, last_step = None, None
            continue
        if previous is None:
            rows.append((what, fmt(seconds), "–", "–"))
            previous = (count, seconds)
            continue
        added = count - previous[0]
        step = (seconds - previous[1]) / added
        label = f"{what}, per route added since {previous[0]:,}"
        ours = f"{fmt(seconds)}, {step * 1000:.1f} ms/route"
        if added >= 1000 and last_step is not None:
            ratio = f"{step / last_step:.2f}"
            base = f"{last_step * 1000:.1f} ms/route"
            rows.append((f"{label} vs the previous step's — linear ≈ 1", ours, base, ratio))
        else:
            rows.append((label, ours, "–", "–"))
        if added >= 1000:
            last_step = step
        previous = (count, seconds)
    return rows


# -- throughput --------------------------------------------------------------------


def throughput_rows(seconds: float) -> list[Row]:
    """A v2.1 client (4 threads) against the mock enforcing 20 req/s, burst 100."""
    cmd = [str(VENV_BIN / "python"), str(BENCH / "bench_throughput.py")]
    out = subprocess.run(
        [*cmd, "--seconds", str(seconds), "--json"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    got = json.loads(out.strip().splitlines()[-1])
    return [
        (
            f"sustained throughput, {seconds:.0f} s, vs the usage plan's allowed rate"
            f" ({got['429']} answers 429)",
            f"{got['sustained']:.2f} req/s",
            f"{got['rate']:.2f} req/s",
            f"{got['sustained'] / got['rate']:.3f}",
        )
    ]


# -- main --------------------------------------------------------------------------


def main() -> int:
    """Run the chosen sections; the table is rewritten after each, so partial runs count."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sections", default="gen,client,scale,throughput")
    parser.add_argument("--sizes", default="25,100,400,1600,4000,10000")
    parser.add_argument("--scale-timeout", type=float, default=1800)
    parser.add_argument("--throughput-seconds", type=float, default=20)
    args = parser.parse_args()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = (
        f"Generated by `make bench` on {started}; {machine()}; peers: {peer_versions()}. "
        f"Median of {args.repeat} alternating runs per row (import: twice as many), "
        "whole processes."
    )
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="routegen-bench-") as tmp:
        work = Path(tmp)
        for section in args.sections.split(","):
            if section == "gen":
                rows += generation_rows(work, args.repeat)
            elif section == "client":
                rows += client_rows(args.repeat)
            elif section == "scale":
                sizes = [int(s) for s in args.sizes.split(",")]
                rows += scale_rows(work, sizes, args.scale_timeout)
            elif section == "throughput":
                rows += throughput_rows(args.throughput_seconds)
            else:
                parser.error(f"unknown section {section!r}")
            write_readme(table(rows, header))
            print("\n".join(" | ".join(r) for r in rows), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
