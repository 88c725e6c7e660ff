"""A user's code type-checks against every generated stage, and write models survive the wire.

For each stage a program builds every write model with snake_case keyword arguments
(required fields only, then every field); ``mypy --strict`` and ``pyright --strict``
must accept it with no plugin (issue 13). Each model then goes through the client's
own wire encoding (``jsonable`` -> ``dumps`` -> ``loads``) and back, unchanged, with
the stage's wire names (camelCase, PascalCase in v1) as the keys.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import generator
from generator.spec.model import Api

from .conftest import ROOT
from .user_program import program, write_models

STAGES = ("v1", "v2", "v2.1", "rc")
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def api() -> Api:
    return generator.build(ROOT / "spec/vendnovation.yaml")


@pytest.fixture(scope="module")
def programs(api: Api, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One user program per stage, in a directory of its own."""
    where = tmp_path_factory.mktemp("user")
    for name in STAGES:
        stage = api.stage(name)
        (where / f"user_{stage.package}.py").write_text(program(stage))
    return where


def _packages(api: Api) -> list[str]:
    return [str(ROOT / "generated" / api.stage(s).package) for s in STAGES]


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=600, env=env, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_mypy_strict_accepts_every_write_model(api: Api, programs: Path) -> None:
    (programs / "mypy.ini").write_text("[mypy]\n")  # no plugins, not the repo's config
    env = {"MYPYPATH": ":".join(_packages(api)), "PATH": str(BIN)}
    files = sorted(p.name for p in programs.glob("user_*.py"))
    out = _run(
        [str(BIN / "mypy"), "--strict", "--config-file", "mypy.ini", *files],
        programs,
        env,
    )
    assert "Success: no issues found in 4 source files" in out


def test_pyright_strict_accepts_every_write_model(api: Api, programs: Path) -> None:
    config = {
        "typeCheckingMode": "strict",
        "extraPaths": _packages(api),
        "pythonVersion": "3.11",
        "include": [p.name for p in sorted(programs.glob("user_*.py"))],
    }
    (programs / "pyrightconfig.json").write_text(json.dumps(config))
    out = _run(
        [str(BIN / "pyright"), "--pythonpath", sys.executable, "--project", "."],
        programs,
    )
    assert "0 errors, 0 warnings" in out


def _load(programs: Path, package: str) -> ModuleType:
    for path in (str(programs), str(ROOT / "generated" / package)):
        if path not in sys.path:
            sys.path.insert(0, path)
    return importlib.import_module(f"user_{package}")


@pytest.mark.parametrize("name", STAGES)
def test_write_models_round_trip_through_the_wire(
    api: Api, programs: Path, name: str
) -> None:
    stage = api.stage(name)
    built = _load(programs, stage.package).MODELS
    wire_json = importlib.import_module(f"{stage.package}._runtime._json")
    assert len(built) == 2 * len(write_models(stage)) > 0
    for model, kind in built:
        spec = stage.model(type(model).__name__)
        assert spec is not None
        wire = wire_json.loads(wire_json.dumps(wire_json.jsonable(model)))
        assert set(wire) == {f.name for f in spec.fields}, (spec.name, kind)
        again = type(model).model_validate(wire)
        assert again == model, (spec.name, kind)
        assert wire_json.dumps(wire_json.jsonable(again)) == wire_json.dumps(wire)
