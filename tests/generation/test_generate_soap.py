"""The committed SOAP package: fresh, typed, formatted, importable, shipping its WSDL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import zeep

import generator
from generator.cli import main as routegen
from generator.emit.tree import build_tree
from generator.spec.soap import SoapApi

from .conftest import ROOT

SOAP_SPEC = "spec/nuvias.yaml"
PKG = "nuvias_v10"
BIN = Path(sys.executable).parent


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_check_says_the_soap_package_is_fresh(capsys: pytest.CaptureFixture[str]) -> None:
    assert routegen(["check", SOAP_SPEC, "--out", "generated"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_soap_tree_is_one_package_without_rest_runtime() -> None:
    api = generator.build_any(SOAP_SPEC)
    assert isinstance(api, SoapApi)
    tree = build_tree(api)
    assert {p.split("/", 1)[0] for p in tree} == {PKG}  # no STAGES.md: one contract
    runtime = sorted(p.rsplit("/", 1)[1] for p in tree if "/_runtime/" in p)
    assert runtime == [
        "__init__.py",
        "_soap_client.py",
        "_soap_errors.py",
        "_soap_policies.py",
        "_soap_transport.py",
    ]
    rest = ROOT / "generated" / "vendnovation_v2_1" / "vendnovation_v2_1" / "_runtime"
    assert not list(rest.glob("_soap*.py"))


def test_soap_package_passes_mypy_strict() -> None:
    cache = ROOT / ".mypy_cache" / "generated" / PKG
    result = _run(
        [str(BIN / "mypy"), "--strict", "--cache-dir", str(cache), PKG], ROOT / "generated" / PKG
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_soap_package_is_black_clean() -> None:
    result = _run([str(BIN / "black"), "--check", "--quiet", "."], ROOT / "generated" / PKG)
    assert result.returncode == 0, result.stdout + result.stderr


def test_soap_package_imports_in_fresh_interpreter() -> None:
    code = (
        f"import {PKG} as m; "
        "bad = [n for n in m.__all__ if not hasattr(m, n)]; "
        "assert not bad, bad; "
        "assert issubclass(m.DuplicateReferenceError, m.RequestDataError); "
        "assert all(issubclass(c, m.NuviasError) for c in (m.ContractError, m.RequestDataError, "
        "m.DownstreamError, m.ApiSystemError, m.TooSoonError, m.OutcomeUnknownError)); "
        "print(sorted(n for n in m.__all__ if n.endswith('Client')))"
    )
    result = _run([sys.executable, "-c", code], ROOT / "generated" / PKG)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['AsyncNuviasClient', 'NuviasClient']"


def test_soap_project_declares_only_its_xml_stack() -> None:
    text = (ROOT / "generated" / PKG / "pyproject.toml").read_text()
    deps = text.split("dependencies = [", 1)[1].split("]", 1)[0]
    names = sorted(d.strip().strip('"').split(">")[0] for d in deps.split(","))
    assert names == ["cryptography", "httpx", "lxml", "pydantic", "xmlsec", "zeep"]
    assert '"service.wsdl"' in text


def test_wsdl_command_prints_the_shipped_wsdl(capsys: pytest.CaptureFixture[str]) -> None:
    assert routegen(["wsdl", SOAP_SPEC, "--stage", "v10"]) == 0
    printed = capsys.readouterr().out
    shipped = ROOT / "generated" / PKG / PKG / "service.wsdl"
    assert printed == shipped.read_text()


def test_shipped_wsdl_loads_in_zeep_with_every_operation() -> None:
    client = zeep.Client(str(ROOT / "generated" / PKG / PKG / "service.wsdl"))
    binding = next(iter(client.wsdl.bindings.values()))
    assert sorted(binding._operations) == [
        "cancel",
        "checkInventory",
        "modifyOrder",
        "orderStatus",
        "submitOrder",
    ]
    form = client.get_element("{urn:transactions_10.reseller.siphon.com}submitOrderForm")
    assert "purchaseOrderID: xsd:string" in form.signature()
    ports = next(iter(client.wsdl.services.values())).ports
    assert sorted(ports) == ["ResellerServicePort_live", "ResellerServicePort_test"]


def test_proposed_elements_are_marked_in_the_wsdl() -> None:
    text = (ROOT / "generated" / PKG / PKG / "service.wsdl").read_text()
    assert 'name="checkInventoryForm" routegen:source="proposal"' in text
    assert 'name="submitOrderForm" routegen:source="doc: API Methods"' in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["wsdl", "spec/vendnovation.yaml", "--stage", "v1"], "is not a soap spec"),
        (["wsdl", SOAP_SPEC, "--stage", "v9"], "unknown stage 'v9' (known: v10)"),
        (["openapi", SOAP_SPEC, "--stage", "v10"], "a soap spec has no REST stages"),
        (["diff", SOAP_SPEC, "v1", "v10"], "a soap spec has no REST stages"),
    ],
)
def test_commands_that_do_not_fit_the_protocol_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert routegen(argv) == 2
    assert message in capsys.readouterr().err
