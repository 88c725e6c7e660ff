"""A SOAP mock of an order-fulfilment service, driven by a ``protocol: soap`` spec.

It verifies every request's WS-Security signature against the reseller's certificate
(zeep/xmlsec), checks the body against the schema of the WSDL routegen generates, and
keeps orders through Pending Approval -> Pending Fulfilment -> Partially Fulfilled ->
Pending Billing -> Billed (or Cancelled). Modify is allowed until fulfilment starts,
cancel only before approval; a repeated unique reference is refused with the other
orders' IDs. The behaviours a vendor flags are counted from the spec's policies:
calls inside an operation's minimum interval, lookups of keys that do not exist, and
repeated unique references (``GET /_mock/flags``).

Test hooks: ``POST /_mock/advance/{orderID}`` moves an order one status on;
``POST /_mock/fail?code=N&times=K`` answers the next K requests with fault N.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from hashlib import sha256
from io import BytesIO

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from zeep.exceptions import SignatureVerificationFailed
from zeep.wsse.signature import MemorySignature

from ..runtime._soap_transport import SOAP_ENV, WSSE, WSU
from ..spec.soap import SoapApi
from ..spec.wsdl import XS, wsdl_document

__all__ = ["STATUSES", "SoapMockState", "create_soap_app"]

STATUSES = (
    "Pending Approval",
    "Pending Fulfilment",
    "Partially Fulfilled",
    "Pending Billing",
    "Billed",
)
CANCELLED = "Cancelled"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@dataclass
class Order:
    """One order as the mock keeps it."""

    order_id: str
    reference: str
    lines: dict[str, Decimal]
    status: str = STATUSES[0]


@dataclass
class SoapMockState:
    """Orders, stock, counters and pending injected faults."""

    certificate: bytes
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    orders: dict[str, Order] = field(default_factory=dict)
    stock: dict[str, Decimal] = field(default_factory=dict)
    flags: Counter[str] = field(default_factory=Counter)
    calls: Counter[str] = field(default_factory=Counter)
    last_call: dict[tuple[str, str], datetime] = field(default_factory=dict)
    refused: Counter[str] = field(default_factory=Counter)
    faults: list[int] = field(default_factory=list)
    next_id: int = 39609

    def new_order_id(self) -> str:
        self.next_id += 1
        return f"SO{self.next_id}"


class _Fault(Exception):
    def __init__(self, code: int | None, message: str, ids: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.code, self.message, self.ids = code, message, ids


def create_soap_app(api: SoapApi, stage: str, state: SoapMockState) -> Starlette:
    """The Starlette app serving ``stage`` of ``api`` with ``state``."""
    schema = _body_schema(api, stage)
    handlers = _Handlers(api, state)

    async def endpoint(request: Request) -> Response:
        raw = await request.body()
        try:
            env = etree.parse(BytesIO(raw), _PARSER).getroot()
            fingerprint = _verify(env, state.certificate, state.clock())
            body = _body(env)
            if not schema.validate(body):
                raise _Fault(None, f"request does not adhere to the contract: {schema.error_log}")
            if state.faults:
                raise _Fault(state.faults.pop(0), "injected fault")
            answer = handlers.dispatch(etree.QName(body).localname, body, fingerprint)
        except _Fault as fault:
            if isinstance(fault, _SignatureFault):
                state.refused["signature"] += 1
            return _fault_response(api, fault)
        except etree.XMLSyntaxError:
            return _fault_response(api, _Fault(None, "malformed XML"))
        return _envelope_response(answer, 200)

    async def flags(request: Request) -> Response:
        return JSONResponse(
            {"flags": dict(state.flags), "calls": dict(state.calls), "refused": dict(state.refused)}
        )

    async def advance(request: Request) -> Response:
        order = state.orders.get(request.path_params["order_id"])
        if order is None or order.status in (CANCELLED, STATUSES[-1]):
            return JSONResponse({"error": "no order to advance"}, status_code=404)
        order.status = STATUSES[STATUSES.index(order.status) + 1]
        return JSONResponse({"status": order.status})

    async def fail(request: Request) -> Response:
        code = int(request.query_params["code"])
        state.faults.extend([code] * int(request.query_params.get("times", "1")))
        return JSONResponse({"pending": len(state.faults)})

    return Starlette(
        routes=[
            Route("/_mock/flags", flags, methods=["GET"]),
            Route("/_mock/advance/{order_id}", advance, methods=["POST"]),
            Route("/_mock/fail", fail, methods=["POST"]),
            Route("/{path:path}", endpoint, methods=["POST"]),
        ]
    )


def _verify(env: etree._Element, certificate: bytes, now: datetime) -> str:
    """Check the signature covers body and an unexpired timestamp and verifies.

    Returns the certificate's fingerprint (the credential the flags are counted for).
    """
    security = env.find(f"{{{SOAP_ENV}}}Header/{{{WSSE}}}Security")
    body = env.find(f"{{{SOAP_ENV}}}Body")
    if security is None or body is None:
        raise _SignatureFault("the request is not signed")
    refs = {
        r.get("URI", "")[1:] for r in security.iter("{http://www.w3.org/2000/09/xmldsig#}Reference")
    }
    if body.get(f"{{{WSU}}}Id") not in refs:
        raise _SignatureFault("the signature does not cover the body")
    stamp = security.find(f"{{{WSU}}}Timestamp")
    if stamp is None or stamp.get(f"{{{WSU}}}Id") not in refs:
        raise _SignatureFault("the signature does not cover a timestamp")
    try:
        expires = datetime.fromisoformat(stamp.findtext(f"{{{WSU}}}Expires") or "")
    except ValueError:
        raise _SignatureFault("the timestamp has no valid Expires") from None
    if expires.tzinfo is None or expires < now:
        raise _SignatureFault("the request has expired (replayed?)")
    try:
        MemorySignature(b"", certificate).verify(env)  # type: ignore[no-untyped-call]
    except (SignatureVerificationFailed, IndexError, AttributeError):
        raise _SignatureFault("the signature does not verify") from None
    cert = x509.load_pem_x509_certificate(certificate)
    return sha256(cert.public_bytes(Encoding.DER)).hexdigest()


class _SignatureFault(_Fault):
    def __init__(self, message: str) -> None:
        super().__init__(None, message)


def _body(env: etree._Element) -> etree._Element:
    body = env.find(f"{{{SOAP_ENV}}}Body")
    if body is None or len(body) != 1:
        raise _Fault(None, "the body must hold exactly one element")
    return body[0]


def _body_schema(api: SoapApi, stage: str) -> etree.XMLSchema:
    wsdl = etree.fromstring(wsdl_document(api, stage).encode())
    schema = wsdl.find(f"{{http://schemas.xmlsoap.org/wsdl/}}types/{{{XS}}}schema")
    assert schema is not None
    return etree.XMLSchema(etree.fromstring(etree.tostring(schema)))  # in-scope namespaces kept


def _fault_response(api: SoapApi, fault: _Fault) -> Response:
    env = etree.Element(etree.QName(SOAP_ENV, "Envelope"), nsmap={"soap": SOAP_ENV, "wsse": WSSE})
    node = etree.SubElement(
        etree.SubElement(env, etree.QName(SOAP_ENV, "Body")), etree.QName(SOAP_ENV, "Fault")
    )
    is_signature = isinstance(fault, _SignatureFault)
    etree.SubElement(node, "faultcode").text = (
        "wsse:FailedCheck"
        if is_signature
        else ("soap:Client" if fault.code is None or fault.code < 300 else "soap:Server")
    )
    etree.SubElement(node, "faultstring").text = fault.message
    err = api.error_namespace
    detail = etree.SubElement(
        etree.SubElement(node, "detail"), etree.QName(err, "error"), nsmap={"err": err}
    )
    if fault.code is not None:
        etree.SubElement(detail, etree.QName(err, "code")).text = str(fault.code)
    etree.SubElement(detail, etree.QName(err, "message")).text = fault.message
    if fault.ids:
        ids = etree.SubElement(detail, etree.QName(err, "orderIDList"))
        for order_id in fault.ids:
            etree.SubElement(ids, etree.QName(err, "orderID")).text = order_id
    return Response(etree.tostring(env), status_code=500, media_type="text/xml")


def _envelope_response(answer: etree._Element, status: int) -> Response:
    env = etree.Element(etree.QName(SOAP_ENV, "Envelope"), nsmap={"soap": SOAP_ENV})
    etree.SubElement(env, etree.QName(SOAP_ENV, "Body")).append(answer)
    return Response(etree.tostring(env), status_code=status, media_type="text/xml")


class _Handlers:
    """The order-fulfilment behaviour, one method per operation; counts flagged calls."""

    def __init__(self, api: SoapApi, state: SoapMockState) -> None:
        self.api = api
        self.state = state
        self.tns = api.target_namespace
        self.by_element = {op.request.element: op for op in api.operations}

    def dispatch(self, element: str, body: etree._Element, fingerprint: str) -> etree._Element:
        op = self.by_element.get(element)
        if op is None:
            raise _Fault(None, f"unknown element {element!r}")
        self.state.calls[op.name] += 1
        self._count_interval(op.name, fingerprint)
        handler = getattr(self, "_" + op.py_name, None)
        if handler is None:
            raise _Fault(500 + 1, f"{op.name} is not served by this mock")
        answer: etree._Element = handler(body, op.response.element)
        return answer

    def _count_interval(self, operation: str, fingerprint: str) -> None:
        for rule in self.api.policies.min_interval:
            if rule.operation != operation:
                continue
            now = self.state.clock()
            last = self.state.last_call.get((operation, fingerprint))
            if last is not None and now - last < rule.interval:
                self.state.flags[f"{operation}: under {rule.interval}"] += 1
            self.state.last_call[(operation, fingerprint)] = now

    def _text(self, node: etree._Element, name: str) -> str:
        return (node.findtext(f"{{{self.tns}}}{name}") or "").strip()

    def _answer(self, element: str, **values: str | list[etree._Element]) -> etree._Element:
        node = etree.Element(etree.QName(self.tns, element), nsmap={"tns": self.tns})
        for name, value in values.items():
            if isinstance(value, list):
                node.extend(value)
            else:
                etree.SubElement(node, etree.QName(self.tns, name)).text = value
        return node

    def _order(self, body: etree._Element, operation: str) -> Order:
        order = self.state.orders.get(self._text(body, "orderID"))
        if order is None:
            if any(p.operation == operation for p in self.api.policies.not_found):
                self.state.flags[f"{operation}: unknown key"] += 1
            raise _Fault(102, f"no order {self._text(body, 'orderID')!r}")
        return order

    def _lines(self, body: etree._Element, list_name: str) -> dict[str, Decimal]:
        return {
            self._text(item, "partNumber"): Decimal(self._text(item, "quantityRequired"))
            for item in body.iterfind(f"{{{self.tns}}}{list_name}")
        }

    def _submit_order(self, body: etree._Element, response: str) -> etree._Element:
        reference = self._text(body, "purchaseOrderID")
        others = tuple(o.order_id for o in self.state.orders.values() if o.reference == reference)
        if others:
            self.state.flags["submitOrder: duplicate reference"] += 1
            raise _Fault(101, f"purchaseOrderID {reference!r} is already used", others)
        order = Order(
            self.state.new_order_id(), reference, self._lines(body, "submitOrderItemList")
        )
        self.state.orders[order.order_id] = order
        return self._answer(response, orderID=order.order_id)

    def _modify_order(self, body: etree._Element, response: str) -> etree._Element:
        order = self._order(body, "modifyOrder")
        if order.status not in STATUSES[:2]:
            raise _Fault(103, f"{order.order_id} is {order.status}: it can no longer be modified")
        changes = self._lines(body, "modifyOrderItemList")
        if any(q <= 0 for q in changes.values()):
            raise _Fault(100, "a quantity cannot be modified to zero: use cancel")
        order.lines.update(changes)
        return self._answer(response, orderID=order.order_id, orderStatus=order.status)

    def _cancel(self, body: etree._Element, response: str) -> etree._Element:
        order = self._order(body, "cancel")
        if order.status != STATUSES[0]:
            raise _Fault(
                103, f"{order.order_id} is {order.status}: cancel it via Customer Services"
            )
        parts = [p.text or "" for p in body.iterfind(f"{{{self.tns}}}partNumberList")]
        for part in parts:
            order.lines.pop(part, None)
        if not parts or not order.lines:
            order.status = CANCELLED
        return self._answer(response, orderID=order.order_id, orderStatus=order.status)

    def _order_status(self, body: etree._Element, response: str) -> etree._Element:
        order = self._order(body, "orderStatus")
        items = []
        for part, quantity in order.lines.items():
            item = etree.Element(etree.QName(self.tns, "StatusItemList"))
            etree.SubElement(item, etree.QName(self.tns, "partNumber")).text = part
            etree.SubElement(item, etree.QName(self.tns, "quantityRequired")).text = str(quantity)
            items.append(item)
        return self._answer(
            response,
            orderID=order.order_id,
            purchaseOrderID=order.reference,
            orderStatus=order.status,
            StatusItemList=items,
        )

    def _check_inventory(self, body: etree._Element, response: str) -> etree._Element:
        lines = []
        for part in body.iterfind(f"{{{self.tns}}}partNumberList"):
            line = etree.Element(etree.QName(self.tns, "stockList"))
            etree.SubElement(line, etree.QName(self.tns, "partNumber")).text = part.text
            quantity = self.state.stock.get(part.text or "", Decimal(100))
            etree.SubElement(line, etree.QName(self.tns, "quantityAvailable")).text = str(quantity)
            lines.append(line)
        return self._answer(response, stockList=lines)
