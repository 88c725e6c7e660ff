"""The lock of released stages (``routegen lock``): a released stage cannot change by accident.

Fixture: the minimal spec with a released ``v1`` and a prerelease ``v2``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main as routegen

SPEC = Path(__file__).resolve().parents[1] / "specs" / "valid" / "minimal.yaml"
NAME_LINE = "      name: {type: string, max_length: 50, description: Display name.}\n"


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A two-stage copy of the minimal spec, locked."""
    text = SPEC.read_text().replace(
        "  - {name: v1, description: First release.}\n",
        "  - {name: v1, description: First release.}\n"
        "  - {name: v2, description: Next., prerelease: true}\n",
    )
    path = tmp_path / "acme.yaml"
    path.write_text(text)
    monkeypatch.chdir(tmp_path)
    assert routegen(["lock", "acme.yaml"]) == 0
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_lock_is_written_next_to_the_spec_sorted_and_stable(spec: Path) -> None:
    lock = spec.with_suffix(".lock.json")
    first = lock.read_bytes()
    doc = json.loads(first)
    assert doc["released"] == ["v1"]  # the prerelease stage is not locked
    fields = doc["surface"]["v1"]["models"]["Widget"]
    assert fields["name"] == "string (python: name)"
    assert doc["surface"]["v1"]["routes"]["widgets.list"]["call"] == "POST /widgets"
    assert first == json.dumps(doc, indent=1, sort_keys=True).encode() + b"\n"
    assert routegen(["lock", "acme.yaml"]) == 0
    assert lock.read_bytes() == first


def test_renaming_a_released_field_in_place_is_a_located_lock_error(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(spec, NAME_LINE, NAME_LINE.replace("name:", "title:", 1))
    for command in (["validate"], ["generate", "--out", "out"], ["check"]):
        assert routegen([*command, "acme.yaml"]) == 2
        err = capsys.readouterr().err
        assert "acme.yaml:21:5:" in err  # the Widget "fields:" line: the field is gone
        assert "field Widget.name removed in released stage v1 breaks the lock" in err
        assert "`until: v2`" in err and "`since: v2`" in err and "renamed_from:" in err
    assert not (spec.parent / "out").exists()


def test_the_same_rename_through_until_since_renamed_from_passes(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        spec,
        NAME_LINE,
        NAME_LINE.replace("description", "until: v2, description")
        + "      title: {type: string, since: v2, renamed_from: name, description: Title.}\n",
    )
    assert routegen(["validate", "acme.yaml"]) == 0
    assert capsys.readouterr().err == ""
    assert routegen(["diff", "acme.yaml", "v1", "v2"]) == 0
    assert "field Widget.name renamed to title" in capsys.readouterr().out


def test_an_addition_is_a_note_until_the_lock_is_updated(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(spec, NAME_LINE, NAME_LINE + "      colour: {type: \"string?\"}\n")
    assert routegen(["validate", "acme.yaml"]) == 0
    err = capsys.readouterr().err
    assert "note: field Widget.colour (string?) added in released stage v1" in err
    assert "routegen lock --update" in err
    assert routegen(["lock", "acme.yaml"]) == 1  # refuses without --update
    assert routegen(["lock", "acme.yaml", "--update"]) == 0
    capsys.readouterr()
    assert routegen(["validate", "acme.yaml"]) == 0
    assert capsys.readouterr().err == ""


def test_a_deliberate_break_needs_accept_breaking(spec: Path) -> None:
    edit(spec, NAME_LINE, "")
    assert routegen(["lock", "acme.yaml", "--update"]) == 1
    assert routegen(["lock", "acme.yaml", "--update", "--accept-breaking"]) == 0
    assert routegen(["validate", "acme.yaml"]) == 0


def test_removing_a_released_stage_breaks_the_lock(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(spec, "  - {name: v1, description: First release.}\n", "")
    edit(spec, "name: v2, description: Next., prerelease: true", "name: v2, description: Next.")
    assert routegen(["validate", "acme.yaml"]) == 2
    assert "released stage 'v1' removed" in capsys.readouterr().err


def test_a_broken_lock_file_is_reported_at_the_lock(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec.with_suffix(".lock.json").write_text("{")
    assert routegen(["validate", "acme.yaml"]) == 2
    assert "acme.lock.json:1:1: error: lock file is not valid JSON" in capsys.readouterr().err
