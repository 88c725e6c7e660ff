"""Provenance: ``source:`` on spec elements, ``routegen sources``, diff tags, docstrings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator import Api, build
from generator.cli import main
from generator.cli.sources import ELEMENTS, KINDS, provenance, stage_sources
from generator.diff.engine import compare

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "vendnovation.yaml"
MINIMAL = ROOT / "tests" / "specs" / "valid" / "minimal.yaml"
OBSERVED = "observed: third-party Python client (newer revision)"


@pytest.fixture(scope="module")
def api() -> Api:
    return build(SPEC)


def test_provenance_kinds() -> None:
    assert provenance("doc: Get Transactions") == "doc"
    assert provenance(OBSERVED) == "observed"
    assert provenance("platform: AWS API Gateway") == "platform"
    assert provenance("proposal") == "proposal"
    assert provenance("proposal: a note") == "proposal"
    assert provenance(None) == "none"


@pytest.mark.parametrize("stage", ["v1", "v2", "v2.1", "rc"])
def test_every_element_of_the_real_spec_names_its_source(api: Api, stage: str) -> None:
    counts = stage_sources(api.stage(stage))
    assert set(counts) == set(ELEMENTS)
    for element, by_kind in counts.items():
        assert by_kind["none"] == 0, (stage, element)
    routes = api.stage(stage).routes
    assert counts["routes"]["doc"] == sum(
        (r.source or "").startswith("doc: ") for r in routes
    )


def test_sources_command_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", str(SPEC)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["stage", "element", *KINDS, "total"]
    rows = [line.split() for line in lines[2:]]
    assert len(rows) == 4 * len(ELEMENTS)
    rc_routes = next(r for r in rows if r[:2] == ["rc", "routes"])
    assert int(rc_routes[-1]) == 33 and rc_routes[-2] == "0"  # 33 routes, none unsourced


def test_sources_command_json_and_stage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", str(SPEC), "--stage", "rc", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert list(document["stages"]) == ["rc"]
    changes = document["stages"]["rc"]["changes"]
    assert changes["observed"] == 1  # the transactions report moved under /reports/


def test_sources_command_input_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources", str(SPEC), "--stage", "v9"]) == 2
    assert "unknown stage 'v9'" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    text = MINIMAL.read_text("utf-8")
    bad.write_text(text.replace("routes:\n", "routes:\n", 1).replace(
        "  - name: ", "  - source: a guess\n    name: ", 1
    ), "utf-8")
    assert main(["sources", str(bad)]) == 2
    err = capsys.readouterr().err
    # The file is named relative to the working directory, wherever the checkout is.
    assert re.search(r"bad\.yaml:\d+:\d+: error: 'a guess' does not match", err), err


def test_diff_tags_each_change_with_its_source(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    changes = {(c.subject, c.kind): c for c in compare(api.stage("v2.1"), api.stage("rc"))}
    moved = changes[("route transactions.list", "route-path-changed")]
    assert moved.breaking and moved.source == OBSERVED
    assert changes[("model ProductSalesStat", "model-added")].source == "proposal"
    assert all(c.source for c in changes.values())
    assert main(["diff", str(SPEC), "v2.1", "rc", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert {c["source"] for c in document["changes"]} >= {OBSERVED, "proposal"}
    assert main(["diff", str(SPEC), "v2.1", "rc"]) == 0
    assert f"{{source: {OBSERVED}}}" in capsys.readouterr().out


def test_sources_reach_docstrings_and_the_readme(api: Api) -> None:
    package = ROOT / "generated" / "vendnovation_rc"
    groups = sorted((package / "vendnovation_rc" / "resources").glob("*.py"))
    resources = "".join(p.read_text("utf-8") for p in groups)
    assert "Source: doc: Get Transactions." in resources
    assert f"Stage changes (path): {OBSERVED}." in resources
    models = (package / "vendnovation_rc" / "models.py").read_text("utf-8")
    assert "Source: doc: Session models." in models
    readme = (package / "README.md").read_text("utf-8")
    assert "| summary | source |" in readme
    assert "| `POST /reports/transactions` |" in readme
    row = next(line for line in readme.splitlines() if "/reports/transactions" in line)
    assert row.rstrip().endswith("| doc: Get Transactions |")


def test_spec_comments_name_documents_not_machine_paths() -> None:
    text = SPEC.read_text("utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert comments and not any("/work/" in c or "/home/" in c for c in comments)
