"""``routegen diff --against git:REV``: the baseline read with ``git show`` from a revision."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main

MINIMAL = Path(__file__).resolve().parents[1] / "specs" / "valid" / "minimal.yaml"
NAME_LINE = "      name: {type: string, max_length: 50, description: Display name.}\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.test", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two commits of ``spec/acme.yaml``: the minimal spec, then ``Widget.name`` removed."""
    (tmp_path / "spec").mkdir()
    spec = tmp_path / "spec" / "acme.yaml"
    spec.write_text(MINIMAL.read_text())
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "first")
    spec.write_text(MINIMAL.read_text().replace(NAME_LINE, ""))
    git(tmp_path, "commit", "-qam", "second")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_diff_against_the_previous_commit(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--against", "git:HEAD~1", "--fail-on", "breaking"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("HEAD~1:spec/acme.yaml:v1 → spec/acme.yaml:v1")
    assert "BREAKING  field Widget.name removed" in out
    assert "[HEAD~1:spec/acme.yaml:22:7]" in out  # the removal points into the old revision


def test_the_ci_recipe_with_a_named_stage_and_uncommitted_edits(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = repo / "spec" / "acme.yaml"
    argv = ["diff", "spec/acme.yaml", "v1", "--against", "git:HEAD", "--format", "markdown"]
    assert main([*argv, "--fail-on", "any"]) == 0
    assert "No changes." in capsys.readouterr().out
    spec.write_text(MINIMAL.read_text())  # uncommitted: the required field is back
    assert main([*argv, "--fail-on", "breaking"]) == 1  # writers must now send it
    out = capsys.readouterr().out
    assert out.startswith("## HEAD:spec/acme.yaml:v1 → spec/acme.yaml:v1")
    assert "### Breaking changes" in out and "field Widget.name (string) added" in out


def test_an_unknown_revision_is_a_usage_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "--against", "git:no-such-rev"]) == 2
    err = capsys.readouterr().err
    assert "cannot read spec/acme.yaml at no-such-rev" in err and "Traceback" not in err
