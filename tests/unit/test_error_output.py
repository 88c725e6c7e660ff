"""Error output stays readable at scale: capped count, shortened values (issue 11 §4).

A large synthetic spec with thousands of errors prints the first ``DEFAULT_MAX_ERRORS``,
then "... and K more" and the total; a long value quoted in a message is cut to a
glimpse with its length. No timing is asserted here (speed belongs in ``bench/``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import generator
from generator.cli import main
from generator.cli.common import DEFAULT_MAX_ERRORS
from generator.spec.errors import MAX_MESSAGE, SpecError, short_repr

MODELS, FIELDS = 40, 60  # 2,400 unknown-type errors


def _many_errors_spec() -> dict[str, Any]:
    models = {
        f"Part{m}": {"fields": {f"slot{f}": {"type": "Missing"} for f in range(FIELDS)}}
        for m in range(MODELS)
    }
    return {
        "routespec": 1,
        "api": {"name": "many", "title": "Many", "base_url": "https://m.test/{stage}"},
        "stages": [{"name": "v1", "description": "Only."}],
        "auth": {"api_key": {"header": "x-api-key"}},
        "limits": {"rate": 1, "burst": 1},
        "pagination": {"style": "headers"},
        "models": models,
        "errors": {"codes": {"OOPS": {"status": 400, "description": "Oops."}}},
        "routes": [
            {"name": "a.get", "method": "GET", "path": "/a", "summary": "A.", "response": "text"}
        ],
    }


def _write(spec: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False, width=10_000), "utf-8")
    return path


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(_many_errors_spec(), tmp_path_factory.mktemp("many"))


def test_every_error_is_found(many: Path) -> None:
    _, errors = generator.validate(many)
    assert len(errors) == MODELS * FIELDS
    assert all("unknown type 'Missing'" in e.message for e in errors)


def test_output_is_capped_with_a_count(
    many: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ROUTEGEN_MAX_ERRORS", raising=False)
    assert main(["validate", str(many)]) == 2
    lines = capsys.readouterr().err.splitlines()
    total = MODELS * FIELDS
    assert len(lines) == DEFAULT_MAX_ERRORS + 2
    assert all(": error: " in ln for ln in lines[:DEFAULT_MAX_ERRORS])
    assert lines[-2] == (
        f"... and {total - DEFAULT_MAX_ERRORS:,} more (set ROUTEGEN_MAX_ERRORS=0 to print all)"
    )
    assert lines[-1] == f"{total} errors"
    assert sum(len(ln) + 1 for ln in lines) < 40_000


@pytest.mark.parametrize(("setting", "printed"), [("0", MODELS * FIELDS), ("7", 7)])
def test_cap_is_configurable(
    setting: str,
    printed: int,
    many: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ROUTEGEN_MAX_ERRORS", setting)
    assert main(["validate", str(many)]) == 2
    err = capsys.readouterr().err
    assert err.count(": error: ") == printed
    assert err.endswith(f"{MODELS * FIELDS} errors\n")


def test_long_values_are_shortened_in_schema_errors(tmp_path: Path) -> None:
    spec = _many_errors_spec()
    spec["models"] = {"Ok": {"fields": {"a": {"type": "int"}}}}
    huge = "q" * 3_000
    spec["routes"][0]["summary"] = huge  # maxLength 200
    spec["routes"][0]["method"] = "W" * 500  # not one of the methods
    spec["api"]["name"] = "Z" * 900  # pattern and maxLength
    _, errors = generator.validate(_write(spec, tmp_path))
    assert len(errors) >= 3
    for error in errors:
        assert huge not in error.message and "W" * 100 not in error.message
        assert len(error.format()) < 400, error.format()
    assert any("(3,002 chars)" in e.message for e in errors)


def test_short_repr_and_message_cap() -> None:
    assert short_repr("abc") == "'abc'"
    cut = short_repr("x" * 1_000)
    assert len(cut) < 80 and cut.endswith("(1,002 chars)")
    error = SpecError("s.yaml", 3, 4, "m" * 5_000)
    assert len(error.format()) < MAX_MESSAGE + 60
