"""``routegen diff``: positional forms, formats, --against, --fail-on and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main

SPECS = Path(__file__).parent / "specs"
CHANGES = str(SPECS / "changes.yaml")
REAL = Path("spec/vendnovation.yaml")


def test_text_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", CHANGES, "v2", "v3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("v2 → v3 (")
    assert "  BREAKING  alerts.list: route filter AlertFilter removed" in out


@pytest.mark.parametrize(
    ("fail_on", "old", "new", "status"),
    [
        ("breaking", "v1", "v2", 1),
        ("any", "v1", "v2", 1),
        ("breaking", "v2", "v3", 1),
        (None, "v1", "v2", 0),
    ],
)
def test_fail_on(
    capsys: pytest.CaptureFixture[str],
    fail_on: str | None,
    old: str,
    new: str,
    status: int,
) -> None:
    extra = ["--fail-on", fail_on] if fail_on else []
    assert main(["diff", CHANGES, old, new, *extra]) == status


def test_fail_on_breaking_passes_when_only_additions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    old, new = str(SPECS / "against_new.yaml"), str(SPECS / "against_old.yaml")
    assert main(["diff", old, "v1", "v1", "--against", old, "--fail-on", "any"]) == 0
    assert (
        main(["diff", old, "v1", "v1", "--against", new, "--fail-on", "breaking"]) == 1
    )


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", CHANGES, "v2", "v3", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["summary"] == {"breaking": 2, "total": 5}
    files = {c["location"].rsplit(":", 2)[0] for c in document["changes"]}
    assert len(files) == 1 and files.pop().endswith("changes.yaml")


def test_markdown_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", CHANGES, "v1", "v2", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## v1 → v2\n")
    assert "### Breaking changes" in out


def test_against(capsys: pytest.CaptureFixture[str]) -> None:
    old, new = str(SPECS / "against_old.yaml"), str(SPECS / "against_new.yaml")
    assert (
        main(["diff", old, "v1", "v1", "--against", new, "--fail-on", "breaking"]) == 1
    )
    out = capsys.readouterr().out
    assert "error code GENERIC_ERROR status changed from 400 to 422" in out
    assert "against_old.yaml:19:3]" in out  # a removal points into the old file


def test_unknown_stage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", CHANGES, "v1", "v9"]) == 2
    err = capsys.readouterr().err
    assert "unknown stage 'v9'" in err and "v1, v2, v3" in err


def test_same_stage_twice(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", CHANGES, "v2", "v2"]) == 2
    assert "same stage" in capsys.readouterr().err


def test_spec_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(SPECS / "broken.yaml"), "v1", "v2"]) == 2
    err = capsys.readouterr().err
    assert "broken.yaml:19:5: error:" in err


def test_missing_spec_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["diff", str(tmp_path / "nope.yaml"), "v1", "v2"]) == 2


def test_wrong_argument_count(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "v1"]) == 2
    assert main(["diff", CHANGES, "v1", "v2", "v3"]) == 2
    assert main(["diff", CHANGES, "v1", "v2", "--format", "html"]) == 2


def test_bad_against_file(capsys: pytest.CaptureFixture[str]) -> None:
    broken = str(SPECS / "broken.yaml")
    assert main(["diff", CHANGES, "v1", "v2", "--against", broken]) == 2


needs_real_spec = pytest.mark.skipif(
    not REAL.exists(), reason="spec/vendnovation.yaml is not there yet"
)


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).parents[2])


@needs_real_spec
@pytest.mark.usefixtures("at_root")
def test_real_v2_to_v2_1_is_not_breaking(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["diff", "spec/vendnovation.yaml", "v2", "v2.1", "--fail-on", "breaking"])
        == 0
    )


@needs_real_spec
@pytest.mark.usefixtures("at_root")
def test_real_spec_two_positionals(capsys: pytest.CaptureFixture[str]) -> None:
    # spec/ holds two specs: diff refuses to guess, and takes the one named.
    assert main(["diff", "v2", "v2.1"]) == 2
    assert "spec/infusion.yaml, spec/vendnovation.yaml" in capsys.readouterr().err
    assert main(["diff", "spec/vendnovation.yaml", "v2", "v2.1"]) == 0
    assert "(spec/vendnovation.yaml)" in capsys.readouterr().out.splitlines()[0]


@needs_real_spec
@pytest.mark.usefixtures("at_root")
def test_real_rc_breaks(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["diff", "spec/vendnovation.yaml", "v2.1", "rc", "--fail-on", "breaking"]
    assert main([*args, "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    breaking = {(c["subject"], c["kind"]) for c in document["changes"] if c["breaking"]}
    # The only evidenced break: the transactions report moved under /reports/.
    assert breaking == {("route transactions.list", "route-path-changed")}
    path = next(
        c
        for c in document["changes"]
        if c["kind"] == "route-path-changed"
        and c["subject"] == "route transactions.list"
    )
    assert "/reports/transactions" in path["message"]
    assert path["location"].startswith("spec/vendnovation.yaml:")


@needs_real_spec
@pytest.mark.usefixtures("at_root")
def test_real_stages_report(capsys: pytest.CaptureFixture[str]) -> None:
    from generator import build
    from generator.diff.report import stages_report

    report = stages_report(build("spec/vendnovation.yaml"))
    assert report.splitlines()[0] == (
        "<!-- generated by routegen from vendnovation.yaml — do not edit -->"
    )
    headings = [line for line in report.splitlines() if line.startswith("## ")]
    assert headings == [
        "## The stages at a glance",
        "## v1 → v2",
        "## v2 → v2.1",
        "## v2.1 → rc",
    ]
