"""Helpers for the SOAP e2e tests: a test certificate, the generated package, the mock."""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

import generator
from generator.mock import MockServer
from generator.mock.soap import SoapMockState, create_soap_app
from generator.spec.soap import SoapApi

ROOT = Path(__file__).resolve().parents[2]
SOAP_SPEC = ROOT / "spec" / "nuvias.yaml"
GENERATED = ROOT / "generated"


def soap_api() -> SoapApi:
    """The SOAP spec, built."""
    api = generator.build_any(SOAP_SPEC)
    assert isinstance(api, SoapApi)
    return api


def soap_package() -> ModuleType:
    """The generated SOAP package, imported from ``generated/``."""
    name = soap_api().package(soap_api().stage_names[0])
    path = str(GENERATED / name)
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module(name)


def make_credential(directory: Path, name: str = "reseller") -> tuple[Path, Path]:
    """A fresh RSA key and self-signed X.509 certificate as PEM files: (cert, key)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=5 * 365))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / f"{name}-cert.pem", directory / f"{name}-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class SoapServed:
    """A running SOAP mock, its state and the credential it trusts."""

    server: MockServer
    state: SoapMockState
    cert: Path
    key: Path

    @property
    def url(self) -> str:
        return f"http://{self.server.host}:{self.server.port}/reseller"

    def flags(self) -> dict[str, Any]:
        """The mock's counters (``flags``, ``calls``, ``refused``)."""
        base = f"http://{self.server.host}:{self.server.port}"
        data: dict[str, Any] = httpx.get(f"{base}/_mock/flags", timeout=10).json()
        return data

    def post(self, path: str) -> httpx.Response:
        base = f"http://{self.server.host}:{self.server.port}"
        return httpx.post(f"{base}{path}", timeout=10)

    def client(self, state_path: Path, **kw: Any) -> Any:
        pkg = soap_package()
        return pkg.NuviasClient(
            self.cert, self.key, endpoint=self.url, state_path=state_path, timeout=10, **kw
        )

    def async_client(self, state_path: Path, **kw: Any) -> Any:
        pkg = soap_package()
        return pkg.AsyncNuviasClient(
            self.cert, self.key, endpoint=self.url, state_path=state_path, timeout=10, **kw
        )


def serve_soap(directory: Path) -> SoapServed:
    """Start the mock for the SOAP spec's only stage, trusting a fresh test certificate."""
    cert, key = make_credential(directory)
    api = soap_api()
    state = SoapMockState(cert.read_bytes())
    server = MockServer(create_soap_app(api, api.stage_names[0], state))
    server.start()
    return SoapServed(server, state, cert, key)
