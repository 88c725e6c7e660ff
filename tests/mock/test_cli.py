"""``routegen mock``: argument handling (serving itself is covered by the e2e tests)."""

from __future__ import annotations

import pytest
from mock_support import REAL

from generator.cli import main


def test_unknown_stage_exits_2_naming_the_known_stages(capsys: object) -> None:
    assert main(["mock", str(REAL), "--stage", "v9"]) == 2
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "v1, v2, v2.1, rc" in err


def test_stage_is_required() -> None:
    assert main(["mock", str(REAL)]) == 2


def test_soap_mock_needs_a_certificate(capsys: pytest.CaptureFixture[str]) -> None:
    soap = str(REAL.parent / "nuvias.yaml")
    assert main(["mock", soap, "--stage", "v10"]) == 2
    assert "a soap spec needs --cert PEM" in capsys.readouterr().err
    assert main(["mock", soap, "--stage", "v10", "--cert", "/nope.pem"]) == 2
    assert "--cert: No such file or directory" in capsys.readouterr().err
