"""The CLI as a tool: the warm path (cached model and tree), help texts, mock serving
and logging, stray arguments and the command suggested on staleness."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import httpx
import pytest

from generator.cli import main
from generator.cli.mock import DEFAULTS

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "specs" / "valid" / "minimal.yaml"
HEAVY = (
    "black",
    "jsonschema",
    "datamodel_code_generator",
    "jinja2",
    "starlette",
    "lxml",  # the wsdl command's
    "generator.importer.openapi",  # import-openapi's: other commands are not imported
)
PROBE = (
    "import sys; from generator.cli import main; rc = main(sys.argv[1:]); "
    f"print('heavy:', [m for m in {HEAVY!r} if m in sys.modules]); sys.exit(rc)"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "spec").mkdir()
    shutil.copy(MINIMAL, tmp_path / "spec" / "acme.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ROUTEGEN_CACHE", str(tmp_path / "cache"))
    return tmp_path


def probe(*argv: str) -> subprocess.CompletedProcess[str]:
    """``routegen ARGV`` in a fresh interpreter, reporting which heavy modules it imported."""
    return subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )


@pytest.mark.slow  # four fresh interpreters, one cold generate
def test_a_warm_generate_and_check_import_no_heavy_module(project: Path) -> None:
    cold = probe("generate", "--out", "out")
    assert cold.returncode == 0, cold.stderr
    assert "black" in cold.stdout  # the cold run rendered and formatted
    for argv in (("generate", "--out", "out"), ("check", "--out", "out"), ("validate",)):
        warm = probe(*argv)
        assert warm.returncode == 0, warm.stderr
        assert "heavy: []" in warm.stdout


def test_an_edited_spec_is_never_served_from_the_cache(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--out", "out"]) == 0
    spec = project / "spec" / "acme.yaml"
    spec.write_text(spec.read_text().replace("Display name.", "The display name."))
    assert main(["check", "--out", "out"]) == 1
    assert "run `routegen generate --out out`" in capsys.readouterr().err
    spec.write_text(spec.read_text().replace("routes:", "routes:\n  - bad"))
    assert main(["check", "--out", "out"]) == 2


def test_an_empty_routegen_cache_turns_caching_off(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROUTEGEN_CACHE", "")
    assert main(["validate"]) == 0
    assert not (project / "cache").exists() and not (project / ".routegen-cache").exists()


def test_check_suggests_the_command_that_was_meant(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "spec/acme.yaml", "--out", "elsewhere"]) == 0
    (project / "elsewhere" / "STAGES.md").unlink()
    assert main(["check", "spec/acme.yaml", "--out", "elsewhere"]) == 1
    err = capsys.readouterr().err
    assert "run `routegen generate spec/acme.yaml --out elsewhere`" in err


def test_diff_names_a_stray_argument(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "v1", "v2", "extra"]) == 2
    err = capsys.readouterr().err
    assert "unexpected argument 'extra'" in err and "cannot read spec" not in err


def test_help_is_written_for_users(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "typed Python client packages" in out and "Thin command line" not in out
    assert main(["mock", "--help"]) == 0
    mock_help = capsys.readouterr().out
    for option in ("--host", "--port", "--seed", "--records", "--api-key", "--quiet"):
        line = next(ln for ln in mock_help.splitlines() if ln.strip().startswith(option))
        assert line.split(option, 1)[1].strip(), f"{option} has no help"
    assert "(default: 8000)" in mock_help


def test_mock_defaults_are_the_mock_configs() -> None:
    from generator.mock.config import MockConfig

    config = MockConfig()
    assert {k: getattr(config, k) for k in DEFAULTS} == DEFAULTS
    assert set(DEFAULTS) <= {f.name for f in fields(MockConfig)}


@pytest.mark.slow  # a served mock in a subprocess
def test_mock_binds_before_the_ready_line_and_logs_each_request(project: Path) -> None:
    argv = [sys.executable, "-m", "generator.cli", "mock", "spec/acme.yaml"]
    proc = subprocess.Popen(
        [*argv, "--stage", "v1", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert proc.stdout is not None
        ready = proc.stdout.readline()
        url = ready.split(" at ", 1)[1].split()[0]
        assert url.startswith("http://127.0.0.1:") and not url.startswith("http://127.0.0.1:0/")
        # No retry loop: the port accepts connections once the line is printed.
        response = httpx.post(f"{url}/widgets", timeout=30)
        for _ in range(3):
            line = proc.stdout.readline()
            if line.startswith("POST"):
                break
        assert line.startswith(f"POST /v1/widgets {response.status_code} ")
        assert line.rstrip().endswith("ms")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_mock_reports_a_port_in_use(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["mock", "spec/acme.yaml", "--stage", "v1", "--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
