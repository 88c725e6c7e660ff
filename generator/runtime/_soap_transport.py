"""SOAP transport: document/literal envelopes signed with WS-Security X.509, over httpx.

``SoapTransport`` implements the ``Transport`` protocol of ``_transport``: the payload
is an unsigned envelope (an lxml element), signed here just before it goes on the wire,
and ``decode`` returns the body's single child (or raises ``SoapFault``). Signing uses
zeep's WS-Security support on top of xmlsec (binary security token, RSA-SHA256, signed
body and timestamp): no hand-rolled XML signature.

Models map to XML by their field aliases (the wire names), in declaration order, which
is the order of the WSDL's ``xs:sequence``.
"""

from __future__ import annotations

import hashlib
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree
from pydantic import BaseModel
from zeep.wsse.signature import BinarySignature, MemorySignature

__all__ = [
    "SOAP_ENV",
    "Signer",
    "SoapFault",
    "SoapTransport",
    "envelope",
    "from_element",
    "to_element",
]

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
)
WSU = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
)
# A signed request is valid this long after it was made (the wsu:Timestamp's Expires).
TIMESTAMP_TTL = timedelta(minutes=5)


class _BinaryMemorySignature(MemorySignature):
    """zeep's ``BinarySignature`` (certificate in a BinarySecurityToken) from bytes, not files."""

    def apply(self, envelope: Any, headers: Any) -> Any:
        return BinarySignature.apply(self, envelope, headers)  # type: ignore[arg-type, no-untyped-call]


@dataclass(frozen=True, slots=True)
class Signer:
    """The reseller's signing credential: PEM private key and its X.509 certificate."""

    private_key: bytes
    certificate: bytes
    password: bytes | None = None

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate (DER): names the credential in the policy state."""
        cert = x509.load_pem_x509_certificate(self.certificate)
        der = cert.public_bytes(Encoding.DER)
        return hashlib.sha256(der).hexdigest()

    def sign(self, env: etree._Element, now: datetime) -> bytes:
        """Add a timestamp and a WS-Security signature over body and timestamp; serialize."""
        security = _security_header(env)
        stamp = etree.SubElement(security, etree.QName(WSU, "Timestamp"))
        etree.SubElement(stamp, etree.QName(WSU, "Created")).text = _iso(now)
        etree.SubElement(stamp, etree.QName(WSU, "Expires")).text = _iso(
            now + TIMESTAMP_TTL
        )
        signature = _BinaryMemorySignature(  # type: ignore[no-untyped-call]
            self.private_key,
            self.certificate,
            self.password,
            signature_method=xmlsec.constants.TransformRsaSha256,
            digest_method=xmlsec.constants.TransformSha256,
        )
        signature.apply(env, {})
        data: bytes = etree.tostring(env, xml_declaration=True, encoding="utf-8")
        return data


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _security_header(env: etree._Element) -> etree._Element:
    header = env.find(f"{{{SOAP_ENV}}}Header")
    if header is None:
        header = etree.Element(etree.QName(SOAP_ENV, "Header"))
        env.insert(0, header)
    security = etree.SubElement(
        header,
        etree.QName(WSSE, "Security"),
        {etree.QName(SOAP_ENV, "mustUnderstand"): "1"},
        nsmap={"wsse": WSSE, "wsu": WSU},
    )
    return security


class SoapFault(Exception):
    """A SOAP fault as the server sent it: fault code, text and the vendor's detail."""

    def __init__(
        self,
        faultcode: str,
        message: str,
        code: int | None,
        order_ids: tuple[str, ...] = (),
        status_code: int = 500,
    ) -> None:
        super().__init__(message)
        self.faultcode = faultcode
        self.message = message
        self.code = code
        self.order_ids = order_ids
        self.status_code = status_code


def envelope(body: etree._Element) -> etree._Element:
    """An unsigned SOAP 1.1 envelope around ``body``."""
    env = etree.Element(etree.QName(SOAP_ENV, "Envelope"), nsmap={"soap": SOAP_ENV})
    etree.SubElement(env, etree.QName(SOAP_ENV, "Header"))
    etree.SubElement(env, etree.QName(SOAP_ENV, "Body")).append(body)
    return env


def to_element(model: BaseModel, element: str, namespace: str) -> etree._Element:
    """``model`` as the element ``{namespace}element``, children in field order."""
    node = etree.Element(etree.QName(namespace, element), nsmap={"tns": namespace})
    _fill(node, model, namespace)
    return node


def _fill(node: etree._Element, model: BaseModel, namespace: str) -> None:
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        wire = info.alias or name
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            child = etree.SubElement(node, etree.QName(namespace, wire))
            if isinstance(item, BaseModel):
                _fill(child, item, namespace)
            else:
                child.text = _text(item)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def from_element(cls: type[BaseModel], node: etree._Element) -> dict[str, Any]:
    """The children of ``node`` as validation input for ``cls`` (by wire name)."""
    out: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        wire = info.alias or name
        children = [c for c in node if etree.QName(c).localname == wire]
        nested, is_list = _shape(info.annotation)
        values = [
            from_element(nested, c) if nested else (c.text or "") for c in children
        ]
        if is_list:
            out[wire] = values
        elif values:
            out[wire] = values[0]
    return out


def _shape(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """(nested model class or None, is a list) of a field annotation."""
    is_list = typing.get_origin(annotation) is list
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    inner = args[0] if args else annotation
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return inner, is_list
    return None, is_list


class SoapTransport:
    """Envelopes signed by ``signer`` over httpx; implements ``_transport.Transport``."""

    def __init__(self, signer: Signer, error_namespace: str) -> None:
        self.signer = signer
        self.error_namespace = error_namespace

    def build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        method: str,
        url: str,
        payload: object,
        *,
        headers: Mapping[str, str],
        timeout: httpx.Timeout,
    ) -> httpx.Request:
        """``payload`` (an unsigned envelope) signed now, POSTed as text/xml."""
        if not isinstance(payload, etree._Element):
            raise TypeError("a SOAP payload is an envelope element")
        body = self.signer.sign(payload, datetime.now(UTC))
        merged = {"Content-Type": "text/xml; charset=utf-8", **headers}
        return http.build_request(
            method, url, content=body, headers=merged, timeout=timeout
        )

    def decode(self, response: httpx.Response) -> object:
        """The body's child element; ``SoapFault`` for a fault, ``ValueError`` if malformed."""
        try:
            root = etree.fromstring(response.content, parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            raise ValueError(f"the response is not XML: {exc}") from None
        body = root.find(f"{{{SOAP_ENV}}}Body")
        if body is None or len(body) != 1:
            raise ValueError("the response has no SOAP body with one element")
        child = body[0]
        if child.tag == f"{{{SOAP_ENV}}}Fault":
            raise self._fault(child, response.status_code)
        return child

    def _fault(self, node: etree._Element, status: int) -> SoapFault:
        err = self.error_namespace
        code_text = node.findtext(f"detail/{{{err}}}error/{{{err}}}code")
        message = node.findtext(f"detail/{{{err}}}error/{{{err}}}message") or (
            node.findtext("faultstring") or "SOAP fault"
        )
        ids = tuple(
            e.text or ""
            for e in node.iterfind(
                f"detail/{{{err}}}error/{{{err}}}orderIDList/{{{err}}}orderID"
            )
        )
        code = int(code_text) if code_text and code_text.strip().isdigit() else None
        return SoapFault(node.findtext("faultcode") or "", message, code, ids, status)


# No network access and no entity expansion while parsing what a server sent.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
