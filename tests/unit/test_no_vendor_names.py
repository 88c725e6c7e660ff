"""The generator and its templates are vendor-neutral: every vendor lives in spec/ only."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDORS = re.compile(r"vendnovation|infusion|nuvias|siphon", re.IGNORECASE)
# The CLI's default spec path (one constant, and the mock's copy of it) is the one
# vendor reference left; it goes when SPEC defaults to every spec/*.yaml.
ALLOWED = {
    ("generator/cli.py", 'DEFAULT_SPEC = "spec/vendnovation.yaml"'),
    (
        "generator/mock/cli.py",
        'p.add_argument("spec", nargs="?", default="spec/vendnovation.yaml")',
    ),
}


def _hits() -> list[tuple[str, int, str]]:
    found = []
    for top in ("generator", "templates"):
        for path in sorted((ROOT / top).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            rel = path.relative_to(ROOT).as_posix()
            text = path.read_text("utf-8", errors="replace")
            for no, line in enumerate(text.splitlines(), 1):
                if VENDORS.search(line) and (rel, line.strip()) not in ALLOWED:
                    found.append((rel, no, line.strip()))
    return found


def test_generator_and_templates_name_no_vendor() -> None:
    assert _hits() == []


def test_the_check_finds_a_vendor_name(tmp_path: Path) -> None:
    # The pattern itself must match what it guards against (case-insensitively).
    assert VENDORS.search("class InfusionClient:")
    assert VENDORS.search("# NUVIAS soap")
    assert not VENDORS.search("vendor-neutral code")
