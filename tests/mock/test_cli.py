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


def test_plan_options_replace_the_spec_plan_and_slack_defaults_to_strict() -> None:
    import argparse
    from datetime import timedelta

    from generator.cli.mock import _with_plan
    from generator.mock.config import MockConfig
    from generator.spec.model import Limits

    spec = Limits(rate=20, burst=100, quota=5000, quota_period=timedelta(days=1))
    args = argparse.Namespace(no_limits=False, rate=40.0, burst=None, quota=300)
    config = _with_plan(MockConfig(), spec, args)
    assert config.limits is not None and config.limit_slack == 0.0
    assert (config.limits.rate, config.limits.burst, config.limits.quota) == (40, 100, 300)
    same = argparse.Namespace(no_limits=False, rate=None, burst=None, quota=None)
    assert _with_plan(MockConfig(), spec, same).limits is None


def test_soap_mock_needs_a_certificate(capsys: pytest.CaptureFixture[str]) -> None:
    soap = str(REAL.parent / "nuvias.yaml")
    assert main(["mock", soap, "--stage", "v10"]) == 2
    assert "a soap spec needs --cert PEM" in capsys.readouterr().err
    assert main(["mock", soap, "--stage", "v10", "--cert", "/nope.pem"]) == 2
    assert "--cert: No such file or directory" in capsys.readouterr().err
