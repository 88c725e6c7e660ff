"""The mock's in-memory data: seeded tables, the org tree that relates them, atomic swaps.

Tables of the organization tree (organizations -> accounts -> sites -> machines ->
selections, products per organization) are built first when the stage has those
models; every other table is generated on first use, each row linked to a random
machine so transactions, alerts or sessions point at real sites and organizations.
Each table has its own seed, so the order tables are first read in never matters.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..spec.model import Model, StageApi
from .config import MockConfig
from .data import (
    Row,
    ValueMaker,
    date_field,
    deleted_share,
    deletion_flag,
    format_moment,
    is_deleted,
    kind_of,
    link_fields,
)

__all__ = ["TREE", "Store"]

#: (kind, parent kind, rows per parent): the organization tree, parents first.
TREE: tuple[tuple[str, str | None, int], ...] = (
    ("organization", None, 3),
    ("account", "organization", 2),
    ("site", "account", 2),
    ("machine", "site", 2),
    ("product", "organization", 10),
    ("selection", "machine", 4),
)
_TREE_KINDS = frozenset(kind for kind, _, _ in TREE)


@dataclass(slots=True)
class _Pools:
    """What generated rows may link to, computed once per table."""

    wanted: set[str]  # tree kinds the model (or a nested model) has link fields for
    machines: list[Row] = field(default_factory=list)
    selections: dict[int, list[Row]] = field(default_factory=dict)  # by machine id
    products: dict[int, list[int]] = field(default_factory=dict)  # by organization


def _class_name(kind: str) -> str:
    return kind[:1].upper() + kind[1:]


class Store:
    """Every table of one stage; reads are lock-free, writes swap whole tables."""

    def __init__(self, stage: StageApi, config: MockConfig) -> None:
        self.stage = stage
        self.config = config
        self.anchor = config.now().replace(tzinfo=None, microsecond=0)
        self.version = 0
        self._lock = threading.RLock()
        self._tables: dict[str, list[Row]] = {}
        self._ids: dict[str, dict[Any, Row]] = {}
        self._prose: dict[str, int] = {}
        self.table_names = self._table_models()
        self._build_tree()

    # -- reading ------------------------------------------------------------------------

    def rows(self, model_name: str) -> list[Row]:
        """The rows of a table, generated on first use."""
        table = self._tables.get(model_name)
        if table is None:
            with self._lock:
                table = self._tables.get(model_name)
                if table is None:
                    table = self._generate(model_name)
                    self._store(model_name, table)
        return table

    def find(self, model_name: str, ident: Any) -> Row | None:
        """The row of ``model_name`` with id ``ident``, if any."""
        self.rows(model_name)
        return self._ids[model_name].get(ident)

    def entity(self, kind: str, ident: int) -> Row | None:
        """A row of the org tree by kind and id."""
        model = _class_name(kind)
        return self.find(model, ident) if model in self._tables else None

    def machine_id(self, identifier: str) -> int | None:
        """A machine id from an identifier that is an id or a PROSE."""
        text = identifier.strip()
        if text.isdigit():
            return int(text)
        return self._prose.get(text.upper())

    def organization_of(self, row: Row) -> int | None:
        """The organization a row belongs to, if it belongs to one."""
        return row.links.get("organization")

    def links_for(self, model: Model, data: dict[str, Any]) -> dict[str, int]:
        """The org-tree links of a record: its own id fields plus their ancestors."""
        links: dict[str, int] = {}
        own = kind_of(model.name)
        if own in _TREE_KINDS and isinstance(data.get("id"), int):
            links[own] = data["id"]
        for kind in _TREE_KINDS:
            for name in link_fields(kind):
                value = data.get(name)
                if isinstance(value, int) and not isinstance(value, bool):
                    links.setdefault(kind, value)
        for kind, ident in list(links.items()):
            parent = self._tree_row(kind, ident)
            if parent is not None and parent.data is not data:
                for k, v in parent.links.items():
                    links.setdefault(k, v)
        return links

    # -- writing ------------------------------------------------------------------------

    def replace(self, model_name: str, rows: list[Row]) -> None:
        """Swap a whole table in one step (the atomic unit of every write)."""
        with self._lock:
            self._store(model_name, rows)
            self.version += 1

    def next_id(self, model_name: str) -> int:
        """An unused integer id for a new row."""
        ids = [k for k in self._ids.get(model_name, {}) if isinstance(k, int)]
        return max(ids, default=0) + 1

    # -- building -----------------------------------------------------------------------

    def _table_models(self) -> frozenset[str]:
        names = set()
        for route in self.stage.routes:
            for ref in (route.response, route.body):
                if ref is not None and ref.kind == "list" and ref.model:
                    names.add(ref.model)
        return frozenset(names)

    def _store(self, model_name: str, rows: list[Row]) -> None:
        self._tables[model_name] = rows
        self._ids[model_name] = {row.data.get("id"): row for row in rows}
        if model_name == "Machine":
            self._prose = {
                str(row.data["prose"]).upper(): row.data["id"]
                for row in rows
                if row.data.get("prose") and isinstance(row.data.get("id"), int)
            }

    def _tree_row(self, kind: str, ident: int) -> Row | None:
        table = self._ids.get(_class_name(kind))
        return table.get(ident) if table is not None else None

    def _build_tree(self) -> None:
        for kind, parent, per_parent in TREE:
            model = self.stage.model(_class_name(kind))
            if model is None:
                continue
            parents = self._tables.get(_class_name(parent)) if parent else None
            rng = self._rng(model.name)
            maker = ValueMaker(self.stage, rng, self.anchor)
            rows: list[Row] = []
            for parent_row in parents if parents else [None]:
                base = dict(parent_row.links) if parent_row is not None else {}
                for _ in range(per_parent):
                    ident = len(rows) + 1
                    links = {**base, **self._cross_links(model, base, rng)}
                    rows.append(self._row(model, maker, ident, links))
            self._mark_deleted(model, rows, rng)
            self._store(model.name, rows)

    def _cross_links(
        self, model: Model, base: dict[str, int], rng: random.Random
    ) -> dict[str, int]:
        """Links to tree kinds outside the parent chain (a selection's product): a
        visible record of the same organization, so no reference dangles."""
        found: dict[str, int] = {}
        for kind in _TREE_KINDS - base.keys():
            if not any(model.field(n) for n in link_fields(kind)):
                continue
            options = self._visible_ids(_class_name(kind), base.get("organization"))
            if options:
                found[kind] = rng.choice(options)
        return found

    def _visible_ids(self, model_name: str, organization: int | None) -> list[int]:
        rows = self._tables.get(model_name) or []
        return [
            r.data["id"]
            for r in rows
            if not is_deleted(r.data)
            and isinstance(r.data.get("id"), int)
            and (organization is None or r.links.get("organization") == organization)
        ]

    def _mark_deleted(self, model: Model, rows: list[Row], rng: random.Random) -> None:
        """Deleted records stay a small minority: rows under a deleted parent are
        deleted with it, then a few more up to the model's share. The key's own
        organizations are never deleted."""
        flag = deletion_flag(model)
        if flag is None:
            return
        item, deleted = flag
        own = kind_of(model.name)
        for row in rows:
            parents = (self._tree_row(k, v) for k, v in row.links.items() if k != own)
            if any(p is not None and is_deleted(p.data) for p in parents):
                row.data[item.name] = deleted
        quota = int(len(rows) * deleted_share(model))
        quota -= sum(is_deleted(r.data) for r in rows)
        keys = self.config.organizations
        candidates = [
            r
            for r in rows
            if not is_deleted(r.data)
            and not (own == "organization" and r.data.get("id") in keys)
        ]
        for row in rng.sample(candidates, max(0, min(quota, len(candidates)))):
            row.data[item.name] = deleted

    def _row(
        self,
        model: Model,
        maker: ValueMaker,
        ident: int | str,
        base: dict[str, int],
        moment: datetime | None = None,
    ) -> Row:
        names = self._names(base)
        data = maker.record(model, ident, base, names, moment)
        return Row(data, self.links_for(model, data), moment)

    def _names(self, links: dict[str, int]) -> dict[str, str]:
        names = {}
        for kind, ident in links.items():
            row = self._tree_row(kind, ident)
            if row is not None and isinstance(row.data.get("name"), str):
                names[kind] = row.data["name"]
        return names

    def _rng(self, name: str) -> random.Random:
        return random.Random(f"{self.config.seed}:{self.stage.stage.name}:{name}")

    def _generate(self, model_name: str) -> list[Row]:
        model = self.stage.model(model_name)
        if model is None:
            return []
        rng = self._rng(model_name)
        maker = ValueMaker(self.stage, rng, self.anchor)
        count = self.config.records
        moments = self._moments(rng, count) if date_field(model) else [None] * count
        id_field = model.field("id")
        textual = id_field is not None and id_field.type.base == "string"
        rows = []
        pools = self._pools(model)
        for index, moment in enumerate(moments):
            ident: int | str = f"B{1001 + index}" if textual else index + 1
            base = self._context(model, rng, pools)
            row = self._row(model, maker, ident, base, moment)
            self._stamp(model, row, moment)
            rows.append(row)
        return rows

    def _moments(self, rng: random.Random, count: int) -> list[datetime | None]:
        span = self.config.history.total_seconds()
        offsets = sorted((rng.uniform(0, span) for _ in range(count)), reverse=True)
        return [
            self.anchor - timedelta(milliseconds=int(offset * 1000))
            for offset in offsets
        ]

    def _stamp(self, model: Model, row: Row, moment: datetime | None) -> None:
        name = date_field(model)
        if name is not None and moment is not None:
            row.data[name] = format_moment(moment)

    def _context(
        self, model: Model, rng: random.Random, pools: _Pools
    ) -> dict[str, int]:
        """Links for a generated row: a random visible machine's chain, one of its
        visible selections and that selection's product, narrowed to the kinds the
        model (or a model nested in it) has fields for."""
        chain: dict[str, int] = {}
        if pools.machines:
            machine = rng.choice(pools.machines)
            chain = dict(machine.links)
            selections = pools.selections.get(chain.get("machine", 0), [])
            if selections:
                chain.update(rng.choice(selections).links)
            else:
                options = pools.products.get(chain.get("organization", 0), [])
                if options:
                    chain["product"] = rng.choice(options)
        base = {k: v for k, v in chain.items() if k in pools.wanted}
        base.update(self._foreign(model, rng))
        return base

    def _pools(self, model: Model) -> _Pools:
        """Visible machines, their selections and each organization's products."""
        pools = _Pools(self._linked_kinds(model, set()))
        visible = [r for r in self._tables.get("Machine") or [] if not is_deleted(r.data)]
        pools.machines.extend(visible)
        for row in self._tables.get("Selection") or []:
            if not is_deleted(row.data):
                pools.selections.setdefault(row.links.get("machine", 0), []).append(row)
        for row in self._tables.get("Product") or []:
            if not is_deleted(row.data) and isinstance(row.data.get("id"), int):
                org = row.links.get("organization", 0)
                pools.products.setdefault(org, []).append(row.data["id"])
        return pools

    def _linked_kinds(self, model: Model, seen: set[str]) -> set[str]:
        """Tree kinds ``model`` or the models nested in it have link fields for."""
        seen.add(model.name)
        kinds = {k for k in _TREE_KINDS if any(model.field(n) for n in link_fields(k))}
        for item in model.fields:
            nested = self.stage.model(item.type.base)
            if nested is not None and nested.name not in seen:
                kinds |= self._linked_kinds(nested, seen)
        return kinds

    def _foreign(self, model: Model, rng: random.Random) -> dict[str, int]:
        """Ids for ``<kind>Id`` fields naming another generated table (Session, Role)."""
        found: dict[str, int] = {}
        for item in model.fields:
            kind = item.name[:-2] if item.name.endswith("Id") else ""
            other = _class_name(kind)
            foreign = kind not in _TREE_KINDS and other in self.table_names
            if kind and foreign and other != model.name and self.stage.model(other):
                ints = [
                    r.data["id"]
                    for r in self.rows(other)
                    if isinstance(r.data.get("id"), int)
                ]
                if ints:
                    found[kind] = rng.choice(ints)
        return found

    def iter_tables(self) -> Iterable[str]:
        """Names of the tables generated so far."""
        return tuple(self._tables)
