"""Infusion webhooks e2e: register the receiver's loopback URL, change a record, the mirror follows.

The mock calls the registered URL after each write, signed with the registration's
secret; the receiver verifies the signature and runs the entity's ``sync_into``.
Waits are bounded (a deadline) and never asserted on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from test_infusion_sync import InfusionMock

SECRET = "webhook-secret"


@pytest.fixture
def infusion() -> Iterator[InfusionMock]:
    served = InfusionMock()
    yield served
    served.server.stop()


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_signed_call_syncs_the_changed_entity(
    infusion: InfusionMock, tmp_path: Path
) -> None:
    pkg = infusion.pkg
    table = pkg._api.PRODUCTS_TABLE
    with (
        infusion.client() as client,
        pkg.SqliteMirror(tmp_path / "m.db") as mirror,
        pkg.WebhookReceiver(client, secret=SECRET, mirror=mirror) as receiver,
    ):
        client.products.sync_into(mirror)
        hook = client.webhooks.register(
            pkg.WebhookRegistration(
                url=receiver.url, secret=SECRET, entities=["products"]
            )
        )
        created = client.products.create(
            pkg.Product(
                code="HOOK-1", description="Via webhook", unit_price=1.0, active=True
            )
        )

        def mirrored() -> bool:
            return any(r["uuid"] == str(created.uuid) for r in mirror.rows(table))

        assert wait_for(mirrored), (infusion.state.deliveries, receiver.errors)
        assert receiver.errors == []
        assert infusion.state.deliveries == [(receiver.url, 202)]
        client.customers.delete(str(client.customers.page(size=1).items[0].uuid))
        client.webhooks.delete(str(hook.uuid))
        client.products.delete(str(created.uuid))
    assert (
        receiver.calls == 1
    )  # customers are not registered; the last write came after removal


def test_a_call_with_a_bad_signature_is_refused_and_syncs_nothing(
    infusion: InfusionMock, tmp_path: Path
) -> None:
    pkg = infusion.pkg
    seen: list[str] = []
    with (
        infusion.client() as client,
        pkg.WebhookReceiver(client, secret=SECRET, on_change=seen.append) as receiver,
    ):
        body = b'{"entity": "products"}'
        forged = httpx.post(
            receiver.url, content=body, headers={"x-webhook-signature": "0" * 64}
        )
        unsigned = httpx.post(receiver.url, content=body)
        from infusion_v1._runtime._webhooks import sign

        unknown = httpx.post(
            receiver.url,
            content=b'{"entity": "close"}',
            headers={"x-webhook-signature": sign(SECRET, b'{"entity": "close"}')},
        )
        good = httpx.post(
            receiver.url,
            content=body,
            headers={"x-webhook-signature": sign(SECRET, body)},
        )
    assert (forged.status_code, unsigned.status_code, unknown.status_code) == (
        401,
        401,
        400,
    )
    assert good.status_code == 202 and seen == ["products"]


def test_the_mock_only_calls_loopback_urls(infusion: InfusionMock) -> None:
    pkg = infusion.pkg
    with (
        infusion.client() as client,
        pytest.raises(pkg.BadRequestError, match="loopback"),
    ):
        client.webhooks.register(
            pkg.WebhookRegistration(url="http://example.com/hook", secret=SECRET)
        )
