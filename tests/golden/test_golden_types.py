"""Every golden package type-checks: goldens are generated code users would vendor."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # mypy --strict --no-incremental over every golden package
def test_every_golden_package_passes_mypy_strict() -> None:
    packages = sorted(
        pkg / pkg.name
        for pkg in ROOT.glob("tests/golden/*/expected/*")
        if (pkg / pkg.name / "__init__.py").is_file()
    )
    assert len(packages) >= 5
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *map(str, packages)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:]
