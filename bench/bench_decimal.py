"""Paging cost of exact money: ``Decimal`` models against the ``float`` models they replaced.

Fetches real pages of ``transactions.list`` (100 records, the route's max page, each
with line items carrying five ``decimal`` fields) from the v2.1 mock over loopback,
then times what the client does with one page's body: decode the JSON and validate it
into models. Baseline: the float models of the tree before issue 13 (taken from git,
``BASELINE_REV``) decoded with ``json.loads``; now: the generated Decimal models decoded
by the runtime's ``loads`` (every fraction a ``Decimal``). A loopback round trip of one
page is printed for scale. Not a test: run it by hand.

    .venv/bin/python bench/bench_decimal.py
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import pydantic

ROOT = Path(__file__).resolve().parents[1]
PKG = "vendnovation_v2_1"
BASELINE_REV = "4394b26"  # bench figures of the tree before issue 13: float money
sys.path.insert(0, str(ROOT / "generated" / PKG))

import generator  # noqa: E402
from generator.mock import MockConfig, MockServer, create_app  # noqa: E402

KEY, USER, PASSWORD = "bench-key", "bench@example.com", "bench-password"


def float_models(pkg: ModuleType) -> ModuleType:
    """The baseline's models.py, imported inside today's package (same runtime)."""
    path = f"generated/{PKG}/{PKG}/models.py"
    old = subprocess.run(
        ["git", "show", f"{BASELINE_REV}:{path}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    target = Path(tempfile.mkdtemp()) / "models_float.py"
    target.write_text(old)
    spec = importlib.util.spec_from_file_location(f"{PKG}.models_float", target)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def per_page(fns: dict[str, Callable[[], object]], repeat: int = 15) -> dict[str, float]:
    """Fastest round (ms per call, 20 calls a round) of each ``fn``, rounds interleaved.

    The machine is shared: interleaving exposes both to the same load, and the fastest
    round is the one least disturbed by it.
    """
    rounds: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            started = time.perf_counter()
            for _ in range(20):
                fn()
            rounds[name].append((time.perf_counter() - started) / 20 * 1000)
    return {name: min(times) for name, times in rounds.items()}


def main() -> int:
    """Fetch pages from the mock, time decode + validate both ways, print the figures."""
    import vendnovation_v2_1 as pkg
    from vendnovation_v2_1._runtime._json import loads

    old = float_models(pkg)
    stage = generator.build(ROOT / "spec/vendnovation.yaml").stage("v2.1")
    config = MockConfig(
        api_key=KEY, username=USER, password=PASSWORD, records=4000, enforce_limits=False
    )
    with MockServer(create_app(stage, config)) as server:
        client = pkg.Client(
            base_url=server.url("v2.1"), api_key=KEY, username=USER, password=PASSWORD
        )
        end = config.now()
        start = end - timedelta(days=30)
        client.transactions.page(start_date=start, end_date=end, size=100)  # token
        started = time.perf_counter()
        page = client.transactions.page(start_date=start, end_date=end, size=100)
        trip = (time.perf_counter() - started) * 1000
        client.close()
    body = page.response.content
    records = len(page.items)
    lines = sum(len(t.line_items or []) for t in page.items)
    new_list = pydantic.TypeAdapter(list[pkg.models.Transaction])
    old_list = pydantic.TypeAdapter(list[old.Transaction])
    assert old_list.validate_python(json.loads(body))  # the baseline still reads it
    ms = per_page(
        {
            "base": lambda: old_list.validate_python(json.loads(body)),
            "now": lambda: new_list.validate_python(loads(body)),
            "decode_base": lambda: json.loads(body),
            "decode_now": lambda: loads(body),
        }
    )
    base, now = ms["base"], ms["now"]
    print(f"page              {records} transactions, {lines} line items, {len(body)} bytes")
    print(f"float (baseline)  {base:.2f} ms per page (json.loads + validate)")
    print(f"Decimal (now)     {now:.2f} ms per page (runtime loads + validate)")
    print(f"ratio             {now / base:.2f}")
    print(f"decode only       {ms['decode_base']:.2f} ms float, {ms['decode_now']:.2f} ms Decimal")
    print(f"loopback page     {trip:.1f} ms (one transactions.page round trip, for scale)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
