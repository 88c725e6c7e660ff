"""``routegen check``: 0 when fresh, 1 naming every stale/missing/extra file, 2 on spec errors.

Check must never write, and a spec change that touches one stage must leave every
other stage's package byte-identical.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

import generator
from generator.cli import main as routegen
from generator.formatting import Formatter
from generator.generate import Tree, build_tree, compare_tree, package_roots

from .conftest import ROOT, SPEC, STAGE_PACKAGES, cwd, tree_digest

CLI_SAMPLE = [
    "vendnovation_v2_1/vendnovation_v2_1/_api.py",
    "vendnovation_v1/vendnovation_v1/models.py",
    "vendnovation_rc/vendnovation_rc/_runtime/_retry.py",
    "vendnovation_v2/README.md",
    "vendnovation_v2/pyproject.toml",
    "STAGES-vendnovation.md",
]


def check(
    out: Path, capsys: pytest.CaptureFixture[str], spec: str = SPEC
) -> tuple[int, str]:
    """Run ``routegen check SPEC --out OUT``; status and stdout+stderr, asserting no writes."""
    before = tree_digest(out) if out.exists() else None
    status = routegen(["check", spec, "--out", str(out)])
    captured = capsys.readouterr()
    if before is not None:
        assert (
            tree_digest(out) == before
        ), "routegen check modified the output directory"
    return status, captured.out + captured.err


def flip_byte(path: Path) -> None:
    """Change exactly one byte in the middle of ``path``."""
    data = bytearray(path.read_bytes())
    i = len(data) // 2
    data[i] = ord("x") if data[i] != ord("x") else ord("y")
    path.write_bytes(bytes(data))


def test_fresh_copy_of_committed_generated_dir_is_fresh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "generated"
    shutil.copytree(
        ROOT / "generated", out, ignore=shutil.ignore_patterns("__pycache__")
    )
    status, text = check(out, capsys)
    assert status == 0, text
    assert "up to date" in text


def test_fresh_output_is_fresh(
    out_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, text = check(out_copy, capsys)
    assert status == 0, text


def test_tool_caches_inside_output_are_ignored(
    out_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = out_copy / "vendnovation_v1" / "vendnovation_v1" / "__pycache__"
    cache.mkdir()
    (cache / "models.cpython-311.pyc").write_bytes(b"\0")
    status, text = check(out_copy, capsys)
    assert status == 0, text


@pytest.mark.parametrize("rel", CLI_SAMPLE)
def test_one_changed_byte_is_stale_with_diff(
    rel: str, out_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flip_byte(out_copy / rel)
    status, text = check(out_copy, capsys)
    assert status == 1, text
    assert f"stale: {out_copy}/{rel}" in text
    assert f"--- {rel} (on disk)" in text and f"+++ {rel} (expected)" in text
    assert "\n-" in text and "\n+" in text
    assert "missing:" not in text and "extra:" not in text


def test_every_file_detects_one_changed_byte(real_tree: Tree, out_copy: Path) -> None:
    roots = package_roots(real_tree)
    for rel, data in real_tree.items():
        target = out_copy / rel
        if not data:  # py.typed: nothing to change; appending a byte must show instead
            target.write_bytes(b"#")
        else:
            flip_byte(target)
        drift = compare_tree(real_tree, out_copy, roots)
        assert drift.stale == [rel], rel
        assert rel in drift.diffs
        target.write_bytes(data)
    assert compare_tree(real_tree, out_copy, roots).fresh


@pytest.mark.parametrize(
    "rel",
    [
        "vendnovation_v2/vendnovation_v2/filters.py",
        "vendnovation_rc/vendnovation_rc/py.typed",
        "STAGES-vendnovation.md",
    ],
)
def test_deleted_file_is_missing(
    rel: str, out_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (out_copy / rel).unlink()
    status, text = check(out_copy, capsys)
    assert status == 1, text
    assert f"missing: {out_copy}/{rel}" in text
    assert "stale:" not in text


def test_deleted_package_is_missing(
    out_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(out_copy / "vendnovation_v2_1")
    status, text = check(out_copy, capsys)
    assert status == 1, text
    assert (
        f"missing: {out_copy}/vendnovation_v2_1/vendnovation_v2_1/__init__.py" in text
    )


@pytest.mark.parametrize(
    "rel",
    [
        "vendnovation_v1/vendnovation_v1/extra.py",
        "vendnovation_v2_1/vendnovation_v2_1/_runtime/_patch.py",
        "vendnovation_rc/NOTES.md",
        "vendnovation_v9/vendnovation_v9/__init__.py",  # a stage dir the spec does not have
    ],
)
def test_extra_file_is_listed(
    rel: str, out_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (out_copy / rel).parent.mkdir(parents=True, exist_ok=True)
    (out_copy / rel).write_text("# hand edit\n")
    status, text = check(out_copy, capsys)
    assert status == 1, text
    assert f"extra: {out_copy}/{rel}" in text
    assert "stale:" not in text and "missing:" not in text


def test_missing_output_dir_is_stale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nothing"
    status, text = check(out, capsys)
    assert status == 1, text
    assert "missing:" in text
    assert not out.exists()


def test_spec_with_errors_exits_2(
    out_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    text = (
        (ROOT / SPEC)
        .read_text("utf-8")
        .replace("response: {list_of: Machine}", "response: {list_of: Nope}", 1)
    )
    assert "Nope" in text
    bad.write_text(text, "utf-8")
    status, output = check(out_copy, capsys, str(bad))
    assert status == 2, output
    assert "Nope" in output
    assert "Traceback" not in output


def test_unparseable_spec_exits_2(
    out_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("routespec: 1\napi: {name: [unclosed\n", "utf-8")
    status, output = check(out_copy, capsys, str(bad))
    assert status == 2, output


# -- one-stage spec changes leave the other packages byte-identical -------------------------


def _rc_max_range(raw: dict[str, Any]) -> None:
    route = next(r for r in raw["routes"] if r["name"] == "transactions.list")
    route["changes"]["rc"]["max_range"] = "14d"


def _rc_new_route(raw: dict[str, Any]) -> None:
    raw["routes"].append(
        {
            "name": "reports.cash_audit",
            "method": "POST",
            "path": "/reports/cash-audit",
            "summary": "Cash audits (rc only).",
            "since": "rc",
            "paged": True,
            "request_filter": ["startDate", "endDate", "siteIds"],
            "response": {"list_of": "Machine"},
            "max_range": "7d",
        }
    )


def _tree_from(raw: dict[str, Any], directory: Path, formatter: Formatter) -> Tree:
    directory.mkdir()
    (directory / "spec.yaml").write_text(yaml.safe_dump(raw, sort_keys=False), "utf-8")
    with cwd(directory):  # same display path ("spec.yaml") for both trees
        return build_tree(generator.build("spec.yaml"), formatter=formatter)


@pytest.mark.parametrize(
    "mutate", [_rc_max_range, _rc_new_route], ids=["rc-max-range", "rc-new-route"]
)
def test_rc_only_change_touches_only_rc_package(mutate: Any, tmp_path: Path) -> None:
    raw = yaml.safe_load((ROOT / SPEC).read_text("utf-8"))
    formatter = Formatter(
        tmp_path / "cache"
    )  # shared: the second build reuses the first
    before = _tree_from(raw, tmp_path / "before", formatter)
    mutate(raw)
    after = _tree_from(raw, tmp_path / "after", formatter)
    changed = {p.split("/", 1)[0] for p in before.keys() ^ after.keys()}
    changed |= {
        p.split("/", 1)[0]
        for p in before.keys() & after.keys()
        if before[p] != after[p]
    }
    assert "vendnovation_rc" in changed
    assert changed - {"STAGES-vendnovation.md"} == {"vendnovation_rc"}
    assert set(package_roots(after)) == {*STAGE_PACKAGES, "STAGES-vendnovation.md"}
