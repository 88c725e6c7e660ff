"""Infusion e2e: the generated client against the mock over loopback, synced into SQLite.

Seed the mock, sync every entity into a SQLite mirror, create/change/delete through the
API, sync again: the mirror equals the mock's records (tombstones included) exactly.
The same after the syncing process is killed in the middle of storing a page.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import generator
from generator.mock import MockConfig, MockServer, create_app

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generated" / "infusion_v1"
GROUPS = {
    "products": "Product",
    "customers": "Customer",
    "customer_invoices": "CustomerInvoice",
    "customer_contract_rates": "CustomerContractRate",
    "product_promotional_prices": "ProductPromotionalPrice",
    "discount_matrix_entries": "DiscountMatrixEntry",
}
RECORDS = 23  # per entity: pages of 10 end with a short one


def load() -> ModuleType:
    if not PACKAGE.is_dir():
        pytest.fail("generated/infusion_v1 is missing: run `make generate`")
    if str(PACKAGE) not in sys.path:
        sys.path.insert(0, str(PACKAGE))
    return importlib.import_module("infusion_v1")


class InfusionMock:
    def __init__(self) -> None:
        stage = generator.build(ROOT / "spec/infusion.yaml").stage("v1")
        self.app = create_app(stage, MockConfig(records=RECORDS, enforce_limits=True))
        self.state = self.app.state.mock
        self.server = MockServer(self.app)
        self.server.start()
        self.url = self.server.url("v1")
        self.pkg = load()

    def client(self) -> Any:
        tokens = self.state.tokens
        return self.pkg.Client(
            base_url=self.url,
            license_uuid=tokens["licenseuuid"],
            session_uuid=tokens["sessionuuid"],
        )


@pytest.fixture
def mock() -> Iterator[InfusionMock]:
    mock = InfusionMock()
    yield mock
    mock.server.stop()


def expected_rows(mock: InfusionMock, group: str) -> list[dict[str, object]]:
    """The mock's records of a group as the mirror must hold them."""
    model = getattr(mock.pkg, GROUPS[group])
    table = getattr(mock.pkg._api, group.upper() + "_TABLE")
    rows = [
        table.row(model.model_validate(r).model_dump(mode="json", by_alias=True))
        for r in mock.state.store.all(GROUPS[group])
    ]
    return sorted(rows, key=lambda r: str(r["uuid"]))


def assert_mirror_equals_mock(mock: InfusionMock, mirror: Any) -> None:
    for group in GROUPS:
        table = getattr(mock.pkg._api, group.upper() + "_TABLE")
        assert mirror.rows(table) == expected_rows(mock, group), group


def change_through_the_api(mock: InfusionMock, client: Any) -> None:
    pkg = mock.pkg
    product = client.products.create(
        pkg.Product(code="NEW-1", description="Brand new", unit_price=9.5, active=True)
    )
    client.products.update(
        str(product.uuid), product.model_copy(update={"description": "Renamed"})
    )
    customers = client.customers.page(size=3).items
    client.customers.update(
        str(customers[0].uuid), customers[0].model_copy(update={"on_hold": True})
    )
    client.customers.delete(str(customers[1].uuid))
    entry = client.discount_matrix_entries.page(size=1).items[0]
    client.discount_matrix_entries.delete(str(entry.uuid))


def sync_all(client: Any, mirror: Any) -> int:
    return sum(getattr(client, g).sync_into(mirror, size=10) for g in GROUPS)


def test_sync_change_sync_mirror_equals_mock(
    mock: InfusionMock, tmp_path: Path
) -> None:
    with (
        mock.client() as client,
        mock.pkg.SqliteMirror(tmp_path / "m.db") as mirror,
    ):
        assert sync_all(client, mirror) == RECORDS * len(GROUPS)
        assert_mirror_equals_mock(mock, mirror)
        change_through_the_api(mock, client)
        assert (
            sync_all(client, mirror) == 4
        )  # product (created+changed), 2 customers, 1 entry
        assert_mirror_equals_mock(mock, mirror)
        assert sync_all(client, mirror) == 0
        live = mirror.rows(mock.pkg._api.CUSTOMERS_TABLE, live_only=True)
        assert len(live) == RECORDS - 1
        # then search, as the README shows
        found = list(client.products.search(text="Renamed"))
        assert [p.description for p in found] == ["Renamed"]
    assert mock.state.stats.by_status.get(429, 0) == 0  # the client paced itself


KILLER = """
import os, signal, sys
sys.path.insert(0, {package!r})
import infusion_v1 as pkg
from infusion_v1._runtime import _mirror

real_row = _mirror.MirrorTable.row
calls = 0

def row(self, data):
    global calls
    calls += 1
    if calls == {kill_at}:  # in the middle of the second page's transaction
        os.kill(os.getpid(), signal.SIGKILL)
    return real_row(self, data)

_mirror.MirrorTable.row = row
with pkg.Client(base_url={url!r}, license_uuid={lic!r}, session_uuid={ses!r}) as client:
    client.products.sync_into(pkg.SqliteMirror({db!r}), size=10)
"""


def test_a_sync_killed_mid_page_resumes_without_loss_or_duplicates(
    mock: InfusionMock, tmp_path: Path
) -> None:
    db = str(tmp_path / "m.db")
    with mock.client() as client, mock.pkg.SqliteMirror(db) as mirror:
        change_through_the_api(mock, client)  # changes before the first sync too
    tokens = mock.state.tokens
    script = KILLER.format(
        package=str(PACKAGE),
        url=mock.url,
        lic=tokens["licenseuuid"],
        ses=tokens["sessionuuid"],
        db=db,
        kill_at=15,
    )
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        timeout=120,
        capture_output=True,
    )
    assert run.returncode == -9, run.stderr.decode()
    table = mock.pkg._api.PRODUCTS_TABLE
    with mock.pkg.SqliteMirror(db) as mirror:
        assert (
            len(mirror.rows(table)) == 10
        )  # the first page only: the second rolled back
        assert mirror.cursor(table) is not None
    with mock.client() as client, mock.pkg.SqliteMirror(db) as mirror:
        received = sync_all(client, mirror)
        # every record (one product more) but the stored page: none lost, none twice
        assert received == RECORDS * len(GROUPS) + 1 - 10
        assert_mirror_equals_mock(mock, mirror)
        change_through_the_api(mock, client)
        sync_all(client, mirror)
        assert_mirror_equals_mock(mock, mirror)


def test_a_replaced_session_is_explained(mock: InfusionMock) -> None:
    with mock.client() as client:
        assert client.products.page(size=1).items
        mock.state.new_session()
        with pytest.raises(mock.pkg.NotAuthorisedError, match="probably replaced"):
            client.products.page(size=1)
