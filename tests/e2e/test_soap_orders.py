"""The generated SOAP client against the SOAP mock over loopback: signed orders, the
politeness policies, faults by group, and a fleet of processes that stays polite."""

from __future__ import annotations

import asyncio
import copy
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree
from soap_support import ROOT, SoapServed, make_credential, serve_soap, soap_package

from generator.runtime._soap_transport import SOAP_ENV, Signer, envelope

TNS = "urn:transactions_10.reseller.siphon.com"


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SoapServed]:
    served = serve_soap(tmp_path_factory.mktemp("soap-cred"))
    yield served
    served.server.stop()


@pytest.fixture(autouse=True)
def _fresh(mock: SoapServed) -> None:
    mock.state.flags.clear()
    mock.state.calls.clear()
    mock.state.refused.clear()
    mock.state.faults.clear()
    mock.state.last_call.clear()


class Clock:
    """A settable UTC clock for the client's policies."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _address(pkg: Any) -> Any:
    return pkg.ShipAddress(
        attentionName="A. Buyer",
        companyName="Buyer Ltd",
        addressLine1="1 High Street",
        addressTown="Reading",
        addressPostalCode="RG1 1AA",
    )


def _submit(client: Any, pkg: Any, reference: str) -> Any:
    return client.submit_order(
        purchase_order_id=reference,
        ship_address=_address(pkg),
        shipping_method="UK Standard Next Day Delivery",
        shipping_date=datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
        insert_type="TYPE_1",
        submit_order_item_list=[
            pkg.OrderItem(partNumber="AP-100", quantityRequired=Decimal("5.0"))
        ],
    )


def test_submit_status_modify_cancel(mock: SoapServed, tmp_path: Path) -> None:
    pkg = soap_package()
    with mock.client(tmp_path / "state.db") as client:
        order = _submit(client, pkg, "PO-1001")
        assert order.order_id.startswith("SO") and len(order.order_id) in (7, 8)
        status = client.order_status(order_id=order.order_id)
        assert status.order_status == "Pending Approval"
        assert status.purchase_order_id == "PO-1001"
        assert [i.part_number for i in status.status_item_list] == ["AP-100"]
        changed = client.modify_order(
            order_id=order.order_id,
            modify_order_item_list=[pkg.OrderItem(partNumber="AP-200", quantityRequired=1)],
        )
        assert changed.order_status == "Pending Approval"
        lines = client.order_status(order_id=order.order_id).status_item_list
        assert {i.part_number: i.quantity_required for i in lines} == {
            "AP-100": Decimal("5.0"),
            "AP-200": Decimal("1"),
        }
        cancelled = client.cancel(order_id=order.order_id)
        assert cancelled.order_status == "Cancelled"
    assert mock.flags()["flags"] == {}


def test_cancel_after_approval_is_a_request_data_error(mock: SoapServed, tmp_path: Path) -> None:
    pkg = soap_package()
    with mock.client(tmp_path / "state.db") as client:
        order = _submit(client, pkg, "PO-2001")
        assert mock.post(f"/_mock/advance/{order.order_id}").json()["status"] == (
            "Pending Fulfilment"
        )
        with pytest.raises(pkg.OrderNotModifiableError) as info:
            client.cancel(order_id=order.order_id)
        assert isinstance(info.value, pkg.RequestDataError)
        assert isinstance(info.value, pkg.NuviasError)
        assert info.value.fault_code == 103
        for _ in range(3):  # on through Partially Fulfilled, Pending Billing, Billed
            mock.post(f"/_mock/advance/{order.order_id}")
        assert client.order_status(order_id=order.order_id).order_status == "Billed"


def test_duplicate_po_is_refused_locally(mock: SoapServed, tmp_path: Path) -> None:
    pkg = soap_package()
    with mock.client(tmp_path / "state.db") as client:
        first = _submit(client, pkg, "PO-3001")
        with pytest.raises(pkg.DuplicateReferenceRefused) as info:
            _submit(client, pkg, "PO-3001")
    assert info.value.field == "purchaseOrderID"
    assert info.value.order_ids == (first.order_id,)
    assert mock.flags()["calls"] == {"submitOrder": 1}
    assert mock.flags()["flags"] == {}


def test_server_duplicate_carries_the_other_order_ids(mock: SoapServed, tmp_path: Path) -> None:
    pkg = soap_package()
    with mock.client(tmp_path / "a.db") as other:  # e.g. an order placed elsewhere
        placed = _submit(other, pkg, "PO-4001")
    with mock.client(tmp_path / "b.db") as client:
        with pytest.raises(pkg.DuplicateReferenceError) as info:
            _submit(client, pkg, "PO-4001")
        assert info.value.order_ids == (placed.order_id,)
        assert placed.order_id in str(info.value)
        with pytest.raises(pkg.DuplicateReferenceRefused):  # the ledger learnt it
            _submit(client, pkg, "PO-4001")
    assert mock.flags()["flags"] == {"submitOrder: duplicate reference": 1}


def test_unknown_order_status_is_suppressed_after_one_ask(mock: SoapServed, tmp_path: Path) -> None:
    pkg = soap_package()
    clock = Clock()
    with mock.client(tmp_path / "state.db", clock=clock) as client:
        with pytest.raises(pkg.OrderNotFoundError):
            client.order_status(order_id="SO00001")
        with pytest.raises(pkg.SuppressedNotFoundError) as info:
            client.order_status(order_id="SO00001")
        assert info.value.field == "orderID"
        clock.now += timedelta(hours=1, seconds=1)
        with pytest.raises(pkg.OrderNotFoundError):
            client.order_status(order_id="SO00001")
    assert mock.flags()["flags"] == {"orderStatus: unknown key": 2}


def test_check_inventory_inside_the_window_returns_the_last_answer(
    mock: SoapServed, tmp_path: Path
) -> None:
    pkg = soap_package()
    clock = Clock()
    with mock.client(tmp_path / "state.db", clock=clock) as client:
        fresh = client.check_inventory(part_number_list=["AP-100"])
        assert not fresh.cached and fresh.value.stock_list[0].quantity_available == 100
        clock.now += timedelta(minutes=7)
        again = client.check_inventory(part_number_list=["AP-100"])
        assert again.cached and again.age == timedelta(minutes=7)
        assert again.value == fresh.value
        with pytest.raises(pkg.TooSoonError) as info:
            client.check_inventory(part_number_list=["AP-100"], if_too_soon="raise")
        assert info.value.retry_at == datetime(2026, 12, 1, 9, 15, tzinfo=UTC)
        with pytest.raises(pkg.TooSoonError):  # another question cannot be answered from cache
            client.check_inventory(part_number_list=["AP-999"])
        clock.now += timedelta(minutes=8)
        assert not client.check_inventory(part_number_list=["AP-999"]).cached
    assert mock.flags()["calls"] == {"checkInventory": 2}


def test_the_window_survives_a_restart(mock: SoapServed, tmp_path: Path) -> None:
    clock = Clock()
    with mock.client(tmp_path / "state.db", clock=clock) as client:
        client.check_inventory(part_number_list=["AP-100"])
    clock.now += timedelta(minutes=14)
    with mock.client(tmp_path / "state.db", clock=clock) as restarted:
        assert restarted.check_inventory(part_number_list=["AP-100"]).cached
    assert mock.flags()["calls"] == {"checkInventory": 1}


_HAMMER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {pkg_dir!r})
    from nuvias_v10 import NuviasClient
    with NuviasClient({cert!r}, {key!r}, endpoint={url!r}, state_path={state!r}, timeout=60) as c:
        for _ in range(5):
            answer = c.check_inventory(part_number_list=["AP-100"])
            print("cached" if answer.cached else "fresh", flush=True)
    """
)


def test_three_processes_hammering_check_inventory_cause_no_flag(
    mock: SoapServed, tmp_path: Path
) -> None:
    script = _HAMMER.format(
        pkg_dir=str(ROOT / "generated" / "nuvias_v10"),
        cert=str(mock.cert),
        key=str(mock.key),
        url=mock.url,
        state=str(tmp_path / "shared.db"),
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=240)[0].split() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0]
    answers = [line for out in outputs for line in out]
    assert len(answers) == 15 and answers.count("fresh") == 1
    counters = mock.flags()
    assert counters["calls"] == {"checkInventory": 1}
    assert counters["flags"] == {}


def _signed_bytes(mock: SoapServed) -> bytes:
    body = etree.Element(etree.QName(TNS, "checkInventoryForm"))
    etree.SubElement(body, etree.QName(TNS, "partNumberList")).text = "AP-100"
    signer = Signer(mock.key.read_bytes(), mock.cert.read_bytes())
    return signer.sign(envelope(body), datetime.now(UTC))


def _post(mock: SoapServed, data: bytes) -> httpx.Response:
    return httpx.post(mock.url, content=data, headers={"Content-Type": "text/xml"}, timeout=10)


def test_a_correctly_signed_request_is_accepted(mock: SoapServed) -> None:
    response = _post(mock, _signed_bytes(mock))
    assert response.status_code == 200
    assert b"checkInventoryResponse" in response.content


def test_unsigned_and_tampered_requests_are_refused(mock: SoapServed) -> None:
    body = etree.Element(etree.QName(TNS, "checkInventoryForm"))
    etree.SubElement(body, etree.QName(TNS, "partNumberList")).text = "AP-100"
    unsigned = _post(mock, etree.tostring(envelope(copy.deepcopy(body))))
    tampered = _post(mock, _signed_bytes(mock).replace(b">AP-100<", b">AP-666<"))
    for response in (unsigned, tampered):
        assert response.status_code == 500
        fault = etree.fromstring(response.content).find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
        assert fault is not None and fault.findtext("faultcode") == "wsse:FailedCheck"
    assert mock.flags()["refused"] == {"signature": 2}
    assert "checkInventory" not in mock.flags()["calls"]


def test_a_client_with_an_unregistered_certificate_gets_a_contract_error(
    mock: SoapServed, tmp_path: Path
) -> None:
    pkg = soap_package()
    cert, key = make_credential(tmp_path, "stranger")
    client = pkg.NuviasClient(cert, key, endpoint=mock.url, state_path=tmp_path / "s.db")
    with client, pytest.raises(pkg.ContractError) as info:
        client.order_status(order_id="SO39999")
    assert info.value.fault_code is None
    assert mock.flags()["refused"] == {"signature": 1}


def test_wait_and_retry_faults_are_retried_after_the_delay(
    mock: SoapServed, tmp_path: Path
) -> None:
    pkg = soap_package()
    sleeps: list[float] = []
    mock.post("/_mock/fail?code=301&times=2")
    with mock.client(tmp_path / "state.db", sleep=sleeps.append) as client:
        order = _submit(client, pkg, "PO-5001")
    assert order.order_id.startswith("SO")
    assert sleeps == [300.0, 300.0]


def test_retries_end_with_the_diagnosis_checklist(mock: SoapServed, tmp_path: Path) -> None:
    pkg = soap_package()
    sleeps: list[float] = []
    mock.post("/_mock/fail?code=501&times=7")
    with (
        mock.client(tmp_path / "state.db", sleep=sleeps.append) as client,
        pytest.raises(pkg.ServiceUnavailableError) as info,
    ):
        client.order_status(order_id="SO39610")
    assert isinstance(info.value, pkg.ApiSystemError)
    assert sleeps == [300.0] * 6
    assert info.value.attempts == 7
    assert any("checkInventory" in line for line in info.value.diagnosis)
    assert "maintenance" in str(info.value)


def test_faults_map_to_their_group_class(mock: SoapServed, tmp_path: Path) -> None:
    pkg = soap_package()
    mock.post("/_mock/fail?code=399")  # a downstream code the spec does not list
    with mock.client(tmp_path / "state.db") as client, pytest.raises(pkg.DownstreamError) as info:
        client.order_status(order_id="SO39610")
    assert type(info.value) is pkg.DownstreamError and info.value.fault_code == 399


def _client_over(pkg: Any, tmp_path: Path, mock: SoapServed, handler: Any) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return pkg.NuviasClient(
        mock.cert, mock.key, endpoint="http://vendor.invalid/soap",
        state_path=tmp_path / "state.db", http_client=http, sleep=lambda s: None,
    )


def test_submit_order_is_never_resent_after_a_lost_answer(
    mock: SoapServed, tmp_path: Path
) -> None:
    pkg = soap_package()
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        raise httpx.ReadTimeout("no answer", request=request)

    with _client_over(pkg, tmp_path, mock, handler) as client:
        with pytest.raises(pkg.OutcomeUnknownError):
            _submit(client, pkg, "PO-6001")
        assert len(sent) == 1
        with pytest.raises(pkg.DuplicateReferenceRefused):  # the PO stays claimed
            _submit(client, pkg, "PO-6001")
    assert len(sent) == 1


def test_a_non_200_answer_means_not_received(mock: SoapServed, tmp_path: Path) -> None:
    pkg = soap_package()
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(502, text="Bad Gateway")

    with _client_over(pkg, tmp_path, mock, handler) as client:
        with pytest.raises(pkg.NotReceivedError) as info:
            _submit(client, pkg, "PO-7001")
        assert info.value.status_code == 502 and info.value.attempts == 7
        assert len(sent) == 7  # not received, so safe to send again: 1 + 6 retries
        sent.clear()
        with pytest.raises(pkg.NotReceivedError):  # the PO was released, not burnt
            _submit(client, pkg, "PO-7001")
        assert len(sent) == 7


def test_async_client_submits_and_follows(mock: SoapServed, tmp_path: Path) -> None:
    pkg = soap_package()

    async def scenario() -> tuple[Any, Any]:
        async with mock.async_client(tmp_path / "state.db") as client:
            order = await _async_submit(client, pkg)
            return order, await client.order_status(order_id=order.order_id)

    order, status = asyncio.run(scenario())
    assert status.order_id == order.order_id and status.order_status == "Pending Approval"


async def _async_submit(client: Any, pkg: Any) -> Any:
    return await client.submit_order(
        purchase_order_id="PO-8001",
        ship_address=_address(pkg),
        shipping_method="UK Standard Next Day Delivery",
        submit_order_item_list=[pkg.OrderItem(partNumber="AP-100", quantityRequired=1)],
    )


def test_concurrent_async_inventory_checks_make_one_call(
    mock: SoapServed, tmp_path: Path
) -> None:
    async def scenario() -> list[Any]:
        async with mock.async_client(tmp_path / "state.db") as client:
            calls = [client.check_inventory(part_number_list=["AP-100"]) for _ in range(4)]
            return list(await asyncio.gather(*calls))

    answers = asyncio.run(asyncio.wait_for(scenario(), timeout=60))
    assert sorted(a.cached for a in answers) == [False, True, True, True]
    assert mock.flags()["calls"] == {"checkInventory": 1}
    assert mock.flags()["flags"] == {}


def test_rate_limited_operations_are_never_retried(mock: SoapServed, tmp_path: Path) -> None:
    pkg = soap_package()
    sleeps: list[float] = []
    mock.post("/_mock/fail?code=301")
    with (
        mock.client(tmp_path / "state.db", sleep=sleeps.append) as client,
        pytest.raises(pkg.DownstreamUnavailableError),
    ):
        client.check_inventory(part_number_list=["AP-100"])
    assert sleeps == []  # a retry 5 minutes later would poll inside the 15-minute window


def test_an_unusable_state_file_is_a_typed_error(mock: SoapServed, tmp_path: Path) -> None:
    pkg = soap_package()
    (tmp_path / "state.db").mkdir()  # a directory where the file should be
    with pytest.raises(pkg.PolicyStateError) as info:
        mock.client(tmp_path / "state.db")
    assert isinstance(info.value, pkg.NuviasError) and "state.db" in str(info.value)


def test_an_expired_signed_request_is_refused(mock: SoapServed) -> None:
    body = etree.Element(etree.QName(TNS, "checkInventoryForm"))
    etree.SubElement(body, etree.QName(TNS, "partNumberList")).text = "AP-100"
    signer = Signer(mock.key.read_bytes(), mock.cert.read_bytes())
    old = signer.sign(envelope(body), datetime.now(UTC) - timedelta(minutes=10))
    response = _post(mock, old)
    assert response.status_code == 500 and b"expired" in response.content
    assert mock.flags()["refused"] == {"signature": 1}
