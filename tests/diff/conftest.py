"""Every fixture comparison of the diff tests, computed once per session.

``COMPARISONS`` names each (old spec, old stage, new spec, new stage) the tests use;
``test_every_rule_line_is_produced`` checks that together they produce every rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import build
from generator.diff.engine import Change, compare

SPECS = Path(__file__).parent / "specs"
CHANGES = SPECS / "changes.yaml"
AGAINST_OLD, AGAINST_NEW = SPECS / "against_old.yaml", SPECS / "against_new.yaml"
WIDE_OLD, WIDE_NEW = SPECS / "stagewide_old.yaml", SPECS / "stagewide_new.yaml"
FOLDED = SPECS / "folded.yaml"  # names bind ignoring case

COMPARISONS: dict[str, tuple[Path, str, Path, str]] = {
    "v1>v2": (CHANGES, "v1", CHANGES, "v2"),
    "v2>v3": (CHANGES, "v2", CHANGES, "v3"),
    "v2>v1": (CHANGES, "v2", CHANGES, "v1"),
    "against": (AGAINST_OLD, "v1", AGAINST_NEW, "v1"),
    "against-back": (AGAINST_NEW, "v1", AGAINST_OLD, "v1"),
    "wide": (WIDE_OLD, "v1", WIDE_NEW, "v1"),
    "wide-back": (WIDE_NEW, "v1", WIDE_OLD, "v1"),
    "folded": (FOLDED, "v1", FOLDED, "v2"),
}


@pytest.fixture(scope="session")
def all_changes() -> dict[str, list[Change]]:
    """Changes of every comparison in ``COMPARISONS``, by name."""
    apis = {path: build(path) for spec in COMPARISONS.values() for path in spec[::2]}
    return {
        name: compare(apis[a].stage(sa), apis[b].stage(sb))
        for name, (a, sa, b, sb) in COMPARISONS.items()
    }
