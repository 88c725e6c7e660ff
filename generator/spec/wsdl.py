"""The WSDL 1.1 document of a SOAP spec (document/literal, SOAP 1.1 binding).

Built with lxml, never by string pasting, so the document is well-formed whatever the
spec text holds. Elements marked with a ``source`` carry it as a ``routegen:source``
attribute, so a reader sees which parts are documented and which are proposals.
Shipped inside each generated package (``service.wsdl``), printed by ``routegen wsdl``
(``export.wsdl``) and used by the mock to check request bodies: it lives in ``spec``, the
one layer all three may import, because it is the contract the spec describes.
"""

from __future__ import annotations

from lxml import etree

from .soap import SoapApi, SoapField, SoapType

__all__ = ["wsdl_document"]

WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
XS = "http://www.w3.org/2001/XMLSchema"
ROUTEGEN = "urn:routegen:annotations"


def wsdl_document(api: SoapApi, stage: str) -> str:
    """The WSDL of ``stage`` as text (stable bytes for the same spec)."""
    tns = api.target_namespace
    root = etree.Element(
        etree.QName(WSDL, "definitions"),
        {"name": api.service, "targetNamespace": tns},
        nsmap={
            "wsdl": WSDL,
            "soap": SOAP,
            "xs": XS,
            "tns": tns,
            "err": api.error_namespace,
            "routegen": ROUTEGEN,
        },
    )
    _doc(root, f"{api.info.title}, stage {stage}. {api.info.description}")
    types = etree.SubElement(root, etree.QName(WSDL, "types"))
    types.append(_schema(api))
    types.append(_error_schema(api))
    port_type = etree.Element(etree.QName(WSDL, "portType"), {"name": f"{api.service}PortType"})
    binding = etree.Element(
        etree.QName(WSDL, "binding"),
        {"name": f"{api.service}Binding", "type": f"tns:{api.service}PortType"},
    )
    etree.SubElement(
        binding,
        etree.QName(SOAP, "binding"),
        {"style": "document", "transport": "http://schemas.xmlsoap.org/soap/http"},
    )
    for op in api.operations:
        for part, message in (("Request", op.request), ("Response", op.response)):
            msg = etree.SubElement(root, etree.QName(WSDL, "message"), {"name": op.name + part})
            etree.SubElement(
                msg,
                etree.QName(WSDL, "part"),
                {"name": "body", "element": f"tns:{message.element}"},
            )
        fault = etree.SubElement(root, etree.QName(WSDL, "message"), {"name": op.name + "Fault"})
        etree.SubElement(
            fault, etree.QName(WSDL, "part"), {"name": "fault", "element": "err:error"}
        )
        _port_operation(port_type, op.name, op.description, op.source)
        _binding_operation(binding, tns, op.name)
    root.append(port_type)
    root.append(binding)
    service = etree.SubElement(root, etree.QName(WSDL, "service"), {"name": api.service})
    for env in api.environments:
        port = etree.SubElement(
            service,
            etree.QName(WSDL, "port"),
            {"name": f"{api.service}Port_{env.name}", "binding": f"tns:{api.service}Binding"},
        )
        _source(port, env.source)
        _doc(port, env.description)
        etree.SubElement(port, etree.QName(SOAP, "address"), {"location": env.url})
    text: bytes = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="utf-8")
    return text.decode("utf-8")


def _doc(node: etree._Element, text: str) -> None:
    if text:
        etree.SubElement(node, etree.QName(WSDL, "documentation")).text = text


def _source(node: etree._Element, source: str | None) -> None:
    if source is not None:
        node.set(etree.QName(ROUTEGEN, "source"), source)


def _schema(api: SoapApi) -> etree._Element:
    schema = etree.Element(
        etree.QName(XS, "schema"),
        {"targetNamespace": api.target_namespace, "elementFormDefault": "qualified"},
        # declared here as well: the schema stands alone when taken out of the WSDL
        nsmap={"xs": XS, "tns": api.target_namespace, "routegen": ROUTEGEN},
    )
    for t in api.types:
        schema.append(_complex(t, t.name))
    for op in api.operations:
        for message in (op.request, op.response):
            el = etree.SubElement(
                schema, etree.QName(XS, "element"), {"name": message.element or ""}
            )
            _source(el, message.source)
            el.append(_complex(message, None))
    return schema


def _complex(t: SoapType, name: str | None) -> etree._Element:
    node = etree.Element(etree.QName(XS, "complexType"), {"name": name} if name else {})
    if name:
        _source(node, t.source)
        _annotation(node, t.description)
    seq = etree.SubElement(node, etree.QName(XS, "sequence"))
    for f in t.fields:
        seq.append(_field(f))
    return node


def _field(f: SoapField) -> etree._Element:
    attrs = {"name": f.name, "type": f"tns:{f.type}" if f.is_complex else f"xs:{f.type}"}
    if f.optional or f.is_list:
        attrs["minOccurs"] = "0"
    if f.is_list:
        attrs["maxOccurs"] = "unbounded"
    el = etree.Element(etree.QName(XS, "element"), attrs)
    _source(el, f.source)
    _annotation(el, f.description)
    return el


def _annotation(node: etree._Element, text: str) -> None:
    if text:
        ann = etree.SubElement(node, etree.QName(XS, "annotation"))
        etree.SubElement(ann, etree.QName(XS, "documentation")).text = text


def _error_schema(api: SoapApi) -> etree._Element:
    """The fault detail: code (absent for contract faults), message, conflicting order IDs."""
    schema = etree.Element(
        etree.QName(XS, "schema"),
        {"targetNamespace": api.error_namespace, "elementFormDefault": "qualified"},
        nsmap={"err": api.error_namespace},
    )
    _source(schema, "proposal")
    el = etree.SubElement(schema, etree.QName(XS, "element"), {"name": "error"})
    seq = etree.SubElement(
        etree.SubElement(el, etree.QName(XS, "complexType")), etree.QName(XS, "sequence")
    )
    groups = "; ".join(
        f"{g.code if g.code is not None else 'no code'}: {g.description}" for g in api.groups
    )
    code = etree.SubElement(
        seq, etree.QName(XS, "element"), {"name": "code", "type": "xs:int", "minOccurs": "0"}
    )
    _annotation(code, groups)
    etree.SubElement(seq, etree.QName(XS, "element"), {"name": "message", "type": "xs:string"})
    ids = etree.SubElement(
        seq, etree.QName(XS, "element"), {"name": "orderIDList", "minOccurs": "0"}
    )
    etree.SubElement(
        etree.SubElement(
            etree.SubElement(ids, etree.QName(XS, "complexType")), etree.QName(XS, "sequence")
        ),
        etree.QName(XS, "element"),
        {"name": "orderID", "type": "xs:string", "minOccurs": "0", "maxOccurs": "unbounded"},
    )
    return schema


def _port_operation(port_type: etree._Element, name: str, text: str, source: str | None) -> None:
    op = etree.SubElement(port_type, etree.QName(WSDL, "operation"), {"name": name})
    _source(op, source)
    _doc(op, text)
    etree.SubElement(op, etree.QName(WSDL, "input"), {"message": f"tns:{name}Request"})
    etree.SubElement(op, etree.QName(WSDL, "output"), {"message": f"tns:{name}Response"})
    etree.SubElement(
        op, etree.QName(WSDL, "fault"), {"name": "error", "message": f"tns:{name}Fault"}
    )


def _binding_operation(binding: etree._Element, tns: str, name: str) -> None:
    op = etree.SubElement(binding, etree.QName(WSDL, "operation"), {"name": name})
    etree.SubElement(op, etree.QName(SOAP, "operation"), {"soapAction": f"{tns}/{name}"})
    for kind in ("input", "output"):
        io = etree.SubElement(op, etree.QName(WSDL, kind))
        etree.SubElement(io, etree.QName(SOAP, "body"), {"use": "literal"})
    fault = etree.SubElement(op, etree.QName(WSDL, "fault"), {"name": "error"})
    etree.SubElement(fault, etree.QName(SOAP, "fault"), {"name": "error", "use": "literal"})
