"""The async Infusion client against the mock: CRUD, offset search, sync into SQLite."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_infusion_sync import GROUPS, RECORDS, InfusionMock, assert_mirror_equals_mock


@pytest.fixture
def infusion() -> Iterator[InfusionMock]:
    served = InfusionMock()
    yield served
    served.server.stop()


def test_async_client_writes_searches_and_syncs(
    infusion: InfusionMock, tmp_path: Path
) -> None:
    pkg, tokens = infusion.pkg, infusion.state.tokens

    async def scenario() -> tuple[int, list[str], int]:
        async with pkg.AsyncClient(
            base_url=infusion.url,
            license_uuid=tokens["licenseuuid"],
            session_uuid=tokens["sessionuuid"],
        ) as client:
            created = await client.products.create(
                pkg.Product(
                    code="ASYNC-1", description="Async", unit_price=3.0, active=True
                )
            )
            changed = await client.products.update(
                str(created.uuid),
                created.model_copy(update={"description": "Async two"}),
            )
            found = [
                p.description async for p in client.products.search(text="async two")
            ]
            with pkg.SqliteMirror(tmp_path / "m.db") as mirror:
                received = 0
                for group in GROUPS:
                    received += await getattr(client, group).sync_into(mirror, size=7)
                assert_mirror_equals_mock(infusion, mirror)
            changes = [
                c async for c in client.products.sync()
            ]  # a fresh iterator: nothing new
            with pytest.raises(pkg.TextRuleError, match="no_tabs"):
                await client.products.update(
                    str(created.uuid), changed.model_copy(update={"code": "A\tB"})
                )
            return received, found, len(changes)

    received, found, pending = asyncio.run(scenario())
    assert received == RECORDS * len(GROUPS) + 1
    assert found == ["Async two"]
    assert pending == 0
