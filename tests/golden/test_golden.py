"""Golden trees: each fixture spec must generate exactly its committed ``expected/`` tree.

A deliberate change to the output is accepted with ``make regen-goldens``; the real
spec's golden is ``generated/`` itself, checked with ``routegen check``.
"""

from __future__ import annotations

import pytest

from generator.cli import main as routegen
from generator.emit.tree import Tree, short_diff

from .regen import GOLDEN, ROOT, at_root, cases, generate_case, read_tree

CASES = cases()
REQUIRED = {
    "minimal",
    "evolution",
    "paging_clamping",
    "errors",
    "wire_names",
    "dates_required",
    "rest_styles",
}
MAX_DIFFS = 3


def drift_report(case: str, expected: Tree, actual: Tree) -> str:
    """Missing, extra and differing files with the first diffs, and how to accept them."""
    missing = sorted(expected.keys() - actual.keys())
    extra = sorted(actual.keys() - expected.keys())
    differing = sorted(
        p for p in expected.keys() & actual.keys() if expected[p] != actual[p]
    )
    if not (missing or extra or differing):
        return ""
    lines = [f"golden case {case!r} drifted from tests/golden/{case}/expected/:"]
    lines += [f"  missing (expected, not generated): {p}" for p in missing]
    lines += [f"  extra (generated, not expected): {p}" for p in extra]
    lines += [f"  differs: {p}" for p in differing]
    if differing:
        lines.append(
            "diffs: '(on disk)' is the golden file, '(expected)' what routegen makes now"
        )
    for path in differing[:MAX_DIFFS]:
        lines.append(short_diff(expected[path], actual[path], path).rstrip("\n"))
    if len(differing) > MAX_DIFFS:
        lines.append(f"... and {len(differing) - MAX_DIFFS} more differing files")
    lines.append(
        "If the change is intended, run `make regen-goldens` and commit the result."
    )
    return "\n".join(lines)


def test_every_required_case_exists() -> None:
    assert set(CASES) >= REQUIRED
    for case in CASES:
        assert (
            GOLDEN / case / "expected"
        ).is_dir(), f"run `make regen-goldens` for {case}"


@pytest.mark.parametrize("case", CASES)
def test_golden_tree(case: str) -> None:
    expected = read_tree(GOLDEN / case / "expected")
    actual = generate_case(case)
    report = drift_report(case, expected, actual)
    assert not report, report


def test_drift_report_names_files_and_regen_command() -> None:
    expected = {"a/x.py": b"one\ntwo\n", "a/gone.py": b"", "a/same.py": b"s\n"}
    actual = {"a/x.py": b"one\nTWO\n", "a/new.py": b"", "a/same.py": b"s\n"}
    report = drift_report("demo", expected, actual)
    assert "missing (expected, not generated): a/gone.py" in report
    assert "extra (generated, not expected): a/new.py" in report
    assert "differs: a/x.py" in report
    assert "-two" in report and "+TWO" in report
    assert "a/same.py" not in report
    assert "make regen-goldens" in report
    assert drift_report("demo", expected, dict(expected)) == ""


def test_real_spec_golden_is_generated_dir(capsys: pytest.CaptureFixture[str]) -> None:
    with at_root():
        status = routegen(["check"])
    out = capsys.readouterr()
    assert (
        status == 0
    ), f"generated/ is stale; run `make generate`\n{out.out}\n{out.err}"
    assert (ROOT / "generated").is_dir()
