"""Spec discovery: with SPEC omitted, validate/generate/check act on every ``spec/*.yaml``;
diff, mock and openapi take the only one or fail with a usage error naming the candidates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main as routegen

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


@pytest.fixture
def two_specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "spec").mkdir()
    shutil.copy(GOLDEN / "evolution" / "spec.yaml", tmp_path / "spec" / "b_evo.yaml")
    shutil.copy(GOLDEN / "minimal" / "spec.yaml", tmp_path / "spec" / "a_min.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_validate_without_spec_checks_every_spec_in_order(
    two_specs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert routegen(["validate"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(line.startswith("ok: ") for line in lines)
    assert lines[1].startswith("ok: 2 stages")  # b_evo.yaml comes second


def test_one_bad_spec_fails_validate_but_every_spec_reports(
    two_specs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (two_specs / "spec" / "a_min.yaml").write_text("api: [\n")
    assert routegen(["validate"]) == 2
    captured = capsys.readouterr()
    assert "spec/a_min.yaml:" in captured.err
    assert captured.out.startswith("ok: 2 stages")


def test_generate_then_check_without_spec_cover_every_spec(
    two_specs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert routegen(["generate", "--out", "out"]) == 0
    roots = sorted(p.name for p in (two_specs / "out").iterdir() if p.is_dir())
    assert roots == ["acme_v1", "evo_v1", "evo_v2"]
    stages = (two_specs / "out" / "STAGES.md").read_text()
    assert stages.index("a_min.yaml") < stages.index("b_evo.yaml")  # one file, both specs
    assert routegen(["check", "--out", "out"]) == 0
    shutil.rmtree(two_specs / "out" / "evo_v2")
    assert routegen(["check", "--out", "out"]) == 1


@pytest.mark.parametrize(
    "argv",
    [["diff", "v1", "v2"], ["openapi", "--stage", "v1"], ["mock", "--stage", "v1"]],
)
def test_single_spec_commands_refuse_to_guess_between_two(
    two_specs: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert routegen(argv) == 2
    err = capsys.readouterr().err
    assert f"routegen {argv[0]}: error: give SPEC" in err
    assert "spec/a_min.yaml, spec/b_evo.yaml" in err


def test_single_spec_commands_take_the_only_spec(
    two_specs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (two_specs / "spec" / "a_min.yaml").unlink()
    assert routegen(["diff", "v1", "v2"]) == 0
    assert "gadgets" in capsys.readouterr().out


def test_no_spec_at_all_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert routegen(["check"]) == 2
    assert "no SPEC given and no spec/*.yaml found" in capsys.readouterr().err


def test_a_named_spec_replaces_only_its_section_of_the_shared_stages_file(
    two_specs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert routegen(["generate", "--out", "out"]) == 0
    shared = (two_specs / "out" / "STAGES.md").read_bytes()
    assert routegen(["generate", "spec/b_evo.yaml", "--out", "out"]) == 0
    assert (two_specs / "out" / "STAGES.md").read_bytes() == shared
    assert routegen(["check", "spec/a_min.yaml", "--out", "out"]) == 0
    # A changed spec rewrites its own section; the other spec's section stays.
    spec = two_specs / "spec" / "b_evo.yaml"
    spec.write_text(spec.read_text().replace("title: ", "title: Renamed ", 1))
    assert routegen(["generate", "spec/b_evo.yaml", "--out", "out"]) == 0
    stages = (two_specs / "out" / "STAGES.md").read_text()
    assert "Renamed" in stages and "a_min.yaml" in stages
    assert stages.index("a_min.yaml") < stages.index("b_evo.yaml")
    assert routegen(["check", "--out", "out"]) == 0
