"""The mock's world is one a real account shows, on every stage of the real spec.

The vendor returns "all the data about the specified resource type that you have
access to": the key's organizations exist and are enabled, deleted records are a small
minority shown only with ``includeDeleted``, and every reference (organization,
account, site, machine, product, selection) points at a record that exists and is
visible. A seed gives the same world every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from mock_support import config

from generator.mock.data import is_deleted, link_fields
from generator.mock.request import Query
from generator.mock.select import select
from generator.mock.store import TREE, Store
from generator.spec.model import Api

STAGES = ("v1", "v2", "v2.1", "rc")
KINDS = tuple(kind for kind, _, _ in TREE)
MAX_DELETED_SHARE = 0.10


def _table(kind: str) -> str:
    return kind[:1].upper() + kind[1:]


def world(api: Api, stage: str, seed: int = 1) -> Store:
    """A store with every table of the stage generated (500 rows per plain table)."""
    store = Store(api.stage(stage), config(seed=seed, records=500))
    for name in sorted(store.table_names):
        store.rows(name)
    return store


@pytest.fixture(scope="module", params=STAGES)
def store(request: pytest.FixtureRequest, real_api: Api) -> Store:
    return world(real_api, request.param)


def _references(data: Any) -> Iterator[tuple[str, int]]:
    """(kind, id) for every reference field in a record, nested records included."""
    if isinstance(data, list):
        for item in data:
            yield from _references(item)
    elif isinstance(data, dict):
        for key, value in data.items():
            for kind in KINDS:
                if key in link_fields(kind) and isinstance(value, int):
                    yield kind, value
            yield from _references(value)


def _visible_to_key(store: Store, data: dict[str, Any], org: int | None) -> bool:
    return not is_deleted(data) and (org is None or org in store.config.organizations)


def test_the_keys_organizations_exist_and_are_enabled(store: Store) -> None:
    for org in store.config.organizations:
        row = store.find("Organization", org)
        assert row is not None, org
        assert not is_deleted(row.data), row.data


def test_deleted_records_are_a_small_minority(store: Store) -> None:
    for name in store.iter_tables():
        rows = store.rows(name)
        deleted = sum(is_deleted(r.data) for r in rows)
        assert deleted <= MAX_DELETED_SHARE * len(rows), (name, deleted, len(rows))


def test_deleted_records_appear_only_with_include_deleted(store: Store) -> None:
    shown_somewhere = False
    for name in store.iter_tables():
        model = store.stage.model(name)
        assert model is not None
        plain = select(store, model, Query())
        assert not any(is_deleted(r.data) for r in plain), name
        everything = select(store, model, Query(filters={"includeDeleted": True}))
        hidden = [r for r in everything if is_deleted(r.data)]
        assert len(everything) == len(plain) + len(hidden), name
        shown_somewhere = shown_somewhere or bool(hidden)
    assert shown_somewhere, "no table has a deleted record to show"


def test_every_reference_points_at_a_visible_record(store: Store) -> None:
    tables = {kind: _table(kind) for kind in KINDS if _table(kind) in store.iter_tables()}
    checked = 0
    for name in store.iter_tables():
        for row in store.rows(name):
            if not _visible_to_key(store, row.data, store.organization_of(row)):
                continue
            for kind, ident in _references(row.data):
                if kind not in tables:
                    continue
                target = store.find(tables[kind], ident)
                where = f"{name} {row.data.get('id')} -> {kind} {ident}"
                assert target is not None, f"dangling: {where}"
                org = store.organization_of(target)
                assert _visible_to_key(store, target.data, org), f"hidden: {where}"
                checked += 1
    assert checked > 100


def test_organizations_list_returns_what_other_tables_point_at(store: Store) -> None:
    model = store.stage.model("Organization")
    assert model is not None
    listed = {r.data["id"] for r in select(store, model, Query())}
    assert listed == set(store.config.organizations)
    machines = store.stage.model("Machine")
    assert machines is not None
    owners = {store.organization_of(r) for r in select(store, machines, Query())}
    assert owners and owners <= listed


def test_bool_fields_follow_their_ratio_not_a_blanket_80_percent(real_api: Api) -> None:
    store = world(real_api, "v2.1")
    items = [i for r in store.rows("Transaction") for i in r.data["lineItems"]]
    ok = sum(i["vendWasSuccessful"] for i in items) / len(items)
    assert ok > 0.9  # true_ratio 0.98 in the spec
    products = store.rows("Product")
    assert sum(r.data["isDeleted"] for r in products) < len(products) * 0.1


@pytest.mark.parametrize("stage", STAGES)
def test_the_same_seed_gives_the_same_world(real_api: Api, stage: str) -> None:
    def dump(store: Store) -> dict[str, list[Any]]:
        return {n: [r.data for r in store.rows(n)] for n in sorted(store.iter_tables())}

    first, again = world(real_api, stage), world(real_api, stage)
    assert dump(first) == dump(again)
    assert dump(world(real_api, stage, seed=2)) != dump(first)
