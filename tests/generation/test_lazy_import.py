"""Importing a generated package builds no model: models, filters and resource groups
load on first use (PEP 562 ``__getattr__`` and cached client properties), and what
they load is the same object an eager import would give."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """
import sys
import vendnovation_v2_1 as pkg

def loaded(name):
    return f"vendnovation_v2_1.{name}" in sys.modules

assert not loaded("models") and not loaded("filters"), "import built models"
assert not any(loaded(f"resources.{g}") for g in ("machines", "sites")), "groups"
client = pkg.Client(base_url="http://127.0.0.1:9", api_key="k", username="u", password="p")
assert not loaded("resources.machines"), "a client loads its groups"
machines = client.machines
assert loaded("resources.machines") and not loaded("resources.sites")
assert client.machines is machines, "a group is built once per client"
from vendnovation_v2_1.models import Machine
assert pkg.Machine is Machine and loaded("models")
from vendnovation_v2_1 import AlertFilter
from vendnovation_v2_1.filters import AlertFilter as Direct
assert AlertFilter is Direct
assert {"Machine", "AlertFilter", "Client"} <= set(dir(pkg))
try:
    pkg.NoSuchName
except AttributeError as exc:
    assert "NoSuchName" in str(exc)
else:
    raise AssertionError("unknown names must raise AttributeError")
print("ok")
"""


def test_models_filters_and_groups_load_on_first_use() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "generated" / "vendnovation_v2_1")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
