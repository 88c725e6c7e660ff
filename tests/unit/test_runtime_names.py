"""Validation reads the runtime's names from its source instead of importing it (httpx
and pydantic cost half a second); what it reads must be what an import would give."""

from __future__ import annotations

import subprocess
import sys

from generator import runtime
from generator.runtime import AsyncAPIClient, SyncAPIClient
from generator.spec import collisions


def test_client_members_match_the_imported_classes() -> None:
    imported = {
        n for n in dir(SyncAPIClient) + dir(AsyncAPIClient) if not n.startswith("_")
    }
    assert collisions.client_members() == imported
    assert imported  # the check compares something


def test_reserved_class_names_hold_the_runtime_exports() -> None:
    assert set(runtime.__all__) <= collisions.reserved_class_names()
    assert collisions.reserved_class_names() - set(runtime.__all__) <= collisions._TEMPLATE_NAMES


def test_validating_a_spec_does_not_import_the_runtime() -> None:
    code = (
        "import sys; from generator.pipeline import validate; "
        "api, errors = validate('spec/vendnovation.yaml'); assert api is not None, errors; "
        "print(sorted(m for m in ('httpx', 'generator.runtime') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "[]"
