"""The generator and its templates name no vendor: vendor facts live in the spec only."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDORS = re.compile(r"vendnovation|infusion|nuvias|siphon", re.IGNORECASE)


def vendor_mentions(*roots: Path) -> list[str]:
    """``path:line: text`` for every line under ``roots`` that names a vendor."""
    hits = []
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            text = path.read_text("utf-8", errors="replace")
            for number, line in enumerate(text.splitlines(), 1):
                if VENDORS.search(line):
                    hits.append(f"{path}:{number}: {line.strip()}")
    return hits


def test_generator_and_templates_name_no_vendor() -> None:
    assert vendor_mentions(ROOT / "generator", ROOT / "templates") == []


def test_the_search_finds_a_vendor_name(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "x.py").write_text('"""Clean."""\nDEFAULT = "spec/Infusion.yaml"\n')
    expected = f"{tmp_path / 'pkg' / 'x.py'}:2: DEFAULT = \"spec/Infusion.yaml\""
    assert vendor_mentions(tmp_path) == [expected]
