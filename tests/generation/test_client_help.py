"""``help(Client)`` explains the package: every argument, the environment, the groups."""

from __future__ import annotations

import importlib
import inspect
import pydoc
import sys
from functools import cached_property

import httpx
import pytest

from .conftest import ROOT

STAGES = ("vendnovation_v1", "vendnovation_v2", "vendnovation_v2_1", "vendnovation_rc")
ENV = ("VENDNOVATION_API_KEY", "VENDNOVATION_USERNAME", "VENDNOVATION_PASSWORD")


def _client(package: str, name: str) -> type:
    path = str(ROOT / "generated" / package)
    if path not in sys.path:
        sys.path.insert(0, path)
    cls = getattr(importlib.import_module(package), name)
    assert isinstance(cls, type)
    return cls


@pytest.mark.parametrize("name", ["Client", "AsyncClient"])
@pytest.mark.parametrize("package", STAGES)
def test_help_documents_every_argument_env_var_and_group(package: str, name: str) -> None:
    cls = _client(package, name)
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    doc = inspect.getdoc(cls) or ""
    args = doc.split("Args:\n", 1)[1].split("\n\n", 1)[0]
    documented = [line.split(":", 1)[0].strip() for line in args.splitlines()]
    params = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    assert documented == params
    for line in args.splitlines():  # each says something, not just the name
        assert len(line.split(":", 1)[1].strip()) > 20, line
    for var in ENV:
        assert var in text
    assert "api_key: Sent as the x-api-key header on every call." in doc
    assert "Default: the VENDNOVATION_USERNAME environment variable." in doc
    groups = doc.split("Resource groups (attributes):\n", 1)[1].splitlines()
    attrs = [line.split(":", 1)[0].strip() for line in groups if line.strip()]
    # each group is a cached property, built (and its module imported) on first use
    group_attrs = sorted(k for k, v in vars(cls).items() if isinstance(v, cached_property))
    assert attrs == group_attrs and "transactions" in attrs
    assert "The ``transactions`` routes" in text
    assert "    transactions: list, page" in doc


def test_username_and_password_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VENDNOVATION_API_KEY", "env-key")
    monkeypatch.setenv("VENDNOVATION_USERNAME", "env-user")
    monkeypatch.setenv("VENDNOVATION_PASSWORD", "env-pass")
    with _client("vendnovation_v2_1", "Client")() as client:
        assert client._credentials() == ("env-user", "env-pass")
    with _client("vendnovation_v2_1", "Client")(username="u", password="p") as client:
        assert client._credentials() == ("u", "p")  # arguments win


def test_a_missing_username_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VENDNOVATION_USERNAME", raising=False)
    client = _client("vendnovation_v2_1", "Client")(api_key="k", password="p")
    with pytest.raises(Exception, match=r"username=.*VENDNOVATION_USERNAME"):
        client._credentials()
    client.close()


def test_update_with_no_records_is_a_usage_error_before_sending() -> None:
    sent: list[httpx.Request] = []

    def vendor(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    pkg = importlib.import_module("vendnovation_v2_1")
    http = httpx.Client(transport=httpx.MockTransport(vendor))
    client = _client("vendnovation_v2_1", "Client")(
        api_key="k", username="u", password="p", http_client=http
    )
    with pytest.raises(pkg.UsageError, match=r"sites\.update: an empty list"):
        client.sites.update([])
    assert sent == []
