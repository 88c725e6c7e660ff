"""``routegen wsdl``'s document: the WSDL of one stage of a SOAP spec.

The document itself is built in ``spec.wsdl`` (every generated SOAP package ships it as
``service.wsdl``); this module is the export front door, like ``export.openapi``.
"""

from __future__ import annotations

from ..spec.soap import SoapApi
from ..spec.wsdl import wsdl_document

__all__ = ["stage_wsdl"]


def stage_wsdl(api: SoapApi, stage: str) -> str:
    """The WSDL of ``stage``; ``KeyError`` naming the known stages when there is none."""
    if stage not in api.stage_names:
        known = ", ".join(api.stage_names)
        raise KeyError(f"unknown stage {stage!r} (known: {known})")
    return wsdl_document(api, stage)
