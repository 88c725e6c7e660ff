"""A local SQLite mirror kept up to date by synchronisation (stdlib ``sqlite3`` only).

One table per entity, with a typed column per model field (declared by the generated
package) and the record's identity as primary key. Each page of changes is applied in
one transaction together with the page's cursor token, so after a crash the mirror
holds either the whole page and its token or neither; the next sync acknowledges the
stored token, and an unacknowledged page is sent again. A change replaces a stored
record only when its version number is higher, so a page applied twice, or a stale
page, never rolls a record back. Deletions are kept as tombstones (the deleted-
timestamp column is set), so a later stale upsert cannot bring a record back.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ._sync_cursor import SyncPage

__all__ = ["MirrorTable", "SqliteMirror"]

_META = "_routegen_sync_cursor"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class MirrorTable:
    """One entity's table: name, (wire field, SQL type) columns, identity and version."""

    name: str
    columns: tuple[tuple[str, str], ...]
    id_field: str = "uuid"
    version_field: str = "versionNumber"
    deleted_field: str = "deletedTimestamp"

    def row(self, data: Mapping[str, Any]) -> dict[str, object]:
        """The column values of one record (JSON data, wire names) as SQLite stores them."""
        return {name: _cell(data.get(name)) for name, _ in self.columns}


def _cell(value: object) -> object:
    if isinstance(value, Decimal):  # exact digits in a TEXT column, never a float
        return str(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True)
    return value


class SqliteMirror:
    """A SQLite database holding one table per synchronised entity."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        # Shared with a webhook receiver's thread: every use holds the lock.
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._lock = threading.RLock()
        self._ready: set[str] = set()
        with self._db:
            self._db.execute(
                f"CREATE TABLE IF NOT EXISTS {_META} (tbl TEXT PRIMARY KEY, cursor TEXT)"
            )

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> SqliteMirror:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ensure(self, table: MirrorTable) -> None:
        """Create ``table`` if it does not exist."""
        if table.name in self._ready:
            return
        cols = ", ".join(f"{_quote(n)} {t}" for n, t in table.columns)
        key = _quote(table.id_field)
        with self._lock, self._db:
            self._db.execute(
                f"CREATE TABLE IF NOT EXISTS {_quote(table.name)} ({cols}, PRIMARY KEY ({key}))"
            )
        self._ready.add(table.name)

    def cursor(self, table: MirrorTable) -> str | None:
        """The cursor token of the last page stored for ``table``."""
        with self._lock:
            row = self._db.execute(
                f"SELECT cursor FROM {_META} WHERE tbl = ?", (table.name,)
            ).fetchone()
        return None if row is None else row[0]

    def apply(self, table: MirrorTable, page: SyncPage[Any]) -> None:
        """Store a page's changes and its cursor in one transaction."""
        self.ensure(table)
        names = [n for n, _ in table.columns]
        version = _quote(table.version_field)
        updates = ", ".join(f"{_quote(n)} = excluded.{_quote(n)}" for n in names)
        sql = (
            f"INSERT INTO {_quote(table.name)} ({', '.join(map(_quote, names))}) "
            f"VALUES ({', '.join('?' for _ in names)}) "
            f"ON CONFLICT ({_quote(table.id_field)}) DO UPDATE SET {updates} "
            f"WHERE excluded.{version} > {_quote(table.name)}.{version}"
        )
        with self._lock, self._db:
            for change in page.changes:
                row = table.row(change.data)
                self._db.execute(sql, [row[n] for n in names])
            self._db.execute(
                f"INSERT INTO {_META} (tbl, cursor) VALUES (?, ?) "
                "ON CONFLICT (tbl) DO UPDATE SET cursor = excluded.cursor",
                (table.name, page.cursor),
            )

    def sync(
        self, table: MirrorTable, fetch: Callable[[str | None], SyncPage[Any]]
    ) -> int:
        """Fetch and store pages until an empty one; returns the changes received."""
        with self._lock:  # one sync of a mirror at a time: pages apply in order
            return self._sync(table, fetch)

    def _sync(
        self, table: MirrorTable, fetch: Callable[[str | None], SyncPage[Any]]
    ) -> int:
        self.ensure(table)
        received = 0
        while True:
            page = fetch(self.cursor(table))
            if not page.changes:
                return received
            self.apply(table, page)
            received += len(page.changes)

    async def async_sync(
        self,
        table: MirrorTable,
        fetch: Callable[[str | None], Awaitable[SyncPage[Any]]],
    ) -> int:
        """``sync`` for an async client (SQLite writes are local and short)."""
        self.ensure(table)
        received = 0
        while True:
            page = await fetch(self.cursor(table))
            if not page.changes:
                return received
            self.apply(table, page)
            received += len(page.changes)

    def rows(
        self, table: MirrorTable, *, live_only: bool = False
    ) -> list[dict[str, object]]:
        """Every stored record of ``table`` ordered by identity (tombstones unless live_only)."""
        self.ensure(table)
        with self._lock:
            return self._rows(table, live_only)

    def _rows(self, table: MirrorTable, live_only: bool) -> list[dict[str, object]]:
        where = f" WHERE {_quote(table.deleted_field)} IS NULL" if live_only else ""
        cur = self._db.execute(
            f"SELECT * FROM {_quote(table.name)}{where} ORDER BY {_quote(table.id_field)}"
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    @property
    def connection(self) -> sqlite3.Connection:
        """The database connection, for the caller's own queries."""
        return self._db
