"""SOAP specs: the model built from spec/nuvias.yaml, and located errors for bad ones."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

import generator
from generator.spec.soap import SoapApi

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_SOAP = ROOT / "tests" / "golden" / "soap_orders" / "spec.yaml"


def _api() -> SoapApi:
    api = generator.build_any(ROOT / "spec" / "nuvias.yaml")
    assert isinstance(api, SoapApi)
    return api


def test_nuvias_operations_namespaces_and_policies() -> None:
    api = _api()
    assert [o.name for o in api.operations] == [
        "submitOrder",
        "modifyOrder",
        "cancel",
        "orderStatus",
        "checkInventory",
    ]
    assert api.target_namespace == "urn:transactions_10.reseller.siphon.com"
    assert api.error_namespace == "urn:error.transactions_10.reseller.siphon.com"
    assert [e.name for e in api.environments] == ["test", "live"]
    submit = api.operation("submitOrder")
    assert submit is not None and not submit.idempotent
    assert [f.name for f in submit.request.fields][:2] == ["purchaseOrderID", "shipAddress"]
    assert api.policies.min_interval[0].interval == timedelta(minutes=15)
    assert api.policies.retry_delay == timedelta(minutes=5)
    assert api.policies.retry_attempts == 6
    assert [g.code for g in api.groups] == [None, 100, 300, 500]
    assert {c.code: c.group for c in api.codes}[101] == "RequestDataError"


def test_undocumented_elements_are_marked_as_proposals() -> None:
    api = _api()
    inventory = api.operation("checkInventory")
    assert inventory is not None and inventory.request.source == "proposal"
    submit = api.operation("submitOrder")
    assert submit is not None and submit.request.source == "doc: API Methods"


def _errors(tmp_path: Path, old: str, new: str) -> list[str]:
    text = GOLDEN_SOAP.read_text()
    assert old in text, old
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new, 1))
    api, errors = generator.validate_any(path)
    assert api is None
    return [f"{e.line}: {e.message}" for e in errors]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("type: Line, list: true", "type: Lines, list: true", "unknown type 'Lines'"),
        ("{operation: ping, interval", "{operation: pong, interval", "unknown operation 'pong'"),
        ("field: orderId, codes", "field: orderNo, codes", "getOrder has no request field"),
        ("{code: 701, name: Busy", "{code: 801, name: Busy", "code 801 is in no group"),
        ("codes: [202]", "codes: [299]", "code 299 is not declared"),
        ("element: getOrderResponse", "element: pingResponse", "element 'pingResponse' used twice"),
        ("protocol: soap\n", "protocol: soap\nroutes: []\n", "'routes' is not allowed with"),
        ("interval: 10m", "interval: 10 minutes", "does not match"),
    ],
)
def test_bad_soap_specs_are_located(tmp_path: Path, old: str, new: str, expected: str) -> None:
    errors = _errors(tmp_path, old, new)
    assert any(expected in e for e in errors), errors


def test_soap_keys_in_a_rest_spec_are_refused(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "golden" / "minimal" / "spec.yaml").read_text()
    path = tmp_path / "rest.yaml"
    path.write_text(text + "\npolicies: {}\n")
    api, errors = generator.validate_any(path)
    assert api is None
    assert any("'policies' is not allowed without protocol: soap" in e.message for e in errors)
